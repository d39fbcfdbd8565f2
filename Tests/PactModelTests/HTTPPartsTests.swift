import PactModel
import Testing

// MARK: - Headers

@Suite("HTTPHeaders")
struct HTTPHeadersTests {
    @Test func namesAreLookedUpIgnoringCase() {
        let headers: HTTPHeaders = ["Content-Type": "application/json", "X-Request-ID": "42"]
        #expect(headers["content-type"] == ["application/json"])
        #expect(headers["CONTENT-TYPE"] == ["application/json"])
        #expect(headers.first("x-request-id") == "42")
        #expect(headers.contains("X-REQUEST-ID"))
        #expect(headers["Accept"] == nil)
        #expect(headers.first("Accept") == nil)
    }

    @Test func repeatedNamesCollectTheirValuesUnderTheFirstSpelling() {
        var headers = HTTPHeaders([("Accept", "text/html"), ("ACCEPT", "application/json")])
        headers.add("accept", "*/*")
        #expect(headers.count == 1)
        #expect(headers.entries.first?.name == "Accept")
        #expect(headers["Accept"] == ["text/html", "application/json", "*/*"])
        #expect(headers.first("accept") == "text/html")
    }

    @Test func setReplacesAndRemovesValues() {
        var headers = HTTPHeaders([("A", "1"), ("B", "2"), ("A", "3")])
        headers.set("a", ["9"])
        #expect(headers["A"] == ["9"])
        headers.set("b", [])
        #expect(!headers.contains("B"))
        headers.set("C", ["x", "y"])
        headers.remove("A")
        #expect(headers.entries.map(\.name) == ["C"])
        #expect(headers["c"] == ["x", "y"])
        headers.remove("C")
        #expect(headers.isEmpty)
    }

    @Test func equalityIgnoresNameCaseAndNameOrderButNotValueOrder() {
        let lower = HTTPHeaders([("content-type", "text/plain"), ("accept", "a"), ("accept", "b")])
        let mixed = HTTPHeaders([("Accept", "a"), ("Content-Type", "text/plain"), ("ACCEPT", "b")])
        #expect(lower == mixed)
        #expect(lower.hashValue == mixed.hashValue)
        #expect(HTTPHeaders([("Accept", "b"), ("Accept", "a")]) != HTTPHeaders([("Accept", "a"), ("Accept", "b")]))
        #expect(HTTPHeaders([("Accept", "a")]) != HTTPHeaders([("Accept", "a"), ("X", "1")]))
        #expect(HTTPHeaders([("Accept", "a")]) != HTTPHeaders([("Accept", "A")]))
    }

    @Test func sameNameComparesWholeNamesIgnoringCase() {
        #expect(HTTPHeaders.sameName("X-Trace", "x-trace"))
        #expect(!HTTPHeaders.sameName("X-Trace", "X-Trace-Id"))
        #expect(!HTTPHeaders.sameName("X-Trace", "X_Trace"))
    }

    @Test func iterationFollowsInsertionOrder() {
        let headers = HTTPHeaders([("B", "1"), ("A", "2"), ("b", "3")])
        #expect(headers.map(\.name) == ["B", "A"])
        #expect(headers.map(\.values) == [["1", "3"], ["2"]])
    }
}

// MARK: - Query parameters

@Suite("QueryParameters")
struct QueryParametersTests {
    @Test func repeatedNamesKeepTheirValuesInOrder() {
        let query = QueryParameters(parsing: "a=1&b=2&a=3")
        #expect(query.names == ["a", "b"])
        #expect(query["a"] == ["1", "3"])
        #expect(query["b"] == ["2"])
        #expect(query["c"] == nil)
    }

    @Test func aNameWithoutEqualsHasNoValueWhileAnEmptyValueIsEmpty() {
        let query = QueryParameters(parsing: "flag&empty=&x=a=b")
        #expect(query["flag"] == [nil])
        #expect(query["empty"] == [""])
        #expect(query["x"] == ["a=b"])
    }

