import PactModel

extension PactValue {
    /// Matches any value of the same type as the example; the rule cascades to everything inside it.
    public static func like(_ example: PactValue) -> PactValue {
        .matcher(PactMatcher(name: "like", example: example, rules: [.rule(.type)]))
    }

    /// Matches an array whose every item is like `example` (nested matchers included), with at least `min` and at most `max` items.
    ///
    /// The example array holds `max(min, 1)` copies of the item. The type rule with the bounds is written at the
    /// array's path and the item's own rules under `path[*]`.
    public static func eachLike(_ example: PactValue, min: Int = 1, max: Int? = nil) -> PactValue {
        var count = Swift.max(min, 1)
        if let max, max >= 1 { count = Swift.min(count, max) }
        return .matcher(PactMatcher(name: "eachLike", example: example, rules: [.typeBounds(min: min, max: max)], layout: .eachItem(count: count)))
    }

    /// Matches a string against a regular expression (ICU syntax, whole value).
    ///
    /// Without an example, one is generated from the expression with a fixed seed; in `PactBody.encodable` the
    /// encoded value is the example.
    public static func regex(_ pattern: String, example: String? = nil) -> PactValue {
        let (text, problems) = DefaultExamples.regexExample(pattern, given: example)
        return .matcher(PactMatcher(name: "regex", example: .string(text), rules: [.regex(pattern)], problems: problems))
    }

    /// Matches any integer.
    public static func integer(_ example: Int = 42) -> PactValue {
        .matcher(PactMatcher(name: "integer", example: PactValue(example), rules: [.rule(.integer)]))
    }

    /// Matches any decimal number (one with a fraction or exponent).
    public static func decimal(_ example: Double = 13.01) -> PactValue {
        .matcher(PactMatcher(name: "decimal", example: PactValue(example), rules: [.rule(.decimal)]))
    }

    /// Matches any number, integer or decimal.
    public static func number(_ example: Int) -> PactValue {
        .matcher(PactMatcher(name: "number", example: PactValue(example), rules: [.rule(.number)]))
    }

    /// Matches any number, integer or decimal.
    public static func number(_ example: Double) -> PactValue {
        .matcher(PactMatcher(name: "number", example: PactValue(example), rules: [.rule(.number)]))
    }

    /// Matches any boolean.
    public static func bool(_ example: Bool = true) -> PactValue {
        .matcher(PactMatcher(name: "bool", example: PactValue(example), rules: [.rule(.boolean)]))
    }

    /// Matches only `null`.
    public static func null() -> PactValue {
        .matcher(PactMatcher(name: "null", example: .null, rules: [.rule(.null)]))
    }

    /// Matches exactly the example, even inside a `like` whose type rule would otherwise cascade here.
    public static func equal(_ example: PactValue) -> PactValue {
        .matcher(PactMatcher(name: "equal", example: example, rules: [.rule(.equality)]))
    }

    /// Matches a date in a Java `DateTimeFormatter` format; without an example, 2024-01-15 is formatted.
    public static func date(_ format: String = "yyyy-MM-dd", example: String? = nil) -> PactValue {
        dateTime(.date, name: "date", format: format, example: example)
    }

    /// Matches a time in a Java `DateTimeFormatter` format; without an example, 10:30:45 UTC is formatted.
    public static func time(_ format: String = "HH:mm:ss", example: String? = nil) -> PactValue {
        dateTime(.time, name: "time", format: format, example: example)
    }

    /// Matches a date and time (a `timestamp` rule) in a Java `DateTimeFormatter` format; without an example, 2024-01-15T10:30:45Z is formatted.
    public static func datetime(_ format: String = "yyyy-MM-dd'T'HH:mm:ssXXX", example: String? = nil) -> PactValue {
        dateTime(.timestamp, name: "datetime", format: format, example: example)
    }

    private static func dateTime(_ kind: PactMatcher.DateTimeKind, name: String, format: String, example: String?) -> PactValue {
        .matcher(PactMatcher(name: name, example: .string(example ?? DefaultExamples.dateTime(format: format) ?? ""),
                             rules: [.dateTime(kind, format: format)]))
    }

    /// Matches any value whose text contains `substring`; the example defaults to the substring itself.
    public static func includes(_ substring: String, example: String? = nil) -> PactValue {
        .matcher(PactMatcher(name: "includes", example: .string(example ?? substring), rules: [.rule(.include(substring))]))
    }

    /// Matches a hyphenated UUID in upper or lower case (a regex rule).
    public static func uuid(example: String = "e2490de5-5bd3-43d5-b7c4-526e33f71304") -> PactValue {
        .matcher(PactMatcher(name: "uuid", example: .string(example),
                             rules: [.regex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]))
    }

    /// Matches a string of hexadecimal digits (a regex rule).
    public static func hexadecimal(example: String = "3F") -> PactValue {
        .matcher(PactMatcher(name: "hexadecimal", example: .string(example), rules: [.regex("[0-9a-fA-F]+")]))
    }

    /// Matches a map with any keys whose values are like the example's values (a `values` rule).
    ///
    /// The rules of values nested in the example are written under `path.*`, so they apply whatever the key.
    public static func values(_ object: PactValue) -> PactValue {
        .matcher(PactMatcher(name: "values", example: object, rules: [.rule(.values)], layout: .anyKey))
    }

    /// Matches an array that contains, in any position, an item matching each variant (an `arrayContains` rule).
    ///
    /// The example is the list of variants; the rules of each variant are compiled relative to that variant (`$`).
    public static func arrayContaining(_ variants: [PactValue]) -> PactValue {
        .matcher(PactMatcher(name: "arrayContaining", example: .array(variants), rules: [.arrayContains(variants)], layout: .examplesOnly))
    }

    /// Matches a map whose every key matches the regular expression (an `eachKey` rule); rules inside the example go under `path.*`.
    public static func eachKey(_ example: PactValue, matching pattern: String) -> PactValue {
        .matcher(PactMatcher(name: "eachKey", example: example, rules: [.eachKey(pattern: pattern)], layout: .anyKey))
    }

    /// Matches a map or array whose every value satisfies `matcher` (an `eachValue` rule).
    ///
    /// Only the matcher's own rules (those at its top level) are used; the example gives the values written in the pact.
    public static func eachValue(_ example: PactValue, _ matcher: PactValue) -> PactValue {
        .matcher(PactMatcher(name: "eachValue", example: example, rules: [.eachValue(matcher)], layout: .examplesOnly))
    }

    /// Matches any value that is not empty: not null, not an empty string, array or map.
    public static func notEmpty(_ example: PactValue) -> PactValue {
        .matcher(PactMatcher(name: "notEmpty", example: example, rules: [.rule(.notEmpty)]))
    }

    /// Matches a semantic version such as `1.4.2-beta.1`.
    public static func semver(_ example: String = "1.0.0") -> PactValue {
        .matcher(PactMatcher(name: "semver", example: .string(example), rules: [.rule(.semver)]))
    }
}
