import BankingClient
import Foundation
import PactConsumer
import PactMockServer
import PactModel
import Testing

/// The app's activity feed as a consumer of BankingAPI's transaction events. These tests write the message pact
/// `Contracts/messages/BankingApp-BankingEvents.json`, which is checked in and regenerated identically. It sits in a
/// folder of its own so that `pactctl publish Contracts` in the tour publishes the HTTP contract only; BankingAPI's
/// Swift tests verify the events.
@Suite("BankingApp consumer of BankingAPI's events")
struct BankingEventsConsumerTests {
    static func pact() -> ConsumerPact {
        ConsumerPact(consumer: "BankingApp", provider: "BankingEvents")
    }

    /// `messages/` in the pact folder (`Contracts/`, or `PACT_OUTPUT_DIR`).
    static let output = PactOutput(directory: PactFileWriter.defaultDirectory().appendingPathComponent("messages"))

    /// A transaction event: ids by pattern, the time by format, amounts by type, the transaction type fixed.
    static func event(_ type: String, account: String, amount: Int, balanceAfter: Int, related: String? = nil) -> PactValue {
        var fields: [(key: String, value: PactValue)] = [
            ("accountId", .regex("ACC\\d{3,}", example: account)),
            ("transactionId", .regex("TXN\\d+", example: "TXN0001")),
            ("type", .string(type)),
            ("amount", .number(amount)),
            ("balanceAfter", .number(balanceAfter)),
            ("timestamp", .datetime("yyyy-MM-dd'T'HH:mm:ssXXX", example: "2026-01-15T10:30:00Z")),
        ]
        if let related { fields.append(("relatedAccount", .regex("ACC\\d{3,}", example: related))) }
        return .object(fields)
    }

    @Test func showsADeposit() async throws {
        let pact = Self.pact()
        pact.expectsToReceive("a deposit recorded event")
            .given("account ACC001 exists with balance 0", ["accountId": "ACC001", "balance": 0])
            .withMetadata(["topic": "banking.transactions"])
            .withContents(.json(Self.event("deposit", account: "ACC001", amount: 1000, balanceAfter: 1000)))
        try await pact.verifyMessages(output: Self.output) { message in
            #expect(message.metadata["topic"] == "banking.transactions")
            let line = try ActivityFeed().line(for: Data(message.contents))
            #expect(line == "Deposit of 1000.00 into ACC001. Balance 1000.00.")
        }
    }

    @Test func showsAnOutgoingTransfer() async throws {
        let pact = Self.pact()
        pact.expectsToReceive("a transfer out recorded event")
            .given("account ACC001 exists with balance 700", ["accountId": "ACC001", "balance": 700])
            .given("account ACC002 exists", ["accountId": "ACC002"])
            .withMetadata(["topic": "banking.transactions"])
            .withContents(.json(Self.event("transfer_out", account: "ACC001", amount: 200, balanceAfter: 500, related: "ACC002")))
        try await pact.verifyMessages(output: Self.output) { message in
            let line = try ActivityFeed().line(for: Data(message.contents))
            #expect(line == "Transfer of 200.00 from ACC001 to ACC002. Balance 500.00.")
        }
    }

    @Test func anEventOfAnUnknownTypeIsRefused() throws {
        let event = Data(#"{"accountId": "ACC001", "transactionId": "TXN1", "type": "interest", "amount": 1, "balanceAfter": 1, "timestamp": "x"}"#.utf8)
        #expect(throws: ActivityFeed.FeedError.unknownType("interest")) { try ActivityFeed().line(for: event) }
        #expect(throws: ActivityFeed.FeedError.self) { try ActivityFeed().line(for: Data("not json".utf8)) }
    }
}
