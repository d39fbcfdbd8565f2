import Foundation
import PactHTTP
import PactMockServer
import PactModel

/// Builds small pacts and sends requests for the mock-server tests.
enum MockServerTestSupport {
    static func interaction(_ description: String, method: String = "GET", path: String, query: String? = nil,
                            requestBody: JSONValue? = nil, status: Int = 200, responseBody: JSONValue? = nil,
                            responseRules: MatchingRules = MatchingRules(), responseGenerators: Generators = Generators()) -> Interaction {
        var request = HTTPRequest(method: method, path: path)
        if let query { request.query = QueryParameters(parsing: query) }
        if let requestBody {
            request.body = Body(json: requestBody)
            request.headers.set("Content-Type", ["application/json"])
        }
        var response = HTTPResponse(status: status)
        if let responseBody {
            response.body = Body(json: responseBody)
            response.headers.set("Content-Type", ["application/json"])
        }
        response.matchingRules = responseRules
        response.generators = responseGenerators
        return .http(HTTPInteraction(info: InteractionInfo(description: description), request: request, response: response))
    }

    static func pact(_ interactions: [Interaction], consumer: String = "Consumer", provider: String = "Provider") -> Pact {
        Pact(consumer: consumer, provider: provider, interactions: interactions)
    }

    static func request(_ server: MockServer, _ pathAndQuery: String, method: String = "GET", headers: [(name: String, value: String)] = [],
                        body: String? = nil) async throws -> HTTPClientResponse {
        guard let base = server.url?.absoluteString else { throw CocoaError(.featureUnsupported) }
        let client = HTTPClient()
        defer { client.shutdown() }
        return try await client.send(HTTPClientRequest(method: method, url: base + pathAndQuery, headers: headers, body: body.map { Array($0.utf8) }))
    }

    static func temporaryDirectory() -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-mock-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Sends raw bytes over a plain socket and returns everything the server writes back before closing.
    static func rawExchange(port: Int, bytes: [UInt8], readTimeout: TimeInterval = 5) -> String {
        guard let socket = try? RawSocket(port: port, readTimeout: readTimeout) else { return "" }
        socket.send(bytes)
        return socket.receiveAllText()
    }
}

/// A blocking client socket to 127.0.0.1, for exchanges the HTTP client would tidy up: raw bytes, several steps,
/// half-closes, and the error that ended the connection.
final class RawSocket {
    /// Why no connection was made: the `errno` of `socket` or `connect`.
    struct ConnectError: Error { let code: Int32 }

    private let descriptor: Int32

    init(port: Int, readTimeout: TimeInterval = 5) throws(ConnectError) {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ConnectError(code: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: Int(readTimeout), tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw ConnectError(code: errno) }
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Foundation.send(descriptor, $0.baseAddress, $0.count, 0) }
    }

    func send(_ text: String) { send(Array(text.utf8)) }

    /// Closes the sending side (the server sees the end of the input) while the reply can still be read.
    func finishSending() {
        shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Reads byte by byte until the text received ends with `marker` (or the connection ends).
    func receive(until marker: String) -> String {
        var received: [UInt8] = []
        var byte: UInt8 = 0
        while !String(decoding: received, as: UTF8.self).hasSuffix(marker) {
            let count = recv(descriptor, &byte, 1, 0)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            received.append(byte)
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// Reads until the server closes the connection, as text.
    func receiveAllText() -> String { String(decoding: receiveAll().bytes, as: UTF8.self) }

    /// Reads until the server closes the connection (or the read timeout passes), calling `onRead` after each read;
    /// returns the bytes and the `errno` that ended the reading (0 for an orderly close).
    func receiveAll(onRead: () -> Void = {}) -> (bytes: [UInt8], error: Int32) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            // SIGCHLD from other tests' processes can interrupt recv; that is not the server closing.
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return (received, errno) }
            if count == 0 { return (received, 0) }
            received += buffer[0..<count]
            onRead()
        }
    }
}
