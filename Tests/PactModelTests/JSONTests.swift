import PactModel
import PropertyBased
import Testing

/// Parses text that the test expects to be valid JSON.
private func parse(_ text: String) throws -> JSONValue {
    try JSONParser.parse(text)
}

/// Parses text that the test expects to be rejected, returning the error (or nil when it parsed).
private func parseError(_ text: String) -> JSONParseError? {
    parseError(Array(text.utf8))
}

/// Runs `body` and records anything it throws as an issue.
///
/// Property bodies need this: `propertyCheck` (PropertyBased 2.0.1 on Swift 6.2 and later) discards errors thrown
/// by the body, so a bare `try` inside one would let a failing case pass.
func recordingErrors<T>(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> T) -> T? {
    do {
        return try body()
    } catch {
        Issue.record(error, sourceLocation: sourceLocation)
        return nil
    }
}

private func parseError(_ bytes: [UInt8], parser: JSONParser = JSONParser()) -> JSONParseError? {
    do {
        _ = try parser.parse(bytes)
        return nil
    } catch {
        return error
    }
}

// MARK: - Numbers

@Suite("JSON numbers")
struct JSONNumberTests {
    @Test func integersBeyondSixtyFourBitsSurviveParseAndWrite() throws {
        let text = "123456789012345678901234567890"
        let value = try parse(text)
        let number = try #require(value.numberValue)
        #expect(number.literal == text)
        #expect(number.isInteger)
        #expect(number.int64Value == nil)
        #expect(number.intValue == nil)
        #expect(JSONWriter.string(value, style: .compact) == text)
        #expect(JSONWriter.string(["n": value]) == "{\n  \"n\": 123456789012345678901234567890\n}")
        #expect(JSONWriter.string(try parse("[-98765432109876543210987654321]"), style: .compact) == "[-98765432109876543210987654321]")
    }

    @Test func decimalsKeepTheirLiteralText() throws {
        let value = try parse("[0.1000, -0.0, 1E+2, 2.50e-3]")
        #expect(JSONWriter.string(value, style: .compact) == "[0.1000,-0.0,1E+2,2.50e-3]")
        let first = try #require(value.arrayValue?.first?.numberValue)
        #expect(first.literal == "0.1000")
        #expect(!first.isInteger)
        #expect(first.doubleValue == 0.1)
        #expect(value.arrayValue?[2].typeName == "Decimal")
    }

