/// One part of a multipart body.
public struct MultipartPart: Sendable, Equatable {
    /// The part's headers in order, names as written.
    public var headers: [(name: String, value: String)]
    /// The part's content, already decoded when its transfer encoding is base64.
    public var body: [UInt8]
    /// The `name` parameter of the Content-Disposition header, if any.
    public var name: String?
    /// The `filename*` (preferred) or `filename` parameter of the Content-Disposition header, if any.
    public var filename: String?
    /// The Content-Type header value, if any.
    public var contentType: String?

    /// Creates a part from headers and body, deriving `name`, `filename` and `contentType` from the headers.
    public init(headers: [(name: String, value: String)], body: [UInt8]) {
        self.headers = headers
        self.body = body
        contentType = nil
        contentType = header("Content-Type")
        if let disposition = header("Content-Disposition") {
            let parameters = MultipartHeaderValue.parameters(of: disposition)
            name = parameters.first { $0.name == "name" }?.value
            let plain = parameters.first { $0.name == "filename" }?.value
            let extended = parameters.first { $0.name == "filename*" }.flatMap { MultipartHeaderValue.decodeExtendedValue($0.value) }
            filename = extended ?? plain
        }
    }

    /// The value of the first header with this name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// Two parts are equal when their headers (in order), bodies and derived fields are equal.
    public static func == (lhs: MultipartPart, rhs: MultipartPart) -> Bool {
        guard lhs.body == rhs.body, lhs.name == rhs.name, lhs.filename == rhs.filename,
              lhs.contentType == rhs.contentType, lhs.headers.count == rhs.headers.count
        else { return false }
        return zip(lhs.headers, rhs.headers).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}

/// Why a multipart body could not be parsed.
public struct MultipartBodyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong.
    public let reason: String

    /// Creates an error with a reason.
    public init(reason: String) {
        self.reason = reason
    }

    /// The reason.
    public var description: String { reason }
}

/// Parses multipart/* bodies (RFC 2046 / RFC 7578).
///
/// Delimiter lines may end in CRLF or a bare LF and may carry trailing spaces or tabs; the
/// preamble and epilogue are ignored. A body holding only the closing delimiter gives no parts.
public enum MultipartBodyParser {
    /// The boundary parameter of a multipart content type, unquoted, or nil.
    public static func boundary(fromContentType contentType: String) -> String? {
        let value = MultipartHeaderValue.parameters(of: contentType).first { $0.name == "boundary" }?.value
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    /// Splits a multipart body into its parts, decoding base64 part bodies.
    public static func parse(_ bytes: [UInt8], boundary: String) throws(MultipartBodyError) -> [MultipartPart] {
        guard !boundary.isEmpty else { throw MultipartBodyError(reason: "the multipart boundary is empty") }
        let scanner = DelimiterScanner(bytes: bytes, delimiter: Array("--\(boundary)".utf8))
        guard var line = scanner.firstDelimiter() else {
            throw MultipartBodyError(reason: "the multipart body does not contain the boundary '\(boundary)'")
        }
        var parts: [MultipartPart] = []
        while !line.isClose {
            let contentStart = line.next
            guard let (contentEnd, nextLine) = scanner.nextDelimiter(from: contentStart) else {
                throw MultipartBodyError(reason: "the multipart body is missing its closing boundary '--\(boundary)--'")
            }
            parts.append(try parsePart(bytes[contentStart..<contentEnd], number: parts.count + 1))
            line = nextLine
        }
        return parts
    }

    private static func parsePart(_ content: ArraySlice<UInt8>, number: Int) throws(MultipartBodyError) -> MultipartPart {
        let (headerBytes, rawBody) = splitHeaders(content)
        var headers: [(name: String, value: String)] = []
        for rawLine in headerBytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let lineBytes = rawLine.last == 0x0D ? rawLine.dropLast() : rawLine
            if lineBytes.isEmpty { continue }
            let line = MultipartHeaderValue.decodeText(lineBytes)
            if let first = line.unicodeScalars.first, first == " " || first == "\t" {
                guard !headers.isEmpty else { throw MultipartBodyError(reason: "part \(number) starts with a continuation line") }
                headers[headers.count - 1].value += " " + MultipartHeaderValue.trimmed(line)
                continue
            }
            guard let colon = line.firstIndex(of: ":") else {
                throw MultipartBodyError(reason: "part \(number) has a header line without a colon")
            }
            let name = MultipartHeaderValue.trimmed(String(line[..<colon]))
            guard !name.isEmpty else { throw MultipartBodyError(reason: "part \(number) has a header without a name") }
            headers.append((name, MultipartHeaderValue.trimmed(String(line[line.index(after: colon)...]))))
        }
        var part = MultipartPart(headers: headers, body: Array(rawBody))
        if let encoding = part.header("Content-Transfer-Encoding"), encoding.lowercased() == "base64" {
            guard let decoded = MultipartBase64.decode(rawBody) else {
                throw MultipartBodyError(reason: "part \(number) is not valid base64")
            }
            part.body = decoded
        }
        return part
    }

