import Foundation
import PactMatching
import PactModel
import Testing

// MARK: - Helpers (file-private so they never clash with other test files)

/// Parses JSON text written in a test.
fileprivate func valueRuleJSON(_ text: String) throws -> JSONValue {
    try JSONParser.parse(text)
}

/// Reads the `body` rules of a pact from their V3/V4 JSON form, such as `{"$.v": {"matchers": [...]}}`.
fileprivate func valueRuleBodyRules(_ text: String) throws -> MatchingRules {
    try MatchingRules(json: valueRuleJSON(#"{"body": \#(text)}"#))
}

/// Compares two JSON bodies as a response (unexpected keys allowed) or a request under body rules.
fileprivate func valueRuleCompare(expected: String, actual: String, rules: String, request: Bool = false) throws -> [Mismatch] {
    let matchingRules = try valueRuleBodyRules(rules)
    if request {
        let wanted = HTTPRequest(method: "POST", path: "/", body: Body(json: try valueRuleJSON(expected)), matchingRules: matchingRules)
        let received = HTTPRequest(method: "POST", path: "/", body: Body(text: actual, contentType: .json))
        return RequestMatcher.compare(expected: wanted, actual: received)
    }
    let wanted = HTTPResponse(status: 200, body: Body(json: try valueRuleJSON(expected)), matchingRules: matchingRules)
    let received = HTTPResponse(status: 200, body: Body(text: actual, contentType: .json))
    return RequestMatcher.compare(expected: wanted, actual: received)
}

/// Compares `{"v": expected}` with `{"v": actual}` with one rule at `$.v`.
fileprivate func valueRuleCheck(_ rule: String, expected: String, actual: String) throws -> [Mismatch] {
    try valueRuleCompare(expected: #"{"v": \#(expected)}"#, actual: #"{"v": \#(actual)}"#,
                         rules: #"{"$.v": {"matchers": [\#(rule)]}}"#)
}

/// Expects no mismatch when `message` is nil, or exactly one body mismatch at `path` with that message.
fileprivate func expectValueRuleOutcome(_ mismatches: [Mismatch], message: String?, path: String = "$.v",
                                        sourceLocation: SourceLocation = #_sourceLocation) {
    if let message {
        #expect(mismatches.map(\.message) == [message], sourceLocation: sourceLocation)
        #expect(mismatches.map(\.path) == [path], sourceLocation: sourceLocation)
        #expect(mismatches.allSatisfy { $0.kind == .body }, sourceLocation: sourceLocation)
    } else {
        #expect(mismatches.isEmpty, "unexpected mismatches: \(mismatches)", sourceLocation: sourceLocation)
    }
}

// MARK: - One rule at a time

@Suite("Value matching rules")
struct ValueRuleTests {
    @Test("equality compares value and type", arguments: [
        (#""x""#, nil),
        (#""y""#, "Expected 'y' (String) to be equal to 'x' (String)"),
        ("1", "Expected 1 (Integer) to be equal to 'x' (String)"),
    ] as [(String, String?)])
    func equalityRuleRequiresEqualValue(actual: String, message: String?) throws {
        let mismatches = try valueRuleCheck(#"{"match": "equality"}"#, expected: #""x""#, actual: actual)
        expectValueRuleOutcome(mismatches, message: message)
    }

    @Test("regex must match the whole value", arguments: [
        (#""123""#, nil),
        ("123", nil),
        (#""12a""#, #"Expected '12a' to match '\d+'"#),
        (#""a12""#, #"Expected 'a12' to match '\d+'"#),
        (#""""#, #"Expected '' to match '\d+'"#),
    ] as [(String, String?)])
    func regexRuleMatchesWholeValueOnly(actual: String, message: String?) throws {
        let mismatches = try valueRuleCheck(#"{"match": "regex", "regex": "\\d+"}"#, expected: #""1""#, actual: actual)
        expectValueRuleOutcome(mismatches, message: message)
    }

    @Test("type accepts any number for a number and rejects other types", arguments: [
        ("2", nil),
        ("1.5", nil),
        (#""1""#, "Expected '1' (String) to be the same type as 1 (Integer)"),
        ("null", "Expected null (Null) to be the same type as 1 (Integer)"),
        ("true", "Expected true (Boolean) to be the same type as 1 (Integer)"),
    ] as [(String, String?)])
    func typeRuleTreatsIntegersAndDecimalsAsNumbers(actual: String, message: String?) throws {
        let mismatches = try valueRuleCheck(#"{"match": "type"}"#, expected: "1", actual: actual)
        expectValueRuleOutcome(mismatches, message: message)
    }

    @Test func typeRuleRejectsNumberWhereStringExpected() throws {
        let mismatches = try valueRuleCheck(#"{"match": "type"}"#, expected: #""abc""#, actual: "12")
        expectValueRuleOutcome(mismatches, message: "Expected 12 (Integer) to be the same type as 'abc' (String)")
    }

    @Test func typeRuleRejectsObjectWhereArrayExpected() throws {
        let mismatches = try valueRuleCheck(#"{"match": "type"}"#, expected: "[1]", actual: #"{"a": 1}"#)
        expectValueRuleOutcome(mismatches, message: #"Type mismatch: Expected {"a":1} (Object) to be the same type as [1] (Array)"#)
    }

    @Test("minType checks the minimum array size", arguments: [
        ("[1, 2]", nil),
        ("[5, 6, 7]", nil),
        ("[1]", "Expected [1] (size 1) to have minimum size of 2"),
        ("[]", "Expected [] (size 0) to have minimum size of 2"),
    ] as [(String, String?)])
    func minTypeRuleChecksMinimumSize(actual: String, message: String?) throws {
        let mismatches = try valueRuleCheck(#"{"match": "type", "min": 2}"#, expected: "[1, 2]", actual: actual)
        expectValueRuleOutcome(mismatches, message: message)
    }

    @Test("maxType checks the maximum array size", arguments: [
        (#"["a"]"#, nil),
        (#"["a", "b"]"#, nil),
        (#"["a", "b", "c"]"#, #"Expected ["a", "b", "c"] (size 3) to have maximum size of 2"#),
    ] as [(String, String?)])
    func maxTypeRuleChecksMaximumSize(actual: String, message: String?) throws {
        let mismatches = try valueRuleCheck(#"{"match": "type", "max": 2}"#, expected: #"["x"]"#, actual: actual)
        expectValueRuleOutcome(mismatches, message: message)
    }

    @Test("minMaxType checks both bounds", arguments: [
        ("[1]", nil),
        ("[1, 2, 3]", nil),
        ("[]", "Expected [] (size 0) to have minimum size of 1"),
        ("[1, 2, 3, 4]", "Expected [1, 2, 3, 4] (size 4) to have maximum size of 3"),
    ] as [(String, String?)])
    func minMaxTypeRuleChecksBothBounds(actual: String, message: String?) throws {
        let mismatches = try valueRuleCheck(#"{"match": "type", "min": 1, "max": 3}"#, expected: "[1]", actual: actual)
        expectValueRuleOutcome(mismatches, message: message)
    }

    @Test func minTypeRuleComparesEveryItemWithTheFirstExample() throws {
        let mismatches = try valueRuleCompare(
            expected: #"{"items": [{"id": 1, "name": "a"}]}"#,
            actual: #"{"items": [{"id": 7, "name": "b"}, {"id": "8", "name": "c"}, {"id": 9, "name": 3}]}"#,
            rules: #"{"$.items": {"matchers": [{"match": "type", "min": 1}]}}"#)
        #expect(mismatches.map(\.path) == ["$.items[1].id", "$.items[2].name"])
        #expect(mismatches.map(\.message) == [
            "Expected '8' (String) to be the same type as 1 (Integer)",
            "Expected 3 (Integer) to be the same type as 'a' (String)",
        ])
    }

    @Test("include looks for a substring", arguments: [
        (#""hello""#, nil),
        (#""yellow""#, nil),
        (#""world""#, "Expected 'world' to include 'ell'"),
    ] as [(String, String?)])
    func includeRuleRequiresSubstring(actual: String, message: String?) throws {
        let mismatches = try valueRuleCheck(#"{"match": "include", "value": "ell"}"#, expected: #""hello""#, actual: actual)
        expectValueRuleOutcome(mismatches, message: message)
    }

    @Test("integer accepts only integral numbers", arguments: [
        ("42", nil),
        ("-7", nil),
        ("4.2", "Expected 4.2 (Decimal) to be an integer"),
        (#""42""#, "Expected '42' (String) to be an integer"),
    ] as [(String, String?)])
    func integerRuleRejectsDecimalsAndStrings(actual: String, message: String?) throws {
        let mismatches = try valueRuleCheck(#"{"match": "integer"}"#, expected: "1", actual: actual)
        expectValueRuleOutcome(mismatches, message: message)
    }

    @Test("decimal accepts only numbers with a fraction", arguments: [
        ("2.25", nil),
        ("1.0", nil),
        ("2", "Expected 2 (Integer) to be a decimal number"),
        (#""2.5""#, "Expected '2.5' (String) to be a decimal number"),
    ] as [(String, String?)])
    func decimalRuleRejectsIntegersAndStrings(actual: String, message: String?) throws {
        let mismatches = try valueRuleCheck(#"{"match": "decimal"}"#, expected: "1.5", actual: actual)
        expectValueRuleOutcome(mismatches, message: message)
    }

    @Test("number accepts integers and decimals", arguments: [
        ("3", nil),
        ("-3.75", nil),
        (#""1""#, "Expected '1' (String) to be a number"),
        ("true", "Expected true (Boolean) to be a number"),
    ] as [(String, String?)])
    func numberRuleRejectsNonNumbers(actual: String, message: String?) throws {
        let mismatches = try valueRuleCheck(#"{"match": "number"}"#, expected: "1", actual: actual)
        expectValueRuleOutcome(mismatches, message: message)
    }

    @Test("null accepts only null", arguments: [
        ("null", nil),
        (#""""#, "Expected '' (String) to be a null value"),
        ("0", "Expected 0 (Integer) to be a null value"),
    ] as [(String, String?)])
    func nullRuleRejectsValues(actual: String, message: String?) throws {
        let mismatches = try valueRuleCheck(#"{"match": "null"}"#, expected: "null", actual: actual)
        expectValueRuleOutcome(mismatches, message: message)
    }

    @Test("boolean accepts booleans and their string forms", arguments: [
        ("false", nil),
        (#""true""#, nil),
        ("1", "Expected 1 (Integer) to match a boolean"),
        (#""yes""#, "Expected 'yes' (String) to match a boolean"),
    ] as [(String, String?)])
    func booleanRuleRejectsOtherValues(actual: String, message: String?) throws {
        let mismatches = try valueRuleCheck(#"{"match": "boolean"}"#, expected: "true", actual: actual)
        expectValueRuleOutcome(mismatches, message: message)
    }

    @Test("date uses its format", arguments: [
        (#""2024-02-29""#, nil),
        (#""2024/02/29""#, "Expected '2024/02/29' to match a date pattern of 'yyyy-MM-dd': expected '-' at offset 4, found '/'"),
        (#""2024-13-01""#, "Expected '2024-13-01' to match a date pattern of 'yyyy-MM-dd': value 13 for 'MM' at offset 5 is out of range 1-12"),
    ] as [(String, String?)])
    func dateRuleChecksFormat(actual: String, message: String?) throws {
        let mismatches = try valueRuleCheck(#"{"match": "date", "format": "yyyy-MM-dd"}"#, expected: #""2024-01-01""#, actual: actual)
        expectValueRuleOutcome(mismatches, message: message)
    }

    @Test func dateRuleRejectsImpossibleDay() throws {
        let mismatches = try valueRuleCheck(#"{"match": "date", "format": "yyyy-MM-dd"}"#, expected: #""2024-01-01""#, actual: #""2023-02-29""#)
        #expect(mismatches.count == 1)
        #expect(mismatches.first?.message.hasPrefix("Expected '2023-02-29' to match a date pattern of 'yyyy-MM-dd': ") == true)
    }

    @Test func dateRuleWithoutFormatUsesIsoDate() throws {
        #expect(try valueRuleCheck(#"{"match": "date"}"#, expected: #""2024-01-01""#, actual: #""1999-12-31""#).isEmpty)
        let mismatches = try valueRuleCheck(#"{"match": "date"}"#, expected: #""2024-01-01""#, actual: #""31/12/1999""#)
        #expect(mismatches.count == 1)
        #expect(mismatches.first?.message.hasPrefix("Expected '31/12/1999' to match a date pattern of 'yyyy-MM-dd': ") == true)
    }

    @Test("time uses its format", arguments: [
        (#""23:59""#, nil),
        (#""24:00""#, "Expected '24:00' to match a time pattern of 'HH:mm': value 24 for 'HH' at offset 0 is out of range 0-23"),
        (#""23:59:10""#, "Expected '23:59:10' to match a time pattern of 'HH:mm': unexpected trailing text ':10' at offset 5"),
    ] as [(String, String?)])
    func timeRuleChecksFormat(actual: String, message: String?) throws {
        let mismatches = try valueRuleCheck(#"{"match": "time", "format": "HH:mm"}"#, expected: #""10:00""#, actual: actual)
        expectValueRuleOutcome(mismatches, message: message)
    }

    @Test func timestampRuleChecksFormatWithOffset() throws {
        let rule = #"{"match": "timestamp", "format": "yyyy-MM-dd'T'HH:mm:ssXXX"}"#
        #expect(try valueRuleCheck(rule, expected: #""2024-01-02T03:04:05Z""#, actual: #""2024-06-30T23:59:59+02:00""#).isEmpty)
        let mismatches = try valueRuleCheck(rule, expected: #""2024-01-02T03:04:05Z""#, actual: #""2024-06-30 23:59:59""#)
        #expect(mismatches.count == 1)
        #expect(mismatches.first?.message.hasPrefix(
            "Expected '2024-06-30 23:59:59' to match a timestamp pattern of 'yyyy-MM-dd'T'HH:mm:ssXXX': ") == true)
    }

    @Test func timestampRuleAcceptsLegacyV2FormatAttribute() throws {
        let rule = #"{"match": "timestamp", "timestamp": "yyyy-MM-dd HH:mm"}"#
        #expect(try valueRuleCheck(rule, expected: #""2024-01-02 03:04""#, actual: #""2025-11-12 13:14""#).isEmpty)
        #expect(try valueRuleCheck(rule, expected: #""2024-01-02 03:04""#, actual: #""2025-11-12T13:14""#).count == 1)
    }

    @Test func contentTypeRuleDetectsBinaryContent() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x01]
        let otherPNG: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0xFF, 0xFE, 0xFD]
        let pdf = Array("%PDF-1.7\n".utf8) + [0x00, 0x9C]
        let rules = try valueRuleBodyRules(#"{"$": {"matchers": [{"match": "contentType", "value": "image/png"}]}}"#).body
        let imageType = ContentType("image/png")
        let accepted = BodyMatcher.compare(expected: Body(bytes: png, contentType: imageType), expectedType: imageType,
                                           actual: Body(bytes: otherPNG), actualType: imageType, rules: rules, allowUnexpectedKeys: true)
        #expect(accepted.isEmpty)
        let rejected = BodyMatcher.compare(expected: Body(bytes: png, contentType: imageType), expectedType: imageType,
                                           actual: Body(bytes: pdf), actualType: imageType, rules: rules, allowUnexpectedKeys: true)
        #expect(rejected.map(\.message) == ["Expected binary contents to have content type 'image/png' but detected contents was 'application/pdf'"])
        #expect(rejected.map(\.path) == ["$"])
    }

    @Test func valuesRuleIgnoresKeysAndMatchesValuesAgainstTheExample() throws {
        let rules = #"{"$.v": {"matchers": [{"match": "values"}]}, "$.v.*": {"matchers": [{"match": "type"}]}}"#
        let accepted = try valueRuleCompare(expected: #"{"v": {"a": 1}}"#, actual: #"{"v": {"x": 5, "y": 6}}"#, rules: rules, request: true)
        #expect(accepted.isEmpty, "\(accepted)")
        let rejected = try valueRuleCompare(expected: #"{"v": {"a": 1}}"#, actual: #"{"v": {"x": 5, "y": "6"}}"#, rules: rules, request: true)
        expectValueRuleOutcome(rejected, message: "Expected '6' (String) to be the same type as 1 (Integer)", path: "$.v.y")
    }

    @Test func valuesRuleWithoutChildRulesComparesValuesByEquality() throws {
        // As in pact-reference, `values` ignores the keys but, without rules of their own, the values must equal the example.
        let rules = #"{"$.v": {"matchers": [{"match": "values"}]}}"#
        #expect(try valueRuleCompare(expected: #"{"v": {"a": 1}}"#, actual: #"{"v": {"x": 1, "y": 1}}"#, rules: rules).isEmpty)
        let rejected = try valueRuleCompare(expected: #"{"v": {"a": 1}}"#, actual: #"{"v": {"x": 1, "y": "one"}}"#, rules: rules)
        expectValueRuleOutcome(rejected, message: "Expected 'one' (String) to be equal to 1 (Integer)", path: "$.v.y")
    }

    @Test func arrayContainsFindsEachVariantAnywhereInTheList() throws {
        let rules = #"""
        {"$.v": {"matchers": [{"match": "arrayContains", "variants": [
            {"index": 0, "rules": {"$.n": {"matchers": [{"match": "integer"}]}}},
            {"index": 1, "rules": {}}
        ]}]}}
        """#
        let expected = #"{"v": [{"kind": "a", "n": 1}, {"kind": "b", "n": 2}]}"#
        let accepted = try valueRuleCompare(expected: expected, actual: #"{"v": [{"kind": "c"}, {"kind": "b", "n": 2}, {"kind": "a", "n": 99}]}"#, rules: rules)
        #expect(accepted.isEmpty, "\(accepted)")
        let rejected = try valueRuleCompare(expected: expected, actual: #"{"v": [{"kind": "a", "n": 5}, {"kind": "b", "n": 3}]}"#, rules: rules)
        expectValueRuleOutcome(rejected, message: #"Variant at index 1 ({"kind":"b","n":2}) was not found in the actual list"#)
    }

    @Test func arrayContainsWithoutVariantsRequiresEveryExampleItem() throws {
        let rules = #"{"$.v": {"matchers": [{"match": "arrayContains", "variants": []}]}}"#
        #expect(try valueRuleCompare(expected: #"{"v": [1, 2]}"#, actual: #"{"v": [9, 2, 8, 1]}"#, rules: rules).isEmpty)
        let rejected = try valueRuleCompare(expected: #"{"v": [1, 2]}"#, actual: #"{"v": [9, 2]}"#, rules: rules)
        expectValueRuleOutcome(rejected, message: "Variant at index 0 (1) was not found in the actual list")
    }

    @Test func eachKeyRuleChecksEveryActualKey() throws {
        let rules = #"{"$.v": {"matchers": [{"match": "eachKey", "rules": [{"match": "regex", "regex": "[a-z]+"}], "value": {"abc": 1}}]}}"#
        #expect(try valueRuleCompare(expected: #"{"v": {"abc": 1}}"#, actual: #"{"v": {"abc": 1, "def": 2}}"#, rules: rules, request: true).isEmpty)
        let rejected = try valueRuleCompare(expected: #"{"v": {"abc": 1}}"#, actual: #"{"v": {"abc": 1, "X1": 2}}"#, rules: rules, request: true)
        expectValueRuleOutcome(rejected, message: "Expected 'X1' to match '[a-z]+'", path: "$.v.X1")
    }

    @Test func eachValueRuleChecksEveryValueOfAMap() throws {
        let rules = #"{"$.v": {"matchers": [{"match": "eachValue", "rules": [{"match": "regex", "regex": "[a-z]+"}], "value": {"k": "x"}}]}}"#
        #expect(try valueRuleCompare(expected: #"{"v": {"k": "x"}}"#, actual: #"{"v": {"p": "abc", "q": "zz"}}"#, rules: rules, request: true).isEmpty)
        let rejected = try valueRuleCompare(expected: #"{"v": {"k": "x"}}"#, actual: #"{"v": {"p": "abc", "q": "ABC"}}"#, rules: rules, request: true)
        expectValueRuleOutcome(rejected, message: "Expected 'ABC' to match '[a-z]+'", path: "$.v.q")
    }

    @Test func eachValueRuleChecksEveryItemOfAList() throws {
        let rules = #"{"$.v": {"matchers": [{"match": "eachValue", "rules": [{"match": "type"}], "value": ["x"]}]}}"#
        #expect(try valueRuleCompare(expected: #"{"v": ["x"]}"#, actual: #"{"v": ["a", "b", "c"]}"#, rules: rules).isEmpty)
        let rejected = try valueRuleCompare(expected: #"{"v": ["x"]}"#, actual: #"{"v": ["a", 2]}"#, rules: rules)
        expectValueRuleOutcome(rejected, message: "Expected 2 (Integer) to be the same type as 'x' (String)", path: "$.v[1]")
    }

    @Test("notEmpty rejects empty strings, lists and null", arguments: [
        (#""y""#, nil),
        ("0", nil),
        (#""""#, "Expected '' (String) to not be empty"),
        ("[]", "Expected [] (Array) to not be empty"),
        ("null", "Expected null (Null) to not be empty"),
    ] as [(String, String?)])
    func notEmptyRuleRejectsEmptyValues(actual: String, message: String?) throws {
        let mismatches = try valueRuleCheck(#"{"match": "notEmpty"}"#, expected: #""x""#, actual: actual)
        expectValueRuleOutcome(mismatches, message: message)
    }

    @Test func notEmptyRuleOnAListRejectsAnEmptyList() throws {
        let mismatches = try valueRuleCheck(#"{"match": "notEmpty"}"#, expected: #"["a"]"#, actual: "[]")
        expectValueRuleOutcome(mismatches, message: "Expected [] (Array) to not be empty")
        #expect(try valueRuleCheck(#"{"match": "notEmpty"}"#, expected: #"["a"]"#, actual: #"["a", "b"]"#).isEmpty)
    }

    @Test("semver accepts semantic versions only", arguments: [
        (#""1.2.3-alpha.1+build""#, nil),
        (#""10.20.30""#, nil),
        (#""1.0""#, "'1.0' is not a valid semantic version - expected major.minor.patch"),
        (#""01.2.3""#, "'01.2.3' is not a valid semantic version - '01' has a leading zero"),
        (#""1.2.3-""#, "'1.2.3-' is not a valid semantic version - invalid pre-release identifier"),
        ("123", "Expected 123 (Integer) to be a semantic version"),
    ] as [(String, String?)])
    func semverRuleValidatesVersions(actual: String, message: String?) throws {
        let mismatches = try valueRuleCheck(#"{"match": "semver"}"#, expected: #""1.0.0""#, actual: actual)
        expectValueRuleOutcome(mismatches, message: message)
    }

    @Test("statusCode accepts a class of statuses or a list", arguments: [
        (#""success""#, 204, nil),
        (#""success""#, 404, "Expected status code 404 to be a Successful response (200–299)"),
        (#""clientError""#, 404, nil),
        (#""clientError""#, 500, "Expected status code 500 to be a Client error (400–499)"),
        ("[200, 201]", 201, nil),
        ("[200, 201]", 202, "Expected status code 202 to be one of 200, 201"),
    ] as [(String, Int, String?)])
    func statusCodeRuleChecksTheResponseStatus(status: String, actual: Int, message: String?) throws {
        let rules = try MatchingRules(json: valueRuleJSON(#"{"status": {"matchers": [{"match": "statusCode", "status": \#(status)}]}}"#))
        let mismatches = RequestMatcher.compare(expected: HTTPResponse(status: 200, matchingRules: rules), actual: HTTPResponse(status: actual))
        if let message {
            #expect(mismatches.map(\.message) == [message])
            #expect(mismatches.map(\.kind) == [.status])
            #expect(mismatches.first?.actual == "\(actual)")
        } else {
            #expect(mismatches.isEmpty, "\(mismatches)")
        }
    }

    @Test func statusCodeRuleOnAHeaderValueParsesTheText() throws {
        let rules = try MatchingRules(json: valueRuleJSON(#"{"header": {"X-Upstream-Status": {"matchers": [{"match": "statusCode", "status": "serverError"}]}}}"#))
        let expected = HTTPResponse(status: 200, headers: ["X-Upstream-Status": "500"], matchingRules: rules)
        #expect(RequestMatcher.compare(expected: expected, actual: HTTPResponse(status: 200, headers: ["X-Upstream-Status": "503"])).isEmpty)
        let mismatches = RequestMatcher.compare(expected: expected, actual: HTTPResponse(status: 200, headers: ["X-Upstream-Status": "200"]))
        #expect(mismatches.map(\.message) == ["Mismatch with header 'X-Upstream-Status': Expected status code 200 to be a Server error (500–599)"])
    }
}
