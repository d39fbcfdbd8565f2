import PactConsumer
import PactMatching
import PactModel
import Testing

/// eachLike, arrayContaining, values, eachKey and eachValue: where their rules go and what their examples look like.
@Suite("Collection matchers")
struct CollectionMatcherTests {
    @Test func eachLikeWritesMinTypeAtTheArrayAndItemRulesUnderStar() throws {
        let body = try compileResponseBody(["items": .eachLike(["id": .integer(7), "name": "pen"])])
        #expect(body.example == ["items": [["id": 7, "name": "pen"]]])
        #expect(body.rules == (try category([("$.items", [.minType(1)]), ("$.items[*].id", [.integer])])))
        #expect(body.errors.isEmpty)
    }

    @Test func eachLikeRepeatsTheItemToItsMinimumAndWritesBothBounds() throws {
        let body = try compileResponseBody(["items": .eachLike("x", min: 2, max: 5)])
        #expect(body.example == ["items": ["x", "x"]])
        #expect(body.rules == (try category([("$.items", [.minMaxType(min: 2, max: 5)])])))
    }

    @Test func eachLikeWithOnlyAMaximumKeepsTheDefaultMinimum() throws {
        let body = try compileResponseBody(["items": .eachLike("x", max: 3)])
        #expect(body.rules == (try category([("$.items", [.minMaxType(min: 1, max: 3)])])))
    }

    @Test func eachLikeWithMinimumZeroStillHasOneExampleItem() throws {
        let body = try compileResponseBody(["items": .eachLike("x", min: 0)])
        #expect(body.example == ["items": ["x"]])
        #expect(body.rules == (try category([("$.items", [.minType(0)])])))
        #expect(body.errors.isEmpty)
    }

