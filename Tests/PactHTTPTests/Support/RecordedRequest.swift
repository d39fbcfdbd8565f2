import Foundation

/// One request as the test server received it, byte for byte.
struct RecordedRequest: Sendable {
    /// Which accepted connection it came on, counting from 1.
    let connection: Int
    /// The request line and headers, up to and including the empty line.
    let head: [UInt8]
    let body: [UInt8]

    /// The head as text; tests assert on this exact text.
    var headText: String { String(decoding: head, as: UTF8.self) }

    /// The request line, such as `GET /a HTTP/1.1`.
    var requestLine: String { headText.components(separatedBy: "\r\n").first ?? "" }

    /// The method from the request line.
    var method: String { requestLine.split(separator: " ").first.map(String.init) ?? "" }

    /// The header lines of the head, in order, exactly as sent.
    var headerLines: [String] {
        Array(headText.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty })
    }

    /// The lower-cased names of the headers, in order.
    var headerNames: [String] {
        headerLines.map { line in String(line.prefix { $0 != ":" }).lowercased() }
    }

    /// The value of the first header with this name (any case), trimmed.
    func header(_ name: String) -> String? {
        for line in headerLines {
            let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2, parts[0].lowercased() == name.lowercased() {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}
