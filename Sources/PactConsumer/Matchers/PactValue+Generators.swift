import PactModel

/// Generators replace the example with a fresh value when the mock server answers or the verifier sends a request.
/// Each one also adds the matcher that every generated value satisfies, as pact-js does.
extension PactValue {
    /// A random integer between `min` and `max` (inclusive), matched by an `integer` rule; the example defaults to 42 clamped into the range.
    public static func randomInt(min: Int = 0, max: Int = 2_147_483_647, example: Int? = nil) -> PactValue {
        let value = example ?? Swift.max(min, Swift.min(max, 42))
        return generated("randomInt", example: PactValue(value), rules: [.rule(.integer)], generator: .randomInt(min: min, max: max))
    }

    /// A random decimal with `digits` digits, matched by a `decimal` rule.
    public static func randomDecimal(digits: Int = 10, example: Double? = nil) -> PactValue {
        generated("randomDecimal", example: PactValue(example ?? 13.01), rules: [.rule(.decimal)], generator: .randomDecimal(digits: digits))
    }

    /// A random string of `digits` hexadecimal digits, matched by a hexadecimal regex rule.
    public static func randomHexadecimal(digits: Int = 10, example: String? = nil) -> PactValue {
        generated("randomHexadecimal", example: .string(example ?? DefaultExamples.cycling("0123456789abcdef", count: digits)),
                  rules: [.regex("[0-9a-fA-F]+")], generator: .randomHexadecimal(digits: digits))
    }

    /// A random alphanumeric string of `size` characters, matched by a `type` rule.
    public static func randomString(size: Int = 20, example: String? = nil) -> PactValue {
        generated("randomString", example: .string(example ?? DefaultExamples.cycling("abcdefghijklmnopqrstuvwxyz", count: size)),
                  rules: [.rule(.type)], generator: .randomString(size: size))
    }

    /// A random UUID in `format`, matched by a regex rule for that format.
    public static func randomUUID(format: UUIDFormat = .lowerCaseHyphenated, example: String? = nil) -> PactValue {
        generated("randomUUID", example: .string(example ?? DefaultExamples.uuid(in: format)),
                  rules: [.regex(DefaultExamples.uuidPattern(for: format))], generator: .uuid(format))
    }

    /// A random boolean, matched by a `boolean` rule.
    public static func randomBoolean(example: Bool = true) -> PactValue {
        generated("randomBoolean", example: PactValue(example), rules: [.rule(.boolean)], generator: .randomBoolean)
    }

    /// Today's date (shifted by an expression such as `+ 1 day`), matched by a `date` rule in the same format.
    public static func generatedDate(format: String = "yyyy-MM-dd", expression: String? = nil, example: String? = nil) -> PactValue {
        generated("generatedDate", example: .string(example ?? DefaultExamples.dateTime(format: format) ?? ""),
                  rules: [.dateTime(.date, format: format)], generator: .date(format: format, expression: expression))
    }

    /// The current time (shifted by an expression such as `+ 1 hour`), matched by a `time` rule in the same format.
    public static func generatedTime(format: String = "HH:mm:ss", expression: String? = nil, example: String? = nil) -> PactValue {
        generated("generatedTime", example: .string(example ?? DefaultExamples.dateTime(format: format) ?? ""),
                  rules: [.dateTime(.time, format: format)], generator: .time(format: format, expression: expression))
    }

    /// The current date and time (shifted by an expression), matched by a `timestamp` rule in the same format.
    public static func generatedDateTime(format: String = "yyyy-MM-dd'T'HH:mm:ssXXX", expression: String? = nil, example: String? = nil) -> PactValue {
        generated("generatedDateTime", example: .string(example ?? DefaultExamples.dateTime(format: format) ?? ""),
                  rules: [.dateTime(.timestamp, format: format)], generator: .dateTime(format: format, expression: expression))
    }

    /// A random string matching the regular expression, matched by the same regex rule.
    public static func randomRegex(_ pattern: String, example: String? = nil) -> PactValue {
        let (text, problems) = DefaultExamples.regexExample(pattern, given: example)
        return .matcher(PactMatcher(name: "randomRegex", example: .string(text), rules: [.regex(pattern)], generator: .regex(pattern), problems: problems))
    }

    /// A value the provider fills in from its provider state (`${accountId}` or `/accounts/${accountId}`).
    ///
    /// The consumer's mock server serves the example; the verifier substitutes the provider state's values and
    /// converts the result to the example's JSON type (string, integer, decimal or boolean). An expression that is
    /// one placeholder gets a `type` rule; one with text around its placeholders gets a regex rule made from that
    /// text (placeholders match any text), so `/accounts/${id}` still matches only account paths.
    public static func fromProviderState(_ expression: String, example: PactValue) -> PactValue {
        let dataType: GeneratorDataType
        switch example.example {
        case .string: dataType = .string
        case .number(let number): dataType = number.isInteger ? .integer : .decimal
        case .bool: dataType = .boolean
        default: dataType = .raw
        }
        let rule: PactMatcher.RuleSpec
        if case .string = example.example, let pattern = DefaultExamples.pattern(forExpression: expression) {
            rule = .regex(pattern)
        } else {
            rule = .rule(.type)
        }
        return generated("fromProviderState", example: example, rules: [rule], generator: .providerState(expression: expression, dataType: dataType))
    }

    /// A URL pointing at the consumer's mock server: the part of `example` before the regex's groups becomes the mock server's base URL.
    ///
    /// For example `mockServerURL(regex: ".*(/accounts/\\d+)$", example: "http://localhost:8080/accounts/7")`.
    public static func mockServerURL(regex pattern: String, example: String) -> PactValue {
        generated("mockServerURL", example: .string(example), rules: [.regex(pattern)], generator: .mockServerURL(example: example, regex: pattern))
    }

    /// Any generator of the model, such as one read from an existing pact, with `example` as the value; it adds no rule.
    public static func generated(by generator: Generator, example: PactValue) -> PactValue {
        generated(generator.typeName, example: example, rules: [], generator: generator)
    }

    private static func generated(_ name: String, example: PactValue, rules: [PactMatcher.RuleSpec], generator: Generator) -> PactValue {
        .matcher(PactMatcher(name: name, example: example, rules: rules, generator: generator))
    }
}
