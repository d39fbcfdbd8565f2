import PactMatching
import PactModel
import Testing

/// Compares two JSON bodies under body rules written as in a pact file; a response unless `request` is set.
fileprivate func selectionCompare(expected: String, actual: String, rules: String, request: Bool = false,
                                  specification: PactSpecification = .v4) throws -> [Mismatch] {
    let rulesJSON = try JSONParser.parse(specification <= .v2 ? rules : #"{"body": \#(rules)}"#)
    let matchingRules = try MatchingRules(json: rulesJSON, specification: specification)
    return BodyMatcher.compare(expected: Body(json: try JSONParser.parse(expected)), expectedType: .json,
                               actual: Body(text: actual, contentType: .json), actualType: .json,
                               rules: matchingRules.body, allowUnexpectedKeys: !request)
}

/// How rules combine (AND/OR), cascade from parent paths, and are selected by path weight.
@Suite("Rule selection and combination")
struct RuleSelectionTests {
    static let andRules = #"{"$.v": {"combine": "AND", "matchers": [{"match": "regex", "regex": "\\d+"}, {"match": "include", "value": "5"}]}}"#
    static let orRules = #"{"$.v": {"combine": "OR", "matchers": [{"match": "integer"}, {"match": "null"}]}}"#

    @Test("AND needs every rule to pass and reports each failure", arguments: [
        (#""15""#, [String]()),
        (#""123""#, ["Expected '123' to include '5'"]),
        (#""a5""#, [#"Expected 'a5' to match '\d+'"#]),
        (#""abc""#, [#"Expected 'abc' to match '\d+'"#, "Expected 'abc' to include '5'"]),
    ])
    func andCombinationRequiresEveryRule(actual: String, messages: [String]) throws {
        let mismatches = try selectionCompare(expected: #"{"v": "5"}"#, actual: #"{"v": \#(actual)}"#, rules: Self.andRules)
        #expect(mismatches.map(\.message) == messages)
        #expect(mismatches.allSatisfy { $0.path == "$.v" })
    }

    @Test("OR needs one rule to pass and reports all failures otherwise", arguments: [
        ("7", [String]()),
        ("null", [String]()),
        (#""x""#, ["Expected 'x' (String) to be an integer", "Expected 'x' (String) to be a null value"]),
    ])
    func orCombinationRequiresAnyRule(actual: String, messages: [String]) throws {
        let mismatches = try selectionCompare(expected: #"{"v": 1}"#, actual: #"{"v": \#(actual)}"#, rules: Self.orRules)
        #expect(mismatches.map(\.message) == messages)
    }

    @Test func typeRuleCascadesFromParentToNestedChildren() throws {
        let rules = #"{"$.a": {"matchers": [{"match": "type"}]}}"#
        let expected = #"{"a": {"b": 1, "c": {"d": "x", "e": [true]}}, "z": 1}"#
        let accepted = try selectionCompare(expected: expected, actual: #"{"a": {"b": 99, "c": {"d": "y", "e": [false]}}, "z": 1}"#, rules: rules)
        #expect(accepted.isEmpty, "\(accepted)")
        let rejected = try selectionCompare(expected: expected, actual: #"{"a": {"b": 99, "c": {"d": 5, "e": [false]}}, "z": 2}"#, rules: rules)
        #expect(rejected.map(\.path) == ["$.a.c.d", "$.z"])
        #expect(rejected.map(\.message) == [
            "Expected 5 (Integer) to be the same type as 'x' (String)",
            "Expected 2 (Integer) to be equal to 1 (Integer)",
        ])
    }

    @Test func equalityRuleOnChildOverridesCascadedTypeRule() throws {
        let rules = #"{"$.a": {"matchers": [{"match": "type"}]}, "$.a.id": {"matchers": [{"match": "equality"}]}}"#
        let expected = #"{"a": {"id": 1, "name": "n"}}"#
        #expect(try selectionCompare(expected: expected, actual: #"{"a": {"id": 1, "name": "other"}}"#, rules: rules).isEmpty)
        let rejected = try selectionCompare(expected: expected, actual: #"{"a": {"id": 2, "name": "other"}}"#, rules: rules)
        #expect(rejected.map(\.path) == ["$.a.id"])
        #expect(rejected.map(\.message) == ["Expected 2 (Integer) to be equal to 1 (Integer)"])
    }

    @Test func sizeBoundsApplyOnlyWhereTheRuleIsDefined() throws {
        let rules = #"{"$.a": {"matchers": [{"match": "type", "min": 2}]}}"#
        let expected = #"{"a": {"x": [1, 2], "y": [3]}}"#
        // `$.a.x` inherits the type rule but not its minimum.
        #expect(try selectionCompare(expected: expected, actual: #"{"a": {"x": [7], "y": [8]}}"#, rules: rules).isEmpty)
        let rejected = try selectionCompare(expected: expected, actual: #"{"a": {"x": [7]}}"#, rules: rules)
        #expect(rejected.map(\.message) == [#"Expected {"x":[7]} (size 1) to have minimum size of 2"#, "Actual map is missing the following keys: y"])
        #expect(rejected.map(\.path) == ["$.a", "$.a"])
    }

    @Test func starIndexWildcardAppliesToEveryArrayItem() throws {
        let rules = #"{"$.items[*].id": {"matchers": [{"match": "integer"}]}}"#
        let expected = #"{"items": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]}"#
        #expect(try selectionCompare(expected: expected, actual: #"{"items": [{"id": 10, "name": "a"}, {"id": 20, "name": "b"}]}"#, rules: rules).isEmpty)
        let rejected = try selectionCompare(expected: expected, actual: #"{"items": [{"id": 10, "name": "a"}, {"id": "x", "name": "c"}]}"#, rules: rules)
        #expect(rejected.map(\.path) == ["$.items[1].id", "$.items[1].name"])
        #expect(rejected.map(\.message) == ["Expected 'x' (String) to be an integer", "Expected 'c' (String) to be equal to 'b' (String)"])
    }

    @Test func specificIndexOutweighsWildcard() throws {
        let rules = #"{"$.items[*].id": {"matchers": [{"match": "type"}]}, "$.items[0].id": {"matchers": [{"match": "equality"}]}}"#
        let expected = #"{"items": [{"id": 1}, {"id": 2}]}"#
        #expect(try selectionCompare(expected: expected, actual: #"{"items": [{"id": 1}, {"id": 9}]}"#, rules: rules).isEmpty)
        let rejected = try selectionCompare(expected: expected, actual: #"{"items": [{"id": 5}, {"id": 9}]}"#, rules: rules)
        #expect(rejected.map(\.path) == ["$.items[0].id"])
        #expect(rejected.map(\.message) == ["Expected 5 (Integer) to be equal to 1 (Integer)"])
    }

    @Test func starWildcardAppliesToEveryKeyOfTheRoot() throws {
        let rules = #"{"$.*": {"matchers": [{"match": "type"}]}}"#
        let expected = #"{"a": 1, "b": "x", "c": {"d": true}}"#
        #expect(try selectionCompare(expected: expected, actual: #"{"a": 2, "b": "y", "c": {"d": false}}"#, rules: rules).isEmpty)
        let rejected = try selectionCompare(expected: expected, actual: #"{"a": "2", "b": "y", "c": {"d": 0}}"#, rules: rules)
        #expect(rejected.map(\.path) == ["$.a", "$.c.d"])
        #expect(rejected.map(\.message) == [
            "Expected '2' (String) to be the same type as 1 (Integer)",
            "Expected 0 (Integer) to be the same type as true (Boolean)",
        ])
    }

    @Test func v2RulesKeyedByBodyPathAreApplied() throws {
        let rules = #"{"$.body.id": {"match": "regex", "regex": "[0-9a-f]{4}"}, "$.body.tags": {"min": 1, "match": "type"}}"#
        let expected = #"{"id": "abcd", "tags": ["x"]}"#
        let accepted = try selectionCompare(expected: expected, actual: #"{"id": "12ef", "tags": ["p", "q"]}"#, rules: rules, specification: .v2)
        #expect(accepted.isEmpty, "\(accepted)")
        let rejected = try selectionCompare(expected: expected, actual: #"{"id": "12eg", "tags": []}"#, rules: rules, specification: .v2)
        #expect(rejected.map(\.message) == ["Expected '12eg' to match '[0-9a-f]{4}'", "Expected [] (size 0) to have minimum size of 1"])
    }

    @Test func ruleOnRootArrayAppliesToItems() throws {
        let rules = #"{"$": {"matchers": [{"match": "type", "min": 1}]}}"#
        #expect(try selectionCompare(expected: #"[{"id": 1}]"#, actual: #"[{"id": 2}, {"id": 3}]"#, rules: rules, request: true).isEmpty)
        let rejected = try selectionCompare(expected: #"[{"id": 1}]"#, actual: #"[{"id": 2}, {"id": 3, "extra": true}]"#, rules: rules, request: true)
        #expect(rejected.map(\.path) == ["$[1]"])
        #expect(rejected.map(\.message) == ["Expected a Map with keys [id] but received one with keys [extra, id]; unexpected: extra"])
    }
}
