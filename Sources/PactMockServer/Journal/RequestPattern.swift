import Foundation
import PactModel

/// A test on one text: equal to, containing, or matching a regular expression (anchored, as in Pact).
public enum TextPattern: Sendable, Equatable {
    case equalTo(String)
    case contains(String)
    case matches(PactRegex)
    /// The value is absent.
    case absent

    func accepts(_ value: String?) -> Bool {
        switch self {
        case .equalTo(let expected): return value == expected
        case .contains(let part): return value?.contains(part) ?? false
        case .matches(let regex): return value.map(regex.matches) ?? false
        case .absent: return value == nil
        }
    }

    var json: JSONValue {
        switch self {
        case .equalTo(let text): return ["equalTo": .string(text)]
        case .contains(let text): return ["contains": .string(text)]
        case .matches(let regex): return ["matches": .string(regex.pattern)]
        case .absent: return ["absent": true]
        }
    }
}

/// Which received requests to count or list, in the style of WireMock's request matching.
///
/// Every part left out matches anything; the parts given must all hold.
public struct RequestPattern: Sendable, Equatable {
    /// The method, compared case-insensitively.
    public var method: String?
    /// The path (without the query).
    public var path: TextPattern?
    /// Query parameters by name; a parameter with several values passes when one of them does.
    public var query: [String: TextPattern]
    /// Headers by name (case-insensitive); a header with several values passes when one of them does.
    public var headers: [String: TextPattern]
    /// The body as text.
    public var body: TextPattern?
    /// The body as JSON, equal to this value (key order and number spelling do not matter).
    public var bodyJSON: JSONValue?

    /// Creates a pattern.
    public init(method: String? = nil, path: TextPattern? = nil, query: [String: TextPattern] = [:], headers: [String: TextPattern] = [:],
                body: TextPattern? = nil, bodyJSON: JSONValue? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.bodyJSON = bodyJSON
    }

    /// True when the request has everything the pattern asks for.
    public func matches(_ request: HTTPRequest) -> Bool {
        if let method, method.uppercased() != request.method.uppercased() { return false }
        if let path, !path.accepts(request.path) { return false }
        for (name, pattern) in query {
            let values = request.query[name]?.map { $0 ?? "" } ?? []
            if values.isEmpty ? !pattern.accepts(nil) : !values.contains(where: pattern.accepts) { return false }
        }
        for (name, pattern) in headers {
            let values = request.headers[name] ?? []
            if values.isEmpty ? !pattern.accepts(nil) : !values.contains(where: pattern.accepts) { return false }
        }
        if let body, !body.accepts(request.body.hasContent ? request.body.text : nil) { return false }
        if let bodyJSON {
            guard let actual = request.body.json ?? (try? JSONParser.parse(request.body.bytes)), RequestPattern.same(actual, bodyJSON) else { return false }
        }
        return true
    }

    private static func same(_ left: JSONValue, _ right: JSONValue) -> Bool {
        JSONWriter.string(left, style: .compactSorted) == JSONWriter.string(right, style: .compactSorted)
    }
}

