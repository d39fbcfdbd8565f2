import PactConsumer
import PactMatching
import PactModel
import Testing

/// `PactBody.encodable`: the encoded document is the example, and matchers add rules at JSON paths.
@Suite("Encodable bodies")
struct EncodableBodyTests {
    struct Transaction: Encodable {
        var id: String
        var amount: Int
        var timestamp: String
    }

    struct Statement: Encodable {
        var accountId: String
        var balance: Double
        var transactions: [Transaction]
    }

    let statement = Statement(accountId: "ACC001", balance: 700.5, transactions: [
        Transaction(id: "TXN1", amount: 1000, timestamp: "2026-11-24T10:15:30Z"),
        Transaction(id: "TXN2", amount: -300, timestamp: "2026-11-25T08:00:00Z"),
    ])

    private func respond(with body: PactBody) throws -> (interaction: HTTPInteraction, errors: [String]) {
        try declareOne { pact in
            pact.uponReceiving("a statement").withRequest(method: .get, path: "/statement").willRespondWith(status: 200, body: body)
        }
    }

    @Test func encodedValueIsTheExampleAndMatchersAddRulesAtTheirPaths() throws {
        let body = try PactBody.encodable(statement, matchers: [
            "$.accountId": .regex("ACC\\d+"),
            "$.balance": .decimal(),
            "$.transactions": .eachLike(["id": .regex("TXN\\d+")]),
            "$.transactions[*].timestamp": .datetime(),
        ])
        let (interaction, errors) = try respond(with: body)
        #expect(errors.isEmpty)
        #expect(interaction.response.body.json == (try json(#"""
            {"accountId": "ACC001", "balance": 700.5, "transactions": [
              {"amount": 1000, "id": "TXN1", "timestamp": "2026-11-24T10:15:30Z"},
              {"amount": -300, "id": "TXN2", "timestamp": "2026-11-25T08:00:00Z"}]}
            """#)))
        #expect(interaction.response.matchingRules.body == (try category([
            ("$.accountId", [try regexRule("ACC\\d+")]),
            ("$.balance", [.decimal]),
            ("$.transactions", [.minType(1)]),
            ("$.transactions[*].id", [try regexRule("TXN\\d+")]),
            ("$.transactions[*].timestamp", [.timestamp(try pattern("yyyy-MM-dd'T'HH:mm:ssXXX"))]),
        ])))
        #expect(interaction.response.headers["Content-Type"] == ["application/json"])
    }

    @Test func encodedBodyMatchesARealisticResponse() throws {
        let body = try PactBody.encodable(statement, matchers: ["$.accountId": .regex("ACC\\d+"), "$.transactions": .eachLike(["id": .regex("TXN\\d+")])])
        let (interaction, _) = try respond(with: body)
        let actual = HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Body(json: try json(#"""
            {"accountId": "ACC042", "balance": 700.5, "transactions": [{"id": "TXN99", "amount": 1000, "timestamp": "2026-11-24T10:15:30Z"}]}
            """#)))
        #expect(RequestMatcher.compare(expected: interaction.response, actual: actual).isEmpty)
    }

    @Test func unknownPathThrowsAndNamesWhatExists() {
        #expect {
            _ = try PactBody.encodable(statement, matchers: ["$.acountId": .regex("ACC\\d+")])
        } throws: { error in
            guard let error = error as? PactConsumerError, case .unknownMatcherPath(let path, let type, let reason) = error else { return false }
            return path == "$.acountId" && type == "Statement" && reason.contains("has no key 'acountId'") && reason.contains("accountId, balance, transactions")
        }
    }

    @Test func pathPastTheEndOfAnArrayThrows() {
        #expect(throws: PactConsumerError.self) {
            _ = try PactBody.encodable(statement, matchers: ["$.transactions[5].id": .like("x")])
        }
        #expect(throws: PactConsumerError.self) {
            _ = try PactBody.encodable(statement, matchers: ["$.balance.value": .like("x")])
        }
    }

    @Test func invalidPathThrows() {
        #expect {
            _ = try PactBody.encodable(statement, matchers: ["$..[": .like("x")])
        } throws: { error in
            guard case .invalidMatcherPath(let path, _)? = error as? PactConsumerError else { return false }
            return path == "$..["
        }
        #expect(throws: PactConsumerError.self) {
            _ = try PactBody.encodable(statement, matchers: ["accountId": .like("x")])
        }
    }

    @Test func encodingFailureThrows() {
        struct Bad: Encodable {
            func encode(to encoder: any Encoder) throws {
                throw EncodingError.invalidValue(Double.nan, EncodingError.Context(codingPath: [], debugDescription: "not a number"))
            }
        }
        #expect {
            _ = try PactBody.encodable(Bad())
        } throws: { error in
            guard case .encodingFailed(let type, let reason)? = error as? PactConsumerError else { return false }
            return type == "Bad" && reason.contains("not a number")
        }
    }

    @Test func encodedValueThatBreaksItsMatcherIsAValidationError() throws {
        let body = try PactBody.encodable(statement, matchers: ["$.accountId": .regex("CUST\\d+")])
        let (_, errors) = try respond(with: body)
        #expect(errors == ["interaction 'a statement': response body $.accountId: the example does not satisfy its own rules: Expected 'ACC001' to match 'CUST\\d+'"])
    }
}
