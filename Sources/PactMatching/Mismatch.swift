import PactModel

/// One difference between what an interaction expects and what was received; it carries its own message.
public struct Mismatch: Sendable, Hashable, CustomStringConvertible {
    /// Which part of the request, response or message differs.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The HTTP method.
        case method
        /// The request path.
        case path
        /// A query parameter.
        case query
        /// A header.
        case header
        /// The body content.
        case body
        /// The body's content type.
        case bodyType = "body-content-type"
        /// The response status.
        case status
        /// Message metadata.
        case metadata
        /// The interaction matches but may not answer now (a mock server's scenario or provider-state selection).
        case state
    }

    /// Which part differs.
    public var kind: Kind
    /// Where: a JSON path for bodies (`$.accounts[0].id`), the name for headers, query parameters and metadata, empty otherwise.
    public var path: String
    /// The expected value, as text.
    public var expected: String?
    /// The actual value, as text.
    public var actual: String?
    /// A plain message such as "Expected query parameter 'b' but was missing".
    public var message: String

    /// Creates a mismatch.
    public init(kind: Kind, path: String = "", expected: String? = nil, actual: String? = nil, message: String) {
        self.kind = kind
        self.path = path
        self.expected = expected
        self.actual = actual
        self.message = message
    }

    /// `kind path: message`.
    public var description: String {
        path.isEmpty ? "\(kind.rawValue): \(message)" : "\(kind.rawValue) \(path): \(message)"
    }
}

/// How Pact shows values inside messages.
enum ValueText {
    /// `'text'` for strings, the literal for numbers and booleans, `null`, and compact JSON for containers.
    static func quoted(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return "'\(text)'"
        case .null: return "null"
        case .array, .object: return JSONWriter.string(value, style: .compactSorted)
        default: return value.plainText
        }
    }

    /// `'text' (String)`-style value with its type name.
    static func typed(_ value: JSONValue) -> String {
        "\(quoted(value)) (\(value.typeName))"
    }

    /// The unquoted text of a value: strings as they are, everything else as compact JSON.
    static func plain(_ value: JSONValue) -> String {
        switch value {
        case .array, .object: return JSONWriter.string(value, style: .compactSorted)
        default: return value.plainText
        }
    }

    /// `[1, 2, 3]`: a list shown item by item, as in size messages.
    static func list(_ items: [JSONValue]) -> String {
        "[" + items.map { item -> String in
            if case .string(let text) = item { return "\"\(text)\"" }
            return JSONWriter.string(item, style: .compactSorted)
        }.joined(separator: ", ") + "]"
    }
}
