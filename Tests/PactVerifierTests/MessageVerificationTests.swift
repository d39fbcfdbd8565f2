import Foundation
import PactMockServer
import PactModel
import PactVerifier
import Testing

/// Message interactions: the provider produces each message (over HTTP or in process) and its contents and metadata
/// are compared with the pact's.
@Suite struct MessageVerificationTests {
    typealias Support = VerifierTestSupport

    /// A V4 pact with one `Asynchronous/Messages` interaction.
    static func messagePact(description: String = "an account opened event", states: String = "[]", contents: String = #"{"accountId": "ACC001", "balance": 0}"#,
                            metadata: String = #"{"contentType": "application/json", "topic": "accounts"}"#, rules: String = "{}") throws -> Pact {
        try Support.pact(interactions: """
        [{"type": "Asynchronous/Messages", "description": "\(description)", "providerStates": \(states),
          "contents": {"content": \(contents), "contentType": "application/json", "encoded": false},
          "metadata": \(metadata), "matchingRules": \(rules)}]
        """)
    }

    /// A stand-in provider that answers a message request (exactly `requestBody`) with `body` and its metadata header.
    static func producer(requestBody: String, status: Int = 200, body: String, metadata: JSONObject?, path: String = "/") async throws -> MockServer {
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        if let metadata {
            headers.add("Pact-Message-Metadata", Data(JSONWriter.bytes(.object(metadata), style: .compact)).base64EncodedString())
        }
        let request = HTTPRequest(method: "POST", path: path, headers: ["Content-Type": "application/json"],
                                  body: Body(json: try JSONParser.parse(requestBody), contentType: .json))
        let response = HTTPResponse(status: status, headers: headers, body: Body(bytes: Array(body.utf8), contentType: .json))
        let interaction = HTTPInteraction(info: InteractionInfo(description: "produce"), request: request, response: response)
        return try await Support.provider(Pact(consumer: "verifier", provider: "producer", interactions: [.http(interaction)]))
    }