    @Test func nestedEachLikeWritesRulesUnderBothWildcards() throws {
        let body = try compileResponseBody([
            "orders": .eachLike(["id": .uuid(), "lines": .eachLike(["sku": .regex("[A-Z]{3}\\d{2}", example: "ABC12"), "qty": .integer(1)], min: 2)]),
        ])
        let line: JSONValue = ["sku": "ABC12", "qty": 1]
        #expect(body.example == ["orders": [["id": "e2490de5-5bd3-43d5-b7c4-526e33f71304", "lines": [line, line]]]])
        #expect(body.rules == (try category([
            ("$.orders", [.minType(1)]),
            ("$.orders[*].id", [try regexRule("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]),
            ("$.orders[*].lines", [.minType(2)]),
            ("$.orders[*].lines[*].sku", [try regexRule("[A-Z]{3}\\d{2}")]),
            ("$.orders[*].lines[*].qty", [.integer]),
        ])))
        #expect(body.errors.isEmpty)
    }

    @Test func eachLikeAtTheRootUsesRootWildcard() throws {
        let body = try compileResponseBody(.eachLike(["id": .integer(1)]))
        #expect(body.rules == (try category([("$", [.minType(1)]), ("$[*].id", [.integer])])))
    }

    @Test func arrayContainingCompilesEachVariantFromItsOwnRoot() throws {
        let body = try compileResponseBody([
            "transactions": .arrayContaining([
                ["type": "deposit", "amount": .integer(100)],
                ["type": .regex("withdrawal|fee", example: "fee"), "at": .randomInt(min: 1, max: 9)],
            ]),
        ])
        #expect(body.example == ["transactions": [["type": "deposit", "amount": 100], ["type": "fee", "at": 9]]])
        let variants = [
            ArrayContainsVariant(index: 0, rules: try category([("$.amount", [.integer])])),
            ArrayContainsVariant(index: 1, rules: try category([("$.type", [try regexRule("withdrawal|fee")]), ("$.at", [.integer])]),
                                 generators: [try PathExpression(parsing: "$.at"): .randomInt(min: 1, max: 9)]),
        ]
        #expect(body.rules == (try category([("$.transactions", [.arrayContains(variants)])])))
        guard case .arrayContains(let written)? = body.rules[try PathExpression(parsing: "$.transactions")]?.rules.first else {
            Issue.record("no arrayContains rule")
            return
        }
        #expect(written[1].generators == [try PathExpression(parsing: "$.at"): .randomInt(min: 1, max: 9)])
        #expect(body.generators.isEmpty)
        #expect(body.errors.isEmpty)
    }

    @Test func valuesPutsRulesOfMapValuesUnderStar() throws {
        let body = try compileResponseBody(["balances": .values(["ACC001": .decimal(10.5), "ACC002": .decimal(3.25)])])
        #expect(body.example == ["balances": ["ACC001": 10.5, "ACC002": 3.25]])
        #expect(body.rules == (try category([("$.balances", [.values]), ("$.balances.*", [.decimal])])))
        #expect(body.errors.isEmpty)
    }

    @Test func eachKeyWritesARegexForKeysAndValueRulesUnderStar() throws {
        let body = try compileResponseBody(["accounts": .eachKey(["ACC001": .like(["balance": 1])], matching: "ACC\\d{3}")])
        #expect(body.example == ["accounts": ["ACC001": ["balance": 1]]])
        #expect(body.rules == (try category([
            ("$.accounts", [.eachKey(EachRuleDefinition(rules: [try regexRule("ACC\\d{3}")]))]),
            ("$.accounts.*", [.type]),
        ])))
        #expect(body.errors.isEmpty)
    }

    @Test func eachValueUsesTheMatchersOwnRules() throws {
        let body = try compileResponseBody(["codes": .eachValue(["a": "X1", "b": "Y2"], .regex("[A-Z]\\d", example: "X1"))])
        #expect(body.example == ["codes": ["a": "X1", "b": "Y2"]])
        #expect(body.rules == (try category([("$.codes", [.eachValue(EachRuleDefinition(rules: [try regexRule("[A-Z]\\d")]))])])))
        #expect(body.errors.isEmpty)
    }

    @Test func eachValueReportsRulesNestedInsideItsMatcher() throws {
        let body = try compileResponseBody(["codes": .eachValue(["a": ["n": 1]], .like(["n": .integer(1)]))])
        #expect(body.errors.count == 1)
        #expect(body.errors.first?.contains("$.codes") == true)
        #expect(body.errors.first?.contains("only the matcher's own rules") == true)
    }

    @Test func arrayContainingMatchesAListWithTheVariantsAnywhere() throws {
        let body = try compileResponseBody(["tx": .arrayContaining([["type": "deposit", "amount": .integer(100)]])])
        let actual = HTTPResponse(status: 200, headers: ["Content-Type": "application/json"],
                                  body: Body(json: ["tx": [["type": "fee", "amount": 1], ["type": "deposit", "amount": 5000]]]))
        #expect(RequestMatcher.compare(expected: body.interaction.response, actual: actual).isEmpty)
        let missing = HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Body(json: ["tx": [["type": "fee", "amount": 1]]]))
        #expect(!RequestMatcher.compare(expected: body.interaction.response, actual: missing).isEmpty)
    }

    @Test func eachKeyRejectsAKeyThatBreaksTheExpression() throws {
        let body = try compileResponseBody(["accounts": .eachKey(["ACC001": .like(["balance": 1])], matching: "ACC\\d{3}")])
        let good = HTTPResponse(status: 200, headers: ["Content-Type": "application/json"],
                                body: Body(json: ["accounts": ["ACC777": ["balance": 9], "ACC123": ["balance": 0]]]))
        #expect(RequestMatcher.compare(expected: body.interaction.response, actual: good).isEmpty)
        let bad = HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Body(json: ["accounts": ["acc-1": ["balance": 9]]]))
        #expect(RequestMatcher.compare(expected: body.interaction.response, actual: bad).map(\.path) == ["$.accounts['acc-1']"])
    }
}
