import Foundation
import PactMatching
import PactConsumer
import PactHTTP
import PactBroker
import PactBrokerClient
import PactMockServer
import PactModel
import PactVerifier

/// The part of a scenario's state that message scenarios build up.
struct MessageWorld {
    // Consumer side.
    var builder: MessageBuilder?
    var synchronous: SynchronousMessageBuilder?
    var contents: PactBody?
    var metadata: [String: PactValue] = [:]
    var request = MessagePayload(contents: nil)
    var requestMetadata: [String: PactValue] = [:]
    var responses: [MessagePayload] = []
    var received: ReceivedMessage?
    var exchange: SynchronousMessageExchange?
    var error: (any Error)?
    // Provider side: the messages the stand-in provider produces, by name.
    var produced: [String: ProducedMessage] = [:]
}

/// The state one scenario builds up as its steps run.
final class CompatibilityWorld {
    let fixtures: URL
    var expectedRequest = HTTPRequest()
    var receivedRequests: [HTTPRequest] = []
    var requestResults: [[Mismatch]] = []
    var expectedResponse = HTTPResponse()
    var receivedResponses: [HTTPResponse] = []
    var responseResults: [Mismatch] = []
    var generatorRequest = HTTPRequest(path: "/path/one")
    var generatorMode = GeneratorMode.provider
    /// The response of the HTTP generator scenarios, before and after its generators ran; when set, body steps read it.
    var generatorResponse: HTTPResponse?
    var generatedResponse: HTTPResponse?
    var generatedRequest: HTTPRequest?

    // Consumer (mock server) scenarios.
    let specification: PactSpecification
    var interactions: [HTTPInteraction] = []
    var mockServer: MockServer?
    var response: HTTPClientResponse?
    var report: MockServerReport?
    var pactFile: URL?
    var writtenPact: Pact?
    var writtenJSON: JSONValue?
    var consumerPact: ConsumerPact?
    // Provider (verifier) scenarios.
    var pactFiles: [URL] = []
    var stateCalls: ProviderSteps.StateCalls?
    var stateCallbackFails = false
    var filterHeaders = HTTPHeaders()
    var verification: VerificationReport?
    // Scenarios that verify pacts from a broker: a real `pactctl broker` on a scratch SQLite file.
    var broker: BrokerServer?
    var brokerConsumers: [Int: String] = [:]
    var publishResults = false
    var builder: InteractionBuilder?
    /// Message scenarios: what the consumer declares and receives, and the messages the stand-in provider produces.
    var messages = MessageWorld()
    let scratch: URL

    init(fixtures: URL, specification: PactSpecification) {
        self.fixtures = fixtures
        self.specification = specification
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-compat-\(UUID().uuidString)")
    }

    /// Stops the mock server if a scenario started one.
    func stopServer() async {
        await mockServer?.stop()
        await broker?.stop()
    }

    /// Removes the scenario's files.
    func cleanUp() {
        try? FileManager.default.removeItem(at: scratch)
    }

    /// The columns of a one-row (plus header) table as a dictionary.
    func row(_ step: GherkinStep) throws -> [String: String] {
        guard let table = step.table, table.count >= 2 else { throw StepFailure("the step needs a table with a header row and a data row") }
        var values: [String: String] = [:]
        for (index, name) in table[0].enumerated() where index < table[1].count { values[name] = table[1][index] }
        return values
    }

    /// Every data row of a table as dictionaries.
    func rows(_ step: GherkinStep) throws -> [[String: String]] {
        guard let table = step.table, let header = table.first else { throw StepFailure("the step needs a table") }
        return table.dropFirst().map { row in
            var values: [String: String] = [:]
            for (index, name) in header.enumerated() where index < row.count { values[name] = row[index] }
            return values
        }
    }

    func fixtureBytes(_ name: String) throws -> [UInt8] {
        let url = fixtures.appendingPathComponent(name.trimmingCharacters(in: .whitespaces))
        guard let data = FileManager.default.contents(atPath: url.path) else { throw StepFailure("fixture '\(name)' not found") }
        return [UInt8](data)
    }

