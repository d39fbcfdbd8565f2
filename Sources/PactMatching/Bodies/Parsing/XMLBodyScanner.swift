/// A non-recursive XML 1.0 reader over checked, LF-normalised UTF-8 that builds an `XMLElementNode` tree.
struct XMLBodyScanner {
    private struct Frame {
        var element: XMLElementNode
        var namespaces: [String: String]
        var text: [UInt8] = []
        var textHasCDATA = false
        let start: Int
    }

    private static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"
    private static let lessThan = UInt8(ascii: "<")
    private static let greaterThan = UInt8(ascii: ">")
    private static let ampersand = UInt8(ascii: "&")
    private static let slash = UInt8(ascii: "/")

    private let bytes: [UInt8]
    private let maxDepth: Int
    private var index = 0

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(XMLBodyError) -> XMLElementNode {
        var stack: [Frame] = []
        var root: XMLElementNode?
        var sawDoctype = false
        while index < bytes.count {
            if bytes[index] != Self.lessThan {
                if stack.isEmpty {
                    guard XMLInputDecoder.isXMLSpace(bytes[index]) else {
                        throw failure(root == nil ? "text before the root element" : "text after the root element")
                    }
                    index += 1
                } else {
                    try readText(into: &stack[stack.count - 1].text)
                }
            } else if hasPrefix("<!--") {
                try skip(past: "-->", from: index + 4, unclosed: "an unclosed comment")
            } else if hasPrefix("<![CDATA[") {
                guard !stack.isEmpty else { throw failure("a CDATA section outside the root element") }
                let start = index + 9
                guard let end = find("]]>", from: start) else { throw failure("an unclosed CDATA section") }
                stack[stack.count - 1].text.append(contentsOf: bytes[start..<end])
                stack[stack.count - 1].textHasCDATA = true
                index = end + 3
            } else if hasPrefix("<!DOCTYPE") {
                guard stack.isEmpty, root == nil, !sawDoctype else { throw failure("a DOCTYPE declaration is only allowed once, before the root element") }
                sawDoctype = true
                try skipDoctype()
            } else if hasPrefix("<?") {
                try skipProcessingInstruction()
            } else if hasPrefix("</") {
                let start = index
                index += 2
                let name = try readName(what: "an end tag name")
                skipWhitespace()
                guard index < bytes.count, bytes[index] == Self.greaterThan else { throw failure("a malformed end tag </\(name)>") }
                index += 1
                guard var frame = stack.popLast() else { throw failure("an unexpected end tag </\(name)>", at: start) }
                guard frame.element.name == name else {
                    throw failure("the end tag </\(name)> does not match the start tag <\(frame.element.name)>", at: start)
                }
                Self.flushText(of: &frame)
                if stack.isEmpty { root = frame.element } else { stack[stack.count - 1].element.children.append(.element(frame.element)) }
            } else if hasPrefix("<!") {
                throw failure("an unexpected markup declaration")
            } else {
                guard root == nil else { throw failure("a second root element") }
                guard stack.count < maxDepth else { throw failure("XML nesting is deeper than \(maxDepth) levels") }
                if !stack.isEmpty { Self.flushText(of: &stack[stack.count - 1]) }
                let start = index
                let (element, namespaces, selfClosing) = try readStartTag(scope: stack.last?.namespaces ?? ["xml": Self.xmlNamespace])
                if !selfClosing {
                    stack.append(Frame(element: element, namespaces: namespaces, start: start))
                } else if stack.isEmpty {
                    root = element
                } else {
                    stack[stack.count - 1].element.children.append(.element(element))
                }
            }
        }
        if let open = stack.last { throw failure("the element <\(open.element.name)> is never closed", at: open.start) }
        guard let root else { throw failure("the XML body has no root element") }
        return root
    }

    // MARK: - Elements and attributes

