/// Collects the final response's status and headers from the lines libcurl passes to its header callback.
///
/// libcurl passes every header block it reads: interim `100 Continue` responses, a proxy's `CONNECT` answer and the
/// final response, each as a status line, header lines and an empty line. Only the last block is kept.
struct ResponseHeaderParser {
    private enum State {
        /// Waiting for a status line; nothing of the current block has been seen.
        case awaitingStatusLine
        /// Inside a header block whose status line has been read.
        case readingHeaders
        /// After the empty line ending a final (non-1xx) block; later lines are trailers and are ignored.
        case complete
    }

    private var state = State.awaitingStatusLine
    /// The status parsed from the latest status line, `nil` before the first one or if it was unreadable.
    private(set) var status: Int?
    /// The headers of the latest block, in order.
    private(set) var headers: [(name: String, value: String)] = []

    /// Takes one line as libcurl passes it, with its line ending.
    mutating func consume(line rawLine: UnsafeBufferPointer<UInt8>) {
        let line = rawLine.trimmingLineEnding()
        if line.starts(with: "HTTP/".utf8) {
            // A new status line always starts a new block: after 100 Continue or a proxy's CONNECT reply the
            // earlier block is not the final response.
            status = Self.statusCode(inStatusLine: line)
            headers = []
            state = .readingHeaders
            return
        }
        guard case .readingHeaders = state else { return }
        if line.isEmpty {
            let isInterim = status.map { (100..<200).contains($0) } ?? false
            state = isInterim ? .awaitingStatusLine : .complete
        } else if let first = line.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
            // An obsolete folded continuation line belongs to the previous header's value.
            guard var last = headers.popLast() else { return }
            let continuation = Self.text(line.trimmingWhitespace())
            last.value = last.value.isEmpty ? continuation : last.value + " " + continuation
            headers.append(last)
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            let name = Self.text(line[..<colon].trimmingWhitespace())
            let value = Self.text(line[(colon + 1)...].trimmingWhitespace())
            headers.append((name: name, value: value))
        }
    }

    /// The three-digit code after the protocol in `HTTP/1.1 200 OK` or `HTTP/2 200`.
    private static func statusCode(inStatusLine line: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
        guard let space = line.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        let digits = line[(space + 1)...].prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        guard digits.count == 3 else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    /// Header bytes as text: UTF-8 when valid, otherwise ISO-8859-1, which maps every byte to one character.
    private static func text(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        let utf8 = String(decoding: bytes, as: UTF8.self)
        if utf8.utf8.elementsEqual(bytes) { return utf8 }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }
}

extension UnsafeBufferPointer<UInt8> {
    fileprivate func trimmingLineEnding() -> Slice<UnsafeBufferPointer<UInt8>> {
        var end = endIndex
        while end > startIndex, self[end - 1] == UInt8(ascii: "\n") || self[end - 1] == UInt8(ascii: "\r") {
            end -= 1
        }
        return self[startIndex..<end]
    }
}

extension Slice<UnsafeBufferPointer<UInt8>> {
    fileprivate func trimmingWhitespace() -> Slice<UnsafeBufferPointer<UInt8>> {
        let isWhitespace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var start = startIndex, end = endIndex
        while start < end, isWhitespace(self[start]) { start += 1 }
        while end > start, isWhitespace(self[end - 1]) { end -= 1 }
        return self[start..<end]
    }
}
