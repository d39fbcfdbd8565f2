import PactConsumer
import PactMatching
import PactModel
import Testing

/// Generator helpers: the generator at the path, the matcher every generated value satisfies, and the example.
@Suite("Generators")
struct GeneratorMatcherTests {
    @Test func randomIntAddsIntegerRuleAndClampsTheDefaultExample() throws {
        let body = try compileResponseBody(["a": .randomInt(min: 1, max: 100), "b": .randomInt(min: 100, max: 200), "c": .randomInt(example: 7)])
        #expect(body.example == ["a": 42, "b": 100, "c": 7])
        #expect(body.rules == (try category([("$.a", [.integer]), ("$.b", [.integer]), ("$.c", [.integer])])))
        #expect(body.generators == ["$.a": .randomInt(min: 1, max: 100), "$.b": .randomInt(min: 100, max: 200), "$.c": .randomInt(min: 0, max: 2_147_483_647)])
    }

    @Test func randomDecimalAddsDecimalRule() throws {
        let body = try compileResponseBody(["a": .randomDecimal(digits: 6)])
        #expect(body.example == ["a": 13.01])
        #expect(body.rules == (try category([("$.a", [.decimal])])))
        #expect(body.generators == ["$.a": .randomDecimal(digits: 6)])
    }

    @Test func randomHexadecimalAndRandomString() throws {
        let body = try compileResponseBody(["hex": .randomHexadecimal(digits: 8), "name": .randomString(size: 5)])
        #expect(body.example == ["hex": "01234567", "name": "abcde"])
        #expect(body.rules == (try category([("$.hex", [try regexRule("[0-9a-fA-F]+")]), ("$.name", [.type])])))
        #expect(body.generators == ["$.hex": .randomHexadecimal(digits: 8), "$.name": .randomString(size: 5)])
    }

    @Test(arguments: [
        (UUIDFormat.lowerCaseHyphenated, "e2490de5-5bd3-43d5-b7c4-526e33f71304"),
        (UUIDFormat.upperCaseHyphenated, "E2490DE5-5BD3-43D5-B7C4-526E33F71304"),
        (UUIDFormat.simple, "e2490de55bd343d5b7c4526e33f71304"),
        (UUIDFormat.urn, "urn:uuid:e2490de5-5bd3-43d5-b7c4-526e33f71304"),
    ])
    func randomUUIDMatchesItsFormat(format: UUIDFormat, example: String) throws {
        let body = try compileResponseBody(["id": .randomUUID(format: format)])
        #expect(body.example == ["id": .string(example)])
        #expect(body.generators == ["$.id": .uuid(format)])
        #expect(body.errors.isEmpty)
        guard case .regex(let regex)? = body.rules[try PathExpression(parsing: "$.id")]?.rules.first else {
            Issue.record("no regex rule")
            return
        }
        #expect(regex.matches(example))
    }

    @Test func randomBooleanAddsBooleanRule() throws {
        let body = try compileResponseBody(["flag": .randomBoolean()])
        #expect(body.example == ["flag": true])
        #expect(body.rules == (try category([("$.flag", [.boolean])])))
        #expect(body.generators == ["$.flag": .randomBoolean])
    }

