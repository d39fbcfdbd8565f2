import Foundation
import PactHTTP

/// The banking app's API client: the consumer whose expectations the BankingApp-BankingAPI pact records.
struct BankingClient: Sendable {
    struct Account: Decodable, Equatable, Sendable {
        var accountId: String
        var customerId: String?
        var balance: Double
        var currency: String
        var status: String
    }

    struct Transaction: Decodable, Equatable, Sendable {
        var transactionId: String
        var type: String
        var amount: Double
        var balance: Double?
        var balanceAfter: Double?
        var timestamp: String?
        var relatedAccount: String?
    }

    struct Transfer: Decodable, Equatable, Sendable {
        var transferId: String
        var fromAccount: String
        var toAccount: String
        var amount: Double
        var status: String
        var balance: Double?
    }

    struct History: Decodable, Sendable {
        var accountId: String
        var transactions: [Transaction]
    }

    enum BankingError: Error, Equatable {
        case insufficientFunds(currentBalance: Double, requestedAmount: Double)
        case unexpectedStatus(Int, String)
    }

    private struct Problem: Decodable {
        var error: String
        var code: String
        var currentBalance: Double?
        var requestedAmount: Double?
    }

    let baseURL: URL
    let http = HTTPClient()

    func openAccount(customerId: String) async throws -> Account {
        try await call("POST", "/api/accounts", body: ["customerId": customerId], expecting: 201)
    }

    func deposit(_ amount: Int, into accountId: String) async throws -> Transaction {
        try await call("POST", "/api/accounts/\(accountId)/deposit", body: ["amount": amount], expecting: 200)
    }

    func account(_ accountId: String) async throws -> Account {
        try await call("GET", "/api/accounts/\(accountId)", body: nil, expecting: 200)
    }

    func withdraw(_ amount: Int, from accountId: String) async throws -> Transaction {
        try await call("POST", "/api/accounts/\(accountId)/withdraw", body: ["amount": amount], expecting: 200)
    }

    func transfer(_ amount: Int, from: String, to: String) async throws -> Transfer {
        try await call("POST", "/api/transfers", body: ["fromAccount": from, "toAccount": to, "amount": amount], expecting: 200)
    }

    func history(_ accountId: String) async throws -> History {
        try await call("GET", "/api/accounts/\(accountId)/transactions", body: nil, expecting: 200)
    }

    private func call<Result: Decodable>(_ method: String, _ path: String, body: [String: any Sendable]?, expecting status: Int) async throws -> Result {
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        var bytes: [UInt8]?
        if let body {
            headers.append(("Content-Type", "application/json"))
            bytes = [UInt8](try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]))
        }
        let response = try await http.send(HTTPClientRequest(method: method, url: baseURL.absoluteString + path, headers: headers, body: bytes))
        if response.status == 400, let problem = try? JSONDecoder().decode(Problem.self, from: Data(response.body)), problem.code == "INSUFFICIENT_FUNDS" {
            throw BankingError.insufficientFunds(currentBalance: problem.currentBalance ?? 0, requestedAmount: problem.requestedAmount ?? 0)
        }
        guard response.status == status else { throw BankingError.unexpectedStatus(response.status, response.bodyText ?? "") }
        return try JSONDecoder().decode(Result.self, from: Data(response.body))
    }
}