    func fixtureJSON(_ name: String) throws -> JSONValue {
        if name.hasPrefix("JSON:") { return try JSONParser.parse(String(name.dropFirst(5)).trimmingCharacters(in: .whitespaces)) }
        return try JSONParser.parse(try fixtureBytes(name))
    }

    func matchingRules(_ name: String) throws -> MatchingRules {
        let json = try fixtureJSON(name)
        let isV2 = json.objectValue?.keys.contains { $0.hasPrefix("$") } ?? false
        return try MatchingRules(json: json, specification: isV2 ? .v2 : .v4, source: name)
    }

    /// A body described in a table cell: `JSON: ...`, `XML: ...`, `file: name`, `EMPTY` or plain text.
    func body(_ description: String, contentType: String?) throws -> (Body, String) {
        if description.hasPrefix("JSON:") {
            let text = String(description.dropFirst(5)).trimmingCharacters(in: .whitespaces)
            return (Body(bytes: Array(text.utf8), contentType: .json), "application/json")
        }
        if description.hasPrefix("XML:") {
            let text = String(description.dropFirst(4)).trimmingCharacters(in: .whitespaces)
            return (Body(bytes: Array(text.utf8), contentType: .xml), "application/xml")
        }
        if description.hasPrefix("file:") {
            let name = String(description.dropFirst(5)).trimmingCharacters(in: .whitespaces)
            if name.hasSuffix("-body.xml") {
                let root = try XMLBodyParser.parse(try fixtureBytes(name))
                let type = root.elements.first { $0.name == "contentType" }?.text ?? "text/plain"
                var contents = ""
                if let element = root.elements.first(where: { $0.name == "contents" }) {
                    contents = element.text.trimmingCharacters(in: .whitespacesAndNewlines)
                    if element.attribute("eol") == "CRLF" { contents = contents.replacingOccurrences(of: "\n", with: "\r\n") }
                    if element.attribute("encoding") == "base64" {
                        guard let data = Data(base64Encoded: contents) else { throw StepFailure("fixture '\(name)' has contents that are not base64") }
                        return (Body(bytes: [UInt8](data), contentType: ContentType(type)), type)
                    }
                }
                return (Body(bytes: Array(contents.utf8), contentType: ContentType(type)), type)
            }
            let type = contentType ?? Self.contentType(forFile: name)
            return (Body(bytes: try fixtureBytes(name), contentType: ContentType(type)), type)
        }
        let text = description == "EMPTY" ? "" : description
        let type = contentType ?? "text/plain"
        return (Body(bytes: Array(text.utf8), contentType: ContentType(type)), type)
    }

    static func contentType(forFile name: String) -> String {
        if name.hasSuffix(".json") { return "application/json" }
        if name.hasSuffix(".xml") { return "application/xml" }
        if name.hasSuffix(".jpg") { return "image/jpeg" }
        if name.hasSuffix(".pdf") { return "application/pdf" }
        return "text/plain"
    }

    /// Headers written as `'X-A: 1', 'X-B: 2'`.
    static func headers(_ text: String) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for piece in text.split(separator: ",") {
            var entry = piece.trimmingCharacters(in: .whitespaces)
            if entry.hasPrefix("'") { entry.removeFirst() }
            if entry.hasSuffix("'") { entry.removeLast() }
            let pair = entry.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            headers.add(pair[0], pair[1])
        }
        return headers
    }

    /// Applies the columns of a request table (body, content type, query, headers) to a request.
    func configure(_ request: inout HTTPRequest, with values: [String: String]) throws {
        if let description = values["body"], !description.isEmpty {
            let (body, type) = try body(description, contentType: values["content type"])
            request.body = body
            request.headers.set("Content-Type", [type])
        }
        if let query = values["query"], !query.isEmpty { request.query = QueryParameters(parsing: query) }
        if let headers = values["headers"], !headers.isEmpty {
            for entry in Self.headers(headers) { request.headers.set(entry.name, entry.values) }
        }
    }
}
