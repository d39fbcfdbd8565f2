import PactModel

/// What a `PactValue` compiles into: rules and generators keyed by path, and the problems found on the way.
///
/// The example itself is returned by `ValueCompiler.compile`, so one walk produces all three.
struct CompiledValue {
    /// One problem with a matcher, at the path where the matcher sits.
    struct Problem: Sendable, Equatable {
        /// Where the matcher sits, relative to the compiled value's root.
        var path: PathExpression
        /// What is wrong and how to fix it.
        var message: String
    }

    /// Rules by path, in the order they were declared.
    var rules = RuleCategory()
    /// Generators by path, in the order they were declared.
    var generators: [(path: PathExpression, generator: Generator)] = []
    /// Problems found, such as an invalid regex.
    var problems: [Problem] = []

    /// Adds a rule unless the same rule is already defined at the path (values under `*` share one path).
    mutating func add(_ rule: MatchingRule, at path: PathExpression) {
        if let existing = rules[path], existing.rules.contains(rule) { return }
        rules.add(rule, at: path)
    }

    /// Adds a generator; a path holds one generator, so a different second one is reported instead.
    mutating func add(_ generator: Generator, at path: PathExpression) {
        if let existing = generators.first(where: { $0.path == path }) {
            if existing.generator != generator {
                report("two different generators (\(existing.generator.typeName) and \(generator.typeName)) apply here; only the first is kept", at: path)
            }
            return
        }
        generators.append((path, generator))
    }

    /// Records a problem at a path.
    mutating func report(_ message: String, at path: PathExpression) {
        problems.append(Problem(path: path, message: message))
    }
}

extension PathExpression {
    /// The path with `[*]` appended: every item of an array.
    func appendingStarIndex() -> PathExpression {
        PathExpression(tokens: tokens + [.starIndex])
    }

    /// `inner` (a path from its own root `$`) placed under this path.
    func appending(relative inner: PathExpression) -> PathExpression {
        PathExpression(tokens: tokens + inner.tokens.filter { $0 != .root })
    }
}
