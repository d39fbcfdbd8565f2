import PactMatching
import Testing

@Suite("Multipart body parser")
struct MultipartBodyParserTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    private func failure(_ text: String, boundary: String) -> MultipartBodyError? {
        do {
            _ = try MultipartBodyParser.parse(bytes(text), boundary: boundary)
            return nil
        } catch {
            return error
        }
    }

    @Test func decodesBase64PartAlongsidePlainPart() throws {
        let body = "--gc0p4Jq0M2Yt08jU534c0p\r\nContent-Type: text/plain\r\n\r\nThis is the body of the message.\r\n--gc0p4Jq0M2Yt08jU534c0p\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nPGh0bWw+PC9odG1sPg==\r\n--gc0p4Jq0M2Yt08jU534c0p--\r\n"
        let parts = try MultipartBodyParser.parse(bytes(body), boundary: "gc0p4Jq0M2Yt08jU534c0p")
        #expect(parts.count == 2)
        #expect(parts[0].contentType == "text/plain")
        #expect(parts[0].body == bytes("This is the body of the message."))
        #expect(parts[1].contentType == "application/octet-stream")
        #expect(parts[1].header("content-transfer-encoding") == "base64")
        #expect(parts[1].body == bytes("<html></html>"))
        #expect(parts[1].headers.map(\.name) == ["Content-Type", "Content-Transfer-Encoding"])
    }

    @Test func ignoresWhitespaceInsideBase64() throws {
        let body = "--b\r\nContent-Transfer-Encoding: BASE64\r\n\r\nPGh0\r\nbWw+ PC9o\tdG1s\nPg==\r\n--b--"
        let parts = try MultipartBodyParser.parse(bytes(body), boundary: "b")
        #expect(parts[0].body == bytes("<html></html>"))
    }

    @Test func rejectsInvalidBase64() {
        let body = "--b\r\nContent-Transfer-Encoding: base64\r\n\r\nnot*base64!\r\n--b--"
        #expect(failure(body, boundary: "b")?.reason == "part 1 is not valid base64")
    }

    @Test func readsFormDataNamesAndFilenames() throws {
        let body = """
            --AaB03x\r
            Content-Disposition: form-data; name="submit-name"\r
            \r
            Larry\r
            --AaB03x\r
            Content-Disposition: form-data; name="files"; filename="file1.txt"\r
            Content-Type: text/plain\r
            \r
            ... contents of file1.txt ...\r
            --AaB03x\r
            content-disposition: form-data; name=plain; filename*=UTF-8''%E2%82%AC%20rates.txt; filename="rates.txt"\r
            \r
            \r
            --AaB03x--\r

            """
        let parts = try MultipartBodyParser.parse(bytes(body), boundary: "AaB03x")
        #expect(parts.map(\.name) == ["submit-name", "files", "plain"])
        #expect(parts.map(\.filename) == [nil, "file1.txt", "€ rates.txt"])
        #expect(parts.map(\.contentType) == [nil, "text/plain", nil])
        #expect(parts[0].body == bytes("Larry"))
        #expect(parts[1].body == bytes("... contents of file1.txt ..."))
        #expect(parts[2].body.isEmpty)
        #expect(parts[2].header("Content-Disposition") != nil, "header lookup ignores case")
    }

    @Test func acceptsBareLineFeeds() throws {
        let body = "preamble text\n--xyz\nContent-Type: text/plain\n\nline one\nline two\n--xyz\n\nno headers\n--xyz--\nepilogue\n"
        let parts = try MultipartBodyParser.parse(bytes(body), boundary: "xyz")
        #expect(parts.count == 2)
        #expect(parts[0].body == bytes("line one\nline two"))
        #expect(parts[1].headers.isEmpty)
        #expect(parts[1].body == bytes("no headers"))
    }

    @Test func ignoresPreambleEpilogueAndTransportPadding() throws {
        let body = "This is the preamble.\r\n--b  \r\nX-Id: 1\r\n\r\none\r\n--b\t\r\n\r\ntwo\r\n--b--  trailing\r\nThis is the epilogue. --b\r\n"
        let parts = try MultipartBodyParser.parse(bytes(body), boundary: "b")
        #expect(parts.map(\.body) == [bytes("one"), bytes("two")])
        #expect(parts[0].header("x-id") == "1")
    }

    @Test func ignoresBoundaryLookalikesInsideContent() throws {
        let body = "--b\r\n\r\nline --b in the middle\r\n--bb is longer\r\n--b--"
        let parts = try MultipartBodyParser.parse(bytes(body), boundary: "b")
        #expect(parts.count == 1)
        #expect(parts[0].body == bytes("line --b in the middle\r\n--bb is longer"))
    }

    @Test func keepsBinaryBodiesByteForByte() throws {
        let binary: [UInt8] = [0x00, 0xFF, 0x0D, 0x0A, 0x2D, 0x2D, 0x80, 0x0A]
        let body = bytes("--b\r\nContent-Type: application/octet-stream\r\n\r\n") + binary + bytes("\r\n--b--")
        let parts = try MultipartBodyParser.parse(body, boundary: "b")
        #expect(parts[0].body == binary)
    }

    @Test func decodesLatin1HeadersWhenNotUTF8() throws {
        let body = bytes("--b\r\nContent-Disposition: form-data; name=\"caf") + [0xE9] + bytes("\"\r\n\r\nx\r\n--b--")
        let parts = try MultipartBodyParser.parse(body, boundary: "b")
        #expect(parts[0].name == "café")
    }

    @Test func unfoldsContinuationLines() throws {
        let body = "--b\r\nContent-Type: text/plain;\r\n charset=utf-8\r\n\r\nx\r\n--b--"
        let parts = try MultipartBodyParser.parse(bytes(body), boundary: "b")
        #expect(parts[0].contentType == "text/plain; charset=utf-8")
    }

    @Test func reportsMissingClosingBoundary() {
        let reason = "the multipart body is missing its closing boundary '--b--'"
        #expect(failure("--b\r\nContent-Type: text/plain\r\n\r\nunterminated", boundary: "b")?.reason == reason)
        #expect(failure("--b\r\n\r\none\r\n--b\r\n\r\ntwo\r\n", boundary: "b")?.reason == reason)
        #expect(failure("--b", boundary: "b")?.reason == reason)
    }

    @Test func reportsMissingBoundary() {
        #expect(failure("no delimiters here at all", boundary: "b")?.reason == "the multipart body does not contain the boundary 'b'")
        #expect(failure("", boundary: "b") != nil)
        #expect(failure("x--b\r\n\r\none\r\n--b--", boundary: "b") == nil, "a later delimiter at a line start still counts")
        #expect(failure("x--b\r\n", boundary: "b") != nil)
        #expect(failure("--b\r\n--b--", boundary: "") == MultipartBodyError(reason: "the multipart boundary is empty"))
    }

    @Test func rejectsMalformedPartHeaders() {
        #expect(failure("--b\r\nnot a header\r\n\r\nbody\r\n--b--", boundary: "b")?.reason == "part 1 has a header line without a colon")
        #expect(failure("--b\r\n: empty\r\n\r\nbody\r\n--b--", boundary: "b")?.reason == "part 1 has a header without a name")
    }

    @Test func givesNoPartsForCloseDelimiterOnly() throws {
        #expect(try MultipartBodyParser.parse(bytes("--b--\r\n"), boundary: "b").isEmpty)
    }

    @Test func readsEmptyPartsAndHeaderOnlyParts() throws {
        let parts = try MultipartBodyParser.parse(bytes("--b\r\n--b\r\nX-A: 1\r\n--b--"), boundary: "b")
        #expect(parts.count == 2)
        #expect(parts[0] == MultipartPart(headers: [], body: []))
        #expect(parts[1] == MultipartPart(headers: [(name: "X-A", value: "1")], body: []))
    }

    @Test func extractsBoundaryFromContentType() {
        #expect(MultipartBodyParser.boundary(fromContentType: "multipart/form-data; boundary=AaB03x") == "AaB03x")
        #expect(MultipartBodyParser.boundary(fromContentType: "multipart/mixed; charset=utf-8; BOUNDARY=\"gc0p4Jq0M2Yt08jU534c0p\"") == "gc0p4Jq0M2Yt08jU534c0p")
        #expect(MultipartBodyParser.boundary(fromContentType: #"multipart/mixed; boundary="a \"quoted\" b;c""#) == #"a "quoted" b;c"#)
        #expect(MultipartBodyParser.boundary(fromContentType: "multipart/mixed;boundary = spaced ") == "spaced")
        #expect(MultipartBodyParser.boundary(fromContentType: "multipart/mixed") == nil)
        #expect(MultipartBodyParser.boundary(fromContentType: "multipart/mixed; boundary=\"\"") == nil)
        #expect(MultipartBodyParser.boundary(fromContentType: "") == nil)
    }

    @Test func partEqualityComparesHeadersInOrder() {
        let first = MultipartPart(headers: [(name: "A", value: "1"), (name: "B", value: "2")], body: [1])
        let second = MultipartPart(headers: [(name: "B", value: "2"), (name: "A", value: "1")], body: [1])
        #expect(first != second)
        #expect(first == MultipartPart(headers: [(name: "A", value: "1"), (name: "B", value: "2")], body: [1]))
    }

    @Test func neverCrashesOnRandomInput() {
        var generator = SeededRandomNumberGenerator(seed: 0xC0FF_EE00_1234)
        let pieces = ["--b", "--b--", "\r\n", "\n", "\r", "Content-Type: x", "Content-Transfer-Encoding: base64", ":", "=", "QUJD", " ", "-"]
        for round in 0..<1_000 {
            var input: [UInt8] = []
            let count = Int(generator.next() % 40)
            for _ in 0..<count {
                let roll = generator.next()
                if round % 2 == 0 {
                    input.append(UInt8(truncatingIfNeeded: roll))
                } else {
                    input += Array(pieces[Int(roll % UInt64(pieces.count))].utf8)
                }
            }
            _ = try? MultipartBodyParser.parse(input, boundary: "b")
            _ = MultipartBodyParser.boundary(fromContentType: String(decoding: input, as: UTF8.self))
        }
    }
}

