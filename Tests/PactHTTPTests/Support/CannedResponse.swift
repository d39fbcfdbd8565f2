/// What the test server answers to every request.
struct CannedResponse: Sendable {
    /// How the end of the body is marked.
    enum Framing: Sendable {
        case contentLength
        case chunked
        /// No length at all: the body ends when the server closes the connection.
        case closeDelimited
    }

    var status = 200
    var reason = "OK"
    var headers: [(name: String, value: String)] = []
    var body: [UInt8] = []
    var framing = Framing.contentLength
    /// Answer with the request's own body instead of `body`.
    var echoesRequestBody = false
    /// Send an interim `100 Continue` block before the real response.
    var sendsInterimContinue = false
    /// Wait this long before answering (cut short if the client goes away).
    var delay = Duration.zero
    /// Read the request, then close the connection without writing anything.
    var closesWithoutResponse = false
    /// Bytes sent instead of a well-formed response, followed by closing the connection.
    var rawReply: [UInt8]? = nil

    /// The bytes of the response to a request with this method and body.
    func serialized(method: String, requestBody: [UInt8]) -> [UInt8] {
        if let rawReply { return rawReply }
        let content = echoesRequestBody ? requestBody : body
        var head = sendsInterimContinue ? "HTTP/1.1 100 Continue\r\n\r\n" : ""
        head += "HTTP/1.1 \(status) \(reason)\r\n"
        for header in headers { head += "\(header.name): \(header.value)\r\n" }
        switch framing {
        case .contentLength: head += "Content-Length: \(content.count)\r\n"
        case .chunked: head += "Transfer-Encoding: chunked\r\n"
        case .closeDelimited: head += "Connection: close\r\n"
        }
        head += "\r\n"
        var bytes = Array(head.utf8)
        guard method != "HEAD" else { return bytes }
        switch framing {
        case .contentLength, .closeDelimited:
            bytes += content
        case .chunked:
            var offset = 0
            while offset < content.count {
                let piece = content[offset..<min(offset + 1000, content.count)]
                bytes += Array("\(String(piece.count, radix: 16))\r\n".utf8) + piece + Array("\r\n".utf8)
                offset += piece.count
            }
            bytes += Array("0\r\n\r\n".utf8)
        }
        return bytes
    }
}
