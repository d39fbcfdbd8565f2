import Foundation
import PactMockServer
import PactModel

/// A mock server built from an OpenAPI document: it validates each request against its operation (422 with the
/// problems when it does not fit) and answers with the operation's first success response, its body taken from the
/// document's example or built from the schema.
public final class OpenAPIMock: Sendable {
    /// The document served.
    public let document: OpenAPIDocument
    private let validator: OpenAPIValidator
    private let configuration: MockServerConfiguration
    private let endpoint = LockedEndpoint()

    /// Creates a mock for a document; `configuration` gives the address and limits (its pact settings are unused).
    public init(document: OpenAPIDocument, configuration: MockServerConfiguration = MockServerConfiguration()) {
        self.document = document
        self.configuration = configuration
        validator = OpenAPIValidator(document)
    }

    /// Starts listening and returns the base URL.
    @discardableResult
    public func start() async throws(MockServerError) -> URL {
        let started = try await HTTPEndpoint.start(configuration: configuration) { [self] request in
            let response = respond(to: request)
            configuration.requestLog?(request, .unexpected, response)
            return response
        }
        endpoint.set(started)
        return started.url
    }

    /// Stops listening.
    public func stop() async {
        await endpoint.take()?.stop()
    }

    /// The factory that lets the control API (`POST /openapi-mocks`) start OpenAPI mocks.
    public static let controlFactory: DocumentServerFactory = { text, configuration in
        let mock = OpenAPIMock(document: try OpenAPIDocument(text: text, source: "the request body"), configuration: configuration)
        return RunningOpenAPIMock(mock: mock, url: try await mock.start())
    }

    /// The answer to one request.
    public func respond(to request: HTTPRequest) -> HTTPResponse {
        switch validator.route(method: request.method, path: request.path) {
        case .notFound:
            return Self.problem(404, "no path of the document matches \(request.method) \(request.path)", [])
        case .methodNotAllowed(let allowed):
            var response = Self.problem(405, "\(request.path) does not take \(request.method); it takes \(allowed.joined(separator: ", "))", [])
            response.headers.set("Allow", [allowed.joined(separator: ", ")])
            return response
        case .operation(let operation, let parameters):
            let problems = validator.problems(request: request, operation: operation, pathParameters: parameters)
            guard problems.isEmpty else {
                return Self.problem(422, "the request does not fit \(operation.method) \(operation.path) in the document", problems)
            }
            return answer(operation)
        }
    }

    private func answer(_ operation: OpenAPIDocument.Operation) -> HTTPResponse {
        let chosen = operation.responses.first { $0.status.hasPrefix("2") } ?? operation.responses.first
        guard let (status, response) = chosen else { return HTTPResponse(status: 204) }
        let code = Int(status) ?? (status.uppercased() == "2XX" ? 200 : 200)
        guard let media = response.content.first(where: { $0.mediaType.contains("json") }) ?? response.content.first else {
            return HTTPResponse(status: code)
        }
        let body = media.example ?? media.schema.map { ExampleGenerator().example(for: $0) } ?? .null
        var headers = HTTPHeaders()
        headers.add("Content-Type", media.mediaType == "*/*" ? "application/json" : media.mediaType)
        return HTTPResponse(status: code, headers: headers, body: Body(json: body))
    }

    static func problem(_ status: Int, _ message: String, _ details: [String]) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/json")
        var object: JSONObject = ["error": .string(message)]
        if !details.isEmpty { object["problems"] = .array(details.map(JSONValue.string)) }
        return HTTPResponse(status: status, headers: headers, body: Body(json: .object(object)))
    }
}

/// An OpenAPI mock started through the control API.
private struct RunningOpenAPIMock: DocumentServer {
    let mock: OpenAPIMock
    let url: URL

    func stop() async {
        await mock.stop()
    }
}

/// The running endpoint, behind a lock.
private final class LockedEndpoint: @unchecked Sendable {
    private let lock = NSLock()
    private var value: HTTPEndpoint?

    func set(_ endpoint: HTTPEndpoint) {
        lock.lock()
        value = endpoint
        lock.unlock()
    }

    func take() -> HTTPEndpoint? {
        lock.lock()
        defer { value = nil; lock.unlock() }
        return value
    }
}
