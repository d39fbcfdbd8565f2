import Foundation
import TestSupport
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
