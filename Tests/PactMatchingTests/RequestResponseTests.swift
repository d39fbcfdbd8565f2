import PactMatching
import PactModel
import Testing

/// Reads matching rules from pact JSON text.
fileprivate func requestTestRules(_ text: String, specification: PactSpecification = .v4) throws -> MatchingRules {
    try MatchingRules(json: JSONParser.parse(text), specification: specification)
}

/// Compares only the headers, under `header` rules given as pact JSON (empty for none).
fileprivate func requestTestHeaders(_ expected: [(String, String)], _ actual: [(String, String)], rules: String = "") throws -> [Mismatch] {
    let category = rules.isEmpty ? RuleCategory() : try requestTestRules(#"{"header": \#(rules)}"#)["header"]
    return HeaderMatcher.compare(expected: HTTPHeaders(expected), actual: HTTPHeaders(actual), rules: category)
}

/// Compares two GET requests that differ only in their query.
fileprivate func requestTestQuery(_ expected: String, _ actual: String, rules: String = "") throws -> [Mismatch] {
    let matchingRules = rules.isEmpty ? MatchingRules() : try requestTestRules(#"{"query": \#(rules)}"#)
    let wanted = HTTPRequest(method: "GET", path: "/q", query: QueryParameters(parsing: expected), matchingRules: matchingRules)
    let received = HTTPRequest(method: "GET", path: "/q", query: QueryParameters(parsing: actual))
    return RequestMatcher.compare(expected: wanted, actual: received)
}

/// Method, path, query, headers and status of requests and responses, and message contents with metadata.
@Suite("Requests, responses and messages")
struct RequestResponseTests {
    // MARK: Method and path

    @Test func methodComparesCaseInsensitively() {
        #expect(RequestLineMatcher.compareMethod(expected: "get", actual: "GET").isEmpty)
        #expect(RequestLineMatcher.compareMethod(expected: "Patch", actual: "pAtCh").isEmpty)
    }

    @Test func differentMethodIsReported() {
        let mismatches = RequestMatcher.compare(expected: HTTPRequest(method: "post", path: "/"), actual: HTTPRequest(method: "GET", path: "/"))
        #expect(mismatches.map(\.kind) == [.method])
        #expect(mismatches.map(\.message) == ["Expected method 'POST' but received 'GET'"])
    }

    @Test func pathComparesExactly() {
        #expect(RequestMatcher.compare(expected: HTTPRequest(path: "/users/1"), actual: HTTPRequest(path: "/users/1")).isEmpty)
        let mismatches = RequestMatcher.compare(expected: HTTPRequest(path: "/users/1"), actual: HTTPRequest(path: "/users/1/"))
        #expect(mismatches.map(\.kind) == [.path])
        #expect(mismatches.map(\.message) == ["Expected path '/users/1' but received '/users/1/'"])
    }

    @Test func pathRegexRuleMatchesWholePath() throws {
        let rules = try requestTestRules(#"{"path": {"matchers": [{"match": "regex", "regex": "/users/\\d+"}]}}"#)
        let expected = HTTPRequest(path: "/users/1", matchingRules: rules)
        #expect(RequestMatcher.compare(expected: expected, actual: HTTPRequest(path: "/users/42")).isEmpty)
        let mismatches = RequestMatcher.compare(expected: expected, actual: HTTPRequest(path: "/users/42/orders"))
        #expect(mismatches.map(\.message) == [#"Expected '/users/42/orders' to match '/users/\d+'"#])
        #expect(mismatches.map(\.kind) == [.path])
    }

    @Test func v2PathRuleIsRead() throws {
        let rules = try requestTestRules(#"{"$.path": {"match": "regex", "regex": "/items/[a-z]+"}}"#, specification: .v2)
        let expected = HTTPRequest(path: "/items/abc", matchingRules: rules)
        #expect(RequestMatcher.compare(expected: expected, actual: HTTPRequest(path: "/items/xyz")).isEmpty)
        #expect(RequestMatcher.compare(expected: expected, actual: HTTPRequest(path: "/items/X1")).map(\.kind) == [.path])
    }

    // MARK: Query

    @Test func missingQueryParameterIsReported() throws {
        let mismatches = try requestTestQuery("a=1&b=2", "a=1")
        #expect(mismatches.map(\.message) == ["Expected query parameter 'b' but was missing"])
        #expect(mismatches.map(\.kind) == [.query])
        #expect(mismatches.map(\.path) == ["b"])
    }

    @Test func unexpectedQueryParameterIsReported() throws {
        let mismatches = try requestTestQuery("a=1", "a=1&c=3")
        #expect(mismatches.map(\.message) == ["Unexpected query parameter 'c' received"])
        #expect(mismatches.map(\.path) == ["c"])
    }

    @Test func queryValueMismatchIsReported() throws {
        #expect(try requestTestQuery("a=1&b=x%20y", "b=x+y&a=1").isEmpty)
        let mismatches = try requestTestQuery("a=1&b=2", "a=1&b=3")
        #expect(mismatches.map(\.message) == ["Expected '2' but received '3' for query parameter 'b'"])
        #expect(mismatches.first?.expected == "2")
        #expect(mismatches.first?.actual == "3")
    }

    @Test func repeatedQueryValuesCompareInOrder() throws {
        #expect(try requestTestQuery("a=1&a=2", "a=1&a=2").isEmpty)
        let swapped = try requestTestQuery("a=1&a=2", "a=2&a=1")
        #expect(swapped.map(\.message) == ["Expected '1' but received '2' for query parameter 'a'", "Expected '2' but received '1' for query parameter 'a'"])
        let extra = try requestTestQuery("a=1", "a=1&a=5")
        #expect(extra.map(\.message) == ["Unexpected value(s) '5' for query parameter 'a'"])
        let fewer = try requestTestQuery("a=1&a=2", "a=1")
        #expect(fewer.map(\.message) == ["Expected query parameter 'a' value '2' but was missing"])
    }

    @Test("number rule coerces query text", arguments: [
        ("100", [String]()),
        ("1.5", [String]()),
        ("abc", ["Expected 'abc' (String) to be a number"]),
    ])
    func queryNumberRuleCoercesText(actual: String, messages: [String]) throws {
        let mismatches = try requestTestQuery("limit=10", "limit=\(actual)", rules: #"{"limit": {"matchers": [{"match": "number"}]}}"#)
        #expect(mismatches.map(\.message) == messages)
    }

    @Test func queryIntegerRuleRejectsDecimalText() throws {
        let rules = #"{"page": {"matchers": [{"match": "integer"}]}}"#
        #expect(try requestTestQuery("page=1", "page=100", rules: rules).isEmpty)
        #expect(try requestTestQuery("page=1", "page=1.5", rules: rules).map(\.message) == ["Expected '1.5' (String) to be an integer"])
    }

    @Test func queryTypeRuleWithMinChecksValueCount() throws {
        let rules = #"{"id": {"matchers": [{"match": "type", "min": 2}]}}"#
        #expect(try requestTestQuery("id=1&id=2", "id=5&id=6&id=7", rules: rules).isEmpty)
        let mismatches = try requestTestQuery("id=1&id=2", "id=5", rules: rules)
        #expect(mismatches.map(\.message) == ["Expected query parameter 'id' to have at least 2 value(s) but received 1"])
    }

    @Test func v1RawQueryComparesTheStringExactly() {
        let expected = HTTPRequest(method: "GET", path: "/", rawQuery: "a=1&b=2")
        #expect(RequestMatcher.compare(expected: expected, actual: HTTPRequest(method: "GET", path: "/", rawQuery: "a=1&b=2")).isEmpty)
        let mismatches = RequestMatcher.compare(expected: expected, actual: HTTPRequest(method: "GET", path: "/", rawQuery: "b=2&a=1"))
        #expect(mismatches.map(\.message) == ["Expected query string 'a=1&b=2' but received 'b=2&a=1'"])
        #expect(mismatches.map(\.kind) == [.query])
    }

    // MARK: Headers

    @Test func headerNamesCompareCaseInsensitively() throws {
        #expect(try requestTestHeaders([("X-Request-Id", "abc")], [("x-request-id", "abc"), ("Other", "1")]).isEmpty)
    }

    @Test func missingHeaderIsReported() throws {
        let mismatches = try requestTestHeaders([("X-Request-Id", "abc")], [("Other", "1")])
        #expect(mismatches.map(\.message) == ["Expected a header 'X-Request-Id' but was missing"])
        #expect(mismatches.map(\.kind) == [.header])
        #expect(mismatches.map(\.path) == ["X-Request-Id"])
    }

    @Test func headerValueMismatchIsReported() throws {
        let mismatches = try requestTestHeaders([("X-Version", "2")], [("X-Version", "3")])
        #expect(mismatches.map(\.message) == ["Expected header 'X-Version' to have value '2' but was '3'"])
    }

    @Test func commaSeparatedHeaderValuesIgnoreSpacing() throws {
        #expect(try requestTestHeaders([("X-List", "a, b")], [("X-List", "a,b")]).isEmpty)
        #expect(try requestTestHeaders([("X-List", "a"), ("X-List", "b")], [("X-List", "a, b")]).isEmpty)
        let mismatches = try requestTestHeaders([("X-List", "a, b")], [("X-List", "a, c")])
        #expect(mismatches.map(\.message) == ["Expected header 'X-List' to have value 'a, b' but was 'a, c'"])
    }

    @Test func dateHeaderIsNotSplitAtCommas() throws {
        let date = "Tue, 15 Nov 1994 08:12:31 GMT"
        #expect(try requestTestHeaders([("Date", date)], [("date", date)]).isEmpty)
        #expect(try requestTestHeaders([("Date", date)], [("Date", "Wed, 16 Nov 1994 08:12:31 GMT")]).count == 1)
    }

    @Test("content-type compares media type and expected parameters", arguments: [
        ("application/json;charset=UTF-8", "application/json;charset=UTF-8", true),
        ("application/json;charset=UTF-8", "application/json; charset=utf-8", true),
        ("application/json", "application/json;charset=UTF-8", true),
        ("application/json;charset=UTF-8", "application/json", false),
        ("application/json;charset=UTF-8", "application/json;charset=ISO-8859-1", false),
        ("application/json", "text/json", false),
    ])
    func contentTypeHeaderComparesParameters(expected: String, actual: String, matches: Bool) throws {
        let mismatches = try requestTestHeaders([("Content-Type", expected)], [("content-type", actual)])
        if matches {
            #expect(mismatches.isEmpty, "\(mismatches)")
        } else {
            #expect(mismatches.map(\.message) == ["Expected header 'Content-Type' to have value '\(expected)' but was '\(actual)'"])
        }
    }

    @Test func acceptHeaderComparesEachMediaRangeWithItsParameters() throws {
        let expected = [("Accept", "application/json;q=0.9, text/plain")]
        #expect(try requestTestHeaders(expected, [("Accept", "application/json; q=0.9,text/plain")]).isEmpty)
        let mismatches = try requestTestHeaders(expected, [("Accept", "application/json;q=0.8, text/plain")])
        #expect(mismatches.map(\.message) == ["Expected header 'Accept' to have value 'application/json;q=0.9, text/plain' but was 'application/json;q=0.8, text/plain'"])
    }

    @Test func headerRegexRuleIsNamedInTheMessage() throws {
        let rules = #"{"X-Id": {"matchers": [{"match": "regex", "regex": "\\d+"}]}}"#
        #expect(try requestTestHeaders([("X-Id", "1")], [("x-id", "12345")], rules: rules).isEmpty)
        let mismatches = try requestTestHeaders([("X-Id", "1")], [("X-Id", "12a")], rules: rules)
        #expect(mismatches.map(\.message) == [#"Mismatch with header 'X-Id': Expected '12a' to match '\d+'"#])
    }

    @Test func headerMismatchesAppearInRequestComparison() {
        let expected = HTTPRequest(method: "GET", path: "/", headers: ["Accept": "application/json"])
        let mismatches = RequestMatcher.compare(expected: expected, actual: HTTPRequest(method: "GET", path: "/", headers: ["Accept": "text/html"]))
        #expect(mismatches.map(\.kind) == [.header])
        #expect(mismatches.map(\.message) == ["Expected header 'Accept' to have value 'application/json' but was 'text/html'"])
    }

    // MARK: Status and whole responses

    @Test func statusComparesExactly() {
        #expect(RequestMatcher.compare(expected: HTTPResponse(status: 201), actual: HTTPResponse(status: 201)).isEmpty)
        let mismatches = RequestMatcher.compare(expected: HTTPResponse(status: 200), actual: HTTPResponse(status: 201))
        #expect(mismatches.map(\.message) == ["Expected status code 200 but received 201"])
        #expect(mismatches.map(\.kind) == [.status])
    }

    @Test func responseReportsStatusHeaderAndBodyTogether() throws {
        let expected = HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Body(json: ["id": 1]))
        let actual = HTTPResponse(status: 404, headers: ["Content-Type": "application/json"], body: Body(text: #"{"id": 2, "more": true}"#, contentType: .json))
        let mismatches = RequestMatcher.compare(expected: expected, actual: actual)
        #expect(mismatches.map(\.kind) == [.status, .body])
        #expect(mismatches.map(\.message) == ["Expected status code 200 but received 404",
                                              "Expected 2 (Integer) to be equal to 1 (Integer)"])
    }

    @Test func requestBodyUsesContentTypeHeader() {
        let expected = HTTPRequest(method: "POST", path: "/", headers: ["Content-Type": "application/json"], body: Body(json: ["a": 1]))
        let actual = HTTPRequest(method: "POST", path: "/", headers: ["Content-Type": "application/json"], body: Body(text: #"{"a":1,"b":2}"#))
        let mismatches = RequestMatcher.compare(expected: expected, actual: actual)
        #expect(mismatches.map(\.message) == ["Expected a Map with keys [a] but received one with keys [a, b]; unexpected: b"])
    }

    // MARK: Messages

    static let orderMessage = MessageContents(contents: Body(json: ["id": 1, "status": "new"]),
                                              metadata: ["contentType": "application/json", "topic": "orders"])

    @Test func equalMessagesMatchAndExtraKeysAreAllowed() {
        let actual = MessageContents(contents: Body(text: #"{"id": 1, "status": "new", "extra": 1}"#, contentType: .json),
                                     metadata: ["contentType": "application/json", "topic": "orders", "key": "k1"])
        #expect(RequestMatcher.compare(expected: Self.orderMessage, actual: actual).isEmpty)
    }

    @Test func messageMetadataMissingAndDifferentAreReported() {
        let missing = MessageContents(contents: Body(json: ["id": 1, "status": "new"]), metadata: ["contentType": "application/json"])
        let missingMismatches = RequestMatcher.compare(expected: Self.orderMessage, actual: missing)
        #expect(missingMismatches.map(\.message) == ["Expected message metadata 'topic' but was missing"])
        #expect(missingMismatches.map(\.kind) == [.metadata])
        let different = MessageContents(contents: Body(json: ["id": 1, "status": "new"]), metadata: ["contentType": "application/json", "topic": "payments"])
        let differentMismatches = RequestMatcher.compare(expected: Self.orderMessage, actual: different)
        #expect(differentMismatches.map(\.message) == ["Expected message metadata 'topic' to have value 'orders' but was 'payments'"])
        #expect(differentMismatches.map(\.path) == ["topic"])
    }

    @Test func messageContentTypeMetadataAllowsExtraCharsetParameter() {
        let actual = MessageContents(contents: Body(json: ["id": 1, "status": "new"]),
                                     metadata: ["contentType": "application/json; charset=utf-8", "topic": "orders"])
        #expect(RequestMatcher.compare(expected: Self.orderMessage, actual: actual).isEmpty)
    }

    @Test func messageRulesApplyToContentsAndMetadata() throws {
        let rules = try requestTestRules(#"""
        {"body": {"$.id": {"matchers": [{"match": "integer"}]}},
         "metadata": {"topic": {"matchers": [{"match": "regex", "regex": "orders(-v\\d)?"}]}}}
        """#)
        var expected = Self.orderMessage
        expected.matchingRules = rules
        let good = MessageContents(contents: Body(json: ["id": 99, "status": "new"]), metadata: ["contentType": "application/json", "topic": "orders-v2"])
        #expect(RequestMatcher.compare(expected: expected, actual: good).isEmpty)
        let bad = MessageContents(contents: Body(json: ["id": "99", "status": "old"]), metadata: ["contentType": "application/json", "topic": "order"])
        let mismatches = RequestMatcher.compare(expected: expected, actual: bad)
        #expect(mismatches.map(\.kind) == [.metadata, .body, .body])
        #expect(mismatches.map(\.message) == [
            #"Expected 'order' to match 'orders(-v\d)?'"#,
            "Expected '99' (String) to be an integer",
            "Expected 'old' (String) to be equal to 'new' (String)",
        ])
        #expect(mismatches.map(\.path) == ["topic", "$.id", "$.status"])
    }
}
