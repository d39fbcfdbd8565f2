import Foundation
import PactHTTP

/// The banking app's API client: the consumer whose expectations `Contracts/BankingApp-BankingAPI.json` records.
///
/// ```swift
/// let bank = BankingClient(baseURL: URL(string: "http://localhost:8080")!)
/// let account = try await bank.openAccount(customerId: "CUST001")
/// try await bank.deposit(1000, into: account.accountId)
/// ```
public struct BankingClient: Sendable {
    /// An account as the app shows it.
    public struct Account: Decodable, Equatable, Sendable {
        public var accountId: String
        public var customerId: String?
        public var balance: Double
        public var currency: String
        public var status: String
        /// How far the account may go below zero; only the next version of the app reads it.
        public var overdraftLimit: Double?

        /// Creates an account value (the tests compare with it).
        public init(accountId: String, customerId: String?, balance: Double, currency: String, status: String, overdraftLimit: Double? = nil) {
            self.accountId = accountId
            self.customerId = customerId
            self.balance = balance
            self.currency = currency
            self.status = status
            self.overdraftLimit = overdraftLimit
        }
    }

    /// A deposit, withdrawal or history entry.
    public struct Transaction: Decodable, Equatable, Sendable {
        public var transactionId: String
        public var type: String
        public var amount: Double
        public var balance: Double?
        public var balanceAfter: Double?
        public var timestamp: String?
        public var relatedAccount: String?
    }

    /// A completed transfer.
    public struct Transfer: Decodable, Equatable, Sendable {
        public var transferId: String
        public var fromAccount: String
        public var toAccount: String
        public var amount: Double
        public var status: String
        public var balance: Double?
    }

    /// An account's transactions, oldest first.
    public struct History: Decodable, Sendable {
        public var accountId: String
        public var transactions: [Transaction]
    }

    /// What the app can tell the user went wrong.
    public enum BankingError: Error, Equatable, Sendable {
        /// The balance does not cover the amount.
        case insufficientFunds(currentBalance: Double, requestedAmount: Double)
        /// The service answered with another status than the call expects.
        case unexpectedStatus(Int, String)
        /// The answer was not what the app can read.
        case unreadableResponse(String)
        /// The service could not be reached.
        case unreachable(String)
    }

    private struct Problem: Decodable {
        var error: String
        var code: String
        var currentBalance: Double?
        var requestedAmount: Double?
    }

    /// The service's base URL.
    public let baseURL: URL
    private let http: HTTPClient

    /// Creates a client for the service at `baseURL`.
    public init(baseURL: URL, http: HTTPClient = HTTPClient()) {
        self.baseURL = baseURL
        self.http = http
    }

    /// Opens an account for a customer.
    public func openAccount(customerId: String) async throws(BankingError) -> Account {
        try await call("POST", "/api/accounts", body: ["customerId": customerId], expecting: 201)
    }

    /// Deposits money into an account.
    @discardableResult
    public func deposit(_ amount: Int, into accountId: String) async throws(BankingError) -> Transaction {
        try await call("POST", "/api/accounts/\(Self.segment(accountId))/deposit", body: ["amount": amount], expecting: 200)
    }

    /// Reads an account and its balance.
    public func account(_ accountId: String) async throws(BankingError) -> Account {
        try await call("GET", "/api/accounts/\(Self.segment(accountId))", body: nil, expecting: 200)
    }

    /// Withdraws money; throws ``BankingError/insufficientFunds(currentBalance:requestedAmount:)`` when refused.
    @discardableResult
    public func withdraw(_ amount: Int, from accountId: String) async throws(BankingError) -> Transaction {
        try await call("POST", "/api/accounts/\(Self.segment(accountId))/withdraw", body: ["amount": amount], expecting: 200)
    }

    /// Transfers money between two accounts.
    @discardableResult
    public func transfer(_ amount: Int, from: String, to: String) async throws(BankingError) -> Transfer {
        try await call("POST", "/api/transfers", body: ["fromAccount": from, "toAccount": to, "amount": amount], expecting: 200)
    }

    /// Reads an account's transaction history.
    public func history(_ accountId: String) async throws(BankingError) -> History {
        try await call("GET", "/api/accounts/\(Self.segment(accountId))/transactions", body: nil, expecting: 200)
    }

    private func call<Result: Decodable>(_ method: String, _ path: String, body: [String: any Sendable]?, expecting status: Int) async throws(BankingError) -> Result {
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        var bytes: [UInt8]?
        if let body {
            headers.append(("Content-Type", "application/json"))
            do {
                bytes = [UInt8](try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]))
            } catch {
                throw .unreadableResponse("the request body could not be encoded: \(error)")
            }
        }
        let base = baseURL.absoluteString.hasSuffix("/") ? String(baseURL.absoluteString.dropLast()) : baseURL.absoluteString
        let response: HTTPClientResponse
        do {
            response = try await http.send(HTTPClientRequest(method: method, url: base + path, headers: headers, body: bytes))
        } catch {
            throw .unreachable("\(error)")
        }
        if response.status == 400, let problem = try? JSONDecoder().decode(Problem.self, from: Data(response.body)), problem.code == "INSUFFICIENT_FUNDS" {
            throw .insufficientFunds(currentBalance: problem.currentBalance ?? 0, requestedAmount: problem.requestedAmount ?? 0)
        }
        guard response.status == status else { throw .unexpectedStatus(response.status, response.bodyText ?? "") }
        do {
            return try JSONDecoder().decode(Result.self, from: Data(response.body))
        } catch {
            throw .unreadableResponse("\(method) \(path): \(error)")
        }
    }

    private static func segment(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
    }
}
