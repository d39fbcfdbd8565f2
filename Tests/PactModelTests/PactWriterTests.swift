import PactModel
import Testing

private func expression(_ text: String) throws -> PathExpression {
    try PathExpression(parsing: text)
}

private func json(_ text: String) throws -> JSONValue {
    try JSONParser.parse(text)
}

private let pngBytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF]

/// A V4 pact that uses every kind of interaction, body, rule category and generator.
private func richPact() throws -> Pact {
    var requestRules = MatchingRules()
    requestRules["path"].add(.regex(try PactRegex(#"/things/\d+"#)), at: .root)
    requestRules["query"].add(.regex(try PactRegex(#"\d+"#)), at: PathExpression(tokens: [.field("page")]))
    requestRules["header"].add(.type, at: PathExpression(tokens: [.field("X-Trace")]))
    var requestGenerators = Generators()
    requestGenerators.path = .providerState(expression: "/things/${id}", dataType: .string)
    requestGenerators.query = [("page", .randomInt(min: 1, max: 9))]
    let request = HTTPRequest(
        method: "POST", path: "/things/1", query: QueryParameters([("page", "1"), ("flag", nil), ("page", "2")]),
        headers: HTTPHeaders([("Content-Type", "application/json"), ("Accept", "a"), ("Accept", "b"), ("X-Trace", "t")]),
        body: Body(json: ["name": "x", "price": .number(JSONNumber(literal: "12345678901234567890.50")!)], contentType: .json),
        matchingRules: requestRules, generators: requestGenerators)

    var responseRules = MatchingRules()
    responseRules.body.add(.minType(1), at: try expression("$.items"))
    responseRules.body.add(.integer, at: try expression("$.items[*].id"))
    responseRules.body.add(RuleList([.regex(try PactRegex("[a-z]+")), .include("x")], logic: .or), at: try expression("$.items[*].name"))
    responseRules.body.add(.timestamp(try DateTimePattern("yyyy-MM-dd'T'HH:mm:ssXXX")), at: try expression("$.created"))
    responseRules.body.add(.eachKey(EachRuleDefinition(rules: [.regex(try PactRegex("[a-z]+"))], example: "k")), at: try expression("$.map"))
    responseRules.body.add(.arrayContains([ArrayContainsVariant(index: 0, rules: RuleCategory([(try expression("$.id"), RuleList([.integer]))]))]),
                           at: try expression("$['odd key']"))
    responseRules["status"].add(.statusCode(.success), at: .root)
    var responseGenerators = Generators()
    responseGenerators.body = [(try expression("$.items[*].id"), .randomInt(min: 1, max: 100)),
                               (try expression("$.created"), .dateTime(format: "yyyy-MM-dd'T'HH:mm:ssXXX", expression: "+ 1 day"))]
    responseGenerators.headers = [("Location", .mockServerURL(example: "http://localhost/things/1", regex: #".*/things/\d+"#))]
    let response = HTTPResponse(
        status: 201, headers: HTTPHeaders([("Content-Type", "application/json"), ("Location", "http://localhost/things/1")]),
        body: Body(json: ["items": [["id": 1, "name": "x"]], "created": "2024-01-01T00:00:00Z", "map": ["k": 1], "odd key": [["id": 2]]]),
        matchingRules: responseRules, generators: responseGenerators)
    let create = HTTPInteraction(
        info: InteractionInfo(description: "create a thing", providerStates: [ProviderState("no things", params: ["id": 1])], key: "k1",
                              pending: true, comments: ["text": ["hello"]], unknownAttributes: ["custom": ["x": 1]]),
        request: request, response: response)
    let image = HTTPInteraction(
        info: InteractionInfo(description: "get an image"), request: HTTPRequest(path: "/image"),
        response: HTTPResponse(body: Body(bytes: pngBytes, contentType: ContentType("image/png"))))
    let text = HTTPInteraction(
        info: InteractionInfo(description: "get text"), request: HTTPRequest(path: "/text"),
        response: HTTPResponse(status: 404, body: Body(text: "not here", contentType: ContentType("text/plain; charset=utf-8"))))

    var messageRules = MatchingRules()
    messageRules.body.add(.integer, at: try expression("$.id"))
    messageRules["metadata"].add(.regex(try PactRegex("[a-z]+")), at: PathExpression(tokens: [.field("topic")]))
    var messageGenerators = Generators()
    messageGenerators.metadata = [("topic", .regex("[a-z]{5}"))]
    let event = AsynchronousMessage(
        info: InteractionInfo(description: "a thing was created", providerStates: [ProviderState("a thing")]),
        message: MessageContents(contents: Body(json: ["id": 1]), metadata: ["topic": "things"], matchingRules: messageRules, generators: messageGenerators))
    let ping = SynchronousMessages(
        info: InteractionInfo(description: "a ping"),
        request: MessageContents(contents: Body(text: "ping", contentType: .text)),
        responses: [MessageContents(contents: Body(text: "pong", contentType: .text)), MessageContents(contents: Body(json: ["ok": true]))])
    return Pact(consumer: "C", provider: "P",
                interactions: [.http(create), .http(image), .http(text), .asynchronousMessage(event), .synchronousMessages(ping)],
                metadata: ["pactRust": ["models": "1.0"]], specification: .v4, unknownAttributes: ["extra": true])
}

/// A V2-compatible HTTP pact with rules that V2 can and cannot hold.
private func httpPact() throws -> Pact {
    var requestRules = MatchingRules()
    requestRules["query"].add(.regex(try PactRegex(#"\d+"#)), at: PathExpression(tokens: [.field("page")]))
    requestRules["path"].add(.regex(try PactRegex(#"/things/\d+"#)), at: .root)
    var responseRules = MatchingRules()
    responseRules.body.add(.type, at: try expression("$.name"))
    responseRules.body.add(.integer, at: try expression("$.id"))
    responseRules.body.add(RuleList([.integer, .minType(1)]), at: try expression("$.items"))
    responseRules["header"].add(.regex(try PactRegex("application/.*")), at: PathExpression(tokens: [.field("Content-Type")]))
    var responseGenerators = Generators()
    responseGenerators.body = [(try expression("$.id"), .randomInt(min: 1, max: 9))]
    let interaction = HTTPInteraction(
        info: InteractionInfo(description: "get a thing", providerStates: [ProviderState("s1", params: ["id": 1]), ProviderState("s2")]),
        request: HTTPRequest(path: "/things/1", query: QueryParameters([("page", "1"), ("q", "a b")]),
                             headers: HTTPHeaders([("Accept", "a"), ("Accept", "b")]), matchingRules: requestRules),
        response: HTTPResponse(headers: ["Content-Type": "application/json"], body: Body(json: ["id": 1, "name": "x", "items": [1]]),
                               matchingRules: responseRules, generators: responseGenerators))
    return Pact(consumer: "C", provider: "P", interactions: [.http(interaction)], specification: .v3)
}

private func writeThenRead(_ pact: Pact, as specification: PactSpecification, writer: PactWriter = PactWriter()) throws -> LoadedPact {
    let (bytes, _) = try writer.bytes(for: pact, as: specification)
    return try PactReader().read(bytes, source: "written.json")
}

/// The reason the writer refuses a pact in a version, or nil when it writes it.
private func writeFailure(_ pact: Pact, as specification: PactSpecification) -> String? {
    do {
        _ = try PactWriter().bytes(for: pact, as: specification)
        return nil
    } catch {
        return error.reason
    }
}

private func firstInteraction(_ document: JSONValue) -> JSONValue? {
    document["interactions"]?.arrayValue?.first
}

// MARK: - V4

@Suite("PactWriter: V4")
struct PactWriterV4Tests {
    @Test func writingV4AndReadingBackGivesAnEqualPact() throws {
        let pact = try richPact()
        let loaded = try writeThenRead(pact, as: .v4)
        #expect(loaded.pact.interactions.count == pact.interactions.count)
        for (read, original) in zip(loaded.pact.interactions, pact.interactions) {
            #expect(read == original, "interaction '\(original.description)'")
        }
        #expect(loaded.pact == pact)
        #expect(loaded.warnings == [
            PactWarning(path: "$.interactions[0].custom", message: "kept the unknown attribute 'custom'"),
            PactWarning(path: "$.extra", message: "kept the unknown attribute 'extra'"),
        ])
    }

    @Test func v4OutputIsPrettySortedJSONWithAFinalNewline() throws {
        let pact = Pact(consumer: "C", provider: "P", interactions: [.http(HTTPInteraction(
            info: InteractionInfo(description: "get"), request: HTTPRequest(path: "/a"),
            response: HTTPResponse(status: 200, body: Body(json: ["ok": true]))))])
        let (bytes, warnings) = try PactWriter().bytes(for: pact, as: .v4)
        let expected = """
            {
              "consumer": {
                "name": "C"
              },
              "interactions": [
                {
                  "description": "get",
                  "pending": false,
                  "request": {
                    "method": "GET",
                    "path": "/a"
                  },
                  "response": {
                    "body": {
                      "content": {
                        "ok": true
                      },
                      "contentType": "application/json",
                      "encoded": false
                    },
                    "status": 200
                  },
                  "type": "Synchronous/HTTP"
                }
              ],
              "metadata": {
                "pactSpecification": {
                  "version": "4.0"
                }
              },
              "provider": {
                "name": "P"
              }
            }

            """
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
        #expect(warnings.isEmpty)
    }

    @Test func bodiesAreWrittenAsJSONTextOrBase64ByContent() throws {
        let (document, _) = try PactWriter().document(for: try richPact(), as: .v4)
        let interactions = try #require(document["interactions"]?.arrayValue)
        #expect(interactions[1]["response"]?["body"] == ["content": "iVBORw0KGgoA/w==", "contentType": "image/png", "encoded": "base64"])
        #expect(interactions[2]["response"]?["body"] == ["content": "not here", "contentType": "text/plain;charset=utf-8", "encoded": false])
        #expect(interactions[0]["request"]?["query"] == ["page": ["1", "2"], "flag": [nil]])
        #expect(interactions[0]["request"]?["headers"] == ["Content-Type": ["application/json"], "Accept": ["a", "b"], "X-Trace": ["t"]])
        #expect(interactions[0]["response"]?["matchingRules"]?["status"] == ["combine": "AND", "matchers": [["match": "statusCode", "status": "success"]]])
        #expect(interactions[0]["key"] == "k1")
        #expect(interactions[0]["pending"] == true)
    }

    @Test func generatorOrderDoesNotAffectEquality() throws {
        var first = Generators()
        first.body = [(try expression("$.b"), .randomBoolean), (try expression("$.a"), .uuid(.simple))]
        first.headers = [("X-A", .randomString(size: 4)), ("X-B", .randomHexadecimal(digits: 2))]
        var second = Generators()
        second.body = [(try expression("$.a"), .uuid(.simple)), (try expression("$.b"), .randomBoolean)]
        second.headers = [("X-B", .randomHexadecimal(digits: 2)), ("X-A", .randomString(size: 4))]
        #expect(first == second)
        #expect(first.hashValue == second.hashValue)
        second.body[0].generator = .uuid(.urn)
        #expect(first != second)
        second.body = [(try expression("$.a"), .uuid(.simple)), (try expression("$.a"), .uuid(.simple))]
        #expect(first != second)
    }

    @Test func theToolIsRecordedInTheMetadata() throws {
        let writer = PactWriter(tool: ("pactctl", "0.1.0"))
        let (document, _) = try writer.document(for: try httpPact(), as: .v4)
        #expect(document["metadata"] == ["pactSpecification": ["version": "4.0"], "pactctl": ["version": "0.1.0"]])
    }
}

// MARK: - Byte stability

private let untidyV4 = #"""
    {"provider": {"name": "P"}, "consumer": {"name": "C"},
     "metadata": {"pactSpecification": {"version": "4.0"}, "plugins": [], "pactRust": {"models": "1.0"}},
     "interactions": [
      {"type": "Synchronous/HTTP", "description": "b", "pending": false,
       "request": {"path": "/b", "method": "get", "headers": {"X-B": ["2", "1"]}, "query": {"z": ["1"], "a": ["2"]}},
       "response": {"status": 200, "body": {"encoded": false, "content": {"z": 1.50, "a": 123456789012345678901234567890}, "contentType": "application/json"},
         "matchingRules": {"body": {"$.z": {"combine": "AND", "matchers": [{"match": "decimal"}]}, "$.a": {"matchers": [{"match": "integer"}]}}}}},
      {"type": "Asynchronous/Messages", "description": "a", "contents": {"content": "hi", "contentType": "text/plain", "encoded": false}}
     ]}
    """#

@Suite("PactWriter: byte stability")
struct PactWriterStabilityTests {
    @Test func rewritingAnUnchangedPactGivesIdenticalBytes() throws {
        let first = try PactWriter().bytes(for: readPact(untidyV4).pact, as: .v4).bytes
        let second = try PactWriter().bytes(for: PactReader().read(first, source: "first.json").pact, as: .v4).bytes
        #expect(second == first)
        let text = String(decoding: first, as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"consumer\": {\n    \"name\": \"C\"\n  },\n  \"interactions\": ["))
        #expect(text.hasSuffix("\n}\n"))
        #expect(text.contains("\"a\": 123456789012345678901234567890,\n"))
        #expect(text.contains("\"z\": 1.50\n"))
    }

    @Test func everyVersionIsByteStable() throws {
        for specification in [PactSpecification.v1, .v1_1, .v2, .v3, .v4] {
            let first = try PactWriter().bytes(for: try httpPact(), as: specification).bytes
            let reread = try PactReader().read(first, source: "first.json").pact
            #expect(reread.specification == specification)
            #expect(try PactWriter().bytes(for: reread, as: specification).bytes == first, "\(specification)")
        }
    }
}

// MARK: - Older versions

@Suite("PactWriter: V1 to V3")
struct PactWriterLegacyTests {
    @Test func v3WritesHeaderStringsQueryArraysAndRuleCategories() throws {
        let (document, warnings) = try PactWriter().document(for: try httpPact(), as: .v3)
        #expect(warnings.isEmpty)
        #expect(document["metadata"] == ["pactSpecification": ["version": "3.0.0"]])
        #expect(firstInteraction(document) == (try json(#"""
            {"description": "get a thing",
             "providerStates": [{"name": "s1", "params": {"id": 1}}, {"name": "s2"}],
             "request": {"method": "GET", "path": "/things/1", "query": {"page": ["1"], "q": ["a b"]}, "headers": {"Accept": "a, b"},
               "matchingRules": {"path": {"combine": "AND", "matchers": [{"match": "regex", "regex": "/things/\\d+"}]},
                                 "query": {"page": {"combine": "AND", "matchers": [{"match": "regex", "regex": "\\d+"}]}}}},
             "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": {"id": 1, "name": "x", "items": [1]},
               "matchingRules": {
                 "body": {"$.name": {"combine": "AND", "matchers": [{"match": "type"}]},
                          "$.id": {"combine": "AND", "matchers": [{"match": "integer"}]},
                          "$.items": {"combine": "AND", "matchers": [{"match": "integer"}, {"match": "type", "min": 1}]}},
                 "header": {"Content-Type": {"combine": "AND", "matchers": [{"match": "regex", "regex": "application/.*"}]}}},
               "generators": {"body": {"$.id": {"type": "RandomInt", "min": 1, "max": 9}}}}}
            """#)))
    }

    @Test func v2WritesAQueryStringFlatRulesAndWarnsAboutWhatItDrops() throws {
        let (document, warnings) = try PactWriter().document(for: try httpPact(), as: .v2)
        #expect(document["metadata"] == ["pactSpecification": ["version": "2.0.0"]])
        #expect(firstInteraction(document) == (try json(#"""
            {"description": "get a thing", "providerState": "s1",
             "request": {"method": "GET", "path": "/things/1", "query": "page=1&q=a%20b", "headers": {"Accept": "a, b"},
               "matchingRules": {"$.query.page": {"match": "regex", "regex": "\\d+"}, "$.path": {"match": "regex", "regex": "/things/\\d+"}}},
             "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": {"id": 1, "name": "x", "items": [1]},
               "matchingRules": {"$.body.name": {"match": "type"}, "$.body.items": {"match": "type", "min": 1},
                                 "$.headers['Content-Type']": {"match": "regex", "regex": "application/.*"}}}}
            """#)))
        #expect(warnings == [
            PactWarning(path: "$.interactions[0]", message: "V2 holds one provider state without parameters; only 's1' was written"),
            PactWarning(path: "$.interactions[0].response", message: "the integer rule needs spec V3 or later and was not written"),
            PactWarning(path: "$.interactions[0].response", message: "the integer rule needs spec V3 or later and was not written"),
            PactWarning(path: "$.interactions[0].response", message: "generators need spec V3 or later and were not written"),
        ])
    }

    @Test func v1WritesNoRulesAndUsesTheOldVersionKey() throws {
        let (document, warnings) = try PactWriter().document(for: try httpPact(), as: .v1)
        #expect(document["metadata"] == ["pactSpecificationVersion": "1.0.0"])
        let interaction = try #require(firstInteraction(document))
        #expect(interaction["request"] == ["method": "GET", "path": "/things/1", "query": "page=1&q=a%20b", "headers": ["Accept": "a, b"]])
        #expect(interaction["response"]?["matchingRules"] == nil)
        #expect(warnings.map(\.message) == [
            "V1 holds one provider state without parameters; only 's1' was written",
            "V1 has no matching rules; they were not written",
            "V1 has no matching rules; they were not written",
            "generators need spec V3 or later and were not written",
        ])
    }

    @Test func aV1RawQueryIsWrittenBackExactly() throws {
        let loaded = try readPact(#"""
            {"consumer": {"name": "C"}, "provider": {"name": "P"}, "metadata": {"pactSpecificationVersion": "1.0.0"},
             "interactions": [{"description": "d", "request": {"method": "GET", "path": "/", "query": "b=2&a=1+1&a=%41"}, "response": {"status": 200}}]}
            """#)
        let (document, _) = try PactWriter().document(for: loaded.pact, as: .v1)
        #expect(firstInteraction(document)?["request"]?["query"] == "b=2&a=1+1&a=%41")
    }

    @Test func messagePactsCannotBeWrittenAsV2OrV1() throws {
        let pact = try richPact()
        let messagesOnly = Pact(consumer: "C", provider: "P", interactions: pact.interactions.filter { $0.typeName == "Asynchronous/Messages" })
        for specification in [PactSpecification.v1, .v1_1, .v2] {
            #expect(writeFailure(messagesOnly, as: specification) == "message pacts need spec V3 or V4; write the pact as V3 or V4")
        }
    }

    @Test func synchronousMessagesAndMixedPactsNeedV4() throws {
        let pact = try richPact()
        #expect(writeFailure(pact, as: .v3) == "synchronous message interactions need spec V4; write the pact as V4")
        #expect(writeFailure(pact, as: .v2) == "synchronous message interactions need spec V4; write the pact as V4")
        let mixed = Pact(consumer: "C", provider: "P", interactions: pact.interactions.filter { $0.typeName != "Synchronous/Messages" })
        #expect(writeFailure(mixed, as: .v3) == "this pact mixes HTTP interactions and messages, which only spec V4 can hold; write it as V4")
        #expect(writeFailure(mixed, as: .v4) == nil)
    }

    @Test func aV3MessagePactRoundTrips() throws {
        let pact = try richPact()
        let messagesOnly = Pact(consumer: "C", provider: "P", interactions: pact.interactions.filter { $0.typeName == "Asynchronous/Messages" },
                                specification: .v3)
        let (document, _) = try PactWriter().document(for: messagesOnly, as: .v3)
        #expect(document["interactions"] == nil)
        #expect(document["messages"]?.arrayValue?.first?["contents"] == ["id": 1])
        let loaded = try writeThenRead(messagesOnly, as: .v3)
        #expect(loaded.pact == messagesOnly)
    }

    @Test func aV2PactUpgradedToV4KeepsInteractionsRulesAndBodies() throws {
        let v2 = try readPact(#"""
            {"consumer": {"name": "C"}, "provider": {"name": "P"}, "metadata": {"pactSpecification": {"version": "2.0.0"}},
             "interactions": [{"description": "list things", "providerState": "things exist",
               "request": {"method": "GET", "path": "/things", "query": "page=2&tag=a&tag=b",
                           "matchingRules": {"$.query.page": {"match": "regex", "regex": "\\d+"}}},
               "response": {"status": 200, "headers": {"Content-Type": "application/json; charset=utf-8"},
                            "body": {"things": [{"id": 1, "price": 10.50}]},
                            "matchingRules": {"$.body.things": {"min": 1}, "$.body.things[*].id": {"match": "type"}}}}]}
            """#).pact
        let upgraded = try writeThenRead(v2, as: .v4)
        #expect(upgraded.warnings.isEmpty)
        #expect(upgraded.pact.specification == .v4)
        #expect(upgraded.pact.interactions == v2.interactions)
        let interaction = try #require(upgraded.pact.httpInteractions.first)
        #expect(interaction.info.providerStates == [ProviderState("things exist")])
        #expect(interaction.request.query["tag"] == ["a", "b"])
        #expect(interaction.request.matchingRules["query"][PathExpression(tokens: [.field("page")])] == RuleList([.regex(try PactRegex(#"\d+"#))]))
        #expect(interaction.response.matchingRules.body[try expression("$.things")] == RuleList([.minType(1)]))
        #expect(interaction.response.matchingRules.body[try expression("$.things[*].id")] == RuleList([.type]))
        #expect(interaction.response.body.json == (try json(#"{"things": [{"id": 1, "price": 10.50}]}"#)))
        #expect(interaction.response.body.declaredContentType?.parameter("charset") == "utf-8")
    }
}
