import PactConsumer
import PactMatching
import PactModel
import Testing

/// A realistic banking consumer: every interaction compiles without problems, is written and read back, and its
/// requests accept what a real client sends.
@Suite("Banking consumer")
struct BankingPactTests {
    private let accountPath = "/api/accounts/ACC\\d{3,}"

    private func declareBanking(in pact: ConsumerPact) {
        let json: PactValue = "application/json"
        pact.uponReceiving("a request to open an account")
            .given("customer CUST001 exists", ["customerId": "CUST001"])
            .withRequest(method: .post, path: "/api/accounts", headers: ["Accept": json], body: .json(["customerId": .regex("CUST\\d+", example: "CUST001"), "currency": "USD"]))
            .willRespondWith(status: 201, headers: ["Location": .regex(".*/api/accounts/ACC\\d{3,}", example: "/api/accounts/ACC001")], body: .json([
                "accountId": .regex("ACC\\d{3,}", example: "ACC001"), "customerId": "CUST001", "balance": .number(0), "currency": "USD",
                "status": .regex("active|pending", example: "active"), "openedAt": .datetime(example: "2026-11-24T10:15:30Z"),
            ]))
        pact.uponReceiving("a deposit of 1000")
            .given("account ACC001 exists with balance 0", ["accountId": "ACC001", "balance": 0])
            .withRequest(method: .post, path: .regex(accountPath + "/deposits", example: "/api/accounts/ACC001/deposits"),
                         headers: ["Idempotency-Key": .uuid()], body: .json(["amount": .number(1000), "reference": .like("salary")]))
            .willRespondWith(status: 201, body: .json([
                "transactionId": .regex("TXN\\d+", example: "TXN0001"), "type": "deposit", "amount": .number(1000), "balance": .number(1000),
            ]))
        pact.uponReceiving("a request for the balance")
            .given("account ACC001 exists with balance 1000", ["accountId": "ACC001", "balance": 1000])
            .withRequest(method: .get, path: .fromProviderState("/api/accounts/${accountId}", example: "/api/accounts/ACC001"), headers: ["Accept": json])
            .willRespondWith(status: 200, body: .json([
                "accountId": .fromProviderState("${accountId}", example: "ACC001"), "balance": .number(1000), "currency": .regex("[A-Z]{3}", example: "USD"),
                "status": "active", "asOf": .generatedDateTime(format: "yyyy-MM-dd'T'HH:mm:ssXXX"),
            ]))
        pact.uponReceiving("a withdrawal of 300")
            .given("account ACC001 exists with balance 1000", ["accountId": "ACC001", "balance": 1000])
            .withRequest(method: .post, path: .regex(accountPath + "/withdrawals", example: "/api/accounts/ACC001/withdrawals"), body: .json(["amount": .number(300)]))
            .willRespondWith(status: .success(example: 201), body: .json([
                "transactionId": .regex("TXN\\d+", example: "TXN0002"), "type": "withdrawal", "amount": .number(300), "balance": .number(700),
            ]))
        pact.uponReceiving("a withdrawal that overdraws the account")
            .given("account ACC001 exists with balance 700", ["accountId": "ACC001", "balance": 700])
            .withRequest(method: .post, path: .regex(accountPath + "/withdrawals", example: "/api/accounts/ACC001/withdrawals"), body: .json(["amount": .number(1000)]))
            .willRespondWith(status: 400, body: .json([
                "error": .includes("Insufficient funds"), "code": "INSUFFICIENT_FUNDS", "currentBalance": .number(700), "requestedAmount": .number(1000),
            ]))
        pact.uponReceiving("a transfer of 200 to ACC002")
            .given("accounts ACC001 and ACC002 exist", ["from": "ACC001", "to": "ACC002"])
            .withRequest(method: .post, path: "/api/transfers", headers: ["Authorization": .regex("Bearer \\S+", example: "Bearer token")],
                         body: .json(["from": .regex("ACC\\d{3,}", example: "ACC001"), "to": .regex("ACC\\d{3,}", example: "ACC002"), "amount": .number(200)]))
            .willRespondWith(status: 201, body: .json([
                "transferId": .randomUUID(), "status": .regex("completed|pending", example: "completed"),
                "debit": ["transactionId": .regex("TXN\\d+", example: "TXN0003"), "type": "transfer_out"],
                "credit": ["transactionId": .regex("TXN\\d+", example: "TXN0004"), "type": "transfer_in"],
            ]))
        pact.uponReceiving("a request for the transaction history")
            .given("account ACC001 has transactions")
            .withRequest(method: .get, path: "/api/accounts/ACC001/transactions", query: ["limit": .integer(10), "since": .date(example: "2026-11-01")])
            .willRespondWith(status: 200, body: .json([
                "accountId": "ACC001",
                "transactions": .eachLike([
                    "transactionId": .regex("TXN\\d+", example: "TXN0001"),
                    "type": .regex("deposit|withdrawal|transfer_in|transfer_out", example: "deposit"),
                    "amount": .number(1000), "balanceAfter": .number(1000),
                    "timestamp": .datetime("yyyy-MM-dd'T'HH:mm:ssXXX", example: "2026-11-24T10:15:30Z"),
                ], min: 1),
            ]))
    }

