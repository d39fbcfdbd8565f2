import Foundation
import PactModel
import Testing

/// Reads pact text that the test expects to be valid.
func readPact(_ text: String, source: String = "test.json") throws -> LoadedPact {
    try PactReader().read(Array(text.utf8), source: source)
}

/// Reads pact text that the test expects to be rejected, returning the error (or nil when it was read).
func pactLoadError(_ text: String, source: String = "bad.json") -> PactLoadError? {
    do {
        _ = try PactReader().read(Array(text.utf8), source: source)
        return nil
    } catch {
        return error
    }
}

/// A V3 pact with one interaction whose response is `response` (JSON text).
private func v3Pact(response: String) -> String {
    """
    {"consumer": {"name": "C"}, "provider": {"name": "P"},
     "interactions": [{"description": "d", "request": {"method": "GET", "path": "/"}, "response": \(response)}],
     "metadata": {"pactSpecification": {"version": "3.0.0"}}}
    """
}

private func expression(_ text: String) throws -> PathExpression {
    try PathExpression(parsing: text)
}

// MARK: - Versions

@Suite("PactReader: V1 to V3")
struct PactReaderLegacyTests {
    @Test func aMinimalV1PactKeepsItsProviderStateAndRawQuery() throws {
        let loaded = try readPact("""
            {
              "consumer": {"name": "Zoo App"},
              "provider": {"name": "Animal Service"},
              "interactions": [{"description": "a request for an alligator", "providerState": "an alligator exists",
                "request": {"method": "get", "path": "/alligators", "query": "name=Mary&age=3&name=Bob%20Jr", "headers": {"Accept": "application/json"}},
                "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": {"name": "Mary"}}}],
              "metadata": {"pactSpecificationVersion": "1.0.0"}
            }
            """)
        let pact = loaded.pact
        #expect(loaded.warnings.isEmpty)
        #expect(pact.specification == .v1)
        #expect((pact.consumer, pact.provider) == ("Zoo App", "Animal Service"))
        #expect(pact.metadata.isEmpty)
        let interaction = try #require(pact.httpInteractions.first)
        #expect(interaction.description == "a request for an alligator")
        #expect(interaction.info.providerStates == [ProviderState("an alligator exists")])
        #expect(interaction.request.method == "GET")
        #expect(interaction.request.path == "/alligators")
        #expect(interaction.request.rawQuery == "name=Mary&age=3&name=Bob%20Jr")
        #expect(interaction.request.query["name"] == ["Mary", "Bob Jr"])
        #expect(interaction.request.headers.first("accept") == "application/json")
        #expect(interaction.request.body == .missing)
        #expect(interaction.response.status == 200)
        #expect(interaction.response.body.json == ["name": "Mary"])
        #expect(interaction.response.body.declaredContentType == .json)
    }

    @Test func aV1_1PactKeepsItsRawQueryAndTextBody() throws {
        let loaded = try readPact("""
            {"consumer": {"name": "C"}, "provider": {"name": "P"},
             "interactions": [{"description": "d", "provider_state": "s",
               "request": {"method": "PUT", "path": "/x", "query": "b=2&a=1", "headers": {"Content-Type": "text/plain"}, "body": "hi"},
               "response": {"status": 204}}],
             "metadata": {"pactSpecificationVersion": "1.1.0"}}
            """)
        #expect(loaded.pact.specification == .v1_1)
        let interaction = try #require(loaded.pact.httpInteractions.first)
        #expect(interaction.info.providerStates.map(\.name) == ["s"])
        #expect(interaction.request.rawQuery == "b=2&a=1")
        #expect(interaction.request.body.text == "hi")
        #expect(interaction.request.body.json == nil)
        #expect(interaction.response.status == 204)
        #expect(interaction.response.body == .missing)
    }