    @Test func emptyPiecesAreIgnored() {
        let query = QueryParameters(parsing: "&&a=1&&")
        #expect(query.names == ["a"])
        #expect(QueryParameters(parsing: "").isEmpty)
    }

    @Test func percentAndPlusAreDecodedInNamesAndValues() {
        let query = QueryParameters(parsing: "q=a+b%20c%2Bd&%C3%A9t%C3%A9=%E2%9C%93&first+name=Jo")
        #expect(query["q"] == ["a b c+d"])
        #expect(query["été"] == ["✓"])
        #expect(query["first name"] == ["Jo"])
    }

    @Test func malformedPercentEscapesAreKeptAsWritten() {
        let query = QueryParameters(parsing: "discount=100%&x=%zz")
        #expect(query["discount"] == ["100%"])
        #expect(query["x"] == ["%zz"])
    }

    @Test func encodedOutputEscapesReservedCharactersAndParsesBack() {
        let query = QueryParameters([("q", "a b&c=d"), ("flag", nil), ("é", "✓"), ("sum", "1+1"), ("q", "")])
        #expect(query.encoded == "q=a%20b%26c%3Dd&q=&flag&%C3%A9=%E2%9C%93&sum=1%2B1")
        #expect(QueryParameters(parsing: query.encoded) == query)
        #expect(QueryParameters([("path", "/a/b:c@d")]).encoded == "path=/a/b:c@d")
    }

    @Test func equalityIgnoresNameOrderButNotValueOrder() {
        #expect(QueryParameters(parsing: "a=1&b=2&a=3") == QueryParameters(parsing: "b=2&a=1&a=3"))
        #expect(QueryParameters(parsing: "a=1&a=3") != QueryParameters(parsing: "a=3&a=1"))
        #expect(QueryParameters(parsing: "a") != QueryParameters(parsing: "a="))
        #expect(QueryParameters(parsing: "A=1") != QueryParameters(parsing: "a=1"))
        #expect(QueryParameters(parsing: "a=1&b=2").hashValue == QueryParameters(parsing: "b=2&a=1").hashValue)
    }

    @Test func setReplacesOrRemovesAName() {
        var query = QueryParameters(parsing: "a=1&b=2")
        query.set("a", ["x", nil])
        query.set("b", [])
        query.set("c", ["3"])
        #expect(query.encoded == "a=x&a&c=3")
    }
}

// MARK: - Content types

@Suite("ContentType")
struct ContentTypeTests {
    @Test func typeSubtypeAndParametersAreParsed() throws {
        let type = try #require(ContentType("Application/JSON; Charset=UTF-8; q=0.9"))
        #expect(type.type == "application")
        #expect(type.subtype == "json")
        #expect(type.essence == "application/json")
        #expect(type.parameters.map(\.name) == ["charset", "q"])
        #expect(type.parameter("CHARSET") == "UTF-8")
        #expect(type.parameter("q") == "0.9")
        #expect(type.parameter("boundary") == nil)
        #expect(type.description == "application/json;charset=UTF-8;q=0.9")
    }

    @Test func quotedParameterValuesAreUnquoted() throws {
        let type = try #require(ContentType(#"multipart/form-data; boundary="simple boundary""#))
        #expect(type.parameter("boundary") == "simple boundary")
        #expect(type.isMultipart)
    }

    @Test func quotedValuesMayContainSemicolonsAndEscapedQuotes() throws {
        let type = try #require(ContentType(#"text/plain; title="a;b \"c\""; charset=utf-8"#))
        #expect(type.parameters.map(\.name) == ["title", "charset"])
        #expect(type.parameter("title") == #"a;b "c""#)
        #expect(type.parameter("charset") == "utf-8")
    }

