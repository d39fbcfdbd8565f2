/// Reads MIME header values: parameters, quoted strings, RFC 5987 extended values and byte decoding.
enum MultipartHeaderValue {
    /// The `name=value` parameters after the first `;`, names lowercased, values unquoted.
    static func parameters(of headerValue: String) -> [(name: String, value: String)] {
        let scalars = Array(headerValue.unicodeScalars)
        var index = 0
        var result: [(name: String, value: String)] = []
        // Skip the leading media type or disposition type.
        while index < scalars.count, scalars[index] != ";" { index += 1 }
        while index < scalars.count {
            index += 1  // past ';'
            var name = String.UnicodeScalarView()
            while index < scalars.count, scalars[index] != "=", scalars[index] != ";" {
                name.append(scalars[index])
                index += 1
            }
            let key = trimmed(String(name)).lowercased()
            guard index < scalars.count, scalars[index] == "=" else {
                if !key.isEmpty { result.append((key, "")) }
                continue
            }
            index += 1
            while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
            var value = String.UnicodeScalarView()
            let quoted = index < scalars.count && scalars[index] == "\""
            if quoted {
                index += 1
                while index < scalars.count, scalars[index] != "\"" {
                    if scalars[index] == "\\", index + 1 < scalars.count { index += 1 }
                    value.append(scalars[index])
                    index += 1
                }
                while index < scalars.count, scalars[index] != ";" { index += 1 }
            } else {
                while index < scalars.count, scalars[index] != ";" {
                    value.append(scalars[index])
                    index += 1
                }
            }
            if !key.isEmpty { result.append((key, quoted ? String(value) : trimmed(String(value)))) }
        }
        return result
    }

    /// Decodes an RFC 5987 value such as `UTF-8''%E2%82%AC%20rates.txt`, or nil when malformed.
    static func decodeExtendedValue(_ value: String) -> String? {
        let pieces = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3 else { return nil }
        let charset = pieces[0].lowercased()
        var bytes: [UInt8] = []
        var utf8 = Array(pieces[2].utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%") {
                guard utf8.count >= 2, let high = hexValue(utf8.removeFirst()), let low = hexValue(utf8.removeFirst()) else { return nil }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        switch charset {
        case "utf-8", "utf8": return validUTF8(bytes[...])
        case "iso-8859-1", "latin1": return latin1(bytes[...])
        default: return nil
        }
    }

    /// Decodes header bytes as UTF-8, or as ISO-8859-1 when they are not valid UTF-8.
    static func decodeText(_ bytes: ArraySlice<UInt8>) -> String {
        validUTF8(bytes) ?? latin1(bytes)
    }

    /// The text without leading and trailing spaces and tabs.
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(scalars[first...last])
    }

    private static func validUTF8(_ bytes: ArraySlice<UInt8>) -> String? {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid: continue
            case .emptyInput: return String(decoding: bytes, as: UTF8.self)
            case .error: return nil
            }
        }
    }

    private static func latin1(_ bytes: ArraySlice<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