    @Test func bankingInteractionsCompileWithoutErrors() throws {
        let pact = ConsumerPact(consumer: "BankingApp", provider: "BankingAPI")
        declareBanking(in: pact)
        let pending = pact.takePending()
        #expect(pending.validationErrors == [])
        #expect(pending.interactions.count == 7)
        #expect(throws: Never.self) { try pact.validate() }
        let overdraw = try #require(pending.interactions.first { $0.description == "a withdrawal that overdraws the account" })
        #expect(overdraw.response.status == 400)
        #expect(overdraw.response.body.json?["code"] == "INSUFFICIENT_FUNDS")
        let history = try #require(pending.interactions.last)
        #expect(history.response.matchingRules.body == (try category([
            ("$.transactions", [.minType(1)]),
            ("$.transactions[*].transactionId", [try regexRule("TXN\\d+")]),
            ("$.transactions[*].type", [try regexRule("deposit|withdrawal|transfer_in|transfer_out")]),
            ("$.transactions[*].amount", [.number]),
            ("$.transactions[*].balanceAfter", [.number]),
            ("$.transactions[*].timestamp", [.timestamp(try pattern("yyyy-MM-dd'T'HH:mm:ssXXX"))]),
        ])))
    }

    @Test func bankingPactRoundTripsAsV4() throws {
        let consumerPact = ConsumerPact(consumer: "BankingApp", provider: "BankingAPI")
        declareBanking(in: consumerPact)
        let pact = consumerPact.pact(with: consumerPact.takePendingInteractions())
        let (bytes, _) = try PactWriter(tool: (name: "pactctl", version: "0.1.0")).bytes(for: pact, as: .v4)
        let loaded = try PactReader().read(bytes, source: "BankingApp-BankingAPI.json")
        #expect(loaded.pact.interactions == pact.interactions)
    }

    @Test func realClientRequestsMatchTheirInteractions() throws {
        let pact = ConsumerPact(consumer: "BankingApp", provider: "BankingAPI")
        declareBanking(in: pact)
        let interactions = pact.takePendingInteractions()
        let json: HTTPHeaders = ["Content-Type": "application/json; charset=utf-8", "Accept": "application/json"]
        let deposit = HTTPRequest(method: "POST", path: "/api/accounts/ACC4242/deposits",
                                  headers: ["Content-Type": "application/json", "Idempotency-Key": "9b2f6c1e-0d4a-4b8e-a1c3-5f6e7d8c9b0a"],
                                  body: Body(json: ["amount": 25.5, "reference": "gift"]))
        let history = HTTPRequest(method: "GET", path: "/api/accounts/ACC001/transactions", query: QueryParameters(parsing: "limit=50&since=2025-01-31"))
        let open = HTTPRequest(method: "POST", path: "/api/accounts", headers: json, body: Body(json: ["customerId": "CUST777", "currency": "USD"]))
        for (description, request) in [("a deposit of 1000", deposit), ("a request for the transaction history", history), ("a request to open an account", open)] {
            let interaction = try #require(interactions.first { $0.description == description })
            #expect(RequestMatcher.compare(expected: interaction.request, actual: request) == [], "\(description)")
        }
        let badDeposit = HTTPRequest(method: "POST", path: "/api/accounts/ACC4242/deposits",
                                     headers: ["Content-Type": "application/json", "Idempotency-Key": "not-a-uuid"], body: Body(json: ["amount": "25.5", "reference": "gift"]))
        let depositInteraction = try #require(interactions.first { $0.description == "a deposit of 1000" })
        #expect(Set(RequestMatcher.compare(expected: depositInteraction.request, actual: badDeposit).map(\.path)) == ["Idempotency-Key", "$.amount"])
    }

    @Test func providerResponsesAreCheckedAgainstTheRules() throws {
        let pact = ConsumerPact(consumer: "BankingApp", provider: "BankingAPI")
        declareBanking(in: pact)
        let history = try #require(pact.takePendingInteractions().last)
        let good = HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Body(json: try json(#"""
            {"accountId": "ACC001", "transactions": [
              {"transactionId": "TXN9", "type": "withdrawal", "amount": 12.5, "balanceAfter": 987.5, "timestamp": "2026-11-25T08:00:00+01:00", "memo": "extra keys are fine"},
              {"transactionId": "TXN10", "type": "transfer_in", "amount": 5, "balanceAfter": 992.5, "timestamp": "2026-11-25T09:00:00Z"}]}
            """#)))
        #expect(RequestMatcher.compare(expected: history.response, actual: good) == [])
        let bad = HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Body(json: try json(#"""
            {"accountId": "ACC001", "transactions": [{"transactionId": "T9", "type": "refund", "amount": 1, "balanceAfter": 1, "timestamp": "yesterday"}]}
            """#)))
        #expect(Set(RequestMatcher.compare(expected: history.response, actual: bad).map(\.path)) == [
            "$.transactions[0].transactionId", "$.transactions[0].type", "$.transactions[0].timestamp",
        ])
    }
}
