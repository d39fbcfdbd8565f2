/// One matching rule of the Pact specification (V2–V4).
public indirect enum MatchingRule: Sendable, Hashable {
    /// Values must be equal.
    case equality
    /// The value's text must match the regular expression.
    case regex(PactRegex)
    /// The value must have the same type as the example.
    case type
    /// Same type, and arrays must have at least this many items.
    case minType(Int)
    /// Same type, and arrays must have at most this many items.
    case maxType(Int)
    /// Same type, with both array bounds.
    case minMaxType(min: Int, max: Int)
    /// The value's text must contain this string.
    case include(String)
    /// The value must be an integer.
    case integer
    /// The value must be a decimal number.
    case decimal
    /// The value must be a number.
    case number
    /// The value must be null.
    case null
    /// The value must be a boolean.
    case boolean
    /// The value must be a date in this format.
    case date(DateTimePattern)
    /// The value must be a time in this format.
    case time(DateTimePattern)
    /// The value must be a date-time in this format.
    case timestamp(DateTimePattern)
    /// Binary content must be of this media type.
    case contentType(String)
    /// Map keys are ignored and values are matched against the example.
    case values
    /// The array must contain an item matching each variant.
    case arrayContains([ArrayContainsVariant])
    /// Every key of the map must match these rules.
    case eachKey(EachRuleDefinition)
    /// Every value of the collection must match these rules.
    case eachValue(EachRuleDefinition)
    /// The value must not be empty (or null).
    case notEmpty
    /// The value must be a semantic version.
    case semver
    /// The status code must be in this class or list.
    case statusCode(StatusCodeClass)

    /// The rule's name as written in pact files (`match` attribute).
    public var name: String {
        switch self {
        case .equality: return "equality"
        case .regex: return "regex"
        case .type, .minType, .maxType, .minMaxType: return "type"
        case .include: return "include"
        case .integer: return "integer"
        case .decimal: return "decimal"
        case .number: return "number"
        case .null: return "null"
        case .boolean: return "boolean"
        case .date: return "date"
        case .time: return "time"
        case .timestamp: return "timestamp"
        case .contentType: return "contentType"
        case .values: return "values"
        case .arrayContains: return "arrayContains"
        case .eachKey: return "eachKey"
        case .eachValue: return "eachValue"
        case .notEmpty: return "notEmpty"
        case .semver: return "semver"
        case .statusCode: return "statusCode"
        }
    }

    /// True for type rules, with or without size bounds.
    public var isTypeRule: Bool {
        switch self {
        case .type, .minType, .maxType, .minMaxType: return true
        default: return false
        }
    }

    /// True for rules that apply to a collection as a whole and ignore map keys.
    public var isValuesRule: Bool {
        switch self {
        case .values, .eachValue, .arrayContains: return true
        default: return false
        }
    }

    /// True when the rule also applies to the children of the value it is defined on.
    public var cascades: Bool {
        switch self {
        case .values, .eachValue, .eachKey: return false
        default: return true
        }
    }
}

/// One variant of an `arrayContains` rule: an index into the example array and the rules for matching it.
public struct ArrayContainsVariant: Sendable, Hashable {
    /// The position of the example item in the expected array.
    public var index: Int
    /// Rules applied when comparing an actual item with the example item (paths start at `$`).
    public var rules: RuleCategory
    /// Generators for the item, keyed by path.
    public var generators: [PathExpression: Generator]

    /// Creates a variant.
    public init(index: Int, rules: RuleCategory, generators: [PathExpression: Generator] = [:]) {
        self.index = index
        self.rules = rules
        self.generators = generators
    }

    /// Compares index and rules.
    public static func == (lhs: ArrayContainsVariant, rhs: ArrayContainsVariant) -> Bool {
        lhs.index == rhs.index && lhs.rules == rhs.rules
    }

    /// Hashes the index.
    public func hash(into hasher: inout Hasher) { hasher.combine(index) }
}

/// The rules and example of an `eachKey` or `eachValue` rule.
public struct EachRuleDefinition: Sendable, Hashable {
    /// The rules every key or value must match.
    public var rules: [MatchingRule]
    /// The example value written with the rule, if any.
    public var example: JSONValue?

    /// Creates a definition.
    public init(rules: [MatchingRule], example: JSONValue? = nil) {
        self.rules = rules
        self.example = example
    }
}

/// The classes of HTTP status a `statusCode` rule can require.
public enum StatusCodeClass: Sendable, Hashable, CustomStringConvertible {
    /// 100–199.
    case information
    /// 200–299.
    case success
    /// 300–399.
    case redirect
    /// 400–499.
    case clientError
    /// 500–599.
    case serverError
    /// Below 400.
    case nonError
    /// 400 and above.
    case error
    /// One of these codes.
    case codes([Int])

    /// Parses the `status` attribute of a statusCode rule.
    public init?(json: JSONValue) {
        switch json {
        case .string(let name):
            switch name.lowercased() {
            case "info", "information": self = .information
            case "success": self = .success
            case "redirect": self = .redirect
            case "clienterror": self = .clientError
            case "servererror": self = .serverError
            case "nonerror": self = .nonError
            case "error": self = .error
            default: return nil
            }
        case .array(let items):
            let codes = items.compactMap { $0.numberValue?.intValue }
            guard codes.count == items.count else { return nil }
            self = .codes(codes)
        default:
            return nil
        }
    }

    /// True when the code is in the class.
    public func contains(_ code: Int) -> Bool {
        switch self {
        case .information: return (100...199).contains(code)
        case .success: return (200...299).contains(code)
        case .redirect: return (300...399).contains(code)
        case .clientError: return (400...499).contains(code)
        case .serverError: return (500...599).contains(code)
        case .nonError: return code < 400
        case .error: return code >= 400
        case .codes(let codes): return codes.contains(code)
        }
    }

    /// The JSON form written in pact files.
    public var json: JSONValue {
        switch self {
        case .information: return "info"
        case .success: return "success"
        case .redirect: return "redirect"
        case .clientError: return "clientError"
        case .serverError: return "serverError"
        case .nonError: return "nonError"
        case .error: return "error"
        case .codes(let codes): return .array(codes.map { .number(JSONNumber($0)) })
        }
    }

    /// A readable name, as used in mismatch messages.
    public var description: String {
        switch self {
        case .information: return "Informational response (100–199)"
        case .success: return "Successful response (200–299)"
        case .redirect: return "Redirect (300–399)"
        case .clientError: return "Client error (400–499)"
        case .serverError: return "Server error (500–599)"
        case .nonError: return "Non-error response (< 400)"
        case .error: return "Error response (>= 400)"
        case .codes(let codes): return "one of " + codes.map(String.init).joined(separator: ", ")
        }
    }
}
