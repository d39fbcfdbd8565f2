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
        let pieces = text.split(separator: ";", omittingEmptySubsequences: false)
        guard let essence = pieces.first else { return nil }
        let names = essence.trimmingCharacters(in: .whitespaces).lowercased().split(separator: "/", omittingEmptySubsequences: false)
        guard names.count == 2, !names[0].isEmpty, !names[1].isEmpty else { return nil }
        type = String(names[0])
        subtype = String(names[1])
        var parsed: [(name: String, value: String)] = []
        for piece in pieces.dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard let name = pair.first?.trimmingCharacters(in: .whitespaces), !name.isEmpty else { continue }
            var value = pair.count > 1 ? pair[1].trimmingCharacters(in: .whitespaces) : ""
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            parsed.append((name.lowercased(), value))
        }
        parameters = parsed
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

    /// The full text with parameters.
    public var description: String {
        ([essence] + parameters.map { "\($0.name)=\($0.value)" }).joined(separator: ";")
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