    @Test func descriptionQuotesValuesThatAreNotTokensSoItParsesBack() throws {
        let type = try #require(ContentType(#"multipart/related; boundary="a b"; type="text/xml"; start=root"#))
        #expect(type.description == #"multipart/related;boundary="a b";type="text/xml";start=root"#)
        #expect(ContentType(type.description) == type)
        #expect(ContentType(type.description)?.parameter("boundary") == "a b")
    }

    @Test("Text without type/subtype is not a media type", arguments: ["", "json", "/json", "application/", "a/b/c", "; charset=utf-8"])
    func malformedMediaTypesAreRejected(_ text: String) {
        #expect(ContentType(text) == nil)
    }

    @Test("JSON media types", arguments: [
        "application/json", "application/vnd.api+json", "application/hal+json", "application/problem+json",
        "text/json", "application/x-json", "application/json-patch+json",
    ])
    func jsonMediaTypesAreJSONAndText(_ text: String) throws {
        let type = try #require(ContentType(text))
        #expect(type.isJSON)
        #expect(type.isText)
        #expect(!type.isXML)
        #expect(!type.isBinary)
    }

    @Test("XML media types", arguments: ["application/xml", "text/xml", "application/atom+xml", "image/svg+xml"])
    func xmlMediaTypesAreXMLAndText(_ text: String) throws {
        let type = try #require(ContentType(text))
        #expect(type.isXML)
        #expect(!type.isJSON)
        #expect(type.isText)
    }

    @Test func textAndBinaryAreClassified() throws {
        for text in ["text/plain", "text/html", "text/csv", "application/javascript", "application/x-www-form-urlencoded", "application/graphql"] {
            #expect(ContentType(text)?.isText == true, "\(text)")
            #expect(ContentType(text)?.isBinary == false, "\(text)")
        }
        for text in ["image/png", "application/octet-stream", "application/pdf", "audio/ogg", "video/mp4"] {
            #expect(ContentType(text)?.isBinary == true, "\(text)")
            #expect(ContentType(text)?.isText == false, "\(text)")
        }
        #expect(ContentType("multipart/form-data")?.isBinary == false)
        #expect(ContentType("application/x-www-form-urlencoded")?.isForm == true)
    }

    @Test func equalityComparesEssenceAndParametersIgnoringValueCase() {
        #expect(ContentType("application/json; charset=utf-8") == ContentType("APPLICATION/JSON;charset=UTF-8"))
        #expect(ContentType("application/json") != ContentType("application/json; charset=utf-8"))
        #expect(ContentType("application/json") == ContentType.json)
        #expect(ContentType("text/plain") != ContentType("text/html"))
    }
}

// MARK: - Body detection

