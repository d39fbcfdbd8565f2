/// A generator of the Pact specification: it replaces an example value with a fresh one when a request or response is prepared.
public enum Generator: Sendable, Hashable {
    /// A random integer in a closed range.
    case randomInt(min: Int, max: Int)
    /// A random decimal with this many digits.
    case randomDecimal(digits: Int)
    /// A random hexadecimal string with this many digits.
    case randomHexadecimal(digits: Int)
    /// A random alphanumeric string of this size.
    case randomString(size: Int)
    /// A random string matching the regular expression.
    case regex(String)
    /// A random UUID in a format.
    case uuid(UUIDFormat)
    /// The current date (shifted by an expression) in a format.
    case date(format: String?, expression: String?)
    /// The current time (shifted by an expression) in a format.
    case time(format: String?, expression: String?)
    /// The current date-time (shifted by an expression) in a format.
    case dateTime(format: String?, expression: String?)
    /// A random boolean.
    case randomBoolean
    /// A value taken from provider state parameters through a `${name}` expression.
    case providerState(expression: String, dataType: GeneratorDataType?)
    /// The mock server's base URL substituted into an example URL.
    case mockServerURL(example: String, regex: String)

    /// The generator's name as written in pact files (`type` attribute).
    public var typeName: String {
        switch self {
        case .randomInt: return "RandomInt"
        case .randomDecimal: return "RandomDecimal"
        case .randomHexadecimal: return "RandomHexadecimal"
        case .randomString: return "RandomString"
        case .regex: return "Regex"
        case .uuid: return "Uuid"
        case .date: return "Date"
        case .time: return "Time"
        case .dateTime: return "DateTime"
        case .randomBoolean: return "RandomBoolean"
        case .providerState: return "ProviderState"
        case .mockServerURL: return "MockServerURL"
        }
    }
}

/// The output formats of the UUID generator.
public enum UUIDFormat: String, Sendable, Hashable, CaseIterable {
    /// 32 lower-case hex digits without hyphens.
    case simple
    /// Lower-case with hyphens (the default).
    case lowerCaseHyphenated = "lower-case-hyphenated"
    /// Upper-case with hyphens.
    case upperCaseHyphenated = "upper-case-hyphenated"
    /// `urn:uuid:` followed by the lower-case hyphenated form.
    case urn = "URN"
}

/// The type a provider-state value is converted to.
public enum GeneratorDataType: String, Sendable, Hashable {
    /// A string.
    case string = "STRING"
    /// An integer.
    case integer = "INTEGER"
    /// A decimal.
    case decimal = "DECIMAL"
    /// A floating-point number.
    case float = "FLOAT"
    /// A boolean.
    case boolean = "BOOLEAN"
    /// Keep the value's own type.
    case raw = "RAW"
}

/// All generators of one request, response or message, by category.
public struct Generators: Sendable, Hashable {
    /// Body generators by path, in definition order.
    public var body: [(path: PathExpression, generator: Generator)] = []
    /// Header generators by header name.
    public var headers: [(name: String, generator: Generator)] = []
    /// Query generators by parameter name.
    public var query: [(name: String, generator: Generator)] = []
    /// Metadata generators by key (messages).
    public var metadata: [(name: String, generator: Generator)] = []
    /// The path generator.
    public var path: Generator?
    /// The status generator.
    public var status: Generator?

    /// Creates empty generators.
    public init() {}

    /// True when nothing is generated.
    public var isEmpty: Bool {
        body.isEmpty && headers.isEmpty && query.isEmpty && metadata.isEmpty && path == nil && status == nil
    }

    /// Generators are equal when every category holds the same entries, in any order (pact files key them by path).
    public static func == (lhs: Generators, rhs: Generators) -> Bool {
        sameEntries(lhs.body.map { ($0.path, $0.generator) }, rhs.body.map { ($0.path, $0.generator) })
            && sameEntries(lhs.headers.map { ($0.name, $0.generator) }, rhs.headers.map { ($0.name, $0.generator) })
            && sameEntries(lhs.query.map { ($0.name, $0.generator) }, rhs.query.map { ($0.name, $0.generator) })
            && sameEntries(lhs.metadata.map { ($0.name, $0.generator) }, rhs.metadata.map { ($0.name, $0.generator) })
            && lhs.path == rhs.path && lhs.status == rhs.status
    }

    private static func sameEntries<Key: Equatable>(_ lhs: [(Key, Generator)], _ rhs: [(Key, Generator)]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var unmatched = rhs
        for entry in lhs {
            guard let position = unmatched.firstIndex(where: { $0.0 == entry.0 && $0.1 == entry.1 }) else { return false }
            unmatched.remove(at: position)
        }
        return true
    }

    /// Hashes the category sizes.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(body.count)
        hasher.combine(headers.count)
        hasher.combine(query.count)
    }
}
