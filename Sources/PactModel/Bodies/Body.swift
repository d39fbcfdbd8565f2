/// The body of a request, response or message: absent, JSON `null`, or bytes with an optional content type.
///
/// JSON bodies keep their parsed value, so matching never re-parses the expected side.
public struct Body: Sendable, Hashable {
    /// Whether a body is present.
    public enum State: Sendable, Hashable {
        /// No body was given.
        case missing
        /// The pact gave `null` as the body.
        case null
        /// A body is present (it may be empty).
        case present
    }

    /// Whether a body is present.
    public let state: State
    /// The raw content; empty when missing or null.
    public let bytes: [UInt8]
    /// The declared content type (from the pact or a `Content-Type` header), if any.
    public let declaredContentType: ContentType?
    /// The parsed value when the content is JSON.
    public let json: JSONValue?

    /// No body.
    public static let missing = Body(state: .missing, bytes: [], declaredContentType: nil, json: nil)
    /// A JSON `null` body.
    public static let null = Body(state: .null, bytes: [], declaredContentType: nil, json: nil)

    private init(state: State, bytes: [UInt8], declaredContentType: ContentType?, json: JSONValue?) {
        self.state = state
        self.bytes = bytes
        self.declaredContentType = declaredContentType
        self.json = json
    }

    /// A body from raw bytes; JSON content (declared or detected) is parsed once here.
    public init(bytes: [UInt8], contentType: ContentType? = nil) {
        state = .present
        self.bytes = bytes
        declaredContentType = contentType
        let looksJSON = contentType.map(\.isJSON) ?? (Body.detect(bytes) == .json)
        json = looksJSON ? (try? JSONParser.parse(bytes)) : nil
    }

    /// A body from text.
    public init(text: String, contentType: ContentType? = nil) {
        self.init(bytes: Array(text.utf8), contentType: contentType)
    }

    /// A JSON body from a value.
    public init(json value: JSONValue, contentType: ContentType? = nil) {
        state = .present
        bytes = JSONWriter.bytes(value, style: .compact)
        declaredContentType = contentType ?? .json
        json = value
    }

    /// True when content is present and not empty.
    public var hasContent: Bool { state == .present && !bytes.isEmpty }

    /// True when the body is present.
    public var isPresent: Bool { state == .present }

    /// The content as UTF-8 text, or nil when it is not valid UTF-8.
    public var text: String? {
        String(validating: bytes, as: UTF8.self)
    }

    /// The declared content type, or one detected from the content as the Pact specification describes.
    public var contentType: ContentType? {
        if let declaredContentType { return declaredContentType }
        guard state == .present, !bytes.isEmpty else { return nil }
        return Body.detect(bytes)
    }

    /// Returns the same content with another declared content type.
    public func withContentType(_ contentType: ContentType?) -> Body {
        guard state == .present else { return self }
        if json != nil, contentType?.isJSON ?? true {
            return Body(state: .present, bytes: bytes, declaredContentType: contentType, json: json)
        }
        return Body(bytes: bytes, contentType: contentType)
    }

    /// Guesses a content type from content: JSON, XML, text or binary (by magic numbers where known).
    public static func detect(_ bytes: [UInt8]) -> ContentType {
        if let magic = MagicNumbers.contentType(of: bytes) { return magic }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .binary }
        var first: UInt8?
        for byte in text.utf8 where !(byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D) {
            first = byte
            break
        }
        switch first {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            if (try? JSONParser.parse(bytes)) != nil { return .json }
        case UInt8(ascii: "<"):
            let lowered = text.prefix(256).lowercased()
            if lowered.contains("<html") || lowered.contains("<!doctype html") {
                return ContentType("text/html") ?? .text
            }
            return .xml
        default:
            break
        }
        let controls = text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t" }
        return controls ? .binary : .text
    }

    /// Bodies are equal when they are in the same state with the same declared content type and the same content;
    /// two JSON bodies compare as JSON, so key order and layout (which pact files do not keep) do not matter.
    public static func == (lhs: Body, rhs: Body) -> Bool {
        guard lhs.state == rhs.state, lhs.declaredContentType == rhs.declaredContentType else { return false }
        if let left = lhs.json, let right = rhs.json { return left == right }
        return lhs.bytes == rhs.bytes
    }

    /// Hashes consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(state)
        hasher.combine(declaredContentType)
    }
}
