import Foundation

/// Query parameters: an ordered multimap from names to values, where a value may be absent (`?flag`).
public struct QueryParameters: Sendable, Hashable, Sequence {
    /// One parameter name with its values in order.
    public struct Entry: Sendable, Hashable {
        /// The decoded name.
        public var name: String
        /// The decoded values; nil stands for a name given without `=`.
        public var values: [String?]
    }

    /// The parameters in order of first appearance.
    public private(set) var entries: [Entry] = []

    /// Creates an empty query.
    public init() {}

    /// Creates a query from name-value pairs.
    public init(_ pairs: [(String, String?)]) {
        for (name, value) in pairs { add(name, value) }
    }

    /// Parses a raw query string such as `a=1&b=2&a=3`, percent- and plus-decoding names and values.
    public init(parsing raw: String) {
        for piece in raw.split(separator: "&", omittingEmptySubsequences: true) {
            if let equals = piece.firstIndex(of: "=") {
                add(QueryParameters.decode(piece[..<equals]), QueryParameters.decode(piece[piece.index(after: equals)...]))
            } else {
                add(QueryParameters.decode(piece), nil)
            }
        }
    }

    /// True when there are no parameters.
    public var isEmpty: Bool { entries.isEmpty }

    /// Adds a value for a name.
    public mutating func add(_ name: String, _ value: String?) {
        if let position = entries.firstIndex(where: { $0.name == name }) {
            entries[position].values.append(value)
        } else {
            entries.append(Entry(name: name, values: [value]))
        }
    }

    /// Replaces the values of a name (removing it when `values` is empty).
    public mutating func set(_ name: String, _ values: [String?]) {
        if let position = entries.firstIndex(where: { $0.name == name }) {
            if values.isEmpty { entries.remove(at: position) } else { entries[position].values = values }
        } else if !values.isEmpty {
            entries.append(Entry(name: name, values: values))
        }
    }

    /// The values of a name, or nil.
    public subscript(name: String) -> [String?]? {
        entries.first { $0.name == name }?.values
    }

    /// The names in order.
    public var names: [String] { entries.map(\.name) }

    /// Iterates the entries.
    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }

    /// The query as a string, percent-encoding what needs it.
    public var encoded: String {
        var parts: [String] = []
        for entry in entries {
            for value in entry.values {
                if let value {
                    parts.append(QueryParameters.encode(entry.name) + "=" + QueryParameters.encode(value))
                } else {
                    parts.append(QueryParameters.encode(entry.name))
                }
            }
        }
        return parts.joined(separator: "&")
    }

    /// Queries are equal when each name has the same values in the same order, whatever the order of names.
    public static func == (lhs: QueryParameters, rhs: QueryParameters) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        for entry in lhs.entries where rhs[entry.name] != entry.values { return false }
        return true
    }

    /// Hashes consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for entry in entries {
            var entryHasher = Hasher()
            entryHasher.combine(entry.name)
            entryHasher.combine(entry.values)
            combined ^= entryHasher.finalize()
        }
        hasher.combine(combined)
    }

    static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    private static let allowed: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~:/@!$'()*,;")
        return set
    }()

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
