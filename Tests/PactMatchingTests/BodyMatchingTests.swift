import PactMatching
import PactModel
import Testing

/// Reads the `body` rules of a pact from JSON text; an empty string means no rules.
fileprivate func bodyTestRules(_ text: String) throws -> RuleCategory {
    guard !text.isEmpty else { return RuleCategory() }
    return try MatchingRules(json: JSONParser.parse(#"{"body": \#(text)}"#)).body
}

/// Compares bodies with their declared content types, as a request (`request: true`) or a response.
fileprivate func bodyTestCompare(_ expected: Body, _ actual: Body, rules: String = "", request: Bool) throws -> [Mismatch] {
    BodyMatcher.compare(expected: expected, expectedType: expected.contentType, actual: actual, actualType: actual.contentType,
                        rules: try bodyTestRules(rules), allowUnexpectedKeys: !request)
}

/// Compares two JSON texts.
fileprivate func bodyTestJSON(_ expected: String, _ actual: String, rules: String = "", request: Bool) throws -> [Mismatch] {
    try bodyTestCompare(Body(json: JSONParser.parse(expected)), Body(text: actual, contentType: .json), rules: rules, request: request)
}

/// Compares two XML texts.
fileprivate func bodyTestXML(_ expected: String, _ actual: String, rules: String = "", request: Bool) throws -> [Mismatch] {
    try bodyTestCompare(Body(text: expected, contentType: .xml), Body(text: actual, contentType: .xml), rules: rules, request: request)
}

/// Compares two form-urlencoded texts.
fileprivate func bodyTestForm(_ expected: String, _ actual: String, rules: String = "", request: Bool) throws -> [Mismatch] {
    try bodyTestCompare(Body(text: expected, contentType: .form), Body(text: actual, contentType: .form), rules: rules, request: request)
}

/// A multipart/form-data body with CRLF line ends; each part is (name, content type, content).
fileprivate func bodyTestMultipart(_ parts: [(String, String, String)], boundary: String = "XyZ42") -> Body {
    var text = ""
    for (name, type, content) in parts {
        text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\nContent-Type: \(type)\r\n\r\n\(content)\r\n"
    }
    text += "--\(boundary)--\r\n"
    return Body(text: text, contentType: ContentType("multipart/form-data; boundary=\(boundary)"))
}

/// Body matching for each content type, and for absent, null and empty bodies.
@Suite("Body matching")
struct BodyMatchingTests {
    // MARK: JSON

    @Test func requestBodyRejectsUnexpectedKeyAndNamesIt() throws {
        let mismatches = try bodyTestJSON(#"{"a": 1}"#, #"{"a": 1, "b": 2}"#, request: true)
        #expect(mismatches.map(\.message) == ["Expected a Map with keys [a] but received one with keys [a, b]; unexpected: b"])
        #expect(mismatches.map(\.path) == ["$"])
    }

    @Test func aWildcardContentTypeIsReadByWhatTheBodyHolds() throws {
        // The reference mock server writes bodies it recorded as base64 with "*/*"; their JSON rules still apply.
        let recorded = Body(bytes: Array(#"{"balance": 1000}"#.utf8), contentType: ContentType("*/*"))
        let rules = #"{"$.balance": {"matchers": [{"match": "number"}]}}"#
        #expect(try bodyTestCompare(recorded, Body(text: #"{"balance": 700}"#, contentType: .json), rules: rules, request: false).isEmpty)
        let wrong = try bodyTestCompare(recorded, Body(text: #"{"balance": "700"}"#, contentType: .json), rules: rules, request: false)
        #expect(wrong.map(\.path) == ["$.balance"])
    }

    @Test func aKafkaSchemaRegistryBodyIsMatchedByTheJSONAfterItsFiveByteHeader() throws {
        let type = try #require(ContentType("application/vnd.schemaregistry.v1+json"))
        let expected = Body(text: #"{"one": "a", "two": "b"}"#, contentType: type)
        // The wire format: magic byte 0, a 4-byte schema ID, then the JSON document.
        let wire = [0, 0, 0, 0, 2] + Array(#"{"one": "a", "two": "b"}"#.utf8)
        #expect(try bodyTestCompare(expected, Body(bytes: wire, contentType: type), request: false).isEmpty)
        let different = [0, 0, 0, 0, 2] + Array(#"{"one": "x", "two": "b"}"#.utf8)
        #expect(try bodyTestCompare(expected, Body(bytes: different, contentType: type), request: false).map(\.path) == ["$.one"])
        // The header is only skipped for that type, and a body too short to hold it is a parse failure, not a crash.
        let plain = try bodyTestCompare(Body(json: ["one": "a"]), Body(bytes: [0, 0, 0, 0, 2] + Array(#"{"one": "a"}"#.utf8), contentType: .json), request: false)
        #expect(plain.first?.message.hasPrefix("Failed to parse the actual body as JSON") == true)
        let short = try bodyTestCompare(expected, Body(bytes: [0, 0, 2], contentType: type), request: false)
        #expect(short.first?.message.hasPrefix("Failed to parse the actual body as JSON") == true)
    }

    @Test func responseBodyAllowsUnexpectedKey() throws {
        #expect(try bodyTestJSON(#"{"a": 1}"#, #"{"a": 1, "b": 2}"#, request: false).isEmpty)
    }

    @Test func missingKeyIsReportedForResponses() throws {
        let mismatches = try bodyTestJSON(#"{"a": 1, "b": {"c": 2}}"#, #"{"a": 1}"#, request: false)
        #expect(mismatches.map(\.message) == ["Actual map is missing the following keys: b"])
        #expect(mismatches.first?.kind == .body)
    }

    @Test func missingKeyIsReportedForRequests() throws {
        let mismatches = try bodyTestJSON(#"{"a": 1, "b": 2}"#, #"{"a": 1}"#, request: true)
        #expect(mismatches.map(\.message) == ["Expected a Map with keys [a, b] but received one with keys [a]; missing: b"])
    }

    @Test func emptyExpectedMapRejectsKeysInRequests() throws {
        let mismatches = try bodyTestJSON(#"{"a": {}}"#, #"{"a": {"x": 1}}"#, request: true)
        #expect(mismatches.map(\.message) == [#"Expected an empty Map but received {"x":1}"#])
        #expect(mismatches.map(\.path) == ["$.a"])
    }

    @Test func longerArrayReportsLength() throws {
        let mismatches = try bodyTestJSON("[1, 2]", "[1, 2, 3]", request: false)
        #expect(mismatches.map(\.message) == ["Expected a List with 2 elements but received 3 elements"])
        #expect(mismatches.map(\.path) == ["$"])
    }

    @Test func shorterArrayReportsMissingItemAndLength() throws {
        let mismatches = try bodyTestJSON(#"{"list": [1, 2]}"#, #"{"list": [1]}"#, request: false)
        #expect(mismatches.map(\.message) == ["Expected 2 but was missing", "Expected a List with 2 elements but received 1 elements"])
        #expect(mismatches.map(\.path) == ["$.list", "$.list"])
    }

    @Test func emptyExpectedListRejectsItems() throws {
        let mismatches = try bodyTestJSON(#"{"list": []}"#, #"{"list": [1]}"#, request: false)
        #expect(mismatches.map(\.message) == ["Expected an empty List but received [1]"])
    }

    @Test func nestedMismatchCarriesFullPath() throws {
        let mismatches = try bodyTestJSON(#"{"a": {"b": [{"c": 1}, {"c": 2}]}}"#, #"{"a": {"b": [{"c": 1}, {"c": 3}]}}"#, request: false)
        #expect(mismatches.count == 1)
        #expect(mismatches.first?.path == "$.a.b[1].c")
        #expect(mismatches.first?.message == "Expected 3 (Integer) to be equal to 2 (Integer)")
        #expect(mismatches.first?.expected == "2")
        #expect(mismatches.first?.actual == "3")
    }

    @Test func keysThatAreNotIdentifiersAreQuotedInPaths() throws {
        let mismatches = try bodyTestJSON(#"{"x y": {"0": "a"}}"#, #"{"x y": {"0": "b"}}"#, request: false)
        #expect(mismatches.map(\.path) == ["$['x y'][0]"])
    }

    @Test func objectWhereArrayExpectedIsATypeMismatch() throws {
        let mismatches = try bodyTestJSON(#"{"a": [1]}"#, #"{"a": {"b": 1}}"#, request: false)
        #expect(mismatches.map(\.message) == [#"Type mismatch: Expected {"b":1} (Object) to be the same type as [1] (Array)"#])
    }

    @Test func actualBodyThatIsNotJSONIsReported() throws {
        let broken = "{\"a\": 1"
        var reason = ""
        do { _ = try JSONParser.parse(broken) } catch { reason = error.description }
        #expect(!reason.isEmpty)
        let mismatches = try bodyTestCompare(Body(json: ["a": 1]), Body(text: broken, contentType: .json), request: false)
        #expect(mismatches.map(\.message) == ["Failed to parse the actual body as JSON: \(reason)"])
        #expect(mismatches.map(\.kind) == [.body])
    }

    // MARK: XML

    static let userXML = #"<?xml version="1.0" encoding="UTF-8"?><user id="1"><name>Bob</name><age>30</age></user>"#

    @Test func equalXMLMatches() throws {
        let reformatted = "<user id=\"1\">\n  <name>Bob</name>\n  <age>30</age>\n</user>"
        #expect(try bodyTestXML(Self.userXML, reformatted, request: true).isEmpty)
    }

    @Test func xmlElementTextMismatchUsesTextPath() throws {
        let mismatches = try bodyTestXML(Self.userXML, #"<user id="1"><name>Alice</name><age>30</age></user>"#, request: true)
        #expect(mismatches.map(\.path) == ["$.user.name['#text']"])
        #expect(mismatches.map(\.message) == ["Expected text 'Bob' but received 'Alice'"])
    }

    @Test func xmlAttributeMismatchUsesAttributePath() throws {
        let mismatches = try bodyTestXML(Self.userXML, #"<user id="2"><name>Bob</name><age>30</age></user>"#, request: true)
        #expect(mismatches.map(\.path) == ["$.user['@id']"])
        #expect(mismatches.map(\.message) == ["Expected attribute 'id' '1' but received '2'"])
    }

    @Test func xmlMissingAttributeAndChildAreReported() throws {
        let mismatches = try bodyTestXML(Self.userXML, #"<user><name>Bob</name></user>"#, request: false)
        #expect(mismatches.map(\.path) == ["$.user['@id']", "$.user.age"])
        #expect(mismatches.map(\.message) == ["Expected attribute 'id' but was missing", "Expected child <age/> but was missing"])
    }

    @Test func xmlUnexpectedChildFailsRequestsOnly() throws {
        let actual = #"<user id="1"><name>Bob</name><age>30</age><email>b@x</email></user>"#
        let mismatches = try bodyTestXML(Self.userXML, actual, request: true)
        #expect(mismatches.map(\.message) == ["Unexpected child <email/> in <user>"])
        #expect(mismatches.map(\.path) == ["$.user.email"])
        #expect(try bodyTestXML(Self.userXML, actual, request: false).isEmpty)
    }

    @Test func xmlDifferentRootIsReported() throws {
        let mismatches = try bodyTestXML("<a/>", "<b/>", request: false)
        #expect(mismatches.map(\.message) == ["Expected element <a> but received <b>"])
    }

    @Test func xmlTypeRuleOnRepeatedElementsMatchesEveryElementWithTheFirst() throws {
        let expected = #"<items><item id="1">a</item></items>"#
        let rules = #"{"$.items.item": {"matchers": [{"match": "type", "min": 1}]}}"#
        let actual = #"<items><item id="7">x</item><item id="8">y</item><item id="9">z</item></items>"#
        #expect(try bodyTestXML(expected, actual, rules: rules, request: true).isEmpty)
        let empty = try bodyTestXML(expected, "<items></items>", rules: rules, request: true)
        #expect(empty.map(\.message) == ["Expected at least 1 <item> element(s) but received 0"])
        #expect(empty.map(\.path) == ["$.items.item"])
    }

    @Test func xmlTypeRuleWithoutMinimumStillNeedsOneElement() throws {
        let rules = #"{"$.items.item": {"matchers": [{"match": "type"}]}}"#
        let expected = #"<items><item>a</item></items>"#
        #expect(try bodyTestXML(expected, "<items><item>b</item><item>c</item></items>", rules: rules, request: true).isEmpty)
        let none = try bodyTestXML(expected, "<items></items>", rules: rules, request: true)
        #expect(none.map(\.message) == ["Expected child <item/> but was missing"])
        let allowed = try bodyTestXML(expected, "<items></items>", rules: #"{"$.items.item": {"matchers": [{"match": "type", "min": 0}]}}"#, request: true)
        #expect(allowed.isEmpty)
    }

    @Test func xmlRepeatedElementsWithoutRulesMustMatchCountInRequests() throws {
        let mismatches = try bodyTestXML("<l><i>1</i><i>2</i></l>", "<l><i>1</i><i>3</i><i>4</i></l>", request: true)
        #expect(mismatches.map(\.message) == ["Expected text '2' but received '3'", "Expected 2 <i> child element(s) but received 3"])
        #expect(mismatches.map(\.path) == ["$.l.i[1]['#text']", "$.l.i"])
    }

    @Test func xmlRepeatedElementsBeyondTheExampleAreAllowedInResponses() throws {
        // As unexpected keys are: the specification's "unexpected index with not null value" XML response cases.
        let mismatches = try bodyTestXML("<l><i>1</i><i>2</i></l>", "<l><i>1</i><i>3</i><i>4</i></l>", request: false)
        #expect(mismatches.map(\.message) == ["Expected text '2' but received '3'"])
        #expect(try bodyTestXML("<l><i>1</i><i>2</i></l>", "<l><i>1</i><i>2</i><i>4</i></l>", request: false).isEmpty)
    }

    @Test func xmlTextRuleUsesHashTextPath() throws {
        let rules = #"{"$.values.one['#text']": {"matchers": [{"match": "regex", "regex": "\\d+"}]}}"#
        let expected = "<values><one>1</one><two>x</two></values>"
        #expect(try bodyTestXML(expected, "<values><one>42</one><two>x</two></values>", rules: rules, request: true).isEmpty)
        let mismatches = try bodyTestXML(expected, "<values><one>4a</one><two>x</two></values>", rules: rules, request: true)
        #expect(mismatches.map(\.path) == ["$.values.one['#text']"])
        #expect(mismatches.map(\.message) == [#"Expected '4a' to match '\d+'"#])
    }

    @Test func xmlAttributeRuleUsesAtPath() throws {
        let rules = #"{"$.user['@id']": {"matchers": [{"match": "integer"}]}}"#
        #expect(try bodyTestXML(Self.userXML, #"<user id="77"><name>Bob</name><age>30</age></user>"#, rules: rules, request: true).isEmpty)
        let mismatches = try bodyTestXML(Self.userXML, #"<user id="x7"><name>Bob</name><age>30</age></user>"#, rules: rules, request: true)
        #expect(mismatches.map(\.path) == ["$.user['@id']"])
        #expect(mismatches.map(\.message) == ["Expected 'x7' (String) to be an integer"])
    }

    @Test func xmlRulesWithoutIndexApplyToEveryRepeatedElement() throws {
        // Pact XML rule paths carry no index: `$.values.one['#text']` applies to each <one>, as in pact-reference.
        let rules = #"""
        {"$.values.one": {"matchers": [{"match": "type"}]},
         "$.values.one['#text']": {"matchers": [{"match": "regex", "regex": "\\d+"}]},
         "$.values.one['@id']": {"matchers": [{"match": "integer"}]}}
        """#
        let expected = #"<values><one id="1">1</one></values>"#
        let accepted = try bodyTestXML(expected, #"<values><one id="5">10</one><one id="6">20</one></values>"#, rules: rules, request: true)
        #expect(accepted.isEmpty, "\(accepted)")
        let rejected = try bodyTestXML(expected, #"<values><one id="5">10</one><one id="z">x</one></values>"#, rules: rules, request: true)
        #expect(rejected.map(\.message) == ["Expected 'z' (String) to be an integer", #"Expected 'x' to match '\d+'"#])
        #expect(rejected.map(\.path) == ["$.values.one[1]['@id']", "$.values.one[1]['#text']"])
    }

    @Test func xmlTypeRuleOnParentCascadesToChildren() throws {
        let rules = #"{"$.foo": {"matchers": [{"match": "type"}]}}"#
        #expect(try bodyTestXML("<foo><one>a</one></foo>", "<foo><one>b</one><one>c</one><one>d</one></foo>", rules: rules, request: true).isEmpty)
    }

    // MARK: Forms

    @Test func formMissingFieldIsReported() throws {
        let mismatches = try bodyTestForm("a=1&b=2", "a=1", request: true)
        #expect(mismatches.map(\.message) == ["Expected form post parameter 'b' but was missing"])
        #expect(mismatches.map(\.path) == ["$.b"])
    }

    @Test func formUnexpectedFieldFailsRequestsOnly() throws {
        let mismatches = try bodyTestForm("a=1", "a=1&c=3", request: true)
        #expect(mismatches.map(\.message) == ["Unexpected form post parameter 'c' received"])
        #expect(mismatches.map(\.path) == ["$.c"])
        #expect(try bodyTestForm("a=1", "a=1&c=3", request: false).isEmpty)
    }

    @Test func formValueMismatchIsReported() throws {
        let mismatches = try bodyTestForm("a=1&b=hello+world", "a=1&b=hello%20there", request: true)
        #expect(mismatches.map(\.message) == ["Expected form post parameter 'b' with value 'hello world' but was 'hello there'"])
    }

    @Test func formRuleAppliesToField() throws {
        let rules = #"{"$.a": {"matchers": [{"match": "regex", "regex": "\\d+"}]}}"#
        #expect(try bodyTestForm("a=1&b=x", "b=x&a=900", rules: rules, request: true).isEmpty)
        let mismatches = try bodyTestForm("a=1&b=x", "a=9z&b=x", rules: rules, request: true)
        #expect(mismatches.map(\.message) == [#"Expected '9z' to match '\d+'"#])
        #expect(mismatches.map(\.path) == ["$.a"])
    }

    // MARK: Multipart

    @Test func multipartMatchesEqualParts() throws {
        let expected = bodyTestMultipart([("note", "text/plain", "hello"), ("data", "application/json", #"{"x":1}"#)])
        let actual = bodyTestMultipart([("note", "text/plain", "hello"), ("data", "application/json", #"{"x": 1}"#)], boundary: "other-boundary")
        #expect(try bodyTestCompare(expected, actual, request: true).isEmpty)
    }

    @Test func multipartReportsTheDifferingPart() throws {
        let expected = bodyTestMultipart([("note", "text/plain", "hello"), ("data", "application/json", #"{"x":1}"#)])
        let actual = bodyTestMultipart([("note", "text/plain", "hello"), ("data", "application/json", #"{"x":2}"#)])
        let mismatches = try bodyTestCompare(expected, actual, request: true)
        #expect(mismatches.map(\.message) == ["Part 'data': Expected 2 (Integer) to be equal to 1 (Integer)"])
        #expect(mismatches.map(\.path) == ["$.data.x"])
    }

    @Test func multipartReportsTextPartAndMissingPart() throws {
        let expected = bodyTestMultipart([("note", "text/plain", "hello"), ("file", "application/octet-stream", "abc")])
        let actual = bodyTestMultipart([("note", "text/plain", "bye")])
        let mismatches = try bodyTestCompare(expected, actual, request: true)
        #expect(mismatches.map(\.message) == ["Part 'note': Expected body 'hello' to match 'bye' using equality but did not match", "Expected a multipart part 'file' but was missing"])
        #expect(mismatches.map(\.path) == ["$.note", "$.file"])
    }

    @Test func multipartRuleAtPartNameAppliesInsideThePart() throws {
        let rules = #"{"$.note": {"matchers": [{"match": "regex", "regex": "h.*"}]}}"#
        let expected = bodyTestMultipart([("note", "text/plain", "hello")])
        #expect(try bodyTestCompare(expected, bodyTestMultipart([("note", "text/plain", "hi")]), rules: rules, request: true).isEmpty)
        let mismatches = try bodyTestCompare(expected, bodyTestMultipart([("note", "text/plain", "bye")]), rules: rules, request: true)
        #expect(mismatches.map(\.message) == ["Part 'note': Expected 'bye' to match 'h.*'"])
    }

    // MARK: Text and binary

    @Test func textBodiesCompareByEquality() throws {
        #expect(try bodyTestCompare(Body(text: "hello", contentType: .text), Body(text: "hello", contentType: .text), request: true).isEmpty)
        let mismatches = try bodyTestCompare(Body(text: "hello", contentType: .text), Body(text: "bye", contentType: .text), request: true)
        #expect(mismatches.map(\.message) == ["Expected body 'hello' to match 'bye' using equality but did not match"])
        #expect(mismatches.map(\.path) == ["$"])
    }

    @Test func textBodyRegexRuleAtRoot() throws {
        let rules = #"{"$": {"matchers": [{"match": "regex", "regex": "order-\\d+"}]}}"#
        let expected = Body(text: "order-1", contentType: .text)
        #expect(try bodyTestCompare(expected, Body(text: "order-991", contentType: .text), rules: rules, request: true).isEmpty)
        let mismatches = try bodyTestCompare(expected, Body(text: "order-9x", contentType: .text), rules: rules, request: true)
        #expect(mismatches.map(\.message) == [#"Expected 'order-9x' to match 'order-\d+'"#])
    }

    @Test func binaryBodiesCompareBytes() throws {
        let type = ContentType("application/octet-stream")
        let expected = Body(bytes: [0, 1, 2, 0xFF], contentType: type)
        #expect(try bodyTestCompare(expected, Body(bytes: [0, 1, 2, 0xFF], contentType: type), request: true).isEmpty)
        let mismatches = try bodyTestCompare(expected, Body(bytes: [0, 1, 3], contentType: type), request: true)
        #expect(mismatches.map(\.message) == ["Actual body [application/octet-stream, 3 bytes, starting with 000103] is not equal to the expected body [application/octet-stream, 4 bytes, starting with 000102ff]"])
    }

    @Test func binaryNotEmptyRuleAcceptsAnyBytesButNotNone() throws {
        let rules = #"{"$": {"matchers": [{"match": "notEmpty"}]}}"#
        let type = ContentType("application/octet-stream")
        let expected = Body(bytes: [0, 1, 2], contentType: type)
        #expect(try bodyTestCompare(expected, Body(bytes: [9, 8], contentType: type), rules: rules, request: true).isEmpty)
        let mismatches = try bodyTestCompare(expected, Body(bytes: [], contentType: type), rules: rules, request: true)
        #expect(mismatches.map(\.message) == ["Expected [] (0 bytes) to not be empty"])
    }

    // MARK: Content types and absent bodies

    @Test func jsonExpectedButTextReceivedIsABodyTypeMismatch() throws {
        let mismatches = try bodyTestCompare(Body(json: ["a": 1]), Body(text: "a=1", contentType: .text), request: true)
        #expect(mismatches.map(\.kind) == [.bodyType])
        #expect(mismatches.map(\.message) == ["Expected a body of 'application/json' but the actual content type was 'text/plain'"])
        #expect(mismatches.first?.expected == "application/json")
        #expect(mismatches.first?.actual == "text/plain")
    }

    @Test func jsonVendorTypesAreCompatible() throws {
        let actual = Body(text: #"{"a": 1}"#, contentType: ContentType("application/vnd.api+json"))
        #expect(try bodyTestCompare(Body(json: ["a": 1]), actual, request: true).isEmpty)
    }

    @Test func missingExpectedBodyAcceptsAnything() throws {
        #expect(try bodyTestCompare(.missing, Body(text: "anything"), request: true).isEmpty)
    }

    @Test func nullExpectedBodyAcceptsOnlyNullOrNothing() throws {
        #expect(try bodyTestCompare(.null, .missing, request: true).isEmpty)
        #expect(try bodyTestCompare(.null, Body(text: "null", contentType: .json), request: true).isEmpty)
        let mismatches = try bodyTestCompare(.null, Body(text: #"{"a":1}"#, contentType: .json), request: true)
        #expect(mismatches.map(\.message) == [#"Expected a null body but received '{"a":1}'"#])
    }

    @Test func emptyExpectedBodyRejectsContentInRequestsOnly() throws {
        let mismatches = try bodyTestCompare(Body(text: ""), Body(text: "x", contentType: .text), request: true)
        #expect(mismatches.map(\.message) == ["Expected an empty body but received 'x'"])
        #expect(try bodyTestCompare(Body(text: ""), Body(text: "x", contentType: .text), request: false).isEmpty)
    }

    @Test func missingActualBodyIsReported() throws {
        let mismatches = try bodyTestCompare(Body(json: ["a": 1]), .missing, request: false)
        #expect(mismatches.map(\.message) == [#"Expected body '{"a":1}' but the actual body was empty"#])
        #expect(mismatches.first?.actual == nil)
    }
}