    @Test func exponentsBeyondDoubleRangeKeepTheirLiteral() throws {
        let value = try parse(#"{"big": 1e400, "tiny": -1e-400}"#)
        #expect(JSONWriter.string(value, style: .compact) == #"{"big":1e400,"tiny":-1e-400}"#)
        let big = try #require(value["big"]?.numberValue)
        #expect(big.literal == "1e400")
        #expect(!big.isInteger)
        #expect(big.doubleValue == .infinity)
    }

    @Test func integersAndDecimalsNeverCompareEqual() throws {
        let one = try #require(JSONNumber(literal: "1"))
        let oneDecimal = try #require(JSONNumber(literal: "1.0"))
        #expect(one != oneDecimal)
        #expect(JSONNumber(literal: "1.0") == JSONNumber(literal: "1.00"))
        #expect(JSONNumber(literal: "1.0") == JSONNumber(literal: "10e-1"))
        #expect(JSONNumber(literal: "-0") == JSONNumber(literal: "0"))
        #expect(JSONNumber(literal: "12345678901234567890") != JSONNumber(literal: "12345678901234567891"))
        #expect(Set([JSONNumber(7), JSONNumber(literal: "7")!]).count == 1)
    }

    @Test("Literals that are not JSON numbers are rejected", arguments: [
        "01", "1.", ".5", "+1", "1e", "1e+", "-", "0x10", "", "1.2.3", "NaN", "Infinity", "1 ",
    ])
    func literalsOutsideTheGrammarAreRejected(_ literal: String) {
        #expect(JSONNumber(literal: literal) == nil)
    }

    @Test func numbersMadeFromSwiftValuesUseJSONSyntax() {
        #expect(JSONNumber(42).literal == "42")
        #expect(JSONNumber(Int64.min).literal == "-9223372036854775808")
        #expect(JSONNumber(2.0).literal == "2.0")
        #expect(JSONNumber(2.0).isInteger == false)
        #expect(JSONNumber(0.5).literal == "0.5")
        #expect(JSONNumber(1e20).literal == "1e20")
        #expect(JSONNumber(literal: JSONNumber(1e-7).literal) != nil)
        #expect(JSONNumber(Int.max).intValue == Int.max)
    }

    @Test func malformedNumbersInADocumentAreReportedWithTheirText() throws {
        let error = try #require(parseError(#"{"n": 01}"#))
        #expect(error.reason == "'01' is not a valid JSON number")
        #expect(error.path == "$.n")
        #expect(error.line == 1)
        #expect(error.column == 7)
        #expect(parseError("[-]")?.reason == "'-' is not a valid JSON number")
        #expect(parseError("[1.]")?.path == "$[0]")
    }
}

// MARK: - Objects and layout

@Suite("JSON objects and output layout")
struct JSONLayoutTests {
    @Test func keyOrderIsKeptInMemoryAndInCompactOutput() throws {
        let value = try parse(#"{"b": 1, "a": 2, "c": {"z": true, "y": null}}"#)
        #expect(value.objectValue?.keys == ["b", "a", "c"])
        #expect(value["c"]?.objectValue?.keys == ["z", "y"])
        #expect(JSONWriter.string(value, style: .compact) == #"{"b":1,"a":2,"c":{"z":true,"y":null}}"#)
        #expect(value.description == #"{"b":1,"a":2,"c":{"z":true,"y":null}}"#)
        #expect(JSONWriter.string(value, style: .compactSorted) == #"{"a":2,"b":1,"c":{"y":null,"z":true}}"#)
    }

    @Test func prettyOutputSortsKeysAndIndentsByTwoSpaces() throws {
        let value = try parse(#"{"b": [1, [], {}, {"y": "x", "x": [false]}], "a": {"k": 0.50}}"#)
        let expected = """
            {
              "a": {
                "k": 0.50
              },
              "b": [
                1,
                [],
                {},
                {
                  "x": [
                    false
                  ],
                  "y": "x"
                }
              ]
            }
            """
        #expect(JSONWriter.string(value) == expected)
        #expect(JSONWriter.string(value, style: .pretty) == expected)
        #expect(JSONWriter.bytes(value) == Array(expected.utf8))
    }

    @Test func scalarsAndEmptyContainersAreWrittenWithoutLayout() {
        #expect(JSONWriter.string(.null) == "null")
        #expect(JSONWriter.string(true) == "true")
        #expect(JSONWriter.string("x") == "\"x\"")
        #expect(JSONWriter.string([]) == "[]")
        #expect(JSONWriter.string(.object(JSONObject())) == "{}")
    }

    @Test func sortedKeysFollowUTF8ByteOrder() {
        let object: JSONObject = ["é": 1, "z": 2, "B": 3, "a": 4, "": 5]
        #expect(object.keys == ["é", "z", "B", "a", ""])
        #expect(object.sortedKeys == ["", "B", "a", "z", "é"])
    }

    @Test func aRepeatedKeyKeepsItsFirstPositionAndLastValue() throws {
        let value = try parse(#"{"a": 1, "b": 2, "a": 3}"#)
        #expect(value.objectValue?.keys == ["a", "b"])
        #expect(value["a"] == 3)
        #expect(value.objectValue?.count == 2)
    }

    @Test func objectsCompareAndHashIgnoringKeyOrder() throws {
        let first = try parse(#"{"a": 1, "b": [1, 2]}"#)
        let second = try parse(#"{"b": [1, 2], "a": 1}"#)
        #expect(first == second)
        #expect(first.hashValue == second.hashValue)
        #expect(try parse(#"{"b": [2, 1], "a": 1}"#) != first)
    }

    @Test func removingAKeyDropsItFromTheOrder() {
        var object: JSONObject = ["a": 1, "b": 2, "c": 3]
        object["b"] = nil
        object["d"] = 4
        object["a"] = 5
        #expect(object.keys == ["a", "c", "d"])
        #expect(object["a"] == 5)
        #expect(!object.contains("b"))
    }
}

// MARK: - Strings

@Suite("JSON strings")
struct JSONStringTests {
    @Test func standardEscapesAreDecoded() throws {
        let value = try parse(#""\"\\\/\b\f\n\r\t\u0041\u00e9\u4E2D""#)
        #expect(value == .string("\"\\/\u{8}\u{C}\n\r\tAé中"))
    }

    @Test func stringsAreWrittenWithMinimalEscapes() throws {
        let text = "quote\" backslash\\ slash/ \n\r\t\u{8}\u{C} nul\u{0} unit\u{1F} del\u{7F} é 😀"
        let expected = #""quote\" backslash\\ slash/ \n\r\t\b\f nul\u0000 unit\u001f del"# + "\u{7F} é 😀\""
        #expect(JSONWriter.string(.string(text)) == expected)
        #expect(try parse(expected) == .string(text))
    }

    @Test func surrogatePairsCombineIntoOneScalar() throws {
        #expect(try parse(#""\ud83d\ude00""#) == "😀")
        #expect(try parse(#""\uD83D\uDE00!""#) == "😀!")
        #expect(try parse("\"😀\"") == "😀")
    }

    @Test("Broken escapes are rejected with a reason", arguments: [
        (#""\ud83d""#, "a high surrogate \\u escape is not followed by a low surrogate"),
        (#""\ud83dx""#, "a high surrogate \\u escape is not followed by a low surrogate"),
        (#""\ud83d\u0041""#, "a high surrogate \\u escape is not followed by a low surrogate"),
        (#""\ude00""#, "a lone low surrogate \\u escape is not a character"),
        (#""\u12G4""#, "a \\u escape needs four hex digits"),
        (#""\u12""#, "a \\u escape needs four hex digits"),
        (#""\x""#, "unknown escape '\\x' in a string"),
        (#""\'""#, "unknown escape '\\'' in a string"),
        (#""abc"#, "unterminated string"),
        (#""abc\"#, "unterminated string"),
        ("\"tab\there\"", "a control character (byte 0x9) must be escaped inside a string"),
        ("\"line\nbreak\"", "a control character (byte 0xA) must be escaped inside a string"),
    ])
    func brokenStringsAreRejected(_ args: (String, String)) {
        #expect(parseError(args.0)?.reason == args.1)
    }

    @Test func invalidUTF8InsideAStringIsRejected() {
        let cases: [[UInt8]] = [
            [0x22, 0xFF, 0x22],  // never valid in UTF-8
            [0x22, 0xC3, 0x28, 0x22],  // truncated two-byte sequence
            [0x22, 0xC0, 0xAF, 0x22],  // overlong encoding of '/'
            [0x22, 0xED, 0xA0, 0x80, 0x22],  // an encoded surrogate
            [0x22, 0x5C, 0x6E, 0xFF, 0x22],  // after an escape
        ]
        for bytes in cases {
            #expect(parseError(bytes)?.reason == "a string is not valid UTF-8", "bytes \(bytes)")
        }
    }

    @Test func invalidUTF8OutsideAStringIsRejected() throws {
        let error = try #require(parseError([0x5B, 0xFF, 0x5D]))
        #expect(error.reason == "unexpected byte 0xFF, expected a value")
        #expect(error.path == "$[0]")
    }

    @Test func aLeadingByteOrderMarkIsAccepted() throws {
        let value = try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array(#"{"a": "é"}"#.utf8))
        #expect(value == ["a": "é"])
        #expect(parseError([0xEF, 0xBB, 0xBF])?.reason == "the document is empty")
    }

    @Test func aByteOrderMarkAfterTheStartIsRejected() {
        #expect(parseError([0x20, 0xEF, 0xBB, 0xBF, 0x31])?.reason == "unexpected byte 0xEF, expected a value")
    }
}

// MARK: - Errors

@Suite("JSON syntax errors")
struct JSONErrorTests {
    @Test("Errors report the reason, line, column and JSON path", arguments: [
        (#"{"a": [1, 2,]}"#, "unexpected ']', expected a value", 1, 13, "$.a[2]"),
        (#"{"a": [1,"#, "unexpected end of input, expected a value", 1, 10, "$.a[1]"),
        ("{\n  \"a\": tru\n}", "unexpected 't', expected a value", 2, 8, "$.a"),
        (#"{"a b": {"c": [true, nul]}}"#, "unexpected 'n', expected a value", 1, 22, "$['a b'].c[1]"),
        (#"{"a" 1}"#, "expected ':' after the key \"a\"", 1, 6, "$"),
        (#"{"a": 1,}"#, "unexpected '}', expected a quoted key", 1, 9, "$"),
        (#"{"a": 1 "b": 2}"#, "unexpected '\"', expected ',' or '}'", 1, 9, "$"),
        ("[1 2]", "unexpected '2', expected ',' or ']'", 1, 4, "$"),
        ("[1] x", "unexpected 'x' after the end of the document", 1, 5, "$"),
        ("", "the document is empty", 1, 1, "$"),
        (" \n ", "the document is empty", 2, 2, "$"),
        ("{1: 2}", "unexpected '1', expected a quoted key", 1, 2, "$"),
        ("[,]", "unexpected ',', expected a value", 1, 2, "$[0]"),
        (#"{"a": {"#, "unexpected end of input inside an object", 1, 8, "$.a"),
    ])
    func syntaxErrorsArePinpointed(_ args: (String, String, Int, Int, String)) throws {
        let error = try #require(parseError(args.0))
        #expect(error.reason == args.1)
        #expect(error.line == args.2)
        #expect(error.column == args.3)
        #expect(error.path == args.4)
    }

    @Test func theErrorDescriptionNamesPathPositionAndReason() throws {
        let error = try #require(parseError(#"{"a": [1, 2,]}"#))
        #expect(error.description == "$.a[2] (line 1, column 13): unexpected ']', expected a value")
    }

    @Test func deepNestingFailsWithADepthErrorInsteadOfCrashing() throws {
        let depth = 100_000
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let error = try #require(parseError(text))
        #expect(error.reason == "nesting is deeper than 512 levels; flatten the document or split it")
        #expect(error.reason.contains("\(JSONParser.defaultMaxDepth)"))
        #expect(error.column == 513)
        #expect(error.path.hasPrefix("$[0][0]"))
        #expect(error.path == "$" + String(repeating: "[0]", count: 512))
    }

    @Test func deeplyNestedObjectsAreAlsoLimited() throws {
        let depth = 100_000
        let text = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
        let error = try #require(parseError(text))
        #expect(error.reason.contains("deeper than 512 levels"))
        #expect(error.path == "$" + String(repeating: ".a", count: 512))
    }

    @Test func nestingUpToTheLimitIsAccepted() throws {
        let limit = JSONParser.defaultMaxDepth
        let text = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        var value = try parse(text)
        var levels = 0
        while let inner = value.arrayValue {
            levels += 1
            guard let first = inner.first else { break }
            value = first
        }
        #expect(levels == limit)
    }

    @Test func aCustomDepthLimitIsHonoured() throws {
        let parser = JSONParser(maxDepth: 2)
        #expect(try parser.parse("[[1]]") == [[1]])
        let error = try #require(parseError(Array("[[[1]]]".utf8), parser: parser))
        #expect(error.reason == "nesting is deeper than 2 levels; flatten the document or split it")
        #expect(error.path == "$[0][0]")
    }
}

// MARK: - Round trips

/// Characters that exercise escaping, multi-byte UTF-8 and surrogate pairs.
private let interestingCharacters: [Character] = [
    "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{8}", "\u{1F}", "\u{7F}",
    "é", "中", "😀", "\u{2028}", "\u{FEFF}", "'", "$", ".", "[",
]

private let jsonText = Gen<Character?>.element(of: interestingCharacters).map { $0! }.string(of: 0...8)

private let scalarValue: PropertyBased.Generator<JSONValue, AnySequence<Any>> = Gen<JSONValue>.oneOf(
    Gen.always(JSONValue.null).eraseToAny(),
    Gen.bool.map { JSONValue.bool($0) }.eraseToAny(),
    Gen.int(in: -1_000_000...1_000_000).map { JSONValue.number(JSONNumber($0)) }.eraseToAny(),
    Gen.number.string(of: 19...40).map { JSONValue.number(JSONNumber(literal: "9" + $0)!) }.eraseToAny(),
    zip(Gen.int(in: -999...999), Gen.number.string(of: 1...6))
        .map { JSONValue.number(JSONNumber(literal: "\($0).\($1)")!) }.eraseToAny(),
    zip(Gen.int(in: 1...9), Gen.int(in: -400...400))
        .map { JSONValue.number(JSONNumber(literal: "\($0)e\($1)")!) }.eraseToAny(),
    jsonText.map { JSONValue.string($0) }.eraseToAny()
).eraseToAny()

/// Random JSON values nested at most `depth` containers deep.
private func jsonValue(depth: Int) -> PropertyBased.Generator<JSONValue, AnySequence<Any>> {
    guard depth > 0 else { return scalarValue }
    let inner = jsonValue(depth: depth - 1)
    return Gen<JSONValue>.oneOf(
        scalarValue,
        inner.array(of: 0...4).map { JSONValue.array($0) }.eraseToAny(),
        zip(jsonText, inner).array(of: 0...4).map { JSONValue.object(JSONObject($0)) }.eraseToAny()
    ).eraseToAny()
}

@Suite("JSON round trips")
struct JSONRoundTripTests {
    @Test func prettyOutputParsesBackToTheSameValue() async {
        await propertyCheck(count: 300, input: jsonValue(depth: 4)) { value in
            let reparsed = recordingErrors { try JSONParser.parse(JSONWriter.bytes(value, style: .pretty)) }
            #expect(reparsed == value)
        }
    }

    @Test func compactOutputParsesBackToTheSameValueAndKeyOrder() async {
        await propertyCheck(count: 300, input: jsonValue(depth: 4)) { value in
            let text = JSONWriter.string(value, style: .compact)
            let reparsed = recordingErrors { try JSONParser.parse(text) }
            #expect(reparsed == value)
            #expect(reparsed.map { JSONWriter.string($0, style: .compact) } == text)
        }
    }

    @Test func writingTwiceGivesIdenticalBytes() async {
        await propertyCheck(count: 300, input: jsonValue(depth: 4)) { value in
            let first = JSONWriter.bytes(value, style: .pretty)
            #expect(JSONWriter.bytes(value, style: .pretty) == first)
            let reparsed = recordingErrors { try JSONParser.parse(first) }
            #expect(reparsed.map { JSONWriter.bytes($0, style: .pretty) } == first)
        }
    }
}
