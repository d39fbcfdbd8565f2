/// A JSON object that remembers the order in which its keys were written.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// The keys in document order.
    public private(set) var keys: [String] = []
    private var storage: [String: JSONValue] = [:]

    /// Creates an empty object.
    public init() {}

    /// Creates an object from key-value pairs in order; a repeated key keeps its first position and last value.
    public init(_ pairs: [(String, JSONValue)]) {
        for (key, value) in pairs { self[key] = value }
    }

    /// Creates an object from a literal, keeping its order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        for (key, value) in elements { self[key] = value }
    }

    /// The number of keys.
    public var count: Int { keys.count }

    /// True when the object has no keys.
    public var isEmpty: Bool { keys.isEmpty }

    /// Reads, sets or (with nil) removes a key; a new key is appended at the end.
    public subscript(key: String) -> JSONValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// True when the key is present.
    public func contains(_ key: String) -> Bool { storage[key] != nil }

    /// The key-value pairs in document order.
    public var entries: [(key: String, value: JSONValue)] {
        keys.map { ($0, storage[$0] ?? .null) }
    }

    /// The keys sorted by their UTF-8 bytes, the order used for stable output.
    public var sortedKeys: [String] {
        keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Iterates the pairs in document order.
    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> {
        entries.makeIterator()
    }

    /// Objects are equal when they hold the same keys with equal values, whatever the order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.storage == rhs.storage
    }

    /// Hashes consistently with `==`, independent of key order.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage)
    }
}
