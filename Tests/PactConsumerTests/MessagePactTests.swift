import Foundation
import PactConsumer
import PactHTTP
import PactModel
import Testing

/// Message pacts: messages declared with the DSL reach the consumer's handler as a provider would send them, and the
/// pact file is written only when the handler accepted every one.
@Suite struct MessagePactTests {
    struct AccountOpened: Codable, Equatable {
        var accountId: String
        var balance: Int
    }

    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-messages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func written(_ folder: URL, _ name: String = "BankingApp-AccountEvents.json") throws -> JSONValue {
        try JSONParser.parse(Array(try Data(contentsOf: folder.appendingPathComponent(name))))
    }

    @Test(arguments: [PactSpecification.v3, .v4])
    func aHandledMessageIsWrittenWithItsContentsMetadataAndRules(specification: PactSpecification) async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pact = ConsumerPact(consumer: "BankingApp", provider: "AccountEvents", specification: specification)
        pact.expectsToReceive("an account opened event")
            .given("account ACC001 is opened", ["accountId": "ACC001"])
            .withMetadata(["topic": "accounts", "key": .regex("ACC\\d+", example: "ACC001")])
            .withContents(.json(["accountId": .regex("ACC\\d+", example: "ACC001"), "balance": .integer(0)]))
        let seen = Seen()
        try await pact.verifyMessages(output: PactOutput(directory: folder)) { message in
            seen.add(message.description)
            let decoded = try message.decode(AccountOpened.self)
            #expect(decoded == AccountOpened(accountId: "ACC001", balance: 0))
            #expect(message.contentType == "application/json")
            #expect(message.metadata["topic"] == "accounts")
            #expect(message.providerStates.map(\.name) == ["account ACC001 is opened"])
        }
        #expect(seen.all == ["an account opened event"])

