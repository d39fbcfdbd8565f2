/// A parsed media type such as `application/json; charset=UTF-8`.
public struct ContentType: Sendable, Hashable, CustomStringConvertible {
    /// The main type, lower-cased (`application`).
    public let type: String
    /// The subtype, lower-cased (`vnd.api+json`).
    public let subtype: String
    /// Parameters in order, names lower-cased.
    public let parameters: [(name: String, value: String)]

    /// Parses a media type; returns nil when there is no `type/subtype`.
    public init?(_ text: String) {
        // Fast path for the common plain form such as `application/json`.
        if !text.utf8.contains(UInt8(ascii: ";")), !text.utf8.contains(where: { $0 == 0x20 || $0 == 0x09 || ($0 >= 65 && $0 <= 90) }),
           let slash = text.utf8.firstIndex(of: UInt8(ascii: "/")) {
            let main = text[..<slash]
            let rest = text[text.index(after: slash)...]
            guard !main.isEmpty, !rest.isEmpty, !rest.utf8.contains(UInt8(ascii: "/")) else { return nil }
            type = String(main)
            subtype = String(rest)
            parameters = []
            return
        }
        let pieces = ContentType.splitAtSemicolons(text)
        guard let essence = pieces.first else { return nil }
        let names = ContentType.trim(essence).split(separator: "/", omittingEmptySubsequences: false)
        guard names.count == 2, !names[0].isEmpty, !names[1].isEmpty else { return nil }
        type = ContentType.lowercase(names[0])
        subtype = ContentType.lowercase(names[1])
        var parsed: [(name: String, value: String)] = []
        for piece in pieces.dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard let rawName = pair.first else { continue }
            let name = ContentType.trim(rawName)
            guard !name.isEmpty else { continue }
            var value = pair.count > 1 ? ContentType.trim(pair[1]) : ""
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = ContentType.unquote(value.dropFirst().dropLast()) }
            parsed.append((ContentType.lowercase(name), String(value)))
        }
        parameters = parsed
    }

    /// Trims ASCII spaces and tabs without going through Foundation (this runs for every request).
    private static func trim(_ text: Substring) -> Substring {
        var result = text
        while let first = result.utf8.first, first == 0x20 || first == 0x09 { result = result.dropFirst() }
        while let last = result.utf8.last, last == 0x20 || last == 0x09 { result = result.dropLast() }
        return result
    }

    /// Splits at semicolons outside quoted strings, so `title="a;b"` stays one parameter.
    private static func splitAtSemicolons(_ text: String) -> [Substring] {
        guard text.utf8.contains(UInt8(ascii: "\"")) else { return text.split(separator: ";", omittingEmptySubsequences: false) }
        var pieces: [Substring] = []
        var start = text.startIndex
        var quoted = false
        var escaped = false
        for index in text.indices {
            let character = text[index]
            if escaped {
                escaped = false
            } else if quoted, character == "\\" {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == ";", !quoted {
                pieces.append(text[start..<index])
                start = text.index(after: index)
            }
        }
        pieces.append(text[start...])
        return pieces
    }

    /// Removes the backslashes of quoted pairs (RFC 9110 section 5.6.4).
    private static func unquote(_ text: Substring) -> Substring {
        guard text.utf8.contains(UInt8(ascii: "\\")) else { return text }
        var result = ""
        var escaped = false
        for character in text {
            if !escaped, character == "\\" {
                escaped = true
                continue
            }
            escaped = false
            result.append(character)
        }
        return Substring(result)
    }

    /// Quotes a parameter value unless it is an RFC 9110 token, so the description parses back to the same value.
    private static func quotedIfNeeded(_ value: String) -> String {
        let tokenSymbols = "!#$%&'*+-.^_`|~".unicodeScalars
        let isToken = !value.isEmpty && value.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || tokenSymbols.contains($0))
        }
        if isToken { return value }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Lower-cases ASCII letters; other characters are kept.
    private static func lowercase(_ text: Substring) -> String {
        if !text.utf8.contains(where: { $0 >= 65 && $0 <= 90 }) { return String(text) }
        return String(decoding: text.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }

    /// `application/json`.
    public static let json = ContentType(unchecked: "application", "json")
    /// `application/xml`.
    public static let xml = ContentType(unchecked: "application", "xml")
    /// `text/plain`.
    public static let text = ContentType(unchecked: "text", "plain")
    /// `application/octet-stream`.
    public static let binary = ContentType(unchecked: "application", "octet-stream")
    /// `application/x-www-form-urlencoded`.
    public static let form = ContentType(unchecked: "application", "x-www-form-urlencoded")

    private init(unchecked type: String, _ subtype: String) {
        self.type = type
        self.subtype = subtype
        parameters = []
    }

    /// `type/subtype` without parameters.
    public var essence: String { type + "/" + subtype }

    /// True for `*/*` and `type/*`, which say nothing about how to read a body (the reference implementation writes
    /// `*/*` for bodies it recorded without a known type).
    public var isWildcard: Bool { type == "*" || subtype == "*" }

    /// The full text with parameters.
    public var description: String {
        ([essence] + parameters.map { "\($0.name)=\(ContentType.quotedIfNeeded($0.value))" }).joined(separator: ";")
    }

    /// A parameter's value by name, case-insensitively.
    public func parameter(_ name: String) -> String? {
        let lowered = name.lowercased()
        return parameters.first { $0.name == lowered }?.value
    }

    /// True for `application/json`, `*/*+json` and other JSON media types.
    public var isJSON: Bool {
        subtype == "json" || subtype.hasSuffix("+json") || (type == "application" && subtype.hasPrefix("json"))
            || subtype == "x-json" || subtype == "hal+json"
    }

    /// True for XML media types.
    public var isXML: Bool {
        subtype == "xml" || subtype.hasSuffix("+xml")
    }

    /// True for `application/x-www-form-urlencoded`.
    public var isForm: Bool { essence == "application/x-www-form-urlencoded" }

    /// True for `multipart/*`.
    public var isMultipart: Bool { type == "multipart" }

    /// True for media types whose content is text (text/*, JSON, XML, forms, JavaScript and similar).
    public var isText: Bool {
        type == "text" || isJSON || isXML || isForm
            || ["javascript", "x-javascript", "ecmascript", "graphql", "yaml", "x-yaml", "x-ndjson"].contains(subtype)
    }

    /// True for media types Pact treats as binary (images, audio, video, octet-stream, PDF, ...).
    public var isBinary: Bool { !isText && !isMultipart }

    /// Media types are equal when their essence and parameters match (parameter values of `charset` ignore case).
    public static func == (lhs: ContentType, rhs: ContentType) -> Bool {
        lhs.essence == rhs.essence && lhs.parameters.count == rhs.parameters.count
            && zip(lhs.parameters, rhs.parameters).allSatisfy { $0.name == $1.name && $0.value.lowercased() == $1.value.lowercased() }
    }

    /// Hashes the essence.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(essence)
    }
}

import Foundation
