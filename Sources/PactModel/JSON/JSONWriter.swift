/// Writes `JSONValue` as text: pretty with sorted keys for files, compact for messages.
public enum JSONWriter {
    /// How to lay out the text.
    public enum Style: Sendable {
        /// Two-space indentation, keys sorted by their UTF-8 bytes: byte-stable output for files.
        case pretty
        /// No whitespace, keys in document order.
        case compact
        /// No whitespace, keys sorted: the form used inside mismatch messages.
        case compactSorted
    }

    /// Renders a value as UTF-8 bytes.
    public static func bytes(_ value: JSONValue, style: Style = .pretty) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(value, style: style, indent: 0, into: &output)
        return output
    }

    /// Renders a value as a string.
    public static func string(_ value: JSONValue, style: Style = .pretty) -> String {
        String(decoding: bytes(value, style: style), as: UTF8.self)
    }

    /// Renders a value compactly, keys in document order.
    public static func compactString(_ value: JSONValue) -> String {
        string(value, style: .compact)
    }

    private static func write(_ value: JSONValue, style: Style, indent: Int, into output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: Array("null".utf8))
        case .bool(let flag): output.append(contentsOf: Array((flag ? "true" : "false").utf8))
        case .number(let number): output.append(contentsOf: Array(number.literal.utf8))
        case .string(let text): writeString(text, into: &output)
        case .array(let elements):
            if elements.isEmpty {
                output.append(contentsOf: [UInt8(ascii: "["), UInt8(ascii: "]")])
                return
            }
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                if case .pretty = style { newline(indent + 1, into: &output) }
                write(element, style: style, indent: indent + 1, into: &output)
            }
            if case .pretty = style { newline(indent, into: &output) }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            if object.isEmpty {
                output.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")])
                return
            }
            output.append(UInt8(ascii: "{"))
            let keys: [String]
            switch style {
            case .compact: keys = object.keys
            case .pretty, .compactSorted: keys = object.sortedKeys
            }
            for (position, key) in keys.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                if case .pretty = style { newline(indent + 1, into: &output) }
                writeString(key, into: &output)
                output.append(UInt8(ascii: ":"))
                if case .pretty = style { output.append(UInt8(ascii: " ")) }
                write(object[key] ?? .null, style: style, indent: indent + 1, into: &output)
            }
            if case .pretty = style { newline(indent, into: &output) }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ indent: Int, into output: inout [UInt8]) {
        output.append(0x0A)
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x00..<0x20:
                output.append(contentsOf: Array("\\u00".utf8))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
