import Foundation

/// The app's activity feed: it turns BankingAPI's transaction events into lines the user reads.
///
/// ```swift
/// let line = try ActivityFeed().line(for: eventBytes)   // "Deposit of 1000.00 into ACC001. Balance 1000.00."
/// ```
public struct ActivityFeed: Sendable {
    /// A transaction event as the app reads it.
    public struct TransactionRecorded: Decodable, Equatable, Sendable {
        public var accountId: String
        public var transactionId: String
        public var type: String
        public var amount: Double
        public var balanceAfter: Double
        public var timestamp: String
        public var relatedAccount: String?
    }

    /// Why an event cannot be shown.
    public enum FeedError: Error, Equatable, Sendable {
        /// The event is not a transaction event the app can read.
        case unreadable(String)
        /// The transaction type is one the app does not know.
        case unknownType(String)
    }

    /// Creates a feed.
    public init() {}

    /// Reads an event.
    public func event(from data: Data) throws(FeedError) -> TransactionRecorded {
        do { return try JSONDecoder().decode(TransactionRecorded.self, from: data) } catch {
            throw .unreadable("\(error)")
        }
    }

    /// The feed line for an event, such as `Deposit of 1000.00 into ACC001. Balance 1000.00.`
    public func line(for data: Data) throws(FeedError) -> String {
        let event = try event(from: data)
        let amount = Self.money(event.amount), balance = Self.money(event.balanceAfter)
        let what: String
        switch event.type {
        case "deposit": what = "Deposit of \(amount) into \(event.accountId)"
        case "withdrawal": what = "Withdrawal of \(amount) from \(event.accountId)"
        case "transfer_in": what = "Transfer of \(amount) into \(event.accountId)\(event.relatedAccount.map { " from \($0)" } ?? "")"
        case "transfer_out": what = "Transfer of \(amount) from \(event.accountId)\(event.relatedAccount.map { " to \($0)" } ?? "")"
        default: throw .unknownType(event.type)
        }
        return "\(what). Balance \(balance)."
    }

    private static func money(_ value: Double) -> String {
        String(format: "%.2f", value)
    }
}
