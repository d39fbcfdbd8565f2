import PactConsumer
import PactModel
import Testing

/// Each scalar matcher compiles into its example and exactly one rule at its JSON path.
@Suite("Scalar matchers")
struct ScalarMatcherTests {
    @Test func likeWritesTypeRuleAndKeepsExample() throws {
        let body = try compileResponseBody(["name": .like("Alice")])
        #expect(body.example == ["name": "Alice"])
        #expect(body.rules == (try category([("$.name", [.type])])))
        #expect(body.generators.isEmpty)
        #expect(body.errors.isEmpty)
    }

    @Test func likeKeepsRulesOfNestedMatchersAtTheirOwnPaths() throws {
        let body = try compileResponseBody(["account": .like(["id": "ACC001", "balance": .integer(100)])])
        #expect(body.example == ["account": ["id": "ACC001", "balance": 100]])
        #expect(body.rules == (try category([("$.account", [.type]), ("$.account.balance", [.integer])])))
    }

    @Test func regexWritesRegexRuleWithExample() throws {
        let body = try compileResponseBody(["accountId": .regex("ACC\\d{3,}", example: "ACC001")])
        #expect(body.example == ["accountId": "ACC001"])
        #expect(body.rules == (try category([("$.accountId", [try regexRule("ACC\\d{3,}")])])))
        #expect(body.errors.isEmpty)
    }

    @Test func regexWithoutExampleGeneratesAMatchingExampleDeterministically() throws {
        let first = try compileResponseBody(["code": .regex("[A-Z]{3}-\\d{4}")])
        let second = try compileResponseBody(["code": .regex("[A-Z]{3}-\\d{4}")])
        let code = try #require(first.example?["code"]?.stringValue)
        #expect(try PactRegex("[A-Z]{3}-\\d{4}").matches(code))
        #expect(first.example == second.example)
        #expect(first.errors.isEmpty)
    }

    @Test func integerDefaultsTo42() throws {
        let body = try compileResponseBody(["count": .integer(), "limit": .integer(10)])
        #expect(body.example == ["count": 42, "limit": 10])
        #expect(body.rules == (try category([("$.count", [.integer]), ("$.limit", [.integer])])))
    }

    @Test func decimalKeepsItsLiteral() throws {
        let body = try compileResponseBody(["rate": .decimal(), "whole": .decimal(10)])
        #expect(body.example?["rate"]?.numberValue?.literal == "13.01")
        #expect(body.example?["whole"]?.numberValue?.literal == "10.0")
        #expect(body.rules == (try category([("$.rate", [.decimal]), ("$.whole", [.decimal])])))
        #expect(body.errors.isEmpty)
    }

    @Test func numberAcceptsIntegersAndDecimals() throws {
        let body = try compileResponseBody(["a": .number(5), "b": .number(2.5)])
        #expect(body.example == ["a": 5, "b": 2.5])
        #expect(body.rules == (try category([("$.a", [.number]), ("$.b", [.number])])))
    }

    @Test func boolAndNullWriteTheirRules() throws {
        let body = try compileResponseBody(["active": .bool(), "closedAt": .null()])
        #expect(body.example == ["active": true, "closedAt": nil])
        #expect(body.rules == (try category([("$.active", [.boolean]), ("$.closedAt", [.null])])))
    }

    @Test func equalInsideLikeStopsTheCascade() throws {
        let body = try compileResponseBody(.like(["kind": .equal("savings"), "name": "x"]))
        #expect(body.rules == (try category([("$", [.type]), ("$.kind", [.equality])])))
    }

    @Test func dateTimeAndDatetimeFormatAFixedInstantWithoutExample() throws {
        let body = try compileResponseBody(["day": .date(), "at": .time(), "stamp": .datetime()])
        #expect(body.example == ["day": "2024-01-15", "at": "10:30:45", "stamp": "2024-01-15T10:30:45Z"])
        #expect(body.rules == (try category([
            ("$.day", [.date(try pattern("yyyy-MM-dd"))]),
            ("$.at", [.time(try pattern("HH:mm:ss"))]),
            ("$.stamp", [.timestamp(try pattern("yyyy-MM-dd'T'HH:mm:ssXXX"))]),
        ])))
        #expect(body.errors.isEmpty)
    }

    @Test func dateWithFormatAndExample() throws {
        let body = try compileResponseBody(["day": .date("dd/MM/yyyy", example: "24/11/2026")])
        #expect(body.example == ["day": "24/11/2026"])
        #expect(body.rules == (try category([("$.day", [.date(try pattern("dd/MM/yyyy"))])])))
        #expect(body.errors.isEmpty)
    }

    @Test func includesDefaultsItsExampleToTheSubstring() throws {
        let body = try compileResponseBody(["a": .includes("funds"), "b": .includes("funds", example: "Insufficient funds")])
        #expect(body.example == ["a": "funds", "b": "Insufficient funds"])
        #expect(body.rules == (try category([("$.a", [.include("funds")]), ("$.b", [.include("funds")])])))
    }

    @Test func uuidAndHexadecimalAreRegexRules() throws {
        let body = try compileResponseBody(["id": .uuid(), "hash": .hexadecimal(example: "00ff")])
        #expect(body.example == ["id": "e2490de5-5bd3-43d5-b7c4-526e33f71304", "hash": "00ff"])
        #expect(body.rules == (try category([
            ("$.id", [try regexRule("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]),
            ("$.hash", [try regexRule("[0-9a-fA-F]+")]),
        ])))
        #expect(body.errors.isEmpty)
    }

    @Test func notEmptyAndSemver() throws {
        let body = try compileResponseBody(["tags": .notEmpty(["a"]), "version": .semver("2.1.0-beta.1")])
        #expect(body.example == ["tags": ["a"], "version": "2.1.0-beta.1"])
        #expect(body.rules == (try category([("$.tags", [.notEmpty]), ("$.version", [.semver])])))
        #expect(body.errors.isEmpty)
    }

    @Test func plainLiteralsWriteNoRules() throws {
        let id = 7
        let body = try compileResponseBody(["id": PactValue(id), "path": "/a/\(id)", "ok": true, "none": nil, "pi": 3.14, "list": [1, "two"]])
        #expect(body.example == ["id": 7, "path": "/a/7", "ok": true, "none": nil, "pi": 3.14, "list": [1, "two"]])
        #expect(body.rules.isEmpty)
    }

    @Test func repeatedDictionaryKeyKeepsTheLastValue() {
        let value: PactValue = ["a": 1, "b": 2, "a": 3]
        #expect(value.example == ["a": 3, "b": 2])
        #expect(value.example.objectValue?.keys == ["a", "b"])
    }

    @Test func jsonValueConvertsWithoutRules() throws {
        let value = PactValue(json: try json(#"{"a": [1, 2.50, null, true], "b": {"c": "d"}}"#))
        #expect(!value.containsMatchers)
        #expect(value.example == (try json(#"{"a": [1, 2.50, null, true], "b": {"c": "d"}}"#)))
        #expect(PactValue.like(1).containsMatchers)
    }
}