    private mutating func readStartTag(scope: [String: String]) throws(XMLBodyError) -> (XMLElementNode, [String: String], Bool) {
        let start = index
        index += 1
        let name = try readName(what: "an element name")
        var attributes: [(name: String, value: String)] = []
        var seen = Set<String>()
        var selfClosing = false
        while true {
            let hadSpace = skipWhitespace()
            guard index < bytes.count else { throw failure("the start tag <\(name)> is never closed", at: start) }
            if bytes[index] == Self.greaterThan {
                index += 1
                break
            }
            if bytes[index] == Self.slash {
                guard index + 1 < bytes.count, bytes[index + 1] == Self.greaterThan else { throw failure("expected '>' after '/' in <\(name)>") }
                index += 2
                selfClosing = true
                break
            }
            guard hadSpace else { throw failure("expected whitespace before an attribute of <\(name)>") }
            let attributeStart = index
            let attributeName = try readName(what: "an attribute name")
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { throw failure("expected '=' after the attribute \(attributeName)") }
            index += 1
            skipWhitespace()
            let value = try readAttributeValue()
            guard seen.insert(attributeName).inserted else {
                throw failure("the attribute \(attributeName) appears twice on <\(name)>", at: attributeStart)
            }
            attributes.append((attributeName, value))
        }
        let namespaces = try bindNamespaces(attributes, scope: scope, at: start)
        let (prefix, local) = try split(name, at: start)
        let uri: String?
        if let prefix {
            guard let bound = namespaces[prefix] else { throw failure("the namespace prefix '\(prefix)' is not declared", at: start) }
            uri = bound
        } else {
            uri = namespaces[""]
        }
        for attribute in attributes {
            let (attributePrefix, _) = try split(attribute.name, at: start)
            if let attributePrefix, attributePrefix != "xmlns", namespaces[attributePrefix] == nil {
                throw failure("the namespace prefix '\(attributePrefix)' is not declared", at: start)
            }
        }
        let element = XMLElementNode(name: name, localName: local, namespaceURI: uri, attributes: attributes)
        return (element, namespaces, selfClosing)
    }

    private func bindNamespaces(_ attributes: [(name: String, value: String)], scope: [String: String], at start: Int) throws(XMLBodyError) -> [String: String] {
        var namespaces = scope
        for attribute in attributes {
            if attribute.name == "xmlns" {
                namespaces[""] = attribute.value.isEmpty ? nil : attribute.value
            } else if attribute.name.hasPrefix("xmlns:") {
                let prefix = String(attribute.name.dropFirst(6))
                guard !attribute.value.isEmpty else { throw failure("the namespace prefix '\(prefix)' is bound to an empty URI", at: start) }
                guard prefix != "xmlns" else { throw failure("the prefix 'xmlns' cannot be declared", at: start) }
                namespaces[prefix] = attribute.value
            }
        }
        return namespaces
    }