    @Test func dateAndTimeGeneratorsAddRulesInTheSameFormat() throws {
        let body = try compileResponseBody([
            "day": .generatedDate(format: "yyyy-MM-dd", expression: "+ 1 day"),
            "at": .generatedTime(),
            "stamp": .generatedDateTime(format: "yyyy-MM-dd'T'HH:mm:ss"),
        ])
        #expect(body.example == ["day": "2024-01-15", "at": "10:30:45", "stamp": "2024-01-15T10:30:45"])
        #expect(body.rules == (try category([
            ("$.day", [.date(try pattern("yyyy-MM-dd"))]),
            ("$.at", [.time(try pattern("HH:mm:ss"))]),
            ("$.stamp", [.timestamp(try pattern("yyyy-MM-dd'T'HH:mm:ss"))]),
        ])))
        #expect(body.generators == [
            "$.day": .date(format: "yyyy-MM-dd", expression: "+ 1 day"),
            "$.at": .time(format: "HH:mm:ss", expression: nil),
            "$.stamp": .dateTime(format: "yyyy-MM-dd'T'HH:mm:ss", expression: nil),
        ])
        #expect(body.errors.isEmpty)
    }

    @Test func randomRegexAddsTheSameRegexAsRule() throws {
        let body = try compileResponseBody(["pin": .randomRegex("\\d{4}"), "ref": .randomRegex("TXN\\d+", example: "TXN1")])
        #expect(try PactRegex("\\d{4}").matches(try #require(body.example?["pin"]?.stringValue)))
        #expect(body.example?["ref"] == "TXN1")
        #expect(body.rules == (try category([("$.pin", [try regexRule("\\d{4}")]), ("$.ref", [try regexRule("TXN\\d+")])])))
        #expect(body.generators == ["$.pin": .regex("\\d{4}"), "$.ref": .regex("TXN\\d+")])
    }

    @Test func fromProviderStateTakesItsDataTypeFromTheExample() throws {
        let body = try compileResponseBody([
            "id": .fromProviderState("${accountId}", example: "ACC001"),
            "balance": .fromProviderState("${balance}", example: 700),
            "rate": .fromProviderState("${rate}", example: 1.5),
            "open": .fromProviderState("${open}", example: true),
        ])
        #expect(body.example == ["id": "ACC001", "balance": 700, "rate": 1.5, "open": true])
        #expect(body.rules == (try category([("$.id", [.type]), ("$.balance", [.type]), ("$.rate", [.type]), ("$.open", [.type])])))
        #expect(body.generators == [
            "$.id": .providerState(expression: "${accountId}", dataType: .string),
            "$.balance": .providerState(expression: "${balance}", dataType: .integer),
            "$.rate": .providerState(expression: "${rate}", dataType: .decimal),
            "$.open": .providerState(expression: "${open}", dataType: .boolean),
        ])
    }

    @Test func fromProviderStateWithSurroundingTextGetsARegexFromTheExpression() throws {
        let body = try compileResponseBody(["href": .fromProviderState("/accounts/${id}?v=${version}", example: "/accounts/7?v=2")])
        #expect(body.rules == (try category([("$.href", [try regexRule("/accounts/.+\\?v=.+")])])))
        #expect(body.generators == ["$.href": .providerState(expression: "/accounts/${id}?v=${version}", dataType: .string)])
        #expect(body.errors.isEmpty)
    }

    @Test func mockServerURLAddsARegexRule() throws {
        let body = try compileResponseBody(["href": .mockServerURL(regex: ".*(/accounts/\\d+)$", example: "http://localhost:8080/accounts/7")])
        #expect(body.example == ["href": "http://localhost:8080/accounts/7"])
        #expect(body.rules == (try category([("$.href", [try regexRule(".*(/accounts/\\d+)$")])])))
        #expect(body.generators == ["$.href": .mockServerURL(example: "http://localhost:8080/accounts/7", regex: ".*(/accounts/\\d+)$")])
        #expect(body.errors.isEmpty)
    }

    @Test func generatorsInsideEachLikeUseTheWildcardPath() throws {
        let body = try compileResponseBody(["items": .eachLike(["id": .randomInt(min: 1, max: 9)])])
        #expect(body.generators == ["$.items[*].id": .randomInt(min: 1, max: 9)])
    }

    @Test func generatedResponseStillMatchesItsOwnRules() throws {
        let body = try compileResponseBody([
            "id": .randomUUID(), "n": .randomInt(min: 5, max: 6), "d": .randomDecimal(digits: 4), "hex": .randomHexadecimal(digits: 6),
            "s": .randomString(size: 3), "b": .randomBoolean(), "day": .generatedDate(), "t": .generatedTime(),
            "ts": .generatedDateTime(), "pin": .randomRegex("\\d{4}"),
            "href": .mockServerURL(regex: ".*(/accounts/\\d+)$", example: "http://localhost:8080/accounts/7"),
            "items": .eachLike(["ref": .randomRegex("REF-[A-Z]{4}")], min: 3),
        ])
        let applier = GeneratorApplier(mode: .consumer, context: GeneratorContext(mockServerURL: "http://127.0.0.1:40001"))
        for _ in 0..<20 {
            let (generated, errors) = applier.apply(to: body.interaction.response)
            #expect(errors.isEmpty)
            #expect(RequestMatcher.compare(expected: body.interaction.response, actual: generated).isEmpty)
            #expect(generated.body.json?["href"] == "http://127.0.0.1:40001/accounts/7")
        }
    }

    @Test func providerModeFillsProviderStateValuesOfTheExampleType() throws {
        let body = try compileResponseBody(["balance": .fromProviderState("${balance}", example: 700)])
        let applier = GeneratorApplier(mode: .provider, context: GeneratorContext(providerState: ["balance": "1000"]))
        let (generated, errors) = applier.apply(to: body.interaction.response)
        #expect(errors.isEmpty)
        #expect(generated.body.json == ["balance": 1000])
    }
}