@Suite("Body content detection")
struct BodyDetectionTests {
    @Test("Content is classified from its bytes", arguments: [
        (#"{"a": 1}"#, "application/json"),
        ("  \n[1, 2]", "application/json"),
        ("{not json", "text/plain"),
        (#"<?xml version="1.0"?><a/>"#, "application/xml"),
        ("<note><to>Tove</to></note>", "application/xml"),
        ("<!DOCTYPE html><html><body/></html>", "text/html"),
        ("  <HTML><p>hi</p></HTML>", "text/html"),
        ("hello world", "text/plain"),
        ("42", "text/plain"),
        ("\u{1}\u{2}binary-ish", "application/octet-stream"),
        ("%PDF-1.7\n%âãÏÓ", "application/pdf"),
    ])
    func textContentIsDetected(_ args: (String, String)) {
        #expect(Body.detect(Array(args.0.utf8)).essence == args.1)
    }

    @Test func binaryFormatsAreRecognisedByMagicNumbers() {
        #expect(Body.detect([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]).essence == "image/jpeg")
        #expect(Body.detect([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00]).essence == "image/png")
        #expect(Body.detect(Array("GIF89a".utf8) + [0x01]).essence == "image/gif")
        #expect(Body.detect([0x50, 0x4B, 0x03, 0x04, 0x14]).essence == "application/zip")
        #expect(Body.detect([0x00, 0x00, 0x00, 0x18] + Array("ftypmp42".utf8)).essence == "video/mp4")
        #expect(MagicNumbers.contentType(of: [0x89, 0x50]) == nil)
    }

    @Test func invalidUTF8IsBinary() {
        #expect(Body.detect([0x61, 0xC3, 0x28, 0x62]) == .binary)
        #expect(Body.detect([0xFE, 0xFF, 0x00]) == .binary)
    }

    @Test func jsonContentIsParsedOnceWhenTheBodyIsMade() {
        let detected = Body(text: #"{"id": 12345678901234567890}"#)
        #expect(detected.json == ["id": .number(JSONNumber(literal: "12345678901234567890")!)])
        #expect(detected.contentType == .json)
        #expect(detected.declaredContentType == nil)
        let declaredText = Body(text: #"{"id": 1}"#, contentType: .text)
        #expect(declaredText.json == nil)
        #expect(declaredText.contentType == .text)
        let declaredJSON = Body(text: "[1, 2", contentType: .json)
        #expect(declaredJSON.json == nil)
        #expect(declaredJSON.text == "[1, 2")
    }

    @Test func jsonBodiesHoldCompactBytes() {
        let body = Body(json: ["b": 1, "a": [true, nil]])
        #expect(body.text == #"{"b":1,"a":[true,null]}"#)
        #expect(body.declaredContentType == .json)
        #expect(body.hasContent)
    }

    @Test func binaryBodiesHaveNoText() {
        let jpeg = Body(bytes: [0xFF, 0xD8, 0xFF, 0xDB, 0x80])
        #expect(jpeg.text == nil)
        #expect(jpeg.contentType?.essence == "image/jpeg")
        #expect(jpeg.json == nil)
    }

    @Test func missingNullAndEmptyBodiesAreDistinct() {
        #expect(Body.missing.state == .missing)
        #expect(!Body.missing.isPresent)
        #expect(Body.null.state == .null)
        #expect(!Body.null.hasContent)
        let empty = Body(text: "")
        #expect(empty.isPresent)
        #expect(!empty.hasContent)
        #expect(empty.contentType == nil)
        #expect(Body.missing != Body.null)
        #expect(Body.null != empty)
    }

    @Test func jsonBodiesCompareAsJSONWhateverTheirKeyOrderAndLayout() {
        let compact = Body(text: #"{"a":1,"b":[true,null]}"#, contentType: .json)
        let spaced = Body(text: "{ \"b\": [true, null],\n  \"a\": 1 }", contentType: .json)
        #expect(compact == spaced)
        #expect(compact.hashValue == spaced.hashValue)
        #expect(Body(json: ["a": 1, "b": 2]) == Body(json: ["b": 2, "a": 1]))
        #expect(Body(json: ["a": 1]) != Body(json: ["a": 2]))
        #expect(Body(json: ["a": 1]) != Body(json: ["a": 1.0]))
    }

    @Test func otherBodiesCompareByteForByteAndByDeclaredType() {
        #expect(Body(text: "a b", contentType: .text) != Body(text: "a  b", contentType: .text))
        #expect(Body(text: "a b", contentType: .text) == Body(bytes: Array("a b".utf8), contentType: .text))
        #expect(Body(text: "x", contentType: .text) != Body(text: "x"))
        #expect(Body(text: "{}", contentType: .text) != Body(text: "{ }", contentType: .text))
    }

    @Test func changingTheContentTypeReparsesOrDropsJSON() {
        let json = Body(text: #"{"a": 1}"#, contentType: .json)
        let asText = json.withContentType(.text)
        #expect(asText.json == nil)
        #expect(asText.bytes == json.bytes)
        #expect(asText.declaredContentType == .text)
        let backToJSON = asText.withContentType(ContentType("application/vnd.api+json"))
        #expect(backToJSON.json == ["a": 1])
        #expect(Body.missing.withContentType(.json) == Body.missing)
    }
}