    private func split(_ name: String, at start: Int) throws(XMLBodyError) -> (prefix: String?, local: String) {
        let parts = name.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return (nil, name)
        case 2 where !parts[0].isEmpty && !parts[1].isEmpty: return (String(parts[0]), String(parts[1]))
        default: throw failure("'\(name)' is not a valid qualified name", at: start)
        }
    }

    private mutating func readAttributeValue() throws(XMLBodyError) -> String {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
            throw failure("expected a quoted attribute value")
        }
        let quote = bytes[index]
        let start = index
        index += 1
        var value: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case quote:
                index += 1
                return String(decoding: value, as: UTF8.self)
            case Self.lessThan:
                throw failure("'<' is not allowed in an attribute value")
            case Self.ampersand:
                try readReference(into: &value)
            case 0x09, 0x0A:
                value.append(0x20)
                index += 1
            default:
                value.append(byte)
                index += 1
            }
        }
        throw failure("an unclosed attribute value", at: start)
    }

    // MARK: - Text and references

    private mutating func readText(into text: inout [UInt8]) throws(XMLBodyError) {
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Self.lessThan { return }
            if byte == Self.ampersand {
                try readReference(into: &text)
            } else {
                if byte == UInt8(ascii: "]"), hasPrefix("]]>") { throw failure("']]>' is not allowed in text") }
                text.append(byte)
                index += 1
            }
        }
    }

    /// Decodes `&name;`, `&#NNN;` or `&#xHH;` at the cursor, appending its UTF-8.
    private mutating func readReference(into output: inout [UInt8]) throws(XMLBodyError) {
        let start = index
        var end = index + 1
        while end < bytes.count, end - start <= 32, bytes[end] != UInt8(ascii: ";") { end += 1 }
        guard end < bytes.count, bytes[end] == UInt8(ascii: ";"), end > start + 1 else {
            throw failure("a malformed entity or character reference")
        }
        let name = String(decoding: bytes[(start + 1)..<end], as: UTF8.self)
        index = end + 1
        let scalar: Unicode.Scalar?
        switch name {
        case "lt": scalar = "<"
        case "gt": scalar = ">"
        case "amp": scalar = "&"
        case "quot": scalar = "\""
        case "apos": scalar = "'"
        default:
            if name.hasPrefix("#x") {
                scalar = UInt32(name.dropFirst(2), radix: 16).flatMap(Self.xmlCharacter)
            } else if name.hasPrefix("#") {
                scalar = UInt32(name.dropFirst(), radix: 10).flatMap(Self.xmlCharacter)
            } else {
                throw failure("the entity &\(name); is not defined", at: start)
            }
        }
        guard let scalar else { throw failure("the character reference &\(name); is not a valid XML character", at: start) }
        output.append(contentsOf: scalar.utf8)
    }

    private static func xmlCharacter(_ value: UInt32) -> Unicode.Scalar? {
        let allowed = value == 0x09 || value == 0x0A || value == 0x0D
            || (0x20...0xD7FF).contains(value) || (0xE000...0xFFFD).contains(value) || (0x10000...0x10FFFF).contains(value)
        return allowed ? Unicode.Scalar(value) : nil
    }

    private static func flushText(of frame: inout Frame) {
        guard !frame.text.isEmpty else { return }
        if frame.textHasCDATA || frame.text.contains(where: { !XMLInputDecoder.isXMLSpace($0) }) {
            frame.element.children.append(.text(String(decoding: frame.text, as: UTF8.self)))
        }
        frame.text.removeAll(keepingCapacity: true)
        frame.textHasCDATA = false
    }

    // MARK: - Declarations

    private mutating func skipProcessingInstruction() throws(XMLBodyError) {
        let start = index
        index += 2
        let target = try readName(what: "a processing instruction target")
        if target.lowercased() == "xml", start != 0 {
            throw failure("the XML declaration is only allowed at the very start of the body", at: start)
        }
        try skip(past: "?>", from: index, unclosed: "an unclosed processing instruction")
    }

    /// Skips a DOCTYPE without loading anything it names; entity declarations are refused.
    private mutating func skipDoctype() throws(XMLBodyError) {
        let start = index
        var cursor = index + 9
        var inSubset = false
        var quote: UInt8?
        while cursor < bytes.count {
            let byte = bytes[cursor]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if inSubset, hasPrefix("<!--", at: cursor) {
                guard let end = find("-->", from: cursor + 4) else { throw failure("an unclosed comment", at: cursor) }
                cursor = end + 3
                continue
            } else if inSubset, hasPrefix("<!ENTITY", at: cursor) {
                throw failure("entity declarations are not supported", at: cursor)
            } else if byte == UInt8(ascii: "[") {
                inSubset = true
            } else if byte == UInt8(ascii: "]") {
                inSubset = false
            } else if byte == Self.greaterThan, !inSubset {
                index = cursor + 1
                return
            }
            cursor += 1
        }
        throw failure("an unclosed DOCTYPE declaration", at: start)
    }

    // MARK: - Low-level scanning

    private mutating func readName(what: String) throws(XMLBodyError) -> String {
        let start = index
        guard index < bytes.count, Self.isNameStart(bytes[index]) else { throw failure("expected \(what)") }
        index += 1
        while index < bytes.count, Self.isNameStart(bytes[index]) || Self.isNamePart(bytes[index]) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private static func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x3A || byte >= 0x80
    }

    private static func isNamePart(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x2E
    }

    @discardableResult
    private mutating func skipWhitespace() -> Bool {
        let start = index
        while index < bytes.count, XMLInputDecoder.isXMLSpace(bytes[index]) { index += 1 }
        return index > start
    }

    private mutating func skip(past terminator: String, from start: Int, unclosed: String) throws(XMLBodyError) {
        guard let end = find(terminator, from: start) else { throw failure(unclosed) }
        index = end + terminator.utf8.count
    }

    private func hasPrefix(_ literal: String, at offset: Int? = nil) -> Bool {
        var cursor = offset ?? index
        for byte in literal.utf8 {
            guard cursor < bytes.count, bytes[cursor] == byte else { return false }
            cursor += 1
        }
        return true
    }

    private func find(_ literal: String, from start: Int) -> Int? {
        guard let first = literal.utf8.first, start < bytes.count else { return nil }
        var cursor = start
        while cursor < bytes.count {
            if bytes[cursor] == first, hasPrefix(literal, at: cursor) { return cursor }
            cursor += 1
        }
        return nil
    }

    private func failure(_ reason: String, at offset: Int? = nil) -> XMLBodyError {
        let place = XMLInputDecoder.position(of: offset ?? index, in: bytes)
        return XMLBodyError(reason: reason, line: place.line, column: place.column)
    }
}