    @Test func aMessageProducedOverHTTPIsFetchedWithItsDescriptionAndStatesAndPasses() async throws {
        let producer = try await Self.producer(
            requestBody: #"{"description": "an account opened event", "providerStates": [{"name": "account ACC001 exists", "params": {"id": 1}}]}"#,
            body: #"{"accountId": "ACC001", "balance": 0, "extra": true}"#, metadata: ["topic": "accounts"], path: "/messages")
        defer { Task { await producer.stop() } }
        var options = Support.options(producer)
        options.messages = .http(path: "/messages")
        let pact = try Self.messagePact(states: #"[{"name": "account ACC001 exists", "params": {"id": 1}}]"#)
        let report = try await Verifier(options: options).verify([pact])
        #expect(report.isSuccess, "\(report.results.map(\.errorSummary))")
        #expect(report.passedCount == 1)
        // The stand-in only answers the exact request body, so a pass proves what the verifier sent.
        #expect(producer.report().isOK)
    }

    @Test func differentContentsAndMetadataAreReportedInTheirCategories() async throws {
        let producer = try await Self.producer(requestBody: #"{"description": "an account opened event"}"#,
                                               body: #"{"accountId": "ACC002", "balance": 0}"#, metadata: ["topic": "payments"])
        defer { Task { await producer.stop() } }
        let report = try await Verifier(options: Support.options(producer)).verify([try Self.messagePact()])
        let result = try #require(report.results.first)
        #expect(!report.isSuccess)
        #expect(result.failureCategories == ["Metadata had differences", "Body had differences"])
        #expect(result.errorSummary.contains { $0.contains("topic") && $0.contains("payments") })
        #expect(result.errorSummary.contains { $0.contains("$.accountId") && $0.contains("ACC002") })
    }

    @Test func metadataRulesApplyToTheirKey() async throws {
        let producer = try await Self.producer(requestBody: #"{"description": "an account opened event"}"#,
                                               body: #"{"accountId": "ACC001", "balance": 0}"#, metadata: ["topic": "accounts-eu"])
        defer { Task { await producer.stop() } }
        let rules = #"{"metadata": {"topic": {"combine": "AND", "matchers": [{"match": "regex", "regex": "accounts-[a-z]+"}]}}}"#
        let report = try await Verifier(options: Support.options(producer)).verify([try Self.messagePact(rules: rules)])
        #expect(report.isSuccess, "\(report.results.map(\.errorSummary))")
    }

    @Test func aContentTypeMetadataKeyInAnotherSpellingCountsAsContentType() async throws {
        let producer = try await Self.producer(requestBody: #"{"description": "an account opened event"}"#,
                                               body: #"{"accountId": "ACC001", "balance": 0}"#,
                                               metadata: ["Content-Type": "application/json; charset=utf-8", "topic": "accounts"])
        defer { Task { await producer.stop() } }
        let report = try await Verifier(options: Support.options(producer)).verify([try Self.messagePact()])
        #expect(report.isSuccess, "\(report.results.map(\.errorSummary))")

        var options = VerifierOptions(providerBaseURL: "http://127.0.0.1:1")
        options.messages = .handlers(MessageHandlers(fallback: { _ in
            ProducedMessage(json: ["accountId": "ACC001", "balance": 0], metadata: ["content-type": "text/plain", "topic": "accounts"])
        }))
        let wrongType = try await Verifier(options: options).verify([try Self.messagePact()])
        #expect(wrongType.results.first?.errorSummary.contains { $0.contains("contentType") && $0.contains("text/plain") } == true,
                "\(wrongType.results.map(\.errorSummary))")
    }

    @Test func aMessageURLReachesAProducerApartFromTheProvider() async throws {
        let producer = try await Self.producer(requestBody: #"{"description": "an account opened event"}"#,
                                               body: #"{"accountId": "ACC001", "balance": 0}"#, metadata: ["topic": "accounts"], path: "/events/produce")
        defer { Task { await producer.stop() } }
        var options = VerifierOptions(providerBaseURL: "http://127.0.0.1:1", basePath: "/ignored", requestTimeout: .seconds(10))
        options.messages = .url(Support.baseURL(producer) + "/events/produce")
        let report = try await Verifier(options: options).verify([try Self.messagePact()])
        #expect(report.isSuccess, "\(report.results.map(\.errorSummary))")
    }

    @Test(arguments: [MessageProducer.http(path: "messages"), .http(path: "/messages?x=1"), .url("localhost:9000/messages")])
    func aMalformedMessageLocationIsRejectedUpFront(producer: MessageProducer) throws {
        var options = VerifierOptions(providerBaseURL: "http://127.0.0.1:1")
        options.messages = producer
        #expect(throws: VerifierError.self) { try Verifier(options: options) }
    }

    @Test func aProducerThatAnswersAnErrorStatusGivesAClearError() async throws {
        let producer = try await Self.producer(requestBody: #"{"description": "an account opened event"}"#, status: 404,
                                               body: #"{"error": "unknown message"}"#, metadata: nil)
        defer { Task { await producer.stop() } }
        let report = try await Verifier(options: Support.options(producer)).verify([try Self.messagePact()])
        let result = try #require(report.results.first)
        guard case .error(let message) = result.outcome else { Issue.record("expected an error, got \(result.outcome)"); return }
        #expect(message.contains("answered HTTP 404"))
        #expect(message.contains("'an account opened event'"))
        #expect(message.contains("unknown message"))
    }

    @Test func metadataThatIsNotBase64JSONIsIgnoredWithAWarning() async throws {
        let request = HTTPRequest(method: "POST", path: "/", headers: ["Content-Type": "application/json"],
                                  body: Body(json: ["description": "an account opened event"], contentType: .json))
        let response = HTTPResponse(status: 200, headers: ["Content-Type": "application/json", "Pact-Message-Metadata": "not base64!"],
                                    body: Body(bytes: Array(#"{"accountId": "ACC001", "balance": 0}"#.utf8), contentType: .json))
        let producer = try await Support.provider(Pact(consumer: "v", provider: "p", interactions: [
            .http(HTTPInteraction(info: InteractionInfo(description: "produce"), request: request, response: response)),
        ]))
        defer { Task { await producer.stop() } }
        let report = try await Verifier(options: Support.options(producer)).verify([try Self.messagePact(metadata: #"{"contentType": "application/json"}"#)])
        let result = try #require(report.results.first)
        #expect(result.outcome == .passed)
        #expect(result.warnings.contains { $0.contains("Pact-Message-Metadata") })
    }

    @Test func inProcessHandlersProduceMessagesAfterTheirStatesAreSetUp() async throws {
        let calls = Calls()
        var options = VerifierOptions(providerBaseURL: "http://127.0.0.1:1")
        options.stateChange = .handlers(StateHandlers(["account ACC001 exists": { action, _ in
            calls.append("state \(action.rawValue)")
            return nil
        }], teardown: true))
        options.messages = .handlers(MessageHandlers(["an account opened event": { request in
            calls.append("produce \(request.providerStates.map(\.name))")
            return ProducedMessage(json: ["accountId": "ACC001", "balance": 0], metadata: ["topic": "accounts"])
        }]))
        let pact = try Self.messagePact(states: #"[{"name": "account ACC001 exists"}]"#)
        let report = try await Verifier(options: options).verify([pact])
        #expect(report.isSuccess, "\(report.results.map(\.errorSummary))")
        #expect(calls.all == ["state setup", "produce [\"account ACC001 exists\"]", "state teardown"])
    }

    @Test func aMissingOrThrowingHandlerFailsTheMessage() async throws {
        var options = VerifierOptions(providerBaseURL: "http://127.0.0.1:1")
        options.messages = .handlers(MessageHandlers([:]))
        let missing = try await Verifier(options: options).verify([try Self.messagePact()])
        #expect(missing.results.first?.errorSummary.first == "Message handler failed")
        #expect(missing.results.first?.errorSummary.last?.contains("no message handler for 'an account opened event'") == true)

        struct Broken: Error {}
        options.messages = .handlers(MessageHandlers(fallback: { _ in throw Broken() }))
        let throwing = try await Verifier(options: options).verify([try Self.messagePact()])
        #expect(throwing.results.first?.errorSummary.last?.contains("threw: Broken") == true)
    }

    @Test func aSynchronousMessageSendsItsRequestAndComparesTheFirstResponse() async throws {
        let pact = try Support.pact(interactions: """
        [{"type": "Synchronous/Messages", "description": "a quote request",
          "request": {"contents": {"content": {"amount": 100}, "contentType": "application/json", "encoded": false}},
          "response": [{"contents": {"content": {"quote": 1.5}, "contentType": "application/json", "encoded": false},
                        "matchingRules": {"body": {"$.quote": {"combine": "AND", "matchers": [{"match": "decimal"}]}}}}]}]
        """)
        let received = Calls()
        var options = VerifierOptions(providerBaseURL: "http://127.0.0.1:1")
        options.messages = .handlers(MessageHandlers(fallback: { request in
            let amount = try JSONParser.parse(request.request?.contents.bytes ?? [])["amount"]
            received.append("\(request.description) \(amount.map { "\($0)" } ?? "none")")
            return ProducedMessage(json: ["quote": 2.75])
        }))
        let report = try await Verifier(options: options).verify([pact])
        #expect(report.isSuccess, "\(report.results.map(\.errorSummary))")
        #expect(received.all == ["a quote request 100"])

        options.messages = .handlers(MessageHandlers(fallback: { _ in ProducedMessage(json: ["quote": "free"]) }))
        let failing = try await Verifier(options: options).verify([pact])
        #expect(failing.results.first?.failureCategories == ["Body had differences"])
    }

    @Test func aSynchronousRequestGetsItsProviderStateValuesAndAMissingResponseIsAWarning() async throws {
        let pact = try Support.pact(interactions: """
        [{"type": "Synchronous/Messages", "description": "a quote request", "providerStates": [{"name": "a customer exists"}],
          "request": {"contents": {"content": {"customer": "C0"}, "contentType": "application/json", "encoded": false},
                      "generators": {"body": {"$.customer": {"type": "ProviderState", "expression": "${customerId}", "dataType": "STRING"}}}},
          "response": []}]
        """)
        let seen = Calls()
        var options = VerifierOptions(providerBaseURL: "http://127.0.0.1:1")
        options.stateChange = .handlers(StateHandlers(["a customer exists": { _, _ in ["customerId": "C42"] }]))
        options.messages = .handlers(MessageHandlers(fallback: { request in
            seen.append(String(decoding: request.request?.contents.bytes ?? [], as: UTF8.self))
            return ProducedMessage(json: ["quote": 1])
        }))
        let report = try await Verifier(options: options).verify([pact])
        let result = try #require(report.results.first)
        #expect(result.outcome == .passed)
        #expect(seen.all == [#"{"customer":"C42"}"#])
        #expect(result.warnings.contains { $0.contains("no response message") })
    }

    @Test func aSynchronousMessageRequestTravelsInItsV4FormOverHTTP() async throws {
        let pact = try Support.pact(interactions: """
        [{"type": "Synchronous/Messages", "description": "a quote request",
          "request": {"contents": {"content": {"amount": 100}, "contentType": "application/json", "encoded": false}},
          "response": [{"contents": {"content": {"quote": 1.5}, "contentType": "application/json", "encoded": false}}]}]
        """)
        let producer = try await Self.producer(
            requestBody: #"{"description": "a quote request", "request": {"contents": {"content": {"amount": 100}, "contentType": "application/json", "encoded": false}}}"#,
            body: #"{"quote": 1.5}"#, metadata: nil)
        defer { Task { await producer.stop() } }
        let report = try await Verifier(options: Support.options(producer)).verify([pact])
        #expect(report.isSuccess, "\(report.results.map(\.errorSummary))")
    }
}

/// Calls recorded from handlers, in order.
final class Calls: @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [String] = []
    func append(_ call: String) { lock.withLock { calls.append(call) } }
    var all: [String] { lock.withLock { calls } }
}
