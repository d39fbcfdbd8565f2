import PactModel

/// An example with the matching rules and generator that apply where it is placed; made by the static functions on `PactValue`.
///
/// A matcher is only a description: regular expressions and date formats are checked when the interaction is
/// compiled, and a problem becomes a validation error of the `ConsumerPact` instead of a crash.
public struct PactMatcher: Sendable {
    /// How the matcher's example is laid out and where the rules of values nested in it go.
    enum Layout: Sendable {
        /// The example sits at the matcher's path; nested rules keep their own paths below it.
        case inline
        /// The example is one array item, repeated `count` times; nested rules go under `path[*]`.
        case eachItem(count: Int)
        /// The example is a map with free keys; the rules of its values go under `path.*`.
        case anyKey
        /// Only the example's plain value is used; rules inside it are dropped (the matcher's own rules decide).
        case examplesOnly
    }

    /// One rule as declared, before it is checked and compiled into a `MatchingRule`.
    enum RuleSpec: Sendable {
        /// A rule that needs no checking.
        case rule(MatchingRule)
        /// A regular expression, compiled with ICU when the interaction is compiled.
        case regex(String)
        /// A date, time or timestamp format.
        case dateTime(DateTimeKind, format: String)
        /// A type rule with optional array size bounds.
        case typeBounds(min: Int?, max: Int?)
        /// An `arrayContains` rule whose variants are compiled relative to each variant.
        case arrayContains([PactValue])
        /// An `eachKey` rule: every key must match the expression.
        case eachKey(pattern: String)
        /// An `eachValue` rule: every value must satisfy the rules of this matcher value.
        case eachValue(PactValue)
    }

    /// The three date and time rules.
    enum DateTimeKind: String, Sendable {
        case date, time, timestamp
    }

    /// The matcher's name as shown in messages, such as `regex` or `eachLike`.
    public let name: String
    let example: PactValue
    let rules: [RuleSpec]
    let layout: Layout
    let generator: Generator?
    /// Problems found while building the matcher, reported when the interaction is compiled.
    let problems: [String]

    init(name: String, example: PactValue, rules: [RuleSpec], layout: Layout = .inline, generator: Generator? = nil, problems: [String] = []) {
        self.name = name
        self.example = example
        self.rules = rules
        self.layout = layout
        self.generator = generator
        self.problems = problems
    }
}
