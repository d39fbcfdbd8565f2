import Foundation

/// The events BankingAPI publishes for other services, such as the app's activity feed: JSON messages on the topic
/// ``topic``. Their contract is `Contracts/messages/BankingApp-BankingEvents.json`, a message pact.
public enum BankingEvents {
    /// Where transaction events are published.
    public static let topic = "banking.transactions"

    /// A transaction was recorded on an account.
    public struct TransactionRecorded: Codable, Equatable, Sendable {
        public var accountId: String
        public var transactionId: String
        /// `deposit`, `withdrawal`, `transfer_in` or `transfer_out`.
        public var type: String
        public var amount: Decimal
        public var balanceAfter: Decimal
        public var timestamp: Date
        public var relatedAccount: String?
    }

    /// The event for a transaction of an account.
    public static func transactionRecorded(_ transaction: Bank.Transaction, accountId: String) -> TransactionRecorded {
        TransactionRecorded(accountId: accountId, transactionId: transaction.transactionId, type: transaction.type.rawValue,
                            amount: transaction.amount, balanceAfter: transaction.balanceAfter, timestamp: transaction.timestamp,
                            relatedAccount: transaction.relatedAccount)
    }

    /// The event as published: JSON with sorted keys and ISO 8601 times, as the HTTP API writes them.
    public static func encode(_ event: TransactionRecorded) throws -> Data {
        try BankingRoutes.encoder.encode(event)
    }
}

/// Publishes the events of BankingApp's message pact on request, for contract verification: each message
/// description names the operation that publishes that event, run on the bank the provider states prepared.
///
/// `banking-api --provider-states` serves it at `POST /_pact/messages` (`{"description": …}` in, the event out, with
/// its topic in `Pact-Message-Metadata`), for `pactctl verify --message-path /_pact/messages`; Swift tests call it in
/// process. Never in production.
public struct BankEventProducer: Sendable {
    /// The bank the operations run on.
    public let bank: Bank

    /// Creates a producer over a bank.
    public init(bank: Bank) {
        self.bank = bank
    }

    /// The message descriptions it produces.
    public static let known = ["a deposit recorded event", "a transfer out recorded event"]

    /// Runs the operation a message description names and returns the event it publishes.
    public func event(for description: String) async throws(BankError) -> BankingEvents.TransactionRecorded {
        switch description {
        case "a deposit recorded event":
            return BankingEvents.transactionRecorded(try await bank.deposit(1000, into: "ACC001"), accountId: "ACC001")
        case "a transfer out recorded event":
            _ = try await bank.transfer(200, from: "ACC001", to: "ACC002")
            guard let sent = try await bank.history("ACC001").last else { throw .invalidRequest("the transfer left no history") }
            return BankingEvents.transactionRecorded(sent, accountId: "ACC001")
        default:
            throw .unknownMessage(description)
        }
    }

    /// The metadata every event carries: its topic.
    public static let metadata: [String: String] = ["topic": BankingEvents.topic]
}
