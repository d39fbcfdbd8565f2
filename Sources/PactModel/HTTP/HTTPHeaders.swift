/// HTTP headers: case-insensitive names, several values per name, in the order they were added.
public struct HTTPHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// One header name with its values.
    public struct Entry: Sendable, Hashable {
        /// The name as first written.
        public var name: String
        /// The values in order.
        public var values: [String]
    }

    /// The headers in order.
    public private(set) var entries: [Entry] = []

    /// Creates empty headers.
    public init() {}

    /// Creates headers from name-value pairs; repeated names collect their values.
    public init(_ pairs: [(String, String)]) {
        for (name, value) in pairs { add(name, value) }
    }

    /// Creates headers from a literal.
    public init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements { add(name, value) }
    }

    /// True when there are no headers.
    public var isEmpty: Bool { entries.isEmpty }

    /// The number of distinct names.
    public var count: Int { entries.count }

    /// Adds a value, keeping earlier values of the same name.
    public mutating func add(_ name: String, _ value: String) {
        if let position = position(of: name) {
            entries[position].values.append(value)
        } else {
            entries.append(Entry(name: name, values: [value]))
        }
    }

    /// Replaces every value of a name (or removes the name when `values` is empty).
    public mutating func set(_ name: String, _ values: [String]) {
        if let position = position(of: name) {
            if values.isEmpty { entries.remove(at: position) } else { entries[position].values = values }
        } else if !values.isEmpty {
            entries.append(Entry(name: name, values: values))
        }
    }

    /// Removes a name.
    public mutating func remove(_ name: String) {
        if let position = position(of: name) { entries.remove(at: position) }
    }

    /// The values of a name, case-insensitively, or nil.
    public subscript(name: String) -> [String]? {
        guard let position = position(of: name) else { return nil }
        return entries[position].values
    }

    /// The first value of a name, case-insensitively.
    public func first(_ name: String) -> String? {
        self[name]?.first
    }

    /// True when the name is present.
    public func contains(_ name: String) -> Bool {
        position(of: name) != nil
    }

    /// Iterates the entries in order.
    public func makeIterator() -> IndexingIterator<[Entry]> {
        entries.makeIterator()
    }

    private func position(of name: String) -> Int? {
        entries.firstIndex { HTTPHeaders.sameName($0.name, name) }
    }

    /// Compares header names case-insensitively (ASCII).
    public static func sameName(_ lhs: String, _ rhs: String) -> Bool {
        guard lhs.utf8.count == rhs.utf8.count else { return false }
        for (left, right) in zip(lhs.utf8, rhs.utf8) where left != right {
            let lowerLeft = left >= 65 && left <= 90 ? left + 32 : left
            let lowerRight = right >= 65 && right <= 90 ? right + 32 : right
            if lowerLeft != lowerRight { return false }
        }
        return true
    }

    /// Headers are equal when they hold the same names (ignoring case) with the same values in order.
    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        for entry in lhs.entries where rhs[entry.name] != entry.values { return false }
        return true
    }

    /// Hashes consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for entry in entries {
            var entryHasher = Hasher()
            entryHasher.combine(entry.name.lowercased())
            entryHasher.combine(entry.values)
            combined ^= entryHasher.finalize()
        }
        hasher.combine(combined)
    }
}
