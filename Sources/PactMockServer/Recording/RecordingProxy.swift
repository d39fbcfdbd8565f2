import Foundation
import NIOConcurrencyHelpers
import PactHTTP
import PactModel

/// A proxy in front of a real provider: it forwards each request, returns the provider's answer, and records the
/// exchange as an interaction, so a pact can be captured from real traffic and then replayed by `MockServer`.
public final class RecordingProxy: Sendable {
    /// The provider's base URL, such as `http://localhost:8080`.
    public let target: String
    /// The consumer and provider names the recorded pact gets.
    public let consumer: String
    public let provider: String
    /// When true, response bodies are matched by type (a `type` rule at `$`, which applies to every value beneath),
    /// so replays and verifications accept other values of the same shape.
    public let suggestMatchers: Bool
    private let configuration: MockServerConfiguration
    private let client: HTTPClient
    private let recorded = NIOLockedValueBox<[HTTPInteraction]>([])
    private let server = NIOLockedValueBox<HTTPServer?>(nil)

    /// Headers that describe one connection or one message, never the contract.
    static let hopByHop: Set<String> = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer",
                                        "host", "content-length", "expect"]
    /// Response headers worth keeping in a pact: the rest (dates, servers, request ids) change from run to run.
    static let keptResponseHeaders: Set<String> = ["content-type", "location", "retry-after", "www-authenticate", "allow"]

    /// Creates a proxy; `configuration` gives the address it listens on and its limits.
    public init(target: String, consumer: String, provider: String, suggestMatchers: Bool = false,
                configuration: MockServerConfiguration = MockServerConfiguration()) throws(MockServerError) {
        guard let components = URLComponents(string: target), let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
              components.host?.isEmpty == false else {
            throw .invalidTarget(target)
        }
        self.target = target.hasSuffix("/") ? String(target.dropLast()) : target
        self.consumer = consumer
        self.provider = provider
        self.suggestMatchers = suggestMatchers
        self.configuration = configuration
        client = HTTPClient(configuration: HTTPClientConfiguration(requestTimeout: .seconds(60), connectTimeout: .seconds(10)))
    }

    /// Starts listening and returns the proxy's URL.
    @discardableResult
    public func start() async throws(MockServerError) -> URL {
        let limits = HTTPLimits(maxBodyBytes: configuration.maxBodyBytes, maxHeaderBytes: configuration.maxHeaderBytes, idleTimeout: configuration.idleTimeout)
        let started = try await HTTPServer.start(host: configuration.host, port: configuration.port, limits: limits, tls: configuration.tls,
                                                 responder: .deferred { [self] request in await forward(request) })
        server.withLockedValue { $0 = started }
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        return URL(string: "\(configuration.tls == nil ? "http" : "https")://\(host):\(started.port)") ?? URL(fileURLWithPath: "/")
    }

    /// Stops listening.
    public func stop() async {
        let running = server.withLockedValue { value -> HTTPServer? in
            defer { value = nil }
            return value
        }
        await running?.stop()
        client.shutdown()
    }

    /// The pact recorded so far: one interaction per distinct exchange, in the order first seen.
    public var pact: Pact {
        Pact(consumer: consumer, provider: provider, interactions: recorded.withLockedValue { $0 }.map(Interaction.http))
    }

    /// How many interactions have been recorded.
    public var interactionCount: Int { recorded.withLockedValue { $0.count } }

    func forward(_ request: HTTPRequest) async -> HTTPResponse {
        let query = request.rawQuery.map { "?" + $0 } ?? ""
        let path = request.path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? String($0) }.joined(separator: "/")
        var headers: [(name: String, value: String)] = []
        for entry in request.headers where !Self.hopByHop.contains(entry.name.lowercased()) {
            for value in entry.values { headers.append((entry.name, value)) }
        }
        let outgoing = HTTPClientRequest(method: request.method, url: target + path + query, headers: headers,
                                         body: request.body.hasContent ? request.body.bytes : nil)
        let answer: HTTPClientResponse
        do {
            answer = try await client.send(outgoing)
        } catch {
            var headers = PactModel.HTTPHeaders()
            headers.add("Content-Type", "application/json")
            return HTTPResponse(status: 502, headers: headers,
                                body: Body(json: ["error": .string("pactctl record: the provider at \(target) did not answer: \(error.description)")]))
        }
        var responseHeaders = PactModel.HTTPHeaders()
        for header in answer.headers where !Self.hopByHop.contains(header.name.lowercased()) { responseHeaders.add(header.name, header.value) }
        let contentType = answer.header("Content-Type").flatMap(ContentType.init)
        let response = HTTPResponse(status: answer.status, headers: responseHeaders,
                                    body: answer.body.isEmpty ? .missing : Body(bytes: answer.body, contentType: contentType))
        record(request, response)
        return response
    }

    private func record(_ request: HTTPRequest, _ response: HTTPResponse) {
        var kept = request
        kept.headers = PactModel.HTTPHeaders()
        for entry in request.headers where Self.recordedRequestHeader(entry.name) {
            for value in entry.values { kept.headers.add(entry.name, value) }
        }
        var contract = HTTPResponse(status: response.status)
        for entry in response.headers where Self.keptResponseHeaders.contains(entry.name.lowercased()) {
            for value in entry.values { contract.headers.add(entry.name, value) }
        }
        contract.body = response.body
        if suggestMatchers, response.body.json != nil || (try? JSONParser.parse(response.body.bytes)) != nil {
            contract.matchingRules = MatchingRules()
            var body = RuleCategory()
            body.add(.type, at: .root)
            contract.matchingRules.categories["body"] = body
        }
        recorded.withLockedValue { interactions in
            if interactions.contains(where: { $0.request == kept && $0.response == contract }) { return }
            let base = "\(kept.method) \(kept.path)" + (kept.rawQuery.map { "?" + $0 } ?? "")
            let sameName = interactions.filter { $0.description == base || $0.description.hasPrefix(base + " #") }.count
            let description = sameName == 0 ? base : "\(base) #\(sameName + 1)"
            interactions.append(HTTPInteraction(info: InteractionInfo(description: description), request: kept, response: contract))
        }
    }

    /// Request headers that are part of what the consumer sends on purpose; credentials and tracing are left out.
    static func recordedRequestHeader(_ name: String) -> Bool {
        let lowered = name.lowercased()
        if hopByHop.contains(lowered) { return false }
        return ["content-type", "accept", "if-match", "if-none-match", "prefer"].contains(lowered)
    }
}
