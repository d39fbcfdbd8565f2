import PactModel

/// A JSON-like value that may carry matching rules and generators; build it with literals and the static matcher functions.
///
/// Plain literals match by equality. Wrap a part in a matcher (`.like(...)`, `.regex(...)`, `.eachLike(...)`, ...)
/// to loosen it; matchers nest, so `.eachLike(["id": .integer(7)])` matches a list of objects whose `id` is any integer.
public indirect enum PactValue: Sendable {
    /// JSON `null`, matched by equality.
    case null
    /// A boolean, matched by equality (`.bool(_:)` is the boolean matcher).
    case boolean(Bool)
    /// A number kept exactly as written, matched by equality (`.number(_:)` is the number matcher).
    case jsonNumber(JSONNumber)
    /// A string, matched by equality.
    case string(String)
    /// An array whose items are matched position by position.
    case array([PactValue])
    /// An object whose members are matched key by key, in the order given.
    case object([(key: String, value: PactValue)])
    /// An example with matching rules and an optional generator, made by the static matcher functions.
    case matcher(PactMatcher)

    /// Wraps a plain JSON value (no rules).
    public init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let value): self = .boolean(value)
        case .number(let number): self = .jsonNumber(number)
        case .string(let text): self = .string(text)
        case .array(let items): self = .array(items.map(PactValue.init(json:)))
        case .object(let object): self = .object(object.entries.map { ($0.key, PactValue(json: $0.value)) })
        }
    }

    /// A string value.
    public init(_ value: String) { self = .string(value) }

    /// An integer value.
    public init(_ value: Int) { self = .jsonNumber(JSONNumber(value)) }

    /// A decimal value; whole numbers keep a `.0` so they stay decimals.
    public init(_ value: Double) { self = .jsonNumber(JSONNumber(value)) }

    /// A boolean value.
    public init(_ value: Bool) { self = .boolean(value) }

    /// True when the value or anything inside it carries a matcher.
    public var containsMatchers: Bool {
        switch self {
        case .null, .boolean, .jsonNumber, .string: return false
        case .array(let items): return items.contains { $0.containsMatchers }
        case .object(let members): return members.contains { $0.value.containsMatchers }
        case .matcher: return true
        }
    }

    /// The plain JSON example: matchers are replaced by their examples, with eachLike lists repeated to their minimum size.
    public var example: JSONValue {
        var compiled = CompiledValue()
        return ValueCompiler.compile(self, into: &compiled)
    }
}

extension PactValue: ExpressibleByStringLiteral {
    /// A string matched by equality.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension PactValue: ExpressibleByStringInterpolation {
    /// A string built by interpolation (`"/accounts/\(id)"`), matched by equality.
    public init(stringInterpolation: DefaultStringInterpolation) { self = .string(String(stringInterpolation: stringInterpolation)) }
}

extension PactValue: ExpressibleByIntegerLiteral {
    /// An integer matched by equality.
    public init(integerLiteral value: Int) { self = .jsonNumber(JSONNumber(value)) }
}

extension PactValue: ExpressibleByFloatLiteral {
    /// A decimal matched by equality.
    public init(floatLiteral value: Double) { self = .jsonNumber(JSONNumber(value)) }
}

extension PactValue: ExpressibleByBooleanLiteral {
    /// A boolean matched by equality.
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
}

extension PactValue: ExpressibleByNilLiteral {
    /// JSON `null`.
    public init(nilLiteral: ()) { self = .null }
}

extension PactValue: ExpressibleByArrayLiteral {
    /// An array whose items are matched position by position.
    public init(arrayLiteral elements: PactValue...) { self = .array(elements) }
}

extension PactValue: ExpressibleByDictionaryLiteral {
    /// An object in the literal's key order; a repeated key keeps its first position and its last value.
    public init(dictionaryLiteral elements: (String, PactValue)...) {
        var members: [(key: String, value: PactValue)] = []
        for (key, value) in elements {
            if let position = members.firstIndex(where: { $0.key == key }) {
                members[position].value = value
            } else {
                members.append((key, value))
            }
        }
        self = .object(members)
    }
}

extension PactValue: CustomStringConvertible {
    /// The compact JSON of the example, for messages and debugging.
    public var description: String { example.description }
}
