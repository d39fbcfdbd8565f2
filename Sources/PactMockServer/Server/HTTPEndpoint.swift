import Foundation
import PactModel

/// A plain HTTP endpoint with the mock server's listener, limits and TLS, for servers built on other models than a
/// pact (such as an OpenAPI document): every request goes to `respond`.
public final class HTTPEndpoint: Sendable {
    private let server: HTTPServer
    /// The base URL, such as `http://127.0.0.1:53122`.
    public let url: URL

    private init(server: HTTPServer, url: URL) {
        self.server = server
        self.url = url
    }

    /// Starts listening where `configuration` says; `respond` runs on the connection's event loop and must not block.
    public static func start(configuration: MockServerConfiguration,
                             respond: @escaping @Sendable (HTTPRequest) -> HTTPResponse) async throws(MockServerError) -> HTTPEndpoint {
        let limits = HTTPLimits(maxBodyBytes: configuration.maxBodyBytes, maxHeaderBytes: configuration.maxHeaderBytes, idleTimeout: configuration.idleTimeout)
        let server = try await HTTPServer.start(host: configuration.host, port: configuration.port, limits: limits, tls: configuration.tls,
                                                responder: .immediate { request in .model(respond(request)) })
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        let url = URL(string: "\(configuration.tls == nil ? "http" : "https")://\(host):\(server.port)") ?? URL(fileURLWithPath: "/")
        return HTTPEndpoint(server: server, url: url)
    }

    /// Stops listening.
    public func stop() async {
        await server.stop()
    }
}
