/// One XML element with its attributes and children, as parsed from a body.
public struct XMLElementNode: Sendable, Equatable {
    /// The qualified name as written, such as `ns:item`.
    public var name: String
    /// The name without its namespace prefix.
    public var localName: String
    /// The namespace the element's prefix (or the default namespace) is bound to, if any.
    public var namespaceURI: String?
    /// The attributes in document order, names as written (namespace declarations included).
    public var attributes: [(name: String, value: String)]
    /// The child elements and text runs in document order.
    public var children: [XMLNode]

    /// Creates an element from its parts.
    public init(
        name: String,
        localName: String? = nil,
        namespaceURI: String? = nil,
        attributes: [(name: String, value: String)] = [],
        children: [XMLNode] = []
    ) {
        self.name = name
        self.localName = localName ?? XMLElementNode.localPart(of: name)
        self.namespaceURI = namespaceURI
        self.attributes = attributes
        self.children = children
    }

    /// Child elements only, in order.
    public var elements: [XMLElementNode] {
        children.compactMap { child in
            if case .element(let element) = child { return element }
            return nil
        }
    }

    /// Concatenated text of direct text/CDATA children, trimmed of surrounding whitespace when the element also has element children or when the text is whitespace only.
    public var text: String {
        var result = ""
        var hasElements = false
        for child in children {
            switch child {
            case .text(let run): result += run
            case .element: hasElements = true
            }
        }
        let trimmed = XMLElementNode.trimmingXMLWhitespace(result)
        return hasElements || trimmed.isEmpty ? trimmed : result
    }

    /// The value of the first attribute with exactly this name as written, or nil.
    public func attribute(_ name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }

    /// Two elements are equal when names, namespace, attributes (in order) and children are equal.
    public static func == (lhs: XMLElementNode, rhs: XMLElementNode) -> Bool {
        guard lhs.name == rhs.name, lhs.localName == rhs.localName, lhs.namespaceURI == rhs.namespaceURI,
              lhs.attributes.count == rhs.attributes.count, lhs.children == rhs.children
        else { return false }
        for (left, right) in zip(lhs.attributes, rhs.attributes) where left.name != right.name || left.value != right.value {
            return false
        }
        return true
    }

    static func localPart(of qualifiedName: String) -> String {
        guard let colon = qualifiedName.firstIndex(of: ":") else { return qualifiedName }
        return String(qualifiedName[qualifiedName.index(after: colon)...])
    }

    static func trimmingXMLWhitespace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[first...last])
    }
}

/// A node inside an XML element: a child element or a run of text.
public enum XMLNode: Sendable, Equatable {
    /// A child element.
    case element(XMLElementNode)
    /// A run of character data (text, decoded entities and CDATA sections merged).
    case text(String)
}

/// Why an XML body could not be parsed, with the 1-based position where known.
public struct XMLBodyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong.
    public let reason: String
    /// The 1-based line of the problem, if known.
    public let line: Int?
    /// The 1-based column (in characters) of the problem, if known.
    public let column: Int?

    /// Creates an error with an optional position.
    public init(reason: String, line: Int? = nil, column: Int? = nil) {
        self.reason = reason
        self.line = line
        self.column = column
    }

    /// A one-line message: position (when known) and reason.
    public var description: String {
        guard let line else { return reason }
        if let column { return "(line \(line), column \(column)): \(reason)" }
        return "(line \(line)): \(reason)"
    }
}

/// Parses XML bodies into a tree.
///
/// The parser is a self-contained, non-recursive, non-validating XML 1.0 reader with namespace
/// support. It never loads external resources: DOCTYPE declarations are skipped, entity
/// declarations are rejected, and only the five predefined entities and character references
/// are expanded.
public enum XMLBodyParser {
    /// The largest nesting depth accepted, whatever `maxDepth` asks for, so that recursive walks of the tree stay within thread stacks.
    public static let depthCeiling = 1024

    /// Parses a complete XML document from bytes and returns its root element.
    ///
    /// `maxDepth` is the number of nested element levels allowed (the root is level 1); it is
    /// clamped to `1...depthCeiling`. Deeper documents fail with
    /// "XML nesting is deeper than N levels".
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 256) throws(XMLBodyError) -> XMLElementNode {
        let limit = min(max(maxDepth, 1), depthCeiling)
        let text = try XMLInputDecoder.utf8Text(from: bytes)
        var scanner = XMLBodyScanner(bytes: text, maxDepth: limit)
        return try scanner.parseDocument()
    }

    /// Parses a complete XML document from a string and returns its root element.
    public static func parse(_ text: String, maxDepth: Int = 256) throws(XMLBodyError) -> XMLElementNode {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }
}
