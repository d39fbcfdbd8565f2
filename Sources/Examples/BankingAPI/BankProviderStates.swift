import Foundation

/// Sets the bank up for the provider states that BankingApp's contract names.
///
/// The same handlers serve `POST /_pact/provider-states` (for `pactctl verify --state-change-url`) and in-process
/// verification from Swift. Each set-up replaces what it names, so the interactions can run in any order; an
/// unknown state is an error, so a consumer cannot rely on a state the provider never implemented.
public struct BankProviderStates: Sendable {
    /// The bank to prepare.
    public let bank: Bank

    /// Creates the handlers for a bank.
    public init(bank: Bank) {
        self.bank = bank
    }

    /// The state names handled, as patterns for the README and error messages.
    public static let known = [
        "customer {customerId} exists",
        "account {accountId} exists",
        "account {accountId} exists with balance {balance}",
        "account {accountId} has a deposit, a withdrawal and a transfer",
    ]

    /// Sets up (or, for `teardown`, forgets) one state; returns values for `ProviderState` generators.
    @discardableResult
    public func apply(_ state: String, action: String = "setup", params: [String: String]) async throws(BankError) -> [String: String] {
        switch action {
        case "setup": break
        case "teardown":
            await bank.reset()
            return [:]
        default: throw .invalidRequest("the action must be 'setup' or 'teardown', not '\(action)'")
        }
        let words = state.split(separator: " ").map(String.init)
        switch words {
        case let w where w.count == 3 && w[0] == "customer" && w[2] == "exists":
            // Any customer may open an account; the state needs no data.
            return ["customerId": params["customerId"] ?? w[1]]
        case let w where w.count == 3 && w[0] == "account" && w[2] == "exists":
            let id = params["accountId"] ?? w[1]
            if await !bank.hasAccount(id) { try await bank.setAccount(id, balance: 0) }
            return ["accountId": id]
        case let w where w.count == 6 && w[0] == "account" && w[2...4] == ["exists", "with", "balance"]:
            let id = params["accountId"] ?? w[1]
            let text = params["balance"] ?? w[5]
            guard let balance = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
                throw .invalidRequest("the balance '\(text)' of state '\(state)' is not a number")
            }
            try await bank.setAccount(id, balance: balance)
            return ["accountId": id, "balance": "\(balance)"]
        case let w where w.count == 10 && w[0] == "account" && state.hasSuffix(" has a deposit, a withdrawal and a transfer"):
            let id = params["accountId"] ?? w[1]
            let counterpart = id == "ACC002" ? "ACC003" : "ACC002"
            try await bank.setAccount(id, balance: 0)
            if await !bank.hasAccount(counterpart) { try await bank.setAccount(counterpart, balance: 0) }
            _ = try await bank.deposit(1000, into: id)
            _ = try await bank.withdraw(300, from: id)
            _ = try await bank.transfer(200, from: id, to: counterpart)
            return ["accountId": id]
        default:
            throw .unknownProviderState(state)
        }
    }
}
