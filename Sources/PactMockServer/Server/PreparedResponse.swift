import NIOCore
import NIOHTTP1
import PactModel

/// A response encoded for the wire by the server itself: the status line, the header lines and the body in one
/// buffer, so a keep-alive answer is a single write of bytes made once.
///
/// Interactions whose response never changes are encoded once, when the server starts; other responses are encoded
/// as they are sent. `Content-Length` is always the body's length (a length or transfer encoding in the pact is
/// dropped, as are connection headers: the server decides the framing and the connection's life), and statuses that
/// carry no body (204, 304) get neither a body nor a length.
struct PreparedResponse: Sendable {
    /// The status, for faults that imitate it.
    let status: HTTPResponseStatus
    /// The status line and header lines with `Content-Length`, without the blank line that ends the head.
    private let head: ByteBuffer
    /// The body; nil when empty or not allowed by the status.
    let body: ByteBuffer?
    /// The whole response as a keep-alive connection receives it.
    private let wire: ByteBuffer

    /// Headers the server decides itself: the framing of the body and the life of the connection.
    private static let transportHeaders: Set<String> = ["content-length", "transfer-encoding", "connection", "keep-alive"]

    init(_ response: HTTPResponse) {
        var fields: [(String, String)] = []
        for entry in response.headers where !PreparedResponse.transportHeaders.contains(entry.name.lowercased()) {
            for value in entry.values { fields.append((entry.name, value)) }
        }
        if !response.headers.contains("Content-Type"), response.body.hasContent, let type = response.body.contentType {
            fields.append(("Content-Type", type.description))
        }
        self.init(status: response.status, fields: fields, body: response.body.isPresent ? response.body.bytes : [])
    }

    init(status requested: Int, fields: [(String, String)], body bytes: [UInt8]) {
        // A final response needs a status from 200 to 999 (a generator may produce anything); 1xx would leave the
        // client waiting for the real answer.
        let code = (200...999).contains(requested) ? requested : 500
        let status = HTTPResponseStatus(statusCode: code)
        let allowsBody = !((100..<200).contains(code) || code == 204 || code == 304)
        var head = ByteBuffer()
        head.reserveCapacity(64 + fields.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count + 4 })
        head.writeString("HTTP/1.1 \(code) \(status.reasonPhrase)\r\n")
        for (name, value) in fields where PreparedResponse.isToken(name) {
            head.writeString(name)
            head.writeStaticString(": ")
            PreparedResponse.writeValue(value, into: &head)
            head.writeStaticString("\r\n")
        }
        if allowsBody { head.writeString("Content-Length: \(bytes.count)\r\n") }
        // One allocation holds it all: the head and the body are views of the whole response.
        let sendsBody = allowsBody && !bytes.isEmpty
        var wire = ByteBuffer()
        wire.reserveCapacity(head.readableBytes + 2 + (sendsBody ? bytes.count : 0))
        wire.writeImmutableBuffer(head)
        wire.writeStaticString("\r\n")
        if sendsBody { wire.writeBytes(bytes) }
        self.status = status
        self.head = wire.getSlice(at: wire.readerIndex, length: head.readableBytes) ?? head
        self.body = sendsBody ? wire.getSlice(at: wire.readerIndex + head.readableBytes + 2, length: bytes.count) : nil
        self.wire = wire
    }

    /// The response as sent: with `Connection: close` when the connection ends after it, `Connection: keep-alive`
    /// when an HTTP/1.0 client asked to keep it (1.0 closes by default), and without the body for HEAD.
    func encoded(keepAlive: Bool, isHead: Bool, announceKeepAlive: Bool = false) -> ByteBuffer {
        if keepAlive && !isHead && !announceKeepAlive { return wire }
        return head(keepAlive: keepAlive, announceKeepAlive: announceKeepAlive, thenBody: !isHead)
    }

    /// The head, ending with its blank line, followed by the body when asked (a dribbled body is sent apart).
    func head(keepAlive: Bool, announceKeepAlive: Bool = false, thenBody: Bool = false) -> ByteBuffer {
        let body = thenBody ? self.body : nil
        var buffer = ByteBuffer()
        buffer.reserveCapacity(head.readableBytes + 26 + (body?.readableBytes ?? 0))
        buffer.writeImmutableBuffer(head)
        if !keepAlive {
            buffer.writeStaticString("Connection: close\r\n")
        } else if announceKeepAlive {
            buffer.writeStaticString("Connection: keep-alive\r\n")
        }
        buffer.writeStaticString("\r\n")
        if let body { buffer.writeImmutableBuffer(body) }
        return buffer
    }

    /// True for a header name HTTP allows (RFC 9110 token characters); others are left out rather than sent broken.
    private static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
            default: return "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
    }

    /// Writes a header value with control characters (CR and LF among them; tab is allowed) turned into spaces, so a
    /// value cannot end the head or add lines, and strict clients do not reject it.
    private static func writeValue(_ value: String, into buffer: inout ByteBuffer) {
        func isControl(_ byte: UInt8) -> Bool { (byte < 0x20 && byte != 0x09) || byte == 0x7F }
        if !value.utf8.contains(where: isControl) {
            buffer.writeString(value)
        } else {
            buffer.writeBytes(value.utf8.map { isControl($0) ? UInt8(ascii: " ") : $0 })
        }
    }
}