    @Test func v2FlatRuleKeysAreSortedIntoCategories() throws {
        let loaded = try readPact(#"""
            {"consumer": {"name": "C"}, "provider": {"name": "P"},
             "interactions": [{"description": "d",
               "request": {"method": "GET", "path": "/items/1", "query": "a=1&b=2",
                 "matchingRules": {
                   "$.query.a": {"match": "regex", "regex": "\\d+"},
                   "$.path": {"match": "regex", "regex": "/items/\\d+"},
                   "$.headers.X-Trace": {"match": "type"}
                 }},
               "response": {"status": 200, "body": {"name": "x", "items": [{"id": "1"}]},
                 "matchingRules": {
                   "$.body.name": {"match": "type"},
                   "$.body.items": {"min": 1},
                   "$.body.items[*].id": {"match": "regex", "regex": "\\d+"},
                   "$.header['Content-Type']": {"regex": "application/json.*"}
                 }}}],
             "metadata": {"pactSpecification": {"version": "2.0.0"}}}
            """#)
        #expect(loaded.pact.specification == .v2)
        #expect(loaded.warnings.isEmpty)
        let interaction = try #require(loaded.pact.httpInteractions.first)
        #expect(interaction.request.rawQuery == nil)
        #expect(interaction.request.query == QueryParameters([("a", "1"), ("b", "2")]))
        let request = interaction.request.matchingRules
        #expect(request["query"][PathExpression(tokens: [.field("a")])] == RuleList([.regex(try PactRegex(#"\d+"#))]))
        #expect(request["path"][.root] == RuleList([.regex(try PactRegex(#"/items/\d+"#))]))
        #expect(request["header"][PathExpression(tokens: [.field("X-Trace")])] == RuleList([.type]))
        let response = interaction.response.matchingRules
        #expect(response.body[try expression("$.name")] == RuleList([.type]))
        #expect(response.body[try expression("$.items")] == RuleList([.minType(1)]))
        #expect(response.body[try expression("$.items[*].id")] == RuleList([.regex(try PactRegex(#"\d+"#))]))
        #expect(response["header"][PathExpression(tokens: [.field("Content-Type")])] == RuleList([.regex(try PactRegex("application/json.*"))]))
        #expect(response.body.entries.count == 3)
    }

    @Test func v3CategoriesProviderStateParamsAndGeneratorsAreRead() throws {
        let loaded = try readPact(#"""
            {"consumer": {"name": "C"}, "provider": {"name": "P"},
             "interactions": [{"description": "d",
               "providerStates": [{"name": "a thing exists", "params": {"id": 42, "name": "x"}}, {"name": "second"}],
               "request": {"method": "GET", "path": "/things/42", "query": {"a": ["1", "2"], "b": ["x"]},
                 "matchingRules": {"path": {"matchers": [{"match": "regex", "regex": "/things/\\d+"}]}},
                 "generators": {"path": {"type": "ProviderState", "expression": "/things/${id}"}}},
               "response": {"status": 200, "headers": {"X-Id": "7"}, "body": {"id": 1, "name": "n"},
                 "matchingRules": {
                   "body": {"$.id": {"matchers": [{"match": "integer"}], "combine": "AND"},
                            "$.name": {"matchers": [{"match": "regex", "regex": "[a-z]+"}, {"match": "include", "value": "n"}], "combine": "OR"}},
                   "header": {"X-Id": {"matchers": [{"match": "regex", "regex": "\\d+"}]}}},
                 "generators": {"body": {"$.id": {"type": "RandomInt", "min": 1, "max": 9}},
                                "header": {"X-Id": {"type": "Uuid", "format": "simple"}},
                                "status": {"type": "RandomInt", "min": 200, "max": 299}}}}],
             "metadata": {"pactSpecification": {"version": "3.0.0"}}}
            """#)
        #expect(loaded.pact.specification == .v3)
        let interaction = try #require(loaded.pact.httpInteractions.first)
        #expect(interaction.info.providerStates == [ProviderState("a thing exists", params: ["id": 42, "name": "x"]), ProviderState("second")])
        #expect(interaction.request.query["a"] == ["1", "2"])
        #expect(interaction.request.matchingRules["path"][.root] == RuleList([.regex(try PactRegex(#"/things/\d+"#))]))
        #expect(interaction.request.generators.path == .providerState(expression: "/things/${id}", dataType: nil))
        let rules = interaction.response.matchingRules
        #expect(rules.body[try expression("$.id")] == RuleList([.integer], logic: .and))
        #expect(rules.body[try expression("$.name")] == RuleList([.regex(try PactRegex("[a-z]+")), .include("n")], logic: .or))
        #expect(rules["header"][PathExpression(tokens: [.field("X-Id")])] == RuleList([.regex(try PactRegex(#"\d+"#))]))
        let generators = interaction.response.generators
        #expect(generators.body.count == 1)
        #expect(generators.body.first?.path == (try expression("$.id")))
        #expect(generators.body.first?.generator == .randomInt(min: 1, max: 9))
        #expect(generators.headers.first?.name == "X-Id")
        #expect(generators.headers.first?.generator == .uuid(.simple))
        #expect(generators.status == .randomInt(min: 200, max: 299))
    }

    @Test func aV3MessagePactReadsMessagesWithMetadataAndRules() throws {
        let loaded = try readPact("""
            {"consumer": {"name": "Orders UI"}, "provider": {"name": "Orders"},
             "messages": [{"description": "an order created event", "providerStates": [{"name": "an order exists"}],
               "contents": {"orderId": 1}, "metadata": {"contentType": "application/json", "topic": "orders"},
               "matchingRules": {"body": {"$.orderId": {"matchers": [{"match": "integer"}]}}}}],
             "metadata": {"pactSpecification": {"version": "3.0.0"}}}
            """)
        #expect(loaded.pact.specification == .v3)
        #expect(loaded.pact.httpInteractions.isEmpty)
        guard case .asynchronousMessage(let message) = try #require(loaded.pact.interactions.first) else {
            Issue.record("expected an asynchronous message, got \(loaded.pact.interactions)")
            return
        }
        #expect(message.info.description == "an order created event")
        #expect(message.info.providerStates.map(\.name) == ["an order exists"])
        #expect(message.message.contents.json == ["orderId": 1])
        #expect(message.message.metadata["topic"] == "orders")
        #expect(message.message.matchingRules.body[try expression("$.orderId")] == RuleList([.integer]))
    }

    @Test func aPactWithoutAVersionIsReadAsV2WithAWarning() throws {
        let loaded = try readPact(#"{"consumer": {"name": "C"}, "provider": {"name": "P"}, "interactions": []}"#)
        #expect(loaded.pact.specification == .v2)
        #expect(loaded.warnings == [PactWarning(path: "$.metadata", message: "no specification version is given; reading the pact as V2")])
    }
}

// MARK: - V4

private let v4Document = #"""
    {
      "consumer": {"name": "C"}, "provider": {"name": "P"},
      "interactions": [
        {"type": "Synchronous/HTTP", "description": "create a thing", "key": "abc123", "pending": true,
         "comments": {"text": ["a comment"], "testname": "t1"},
         "providerStates": [{"name": "no things", "params": {"id": 1}}],
         "request": {"method": "POST", "path": "/things", "query": {"q": ["a b"], "flag": [null]},
           "headers": {"Content-Type": ["application/json"], "Accept": ["a", "b"]},
           "body": {"content": {"name": "x"}, "contentType": "application/json", "encoded": false}},
         "response": {"status": 201, "body": {"content": "iVBORw0KGgo=", "contentType": "image/png", "encoded": "base64"}},
         "customAttribute": {"x": 1},
         "transport": "http"},
        {"type": "Asynchronous/Messages", "description": "an event",
         "contents": {"content": {"id": 1}, "contentType": "application/json", "encoded": false},
         "metadata": {"topic": "things"},
         "matchingRules": {"content": {"$.id": {"matchers": [{"match": "integer"}]}}}},
        {"type": "Synchronous/Messages", "description": "a ping",
         "request": {"contents": {"content": "ping", "contentType": "text/plain", "encoded": false}},
         "response": [{"contents": {"content": "pong", "contentType": "text/plain", "encoded": false}}]},
        {"type": "Synchronous/Carrier-Pigeon", "description": "a bird"}
      ],
      "metadata": {"pactSpecification": {"version": "4.0"}, "pactRust": {"models": "1.2.3"}}
    }
    """#

@Suite("PactReader: V4")
struct PactReaderV4Tests {
    @Test func statusAndPathRulesKeyedByDollarAsTheRustImplementationWritesThemAreRead() throws {
        // pact-python 4 (the Rust FFI) writes unkeyed categories as if they had paths.
        let loaded = try readPact("""
            {"consumer": {"name": "C"}, "provider": {"name": "P"}, "metadata": {"pactSpecification": {"version": "4.0"}},
             "interactions": [{"type": "Synchronous/HTTP", "description": "d",
               "request": {"method": "GET", "path": "/items/1",
                           "matchingRules": {"path": {"$": {"combine": "AND", "matchers": [{"match": "regex", "regex": "/items/\\\\d+"}]}}}},
               "response": {"status": 204,
                            "matchingRules": {"status": {"$": {"combine": "AND", "matchers": [{"match": "statusCode", "status": "success"}]}}}}}]}
            """)
        let written = try PactWriter().document(for: loaded.pact, as: .v4).json
        let interaction = written["interactions"]?.arrayValue?.first
        #expect(interaction?["response"]?["matchingRules"]?["status"] == ["combine": "AND", "matchers": [["match": "statusCode", "status": "success"]]])
        #expect(interaction?["request"]?["matchingRules"]?["path"]?["matchers"]?.arrayValue?.first?["regex"] == "/items/\\d+")
    }

    @Test func aRequestWithoutAMethodIsAGet() throws {
        let loaded = try readPact("""
            {"consumer": {"name": "C"}, "provider": {"name": "P"}, "metadata": {"pactSpecification": {"version": "3.0.0"}},
             "interactions": [{"description": "d", "request": {"path": "/"}, "response": {"status": 200}}]}
            """)
        #expect(loaded.pact.httpInteractions.first?.request.method == "GET")
    }

    @Test func httpInteractionsKeepV4AttributesAndBodies() throws {
        let loaded = try readPact(v4Document)
        #expect(loaded.pact.specification == .v4)
        #expect(loaded.pact.metadata == ["pactRust": ["models": "1.2.3"]])
        let http = try #require(loaded.pact.interactions.first?.http)
        #expect(http.info.key == "abc123")
        #expect(http.info.pending)
        #expect(http.info.comments == ["text": ["a comment"], "testname": "t1"])
        #expect(http.info.providerStates == [ProviderState("no things", params: ["id": 1])])
        #expect(http.request.query["q"] == ["a b"])
        #expect(http.request.query["flag"] == [nil])
        #expect(http.request.headers["accept"] == ["a", "b"])
        #expect(http.request.body.json == ["name": "x"])
        #expect(http.request.body.declaredContentType == .json)
        #expect(http.response.status == 201)
        #expect(http.response.body.bytes == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(http.response.body.declaredContentType?.essence == "image/png")
        #expect(http.response.body.json == nil)
    }

    @Test func unknownAttributesAreKeptWithAWarningAndUnknownTypesSkipped() throws {
        let loaded = try readPact(v4Document)
        #expect(loaded.pact.interactions.count == 3)
        #expect(loaded.pact.interactions.map(\.typeName) == ["Synchronous/HTTP", "Asynchronous/Messages", "Synchronous/Messages"])
        let info = try #require(loaded.pact.interactions.first?.info)
        #expect(info.unknownAttributes == ["customAttribute": ["x": 1], "transport": "http"])
        #expect(loaded.warnings == [
            PactWarning(path: "$.interactions[0].customAttribute", message: "kept the unknown attribute 'customAttribute'"),
            PactWarning(path: "$.interactions[3]", message: "skipped an interaction of the unknown type 'Synchronous/Carrier-Pigeon'"),
        ])
    }

    @Test func asynchronousMessagesMoveContentRulesToTheBody() throws {
        let loaded = try readPact(v4Document)
        guard case .asynchronousMessage(let message) = loaded.pact.interactions[1] else {
            Issue.record("expected an asynchronous message")
            return
        }
        #expect(message.info.description == "an event")
        #expect(message.message.contents.json == ["id": 1])
        #expect(message.message.metadata == ["topic": "things"])
        #expect(message.message.matchingRules.body[try expression("$.id")] == RuleList([.integer]))
        #expect(message.message.matchingRules["content"].isEmpty)
    }

    @Test func synchronousMessagesReadTheRequestAndEveryResponse() throws {
        let loaded = try readPact(v4Document)
        guard case .synchronousMessages(let messages) = loaded.pact.interactions[2] else {
            Issue.record("expected synchronous messages")
            return
        }
        #expect(messages.request.contents.text == "ping")
        #expect(messages.request.contents.declaredContentType == .text)
        #expect(messages.responses.map { $0.contents.text } == ["pong"])
    }

    @Test func aV4PactWithoutAVersionIsRecognisedByInteractionTypes() throws {
        let loaded = try readPact(#"""
            {"consumer": {"name": "C"}, "provider": {"name": "P"},
             "interactions": [{"type": "Synchronous/HTTP", "description": "d", "request": {"method": "GET", "path": "/"},
                               "response": {"status": 200, "body": {"content": "plain", "contentType": "text/plain", "encoded": false}}}]}
            """#)
        #expect(loaded.pact.specification == .v4)
        #expect(loaded.warnings.isEmpty)
        #expect(loaded.pact.httpInteractions.first?.response.body.text == "plain")
    }

    @Test func pactsAreReadFromFilesAndMissingFilesNameTheirPath() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pact-reader-\(UUID().uuidString).json")
        try Data(v4Document.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try PactReader().read(contentsOf: url).pact.interactions.count == 3)
        let missing = url.appendingPathExtension("missing")
        #expect(throws: PactLoadError(source: missing.path, path: "$", problem: "the file could not be read", hint: "check that it exists and is readable")) {
            try PactReader().read(contentsOf: missing)
        }
    }
}

// MARK: - Bad input

@Suite("PactReader: errors")
struct PactReaderErrorTests {
    @Test func textThatIsNotJSONNamesTheSourcePositionAndReason() throws {
        let error = try #require(pactLoadError("{\"consumer\": {\"name\": \"C\"},\n  provider: {}}"))
        #expect(error.source == "bad.json")
        #expect(error.path == "$")
        #expect(error.problem == "not valid JSON: unexpected 'p', expected a quoted key at line 2, column 3")
        #expect(error.description == "bad.json: $: not valid JSON: unexpected 'p', expected a quoted key at line 2, column 3")
    }

    @Test func aMissingConsumerIsReportedWithAHint() throws {
        let error = try #require(pactLoadError(#"{"provider": {"name": "P"}, "interactions": [], "metadata": {"pactSpecification": {"version": "3.0.0"}}}"#))
        #expect(error == PactLoadError(source: "bad.json", path: "$", problem: "the required attribute 'consumer' is missing",
                                       hint: #"add "consumer": {"name": "..."}"#))
        let unnamed = try #require(pactLoadError(#"{"consumer": {}, "provider": {"name": "P"}}"#))
        #expect(unnamed.source == "bad.json")
        #expect(unnamed.path == "$.consumer")
        #expect(unnamed.problem == "the required attribute 'name' is missing")
    }

    @Test func aNumericMethodIsATypeError() throws {
        let error = try #require(pactLoadError(#"""
            {"consumer": {"name": "C"}, "provider": {"name": "P"},
             "interactions": [{"description": "d", "request": {"method": 1, "path": "/"}, "response": {"status": 200}}],
             "metadata": {"pactSpecification": {"version": "2.0.0"}}}
            """#))
        #expect(error.source == "bad.json")
        #expect(error.path == "$.interactions[0].request.method")
        #expect(error.problem == "expected a string but found an integer")
    }

    @Test func aMethodWithSpacesIsNotAnHTTPMethod() throws {
        let error = try #require(pactLoadError(#"""
            {"consumer": {"name": "C"}, "provider": {"name": "P"},
             "interactions": [{"description": "d", "request": {"method": "GE T", "path": "/"}, "response": {"status": 200}}]}
            """#))
        #expect(error.source == "bad.json")
        #expect(error.path == "$.interactions[0].request.method")
        #expect(error.problem == "'GE T' is not an HTTP method")
    }

    @Test func anUnknownSpecificationVersionIsRejected() throws {
        let error = try #require(pactLoadError(#"{"consumer": {"name": "C"}, "provider": {"name": "P"}, "metadata": {"pactSpecification": {"version": "5.0.0"}}}"#))
        #expect(error.source == "bad.json")
        #expect(error.path == "$.metadata.pactSpecification.version")
        #expect(error.problem == "unknown Pact specification version '5.0.0'")
        #expect(error.hint == "supported versions are 1.0.0, 1.1.0, 2.0.0, 3.0.0 and 4.0")
    }

    @Test func anInvalidRegexIsReportedAtItsRule() throws {
        let error = try #require(pactLoadError(v3Pact(response: #"""
            {"status": 200, "matchingRules": {"body": {"$.a": {"matchers": [{"match": "type"}, {"match": "regex", "regex": "(["}]}}}}
            """#)))
        #expect(error.path == "$.interactions[0].response.matchingRules.body['$.a'].matchers[1]")
        #expect(error.problem == "the regex '([' is not a valid regular expression")
        #expect(error.source == "bad.json")
    }

    @Test("Status codes must be integers that fit in 64 bits and look like HTTP statuses", arguments: [
        ("1e3", "expected an integer but found the decimal 1e3"),
        ("200.0", "expected an integer but found the decimal 200.0"),
        ("99999999999999999999", "the number 99999999999999999999 does not fit in 64 bits"),
        ("42", "42 is not an HTTP status code"),
        (#""OK""#, "expected an integer but found the string 'OK'"),
        ("true", "expected an integer but found a boolean"),
    ])
    func badStatusCodesAreRejected(_ args: (String, String)) throws {
        let error = try #require(pactLoadError(v3Pact(response: #"{"status": \#(args.0)}"#), source: "status.json"))
        #expect(error.source == "status.json")
        #expect(error.path == "$.interactions[0].response.status")
        #expect(error.problem == args.1)
    }

    @Test func aStatusWrittenAsAnIntegerStringIsAccepted() throws {
        let loaded = try readPact(v3Pact(response: #"{"status": "404"}"#))
        #expect(loaded.pact.httpInteractions.first?.response.status == 404)
    }

    @Test func aMinimumAboveTheMaximumIsRejected() throws {
        let error = try #require(pactLoadError(v3Pact(response: #"""
            {"status": 200, "matchingRules": {"body": {"$.items": {"matchers": [{"match": "type", "min": 5, "max": 2}]}}}}
            """#)))
        #expect(error.source == "bad.json")
        #expect(error.path == "$.interactions[0].response.matchingRules.body['$.items'].matchers[0]")
        #expect(error.problem == "min (5) is greater than max (2)")
    }

    @Test func anUnknownMatchingRuleIsAWarningNotAnError() throws {
        let loaded = try readPact(v3Pact(response: #"""
            {"status": 200, "matchingRules": {"body": {"$.a": {"matchers": [{"match": "carrierPigeon"}, {"match": "type"}]}}}}
            """#))
        #expect(loaded.warnings == [PactWarning(
            path: "$.interactions[0].response.matchingRules.body['$.a'].matchers[0]",
            message: "ignored the unknown matching rule 'carrierPigeon' (plugin rules are not supported)")])
        #expect(loaded.pact.httpInteractions.first?.response.matchingRules.body[try expression("$.a")] == RuleList([.type]))
    }

    @Test func nestingBeyondTheLimitIsALoadErrorNotACrash() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = try #require(pactLoadError(v3Pact(response: #"{"status": 200, "body": \#(deep)}"#)))
        #expect(error.source == "bad.json")
        #expect(error.problem.hasPrefix("not valid JSON: nesting is deeper than 512 levels"))
        #expect(error.path.hasPrefix("$.interactions[0].response.body[0][0]"))
    }

    @Test func aBase64BodyThatIsNotBase64IsRejected() throws {
        let error = try #require(pactLoadError(#"""
            {"consumer": {"name": "C"}, "provider": {"name": "P"}, "metadata": {"pactSpecification": {"version": "4.0"}},
             "interactions": [{"type": "Synchronous/HTTP", "description": "d", "request": {"method": "GET", "path": "/"},
                               "response": {"status": 200, "body": {"content": "!!!", "encoded": "base64"}}}]}
            """#))
        #expect(error.source == "bad.json")
        #expect(error.path == "$.interactions[0].response.body.content")
        #expect(error.problem == "the content is marked base64 but is not valid base64")
    }
}
