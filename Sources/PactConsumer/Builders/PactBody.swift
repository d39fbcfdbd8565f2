import PactModel

/// The body of a request or response.
///
/// When the request or response has no `Content-Type` header, the body's content type is sent as one.
public struct PactBody: Sendable {
    /// The declared content, compiled when the interaction is registered.
    enum Content: Sendable {
        /// A JSON document that may carry matchers.
        case json(PactValue)
        /// Plain text; a matcher may apply to the whole text.
        case text(PactValue)
        /// Raw bytes compared exactly, or by detected content type when `contentTypeOnly` is set.
        case binary([UInt8], contentTypeOnly: Bool)
        /// An XML document compared structurally, without rules.
        case xml(String)
        /// `application/x-www-form-urlencoded` fields that may carry matchers.
        case form([(name: String, value: PactValue)])
        /// An encoded JSON document with matchers placed at JSON paths (see `encodable`).
        case encoded(JSONValue, matchers: [(path: PathExpression, matcher: PactValue)])
    }

    let content: Content
    /// The media type, as sent in `Content-Type`.
    public let contentType: String

    init(content: Content, contentType: String) {
        self.content = content
        self.contentType = contentType
    }

    /// A JSON body; matchers inside the value apply at their JSON paths (`$.accounts[*].id`).
    public static func json(_ value: PactValue, contentType: String = "application/json") -> PactBody {
        PactBody(content: .json(value), contentType: contentType)
    }

    /// A text body; a matcher around the text (such as `.regex(...)`) applies to the whole body.
    public static func text(_ text: PactValue, contentType: String = "text/plain") -> PactBody {
        PactBody(content: .text(text), contentType: contentType)
    }

    /// A binary body, compared byte for byte.
    public static func binary(_ bytes: [UInt8], contentType: String) -> PactBody {
        PactBody(content: .binary(bytes, contentTypeOnly: false), contentType: contentType)
    }

    /// A binary body that matches any content whose detected type is `type` (a `contentType` rule); `example` is what the mock server sends.
    public static func contentType(_ type: String, example: [UInt8]) -> PactBody {
        PactBody(content: .binary(example, contentTypeOnly: true), contentType: type)
    }

    /// An XML body, compared element by element (no matchers).
    public static func xml(_ text: String, contentType: String = "application/xml") -> PactBody {
        PactBody(content: .xml(text), contentType: contentType)
    }

    /// An `application/x-www-form-urlencoded` body; a matcher on a field applies to each of its values (`$.field`).
    ///
    /// A field whose value is an array is sent once per item, as `a=1&a=2`.
    public static func form(_ fields: [(String, PactValue)]) -> PactBody {
        PactBody(content: .form(fields.map { (name: $0.0, value: $0.1) }), contentType: "application/x-www-form-urlencoded")
    }
}
