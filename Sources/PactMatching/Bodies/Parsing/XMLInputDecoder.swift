/// Turns raw XML body bytes into checked UTF-8 with line endings normalised to LF.
enum XMLInputDecoder {
    /// Decodes the byte order mark or declared encoding, checks every character is allowed in XML, and normalises line ends.
    static func utf8Text(from raw: [UInt8]) throws(XMLBodyError) -> [UInt8] {
        guard raw.contains(where: { !isXMLSpace($0) }) else { throw XMLBodyError(reason: "the XML body is empty") }
        var bytes = raw
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes.removeFirst(3)
        } else if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) {
            bytes = try fromUTF16(bytes.dropFirst(2), bigEndian: bytes[0] == 0xFE)
        } else if bytes.starts(with: [0x00, 0x3C, 0x00, 0x3F]) || bytes.starts(with: [0x3C, 0x00, 0x3F, 0x00]) {
            bytes = try fromUTF16(bytes[...], bigEndian: bytes[0] == 0x00)
        } else if let encoding = declaredEncoding(bytes)?.lowercased() {
            switch encoding {
            case "utf-8", "utf8", "us-ascii", "ascii":
                break
            case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1":
                bytes = fromLatin1(bytes)
            default:
                // A declaration naming another encoding is harmless while every byte is ASCII.
                guard bytes.allSatisfy({ $0 < 0x80 }) else {
                    throw XMLBodyError(reason: "the XML encoding '\(encoding)' is not supported", line: 1, column: 1)
                }
            }
        }
        try checkCharacters(bytes)
        return normalisingLineEnds(bytes)
    }

    static func isXMLSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The 1-based line and column (counting characters) of a byte offset.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var index = 0
        let end = min(offset, bytes.count)
        while index < end {
            let byte = bytes[index]
            if byte == 0x0A || (byte == 0x0D && (index + 1 >= bytes.count || bytes[index + 1] != 0x0A)) {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 && byte != 0x0D {
                column += 1
            }
            index += 1
        }
        return (line, column)
    }

    private static func error(_ reason: String, at offset: Int, in bytes: [UInt8]) -> XMLBodyError {
        let place = position(of: offset, in: bytes)
        return XMLBodyError(reason: reason, line: place.line, column: place.column)
    }

    /// The `encoding` pseudo-attribute of a leading XML declaration, if any.
    private static func declaredEncoding(_ bytes: [UInt8]) -> String? {
        guard bytes.starts(with: Array("<?xml".utf8)), bytes.count > 5, isXMLSpace(bytes[5]) else { return nil }
        let head = bytes.prefix(512)
        guard let close = head.firstIndex(of: UInt8(ascii: ">")) else { return nil }
        let declaration = String(decoding: head[..<close], as: UTF8.self)
        guard let key = declaration.firstRange(of: "encoding") else { return nil }
        var rest = declaration[key.upperBound...].drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        let value = rest.dropFirst().prefix { $0 != quote }
        return String(value)
    }

    private static func fromUTF16(_ body: ArraySlice<UInt8>, bigEndian: Bool) throws(XMLBodyError) -> [UInt8] {
        guard body.count % 2 == 0 else { throw XMLBodyError(reason: "the UTF-16 XML body has an odd number of bytes") }
        var units: [UInt16] = []
        units.reserveCapacity(body.count / 2)
        var index = body.startIndex
        while index < body.endIndex {
            let first = UInt16(body[index])
            let second = UInt16(body[index + 1])
            units.append(bigEndian ? first << 8 | second : second << 8 | first)
            index += 2
        }
        var output: [UInt8] = []
        output.reserveCapacity(units.count)
        let failed = transcode(units.makeIterator(), from: UTF16.self, to: UTF8.self, stoppingOnError: true) {
            output.append($0)
        }
        if failed { throw XMLBodyError(reason: "the UTF-16 XML body contains an invalid code unit sequence") }
        return output
    }

    private static func fromLatin1(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        for byte in bytes {
            if byte < 0x80 {
                output.append(byte)
            } else {
                output.append(0xC0 | byte >> 6)
                output.append(0x80 | byte & 0x3F)
            }
        }
        return output
    }

    /// Checks the bytes are UTF-8 and hold only characters XML 1.0 allows.
    private static func checkCharacters(_ bytes: [UInt8]) throws(XMLBodyError) {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let scalar = Unicode.UTF8.decode(encoded)
                let value = scalar.value
                let allowed = value >= 0x20 ? (value != 0xFFFE && value != 0xFFFF) : (value == 0x09 || value == 0x0A || value == 0x0D)
                if !allowed {
                    let hex = String(value, radix: 16, uppercase: true)
                    throw error("the character U+\(String(repeating: "0", count: max(0, 4 - hex.count)))\(hex) is not allowed in XML", at: offset, in: bytes)
                }
                offset += encoded.count
            case .emptyInput:
                return
            case .error:
                throw error("the XML body is not valid UTF-8", at: offset, in: bytes)
            }
        }
    }

    private static func normalisingLineEnds(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(0x0D) else { return bytes }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0D {
                output.append(0x0A)
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
            } else {
                output.append(byte)
            }
            index += 1
        }
        return output
    }
}
