import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import PactModel

/// How a server answers requests.
enum HTTPResponder: Sendable {
    /// Answers on the connection's event loop; it must not block (the mock server's matching).
    case immediate(@Sendable (HTTPRequest) -> ServedResponse)
    /// Answers from a task, for work that awaits (the control API starting servers).
    case deferred(@Sendable (HTTPRequest) async -> HTTPResponse)
}

/// A small HTTP/1.1 server with keep-alive, pipelining, request limits and idle timeouts, on the process-wide event loops.
final class HTTPServer: Sendable {
    private let channel: any Channel
    /// The port the server listens on.
    let port: Int
    /// The host the server listens on.
    let host: String

    private init(channel: any Channel, host: String, port: Int) {
        self.channel = channel
        self.host = host
        self.port = port
    }

    /// Binds and starts serving.
    static func start(host: String, port: Int, limits: HTTPLimits, tls: TLSIdentity? = nil, responder: HTTPResponder) async throws(MockServerError) -> HTTPServer {
        let sslContext = try tls?.makeContext()
        let bootstrap = ServerBootstrap(group: EventLoops.shared)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            // A client that closes its sending side after its requests still gets the answers (RequestHandler).
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    if let sslContext { try operations.addHandler(NIOSSLServerHandler(context: sslContext)) }
                    // Two handlers: NIO's parser, and ours, which answers in order, times out idle connections and
                    // writes responses it encodes itself (each hop between handlers costs on every request).
                    try operations.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
                    try operations.addHandler(RequestHandler(limits: limits, responder: responder))
                }
            }
        do {
            let channel = try await bootstrap.bind(host: host, port: port).get()
            let boundPort = channel.localAddress?.port ?? port
            return HTTPServer(channel: channel, host: host, port: boundPort)
        } catch {
            throw .bindFailed(host: host, port: port, reason: "\(error)")
        }
    }

    /// Stops accepting connections and closes the listening socket.
    func stop() async {
        try? await channel.close()
    }
}

/// A response to write: built per request, or encoded once and reused.
enum ServedResponse: Sendable {
    /// A response built for this request.
    case model(HTTPResponse)
    /// A response encoded ahead of time (head with Content-Length, and the body bytes).
    case prepared(PreparedResponse)
    /// A response delivered as a simulation plans it: late, slowly, or replaced by a fault.
    case planned(PreparedResponse, ResponsePlan)
}

/// Request limits enforced by the server.
struct HTTPLimits: Sendable {
    var maxBodyBytes: Int
    var maxHeaderBytes: Int
    var idleTimeout: Duration
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
