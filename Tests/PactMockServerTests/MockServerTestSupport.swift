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
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return "" }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: Int(readTimeout), tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return "" }
        _ = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            // SIGCHLD from other tests' processes can interrupt recv; that is not the server closing.
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
