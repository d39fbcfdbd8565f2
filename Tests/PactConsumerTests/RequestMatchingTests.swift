import PactConsumer
import PactMatching
import PactModel
import Testing

/// The compiled request accepts realistic requests whose values differ from the examples but satisfy the rules,
/// and rejects requests that break a rule.
@Suite("Compiled requests against real requests")
struct RequestMatchingTests {
    private func compiledTransfer() throws -> HTTPRequest {
        let (interaction, errors) = try declareOne { pact in
            pact.uponReceiving("a transfer")
                .withRequest(
                    method: .post,
                    path: .regex("/api/accounts/ACC\\d+/transfers", example: "/api/accounts/ACC001/transfers"),
                    query: ["dryRun": .bool(false), "priority": .integer(1)],
                    headers: ["Authorization": .regex("Bearer [A-Za-z0-9]+", example: "Bearer abc"), "X-Request-Id": .uuid()],
                    body: .json([
                        "to": .regex("ACC\\d+", example: "ACC002"),
                        "amount": .decimal(250.75),
                        "currency": "USD",
                        "reference": .like("rent"),
                        "scheduledFor": .date(example: "2026-12-01"),
                        "tags": .eachLike(.regex("[a-z]+", example: "home"), min: 1, max: 3),
                        "splits": .eachLike(["account": .regex("ACC\\d+", example: "ACC003"), "share": .integer(50)]),
                        "metadata": .values(["channel": .like("web")]),
                    ]))
                .willRespondWith(status: 201)
        }
        #expect(errors.isEmpty)
        return interaction.request
    }

    private func actual(path: String = "/api/accounts/ACC987/transfers", query: String = "dryRun=true&priority=3",
                        headers: HTTPHeaders = ["Authorization": "Bearer XyZ42", "X-Request-Id": "0F3A1B2C-1111-4222-8333-444455556666",
                                                "Content-Type": "application/json; charset=utf-8"],
                        body: String = #"""
                        {"to": "ACC12345", "amount": 99.5, "currency": "USD", "reference": "school fees", "scheduledFor": "2027-02-28",
                         "tags": ["school", "kids"], "splits": [{"account": "ACC7", "share": 30}, {"account": "ACC8", "share": 70}],
                         "metadata": {"channel": "mobile", "device": "ios"}}
                        """#) throws -> HTTPRequest {
        HTTPRequest(method: "post", path: path, query: QueryParameters(parsing: query), headers: headers,
                    body: Body(bytes: Array(body.utf8), contentType: .json))
    }

    @Test func realisticRequestWithOtherValuesMatches() throws {
        let expected = try compiledTransfer()
        #expect(RequestMatcher.compare(expected: expected, actual: try actual()) == [])
        #expect(RequestMatcher.matches(expected: expected, actual: try actual()))
    }

    @Test func exampleRequestItselfMatches() throws {
        let expected = try compiledTransfer()
        #expect(RequestMatcher.compare(expected: expected, actual: expected) == [])
    }

    @Test func pathBreakingTheRegexFails() throws {
        let mismatches = RequestMatcher.compare(expected: try compiledTransfer(), actual: try actual(path: "/api/accounts/CUST1/transfers"))
        #expect(mismatches.map(\.kind) == [.path])
    }

    @Test func queryBreakingTheIntegerRuleFails() throws {
        let mismatches = RequestMatcher.compare(expected: try compiledTransfer(), actual: try actual(query: "dryRun=true&priority=high"))
        #expect(mismatches.map(\.kind) == [.query])
        #expect(mismatches.map(\.path) == ["priority"])
    }

    @Test func headerBreakingTheRegexFails() throws {
        let mismatches = RequestMatcher.compare(expected: try compiledTransfer(), actual: try actual(headers: [
            "Authorization": "Basic abc", "X-Request-Id": "0F3A1B2C-1111-4222-8333-444455556666", "Content-Type": "application/json",
        ]))
        #expect(mismatches.map(\.kind) == [.header])
        #expect(mismatches.map(\.path) == ["Authorization"])
    }

    @Test func bodyBreakingRulesReportsEachPath() throws {
        let body = #"""
            {"to": "ACC12345", "amount": 100, "currency": "EUR", "reference": 7, "scheduledFor": "2027-02-30",
             "tags": ["School"], "splits": [{"account": "X", "share": 1.5}], "metadata": {"channel": 1}}
            """#
        let mismatches = RequestMatcher.compare(expected: try compiledTransfer(), actual: try actual(body: body))
        #expect(Set(mismatches.map(\.path)) == [
            "$.amount", "$.currency", "$.reference", "$.scheduledFor", "$.tags[0]", "$.splits[0].account", "$.splits[0].share", "$.metadata.channel",
        ])
        #expect(mismatches.allSatisfy { $0.kind == .body })
    }

    @Test func arrayBoundsOfEachLikeAreEnforced() throws {
        let tooMany = #"""
            {"to": "ACC1", "amount": 1.5, "currency": "USD", "reference": "r", "scheduledFor": "2027-01-01",
             "tags": ["a", "b", "c", "d"], "splits": [], "metadata": {}}
            """#
        let mismatches = RequestMatcher.compare(expected: try compiledTransfer(), actual: try actual(body: tooMany))
        #expect(Set(mismatches.map(\.path)) == ["$.tags", "$.splits"])
    }

    @Test func unexpectedKeyInRequestBodyFails() throws {
        let extra = #"""
            {"to": "ACC1", "amount": 1.5, "currency": "USD", "reference": "r", "scheduledFor": "2027-01-01",
             "tags": ["a"], "splits": [{"account": "ACC1", "share": 1}], "metadata": {}, "admin": true}
            """#
        let mismatches = RequestMatcher.compare(expected: try compiledTransfer(), actual: try actual(body: extra))
        #expect(mismatches.map(\.path) == ["$"])
    }

    @Test func missingContentTypeHeaderFails() throws {
        let mismatches = RequestMatcher.compare(expected: try compiledTransfer(), actual: try actual(headers: [
            "Authorization": "Bearer XyZ42", "X-Request-Id": "0F3A1B2C-1111-4222-8333-444455556666",
        ]))
        #expect(mismatches.map(\.path) == ["Content-Type"])
    }
}
