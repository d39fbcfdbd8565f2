import BankingAPI
import Foundation
import PactModel
import PactVerifier
import Testing

/// BankingAPI as the producer of the transaction events in `Contracts/messages/BankingApp-BankingEvents.json`: each message
/// is made by a real operation on a bank set up by the contract's provider states.
@Suite struct BankingEventsContractTests {
    static let contract = BankingContractTests.contract.replacingOccurrences(of: "BankingApp-BankingAPI.json", with: "messages/BankingApp-BankingEvents.json")

    /// Verifier options whose states prepare `bank` and whose message handlers run the operation each event reports.
    static func options(bank: Bank, topic: String = BankingEvents.topic) -> VerifierOptions {
        let states = BankProviderStates(bank: bank)
        var options = VerifierOptions(providerBaseURL: "http://127.0.0.1:1")
        options.stateChange = .handlers(StateHandlers(fallback: { name, action, params in
            _ = try await states.apply(name, action: action.rawValue, params: params.reduce(into: [:]) { $0[$1.key] = $1.value.plainText })
            return nil
        }))
        let producer = BankEventProducer(bank: bank)
        options.messages = .handlers(MessageHandlers(fallback: { request in
            let event = try await producer.event(for: request.description)
            return ProducedMessage(contents: [UInt8](try BankingEvents.encode(event)), contentType: "application/json", metadata: ["topic": .string(topic)])
        }))
        return options
    }

    @Test func everyEventIsWhatTheAppExpects() async throws {
        let report = try await Verifier(options: Self.options(bank: Bank())).verify([.file(Self.contract)])
        #expect(report.results.count == 2)
        #expect(report.isSuccess, "\(report)")
    }

    @Test func everyEventPassesOverHTTPAsPactctlVerifyAsksForIt() async throws {
        // What `pactctl verify --provider-url … --state-change-url …/_pact/provider-states --message-path /_pact/messages` does.
        let server = try await BankingServer.start(providerStates: true)
        defer { Task { await server.stop() } }
        var options = VerifierOptions(providerBaseURL: server.url.absoluteString, stateChange: .url(server.url.absoluteString + "/_pact/provider-states"))
        options.messages = .http(path: "/_pact/messages")
        let report = try await Verifier(options: options).verify([.file(Self.contract)])
        #expect(report.passedCount == 2, "\(report)")
    }

    @Test func anEventOnAnotherTopicFails() async throws {
        // Publishing on another topic breaks the app's subscription, so the contract catches it.
        let report = try await Verifier(options: Self.options(bank: Bank(), topic: "banking.events")).verify([.file(Self.contract)])
        #expect(!report.isSuccess)
        #expect(report.results.allSatisfy { $0.failureCategories == ["Metadata had differences"] }, "\(report.results.map(\.errorSummary))")
    }
}
