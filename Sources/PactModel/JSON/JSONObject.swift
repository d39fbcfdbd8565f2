/// A JSON object that remembers the order in which its keys were written.
///
/// Keys and values sit in two arrays in document order. Most objects in pacts have a handful of keys, where a search
/// through the keys is as fast as hashing and costs no table; an object past `indexedCount` keys also keeps an index
/// from key to position.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// The keys in document order.
    public private(set) var keys: [String] = []
    private var values: [JSONValue] = []
    private var index: [String: Int]?

    /// The size from which an object keeps an index of its keys.
    private static let indexedCount = 16

    /// Creates an empty object.
    public init() {}

    /// Creates an object from key-value pairs in order; a repeated key keeps its first position and last value.
    public init(_ pairs: [(String, JSONValue)]) {
        keys.reserveCapacity(pairs.count)
        values.reserveCapacity(pairs.count)
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

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return keys.firstIndex(of: key)
    }

    /// Reads, sets or (with nil) removes a key; a new key is appended at the end.
    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { values[$0] } }
        set {
            if let newValue {
                if let position = position(of: key) {
                    values[position] = newValue
                } else {
                    keys.append(key)
                    values.append(newValue)
                    if index != nil {
                        index?[key] = keys.count - 1
                    } else if keys.count > JSONObject.indexedCount {
                        index = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
                    }
                }
            } else if let position = position(of: key) {
                keys.remove(at: position)
                values.remove(at: position)
                if index != nil {
                    index = keys.count > JSONObject.indexedCount ? Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) }) : nil
                }
            }
        }
    }

    /// True when the key is present.
    public func contains(_ key: String) -> Bool { position(of: key) != nil }

    /// The key-value pairs in document order.
    public var entries: [(key: String, value: JSONValue)] {
        zip(keys, values).map { (key: $0, value: $1) }
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
        guard lhs.keys.count == rhs.keys.count else { return false }
        for (position, key) in lhs.keys.enumerated() where rhs[key] != lhs.values[position] { return false }
        return true
    }

    /// Hashes consistently with `==`, independent of key order.
    public func hash(into hasher: inout Hasher) {
        // Each pair is hashed on its own and the results combined with an order-independent sum, as Dictionary does.
        var combined = 0
        for (position, key) in keys.enumerated() {
            var pairHasher = Hasher()
            pairHasher.combine(key)
            pairHasher.combine(values[position])
            combined = combined &+ pairHasher.finalize()
        }
        hasher.combine(keys.count)
        hasher.combine(combined)
    }
}