    /// Splits part content at the first blank line; with no blank line the whole content is headers.
    private static func splitHeaders(_ content: ArraySlice<UInt8>) -> (ArraySlice<UInt8>, ArraySlice<UInt8>) {
        let start = content.startIndex
        if let end = lineEnd(in: content, at: start) { return (content[start..<start], content[end...]) }
        var index = start
        while index < content.endIndex {
            if content[index] == 0x0A, let end = lineEnd(in: content, at: index + 1) {
                return (content[start..<index], content[end...])
            }
            index += 1
        }
        return (content, content[content.endIndex...])
    }

    /// The index after a CRLF or LF starting at `index`, or nil.
    private static func lineEnd(in bytes: ArraySlice<UInt8>, at index: Int) -> Int? {
        guard index < bytes.endIndex else { return nil }
        if bytes[index] == 0x0A { return index + 1 }
        if bytes[index] == 0x0D, index + 1 < bytes.endIndex, bytes[index + 1] == 0x0A { return index + 2 }
        return nil
    }
}

/// Finds delimiter lines (`--boundary`) that start a line in a multipart body.
private struct DelimiterScanner {
    struct Line {
        /// The index just after the delimiter line.
        let next: Int
        let isClose: Bool
    }

    let bytes: [UInt8]
    let delimiter: [UInt8]

    func firstDelimiter() -> Line? {
        var index = 0
        while index < bytes.count {
            if index == 0 || bytes[index - 1] == 0x0A, let line = delimiterLine(at: index) { return line }
            index += 1
        }
        return nil
    }

    /// The end of the part content starting at `start` and the delimiter line that ends it.
    func nextDelimiter(from start: Int) -> (contentEnd: Int, line: Line)? {
        var index = start
        while index < bytes.count {
            if index == start || bytes[index - 1] == 0x0A, let line = delimiterLine(at: index) {
                var end = index
                if end > start, bytes[end - 1] == 0x0A {
                    end -= 1
                    if end > start, bytes[end - 1] == 0x0D { end -= 1 }
                }
                return (end, line)
            }
            index += 1
        }
        return nil
    }

    private func delimiterLine(at index: Int) -> Line? {
        guard index + delimiter.count <= bytes.count else { return nil }
        for offset in 0..<delimiter.count where bytes[index + offset] != delimiter[offset] { return nil }
        var cursor = index + delimiter.count
        if cursor + 1 < bytes.count, bytes[cursor] == 0x2D, bytes[cursor + 1] == 0x2D {
            return Line(next: bytes.count, isClose: true)
        }
        while cursor < bytes.count, bytes[cursor] == 0x20 || bytes[cursor] == 0x09 { cursor += 1 }
        if cursor == bytes.count { return Line(next: cursor, isClose: false) }
        if bytes[cursor] == 0x0A { return Line(next: cursor + 1, isClose: false) }
        if bytes[cursor] == 0x0D, cursor + 1 < bytes.count, bytes[cursor + 1] == 0x0A {
            return Line(next: cursor + 2, isClose: false)
        }
        return nil
    }
}

/// Decodes base64 text, ignoring whitespace and tolerating missing padding.
enum MultipartBase64 {
    static func decode(_ encoded: ArraySlice<UInt8>) -> [UInt8]? {
        var values: [UInt8] = []
        values.reserveCapacity(encoded.count)
        var padding = 0
        for byte in encoded {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D: continue
            case UInt8(ascii: "="): padding += 1; continue
            default: break
            }
            guard padding == 0, let value = sextet(byte) else { return nil }
            values.append(value)
        }
        guard padding <= 2, values.count % 4 != 1 else { return nil }
        if padding > 0, (values.count + padding) % 4 != 0 { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(values.count * 3 / 4)
        var index = 0
        while index < values.count {
            let chunk = values[index..<min(index + 4, values.count)]
            let a = chunk[index], b = chunk[index + 1]
            output.append(a << 2 | b >> 4)
            if chunk.count > 2 { output.append(b << 4 | chunk[index + 2] >> 2) }
            if chunk.count > 3 { output.append(chunk[index + 2] << 6 | chunk[index + 3]) }
            index += 4
        }
        return output
    }

    private static func sextet(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}
