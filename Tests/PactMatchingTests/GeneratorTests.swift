import Foundation
import PactMatching
import PactModel
import Testing


/// Reads generators from pact JSON text.
fileprivate func generatorTestGenerators(_ text: String) throws -> Generators {
    try Generators(json: JSONParser.parse(text))
}

/// Applies body generators (given as the `body` category) to a JSON response body with a seeded source.
fileprivate func generatorTestBody(_ body: String, generators: String, mode: GeneratorMode = .provider,
                                   context: GeneratorContext = GeneratorContext(), seed: UInt64 = 7) throws
    -> (body: JSONValue?, errors: [GeneratorError]) {
    let response = HTTPResponse(status: 200, body: Body(json: try JSONParser.parse(body)),
                                generators: try generatorTestGenerators(#"{"body": \#(generators)}"#))
    var random = SeededRandomNumberGenerator(seed: seed)
    let result = GeneratorApplier(mode: mode, context: context).apply(to: response, using: &random)
    return (result.response.body.json, result.errors)
}

/// Generates one value at `$.v` of `{"v": example}`.
fileprivate func generatorTestValue(_ generator: String, example: String = "0", mode: GeneratorMode = .provider,
                                    context: GeneratorContext = GeneratorContext(), seed: UInt64 = 7) throws -> JSONValue? {
    try generatorTestBody(#"{"v": \#(example)}"#, generators: #"{"$.v": \#(generator)}"#, mode: mode, context: context, seed: seed).body?["v"]
}

/// 15 March 2024, 10:30:45.250 UTC.
fileprivate let generatorTestNow = Date(timeIntervalSince1970: 1_710_498_645.25)
fileprivate let generatorTestUTC = GeneratorContext(now: generatorTestNow, timeZone: TimeZone(identifier: "UTC")!)

/// Generators applied to bodies, headers, query, path and status, in consumer and provider mode.
@Suite("Generators")
struct GeneratorTests {
    @Test(arguments: [UInt64(1), 2, 3, 42, 1_000])
    func randomIntStaysWithinRange(seed: UInt64) throws {
        let value = try generatorTestValue(#"{"type": "RandomInt", "min": 5, "max": 10}"#, seed: seed)
        let number = try #require(value?.numberValue)
        #expect(number.isInteger)
        #expect((5...10).contains(try #require(number.intValue)))
    }

    @Test func randomIntWithSameSeedIsReproducible() throws {
        let generator = #"{"type": "RandomInt", "min": 0, "max": 1000000}"#
        #expect(try generatorTestValue(generator, seed: 99) == generatorTestValue(generator, seed: 99))
    }

    @Test(arguments: [2, 6, 10])
    func randomDecimalHasRequestedDigits(digits: Int) throws {
        let value = try generatorTestValue(#"{"type": "RandomDecimal", "digits": \#(digits)}"#)
        let number = try #require(value?.numberValue)
        #expect(!number.isInteger)
        #expect(number.literal.filter(\.isNumber).count == digits)
        #expect(number.literal.filter { $0 == "." }.count == 1)
        #expect(!number.literal.hasPrefix("0"))
    }

    @Test func randomHexadecimalHasLengthAndCharset() throws {
        let text = try #require(try generatorTestValue(#"{"type": "RandomHexadecimal", "digits": 12}"#)?.stringValue)
        #expect(text.count == 12)
        #expect(text.allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test func randomStringHasRequestedSize() throws {
        let text = try #require(try generatorTestValue(#"{"type": "RandomString", "size": 17}"#)?.stringValue)
        #expect(text.count == 17)
        #expect(text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func regexGeneratorProducesMatchingText(seed: UInt64) throws {
        let text = try #require(try generatorTestValue(#"{"type": "Regex", "regex": "[A-Z]{3}-\\d{4}"}"#, seed: seed)?.stringValue)
        #expect(try PactRegex(#"[A-Z]{3}-\d{4}"#).matches(text), "\(text)")
    }

    @Test("UUID formats", arguments: [
        ("simple", "[0-9a-f]{32}"),
        ("lower-case-hyphenated", "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"),
        ("upper-case-hyphenated", "[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}"),
        ("URN", "urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"),
    ])
    func uuidGeneratorUsesFormat(format: String, pattern: String) throws {
        let text = try #require(try generatorTestValue(#"{"type": "Uuid", "format": "\#(format)"}"#, example: #""x""#)?.stringValue)
        #expect(try PactRegex(pattern).matches(text), "\(text)")
    }

    @Test func uuidGeneratorDefaultsToLowerCaseHyphenated() throws {
        let text = try #require(try generatorTestValue(#"{"type": "Uuid"}"#, example: #""x""#)?.stringValue)
        #expect(try PactRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").matches(text))
    }

    @Test("date and time generators use format, expression and the context's now", arguments: [
        (#"{"type": "Date", "format": "yyyy-MM-dd"}"#, "2024-03-15"),
        (#"{"type": "Date", "format": "dd/MM/yyyy", "expression": "+ 1 day"}"#, "16/03/2024"),
        (#"{"type": "Date", "expression": "yesterday"}"#, "2024-03-14"),
        (#"{"type": "Date", "format": "yyyy-MM-dd", "expression": "+ 1 month"}"#, "2024-04-15"),
        (#"{"type": "Time", "format": "HH:mm"}"#, "10:30"),
        (#"{"type": "Time", "format": "HH:mm:ss", "expression": "+ 2 hours"}"#, "12:30:45"),
        (#"{"type": "Time", "expression": "@ noon"}"#, "12:00:00"),
        (#"{"type": "DateTime", "format": "yyyy-MM-dd'T'HH:mm:ss"}"#, "2024-03-15T10:30:45"),
        (#"{"type": "DateTime", "format": "yyyy-MM-dd HH:mm", "expression": "tomorrow @ midnight"}"#, "2024-03-16 00:00"),
        (#"{"type": "DateTime"}"#, "2024-03-15T10:30:45.250Z"),
    ])
    func dateTimeGeneratorFormatsFixedNow(generator: String, expected: String) throws {
        let value = try generatorTestValue(generator, example: #""x""#, context: generatorTestUTC)
        #expect(value == .string(expected))
    }

    @Test func dateGeneratorWithBadExpressionKeepsExampleAndReportsError() throws {
        let result = try generatorTestBody(#"{"v": "2000-01-01"}"#, generators: #"{"$.v": {"type": "Date", "expression": "+ 1 fortnights later"}}"#,
                                           context: generatorTestUTC)
        #expect(result.body?["v"] == "2000-01-01")
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.location == "body $.v")
    }

    @Test func randomBooleanProducesBothValues() throws {
        var seen: Set<Bool> = []
        for seed in UInt64(1)...40 {
            let value = try generatorTestValue(#"{"type": "RandomBoolean"}"#, example: "true", seed: seed)
            seen.insert(try #require(value?.boolValue as Bool?))
        }
        #expect(seen == [true, false])
    }

    // MARK: Provider state and mock server URL

    static let stateContext = GeneratorContext(providerState: ["id": 42, "name": "Ann", "user": ["email": "a@x"]])

    @Test func providerStateWholeValueKeepsNumberType() throws {
        let value = try generatorTestValue(#"{"type": "ProviderState", "expression": "${id}"}"#, example: "1", context: Self.stateContext)
        #expect(value == 42)
        #expect(value?.numberValue?.isInteger == true)
    }

    @Test func providerStateInterpolatesIntoText() throws {
        let value = try generatorTestValue(#"{"type": "ProviderState", "expression": "/users/${id}/${name}"}"#, example: #""x""#,
                                           context: Self.stateContext)
        #expect(value == "/users/42/Ann")
    }

    @Test func providerStateReadsNestedValuesAndConvertsDataType() throws {
        #expect(try generatorTestValue(#"{"type": "ProviderState", "expression": "${user.email}"}"#, example: #""x""#,
                                       context: Self.stateContext) == "a@x")
        #expect(try generatorTestValue(#"{"type": "ProviderState", "expression": "${id}", "dataType": "STRING"}"#,
                                       context: Self.stateContext) == "42")
    }

    @Test func providerStateWithoutValueKeepsExampleAndReportsError() throws {
        let result = try generatorTestBody(#"{"v": 7}"#, generators: #"{"$.v": {"type": "ProviderState", "expression": "${missing}"}}"#,
                                           context: Self.stateContext)
        #expect(result.body?["v"] == 7)
        #expect(result.errors.map(\.location) == ["body $.v"])
        #expect(result.errors.map(\.reason) == ["the provider state gave no value for 'missing'"])
        #expect(result.errors.map(\.description) == ["body $.v: the provider state gave no value for 'missing'"])
    }

    @Test func providerStateIsNotAppliedInConsumerMode() throws {
        let result = try generatorTestBody(#"{"v": 7}"#, generators: #"{"$.v": {"type": "ProviderState", "expression": "${id}"}}"#,
                                           mode: .consumer, context: Self.stateContext)
        #expect(result.body?["v"] == 7)
        #expect(result.errors.isEmpty)
    }

    @Test func mockServerURLReplacesBaseInConsumerModeOnly() throws {
        let generator = #"{"type": "MockServerURL", "example": "http://localhost:8080/orders/12", "regex": ".*(/orders/\\d+)$"}"#
        let context = GeneratorContext(mockServerURL: "http://127.0.0.1:4321/")
        let example = #""http://localhost:8080/orders/12""#
        #expect(try generatorTestValue(generator, example: example, mode: .consumer, context: context) == "http://127.0.0.1:4321/orders/12")
        #expect(try generatorTestValue(generator, example: example, mode: .provider, context: context) == "http://localhost:8080/orders/12")
    }

    // MARK: Where generators apply

    @Test func generatorsReachNestedPathsAndWildcards() throws {
        let generators = #"{"$.a.b": {"type": "RandomInt", "min": 3, "max": 3}, "$.items[*].id": {"type": "RandomInt", "min": 8, "max": 8}}"#
        let result = try generatorTestBody(#"{"a": {"b": 0, "c": 0}, "items": [{"id": 0, "n": 1}, {"id": 0, "n": 2}]}"#, generators: generators)
        let expected: JSONValue = ["a": ["b": 3, "c": 0], "items": [["id": 8, "n": 1], ["id": 8, "n": 2]]]
        #expect(result.body == expected)
        #expect(result.errors.isEmpty)
    }

    @Test func starGeneratorReplacesEveryTopLevelValue() throws {
        let result = try generatorTestBody(#"{"a": 0, "b": 0}"#, generators: #"{"$.*": {"type": "RandomInt", "min": 4, "max": 4}}"#)
        #expect(result.body == ["a": 4, "b": 4])
    }

    @Test func generatorForAbsentPathChangesNothing() throws {
        let result = try generatorTestBody(#"{"a": 1}"#, generators: #"{"$.zzz": {"type": "RandomInt", "min": 4, "max": 4}}"#)
        #expect(result.body == ["a": 1])
    }

    @Test func requestHeaderQueryAndPathGeneratorsApply() throws {
        let generators = try generatorTestGenerators(#"""
        {"header": {"X-Trace": {"type": "RandomHexadecimal", "digits": 6}},
         "query": {"page": {"type": "RandomInt", "min": 9, "max": 9}},
         "path": {"type": "ProviderState", "expression": "/users/${id}"}}
        """#)
        let request = HTTPRequest(method: "GET", path: "/users/1", query: QueryParameters([("page", "1"), ("size", "5")]),
                                  rawQuery: "page=1&size=5", headers: ["X-Trace": "000000", "Accept": "*/*"], generators: generators)
        var random = SeededRandomNumberGenerator(seed: 3)
        let result = GeneratorApplier(mode: .provider, context: Self.stateContext).apply(to: request, using: &random)
        #expect(result.errors.isEmpty)
        #expect(result.request.path == "/users/42")
        #expect(result.request.query["page"] == ["9"])
        #expect(result.request.query["size"] == ["5"])
        #expect(result.request.rawQuery == nil)
        let trace = try #require(result.request.headers["X-Trace"])
        #expect(trace.count == 1)
        #expect(trace.first?.count == 6)
        #expect(trace.first != "000000")
        #expect(result.request.headers["Accept"] == ["*/*"])
    }

    @Test func responseStatusAndHeaderGeneratorsApply() throws {
        let generators = try generatorTestGenerators(#"""
        {"status": {"type": "RandomInt", "min": 201, "max": 201},
         "header": {"Location": {"type": "MockServerURL", "example": "http://x/items/1", "regex": ".*(/items/\\d+)"}}}
        """#)
        let response = HTTPResponse(status: 200, headers: ["Location": "http://x/items/1"], generators: generators)
        var random = SeededRandomNumberGenerator(seed: 11)
        let consumer = GeneratorApplier(mode: .consumer, context: GeneratorContext(mockServerURL: "http://localhost:9000"))
            .apply(to: response, using: &random)
        #expect(consumer.response.status == 201)
        #expect(consumer.response.headers["Location"] == ["http://localhost:9000/items/1"])
        #expect(consumer.errors.isEmpty)
    }

    @Test func messageMetadataAndContentsGeneratorsApply() throws {
        let message = MessageContents(contents: Body(json: ["id": 0]), metadata: ["key": "k0"],
                                      generators: try generatorTestGenerators(#"""
                                      {"body": {"$.id": {"type": "RandomInt", "min": 5, "max": 5}},
                                       "metadata": {"key": {"type": "ProviderState", "expression": "key-${id}"}}}
                                      """#))
        let result = GeneratorApplier(mode: .provider, context: Self.stateContext).apply(to: message)
        #expect(result.errors.isEmpty)
        #expect(result.message.contents.json == ["id": 5])
        #expect(result.message.metadata["key"] == "key-42")
    }

    @Test func rootGeneratorReplacesTextBody() throws {
        let response = HTTPResponse(status: 200, body: Body(text: "token-0", contentType: .text),
                                    generators: try generatorTestGenerators(#"{"body": {"$": {"type": "Regex", "regex": "token-[0-9]{3}"}}}"#))
        var random = SeededRandomNumberGenerator(seed: 5)
        let result = GeneratorApplier(mode: .consumer).apply(to: response, using: &random)
        let text = try #require(result.response.body.text)
        #expect(try PactRegex("token-[0-9]{3}").matches(text), "\(text)")
        #expect(result.response.body.contentType == .text)
    }
}