extension RequestPattern {
    /// Reads WireMock's request-pattern JSON: `method`, `url` (path and query), `urlPath`, `urlPathPattern`,
    /// `headers` and `queryParameters` (`{"equalTo" | "contains" | "matches": "…"}` or `{"absent": true}`), and
    /// `bodyPatterns` (`equalTo`, `contains`, `matches`, `equalToJson`).
    public init(json: JSONValue) throws(SimulationError) {
        guard case .object(let object) = json else { throw .invalidDocument("$", "a request pattern is an object such as {\"method\": \"POST\", \"urlPath\": \"/api/transfers\"}") }
        let known = ["method", "url", "urlPath", "urlPathPattern", "headers", "queryParameters", "bodyPatterns"]
        for key in object.keys where !known.contains(key) {
            throw .invalidDocument("$.\(key)", "unknown key; a request pattern has \(known.joined(separator: ", "))")
        }
        self.init()
        if let value = object["method"] {
            guard let text = value.stringValue else { throw .invalidDocument("$.method", "must be a string") }
            method = text == "ANY" ? nil : text
        }
        if let value = object["urlPath"] {
            guard let text = value.stringValue else { throw .invalidDocument("$.urlPath", "must be a string") }
            path = .equalTo(text)
        }
        if let value = object["urlPathPattern"] {
            guard let text = value.stringValue else { throw .invalidDocument("$.urlPathPattern", "must be a string") }
            path = .matches(try Self.regex(text, at: "$.urlPathPattern"))
        }
        if let value = object["url"] {
            guard let text = value.stringValue else { throw .invalidDocument("$.url", "must be a string") }
            let parts = text.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            path = .equalTo(parts[0])
            if parts.count == 2 {
                for entry in QueryParameters(parsing: parts[1]).entries {
                    query[entry.name] = .equalTo(entry.values.first.flatMap { $0 } ?? "")
                }
            }
        }
        headers = try Self.namedPatterns(object["headers"], at: "$.headers")
        query.merge(try Self.namedPatterns(object["queryParameters"], at: "$.queryParameters")) { _, new in new }
        if let value = object["bodyPatterns"] {
            guard let items = value.arrayValue else { throw .invalidDocument("$.bodyPatterns", "must be an array") }
            for (index, item) in items.enumerated() {
                let location = "$.bodyPatterns[\(index)]"
                if let json = item["equalToJson"] {
                    if let text = json.stringValue, let parsed = try? JSONParser.parse(Array(text.utf8)) { bodyJSON = parsed } else { bodyJSON = json }
                } else {
                    body = try Self.textPattern(item, at: location)
                }
            }
        }
    }

    private static func namedPatterns(_ value: JSONValue?, at location: String) throws(SimulationError) -> [String: TextPattern] {
        guard let value, !value.isNull else { return [:] }
        guard case .object(let object) = value else { throw .invalidDocument(location, "must be an object of names to patterns") }
        var patterns: [String: TextPattern] = [:]
        for (name, item) in object { patterns[name] = try textPattern(item, at: "\(location).\(name)") }
        return patterns
    }

    private static func textPattern(_ value: JSONValue, at location: String) throws(SimulationError) -> TextPattern {
        guard case .object(let object) = value, object.count == 1, let kind = object.keys.first, let operand = object[kind] else {
            throw .invalidDocument(location, "give one of {\"equalTo\": …}, {\"contains\": …}, {\"matches\": …} or {\"absent\": true}")
        }
        switch kind {
        case "absent": return .absent
        case "equalTo", "contains", "matches":
            guard let text = operand.stringValue else { throw .invalidDocument("\(location).\(kind)", "must be a string") }
            if kind == "equalTo" { return .equalTo(text) }
            if kind == "contains" { return .contains(text) }
            return .matches(try regex(text, at: "\(location).matches"))
        default:
            throw .invalidDocument("\(location).\(kind)", "unknown test; use equalTo, contains, matches or absent")
        }
    }

    private static func regex(_ text: String, at location: String) throws(SimulationError) -> PactRegex {
        do { return try PactRegex(text) } catch {
            throw .invalidDocument(location, "'\(text)' is not a valid regular expression")
        }
    }
}

extension RequestJournal {
    /// The retained requests (the last `capacity`) that match the pattern, oldest first.
    public func entries(matching pattern: RequestPattern) -> [JournalEntry] {
        recentEntries.filter { pattern.matches($0.request) }
    }

    /// How many retained requests match, and whether the journal still holds every request received (when it does
    /// not, older requests have been dropped and are not counted).
    public func count(matching pattern: RequestPattern) -> (count: Int, complete: Bool) {
        let entries = recentEntries
        return (entries.filter { pattern.matches($0.request) }.count, totalRequests <= entries.count)
    }
}