        let json = try Self.written(folder)
        let message = try #require((json["messages"] ?? json["interactions"])?.arrayValue?.first)
        #expect(message["description"] == "an account opened event")
        #expect(message["metadata"]?["topic"] == "accounts")
        #expect(message["metadata"]?["contentType"] == "application/json")
        #expect(message["matchingRules"]?["metadata"]?["key"] != nil)
        #expect(message["matchingRules"]?["body"]?["$.accountId"] != nil)
        if specification == .v3 {
            #expect(message["contents"]?["accountId"] == "ACC001")
            #expect(json["metadata"]?["pactSpecification"]?["version"] == "3.0.0")
        } else {
            #expect(message["type"] == "Asynchronous/Messages")
            #expect(message["contents"]?["content"]?["balance"] == 0)
        }
    }

    @Test func aHandlerThatThrowsFailsTheTestWithItsErrorAndWritesNothing() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pact = ConsumerPact(consumer: "BankingApp", provider: "AccountEvents")
        pact.expectsToReceive("an account opened event").withContents(.json(["accountId": "ACC001"]))
        struct CannotParse: Error, Equatable {}
        await #expect(throws: CannotParse()) {
            try await pact.verifyMessages(output: PactOutput(directory: folder)) { _ in throw CannotParse() }
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("BankingApp-AccountEvents.json").path))
    }

    @Test func generatorsRunBeforeTheHandlerSeesTheMessage() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pact = ConsumerPact(consumer: "BankingApp", provider: "AccountEvents")
        pact.expectsToReceive("an event with generated values")
            .withMetadata(["eventId": .randomUUID(example: "00000000-0000-0000-0000-000000000000")])
            .withContents(.json(["sequence": .randomInt(min: 1000, max: 2000, example: 7)]))
        let values = Seen()
        try await pact.verifyMessages(output: PactOutput(directory: folder)) { message in
            values.add(message.metadata["eventId"]?.stringValue ?? "")
            values.add("\(try message.json()["sequence"].map { "\($0)" } ?? "")")
        }
        let seen = values.all
        #expect(seen.count == 2)
        #expect(seen.first != "00000000-0000-0000-0000-000000000000" && seen.first?.count == 36)
        let sequence = try #require(Int(seen.last ?? ""))
        #expect((1000...2000).contains(sequence))
        // The pact keeps the examples; the generators are recorded beside them.
        let message = try #require(try Self.written(folder)["interactions"]?.arrayValue?.first)
        #expect(message["contents"]?["content"]?["sequence"] == 7)
        #expect(message["generators"]?["metadata"]?["eventId"]?["type"] == "Uuid")
    }

    @Test func synchronousMessagesHandTheRequestAndResponsesToTheHandler() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pact = ConsumerPact(consumer: "BankingApp", provider: "QuoteService")
        pact.synchronousMessage("a quote request")
            .given("rates are published")
            .withRequest(contents: .json(["amount": .integer(100)]), metadata: ["replyTo": "quotes"])
            .willRespondWith(MessagePayload(contents: .json(["quote": .decimal(1.5)])), MessagePayload(contents: .text("OK")))
        let seen = Seen()
        try await pact.verifySynchronousMessages(output: PactOutput(directory: folder)) { exchange in
            seen.add(exchange.request.text ?? "")
            seen.add(exchange.request.metadata["replyTo"]?.stringValue ?? "")
            for response in exchange.responses { seen.add("\(response.contentType ?? "") \(response.text ?? "")") }
        }
        #expect(seen.all == [#"{"amount":100}"#, "quotes", #"application/json {"quote":1.5}"#, "text/plain OK"])
        let interaction = try #require(try Self.written(folder, "BankingApp-QuoteService.json")["interactions"]?.arrayValue?.first)
        #expect(interaction["type"] == "Synchronous/Messages")
        #expect(interaction["request"]?["contents"]?["content"]?["amount"] == 100)
        #expect(interaction["response"]?.arrayValue?.count == 2)
    }

    @Test func declarationProblemsFailBeforeTheHandlerRuns() async throws {
        let pact = ConsumerPact(consumer: "BankingApp", provider: "AccountEvents", specification: .v2)
        pact.expectsToReceive("a message in a V2 pact")
            .withMetadata(["key": .regex("ACC\\d+", example: "nope")])
            .withContents(.json(["id": 1]))
        let seen = Seen()
        // Under Swift Testing the problems are recorded as an issue at the call, and a short error is thrown.
        var thrown = false
        try await withKnownIssue {
            do {
                try await pact.verifyMessages(output: PactOutput(directory: try Self.folder())) { message in seen.add(message.description) }
            } catch is PactTestFailure { thrown = true }
        } matching: { issue in
            issue.description.contains("messages need spec V3 or V4")
                && issue.description.contains("message metadata 'key': the example does not satisfy its own rules")
        }
        #expect(thrown)
        #expect(seen.all.isEmpty)
    }

    @Test func aMessageRedeclaredWithOtherContentIsReportedButNotAnHTTPInteractionOfTheSameName() {
        let pact = ConsumerPact(consumer: "BankingApp", provider: "AccountEvents")
        pact.expectsToReceive("an event").withContents(.json(["a": 1]))
        pact.expectsToReceive("an event").withContents(.json(["a": 1]))
        pact.uponReceiving("an event").withRequest(method: .get, path: "/events").willRespondWith(status: 200)
        #expect(pact.validationErrors().isEmpty, "the same message twice, and an HTTP interaction sharing its name, are fine")
        pact.expectsToReceive("an event").withContents(.json(["a": 2]))
        #expect(pact.validationErrors() == ["message 'an event': another message with the same description and provider states "
                                            + "was declared with different content; give each message its own description"])
    }

    @Test func synchronousMessagesNeedV4AndAResponse() throws {
        let pact = ConsumerPact(consumer: "BankingApp", provider: "QuoteService", specification: .v3)
        pact.synchronousMessage("a quote request").withRequest(contents: .json(["amount": 1])).willRespondWith([])
        let problems = pact.takePendingMessages().validationErrors
        #expect(problems.contains { $0.contains("need spec V4") })
        #expect(problems.contains { $0.contains("at least one response message") })
    }

    @Test func verifyingWithNoMessagesDeclaredIsAnError() async throws {
        let pact = ConsumerPact(consumer: "BankingApp", provider: "AccountEvents")
        var thrown = false
        try await withKnownIssue {
            do {
                try await pact.verifyMessages(output: PactOutput(directory: try Self.folder())) { _ in }
            } catch is PactTestFailure { thrown = true }
        } matching: { issue in
            issue.description.contains("no messages were declared")
        }
        #expect(thrown)
    }

    @Test func messagesMergeIntoAPactFileWithHTTPInteractions() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pact = ConsumerPact(consumer: "BankingApp", provider: "BankingAPI")
        pact.uponReceiving("a balance request").withRequest(method: .get, path: "/balance").willRespondWith(status: 200)
        try await pact.run(output: PactOutput(directory: folder)) { url in
            let client = HTTPClient()
            defer { client.shutdown() }
            let response = try await client.send(HTTPClientRequest(method: "GET", url: url.absoluteString + "/balance"))
            #expect(response.status == 200)
        }
        pact.expectsToReceive("a balance changed event").withContents(.json(["balance": .decimal(10.5)]))
        try await pact.verifyMessages(output: PactOutput(directory: folder)) { _ in }
        let interactions = try Self.written(folder, "BankingApp-BankingAPI.json")["interactions"]?.arrayValue ?? []
        let kinds = interactions.compactMap { interaction in interaction["description"]?.stringValue.map { "\($0): \(interaction["type"]?.stringValue ?? "")" } }
        #expect(kinds.sorted() == ["a balance changed event: Asynchronous/Messages", "a balance request: Synchronous/HTTP"])
    }
}

/// Values seen by a handler, in order.
final class Seen: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String] = []
    func add(_ value: String) { lock.withLock { values.append(value) } }
    var all: [String] { lock.withLock { values } }
}
