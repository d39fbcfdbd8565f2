import PactModel

/// Turns a declared rule into a `MatchingRule`, checking expressions and formats, and reporting what cannot be compiled.
enum RuleCompiler {
    /// Compiles one rule of the matcher `name` at `path`.
    static func compile(_ spec: PactMatcher.RuleSpec, of name: String, at path: PathExpression, into compiled: inout CompiledValue) {
        switch spec {
        case .rule(let rule):
            compiled.add(rule, at: path)
        case .regex(let pattern):
            if let regex = regex(pattern, of: name, at: path, into: &compiled) { compiled.add(.regex(regex), at: path) }
        case .dateTime(let kind, let format):
            let pattern: DateTimePattern
            do { pattern = try DateTimePattern(format) } catch {
                compiled.report("\(name): the format '\(format)' is invalid: \(error.reason) (use Java DateTimeFormatter letters, such as yyyy-MM-dd'T'HH:mm:ss)", at: path)
                return
            }
            switch kind {
            case .date: compiled.add(.date(pattern), at: path)
            case .time: compiled.add(.time(pattern), at: path)
            case .timestamp: compiled.add(.timestamp(pattern), at: path)
            }
        case .typeBounds(let min, let max):
            if let rule = typeRule(min: min, max: max, of: name, at: path, into: &compiled) { compiled.add(rule, at: path) }
        case .arrayContains(let variants):
            compiled.add(.arrayContains(arrayContainsVariants(variants, at: path, into: &compiled)), at: path)
        case .eachKey(let pattern):
            if let regex = regex(pattern, of: name, at: path, into: &compiled) {
                compiled.add(.eachKey(EachRuleDefinition(rules: [.regex(regex)])), at: path)
            }
        case .eachValue(let matcher):
            compiled.add(.eachValue(EachRuleDefinition(rules: eachValueRules(matcher, at: path, into: &compiled))), at: path)
        }
    }

    private static func regex(_ pattern: String, of name: String, at path: PathExpression, into compiled: inout CompiledValue) -> PactRegex? {
        do {
            return try PactRegex(pattern)
        } catch {
            compiled.report("\(name): the regex \(error.description) (fix the expression; it is compiled with ICU, Java-like, syntax)", at: path)
            return nil
        }
    }

    private static func typeRule(min: Int?, max: Int?, of name: String, at path: PathExpression, into compiled: inout CompiledValue) -> MatchingRule? {
        switch (min, max) {
        case (let low?, let high?):
            guard low >= 0, high >= 1, low <= high else {
                compiled.report("\(name): min (\(low)) and max (\(high)) must satisfy 0 <= min <= max and max >= 1", at: path)
                return nil
            }
            return .minMaxType(min: low, max: high)
        case (let low?, nil):
            guard low >= 0 else {
                compiled.report("\(name): min (\(low)) must not be negative", at: path)
                return nil
            }
            return .minType(low)
        case (nil, let high?):
            guard high >= 1 else {
                compiled.report("\(name): max (\(high)) must be at least 1", at: path)
                return nil
            }
            return .maxType(high)
        case (nil, nil):
            return .type
        }
    }

    /// Each variant is compiled on its own, from its own root, as the `arrayContains` rule expects.
    private static func arrayContainsVariants(_ variants: [PactValue], at path: PathExpression, into compiled: inout CompiledValue) -> [ArrayContainsVariant] {
        if variants.isEmpty { compiled.report("arrayContaining needs at least one variant", at: path) }
        return variants.enumerated().map { index, variant in
            var inner = CompiledValue()
            _ = ValueCompiler.compile(variant, into: &inner)
            let variantPath = path.appending(index: index)
            for problem in inner.problems {
                compiled.report(problem.message, at: variantPath.appending(relative: problem.path))
            }
            var generators: [PathExpression: Generator] = [:]
            for entry in inner.generators { generators[entry.path] = entry.generator }
            return ArrayContainsVariant(index: index, rules: inner.rules, generators: generators)
        }
    }

    /// The rules at the matcher's top level; the engine applies only those to each value, so deeper ones are reported.
    private static func eachValueRules(_ matcher: PactValue, at path: PathExpression, into compiled: inout CompiledValue) -> [MatchingRule] {
        var inner = CompiledValue()
        _ = ValueCompiler.compile(matcher, into: &inner)
        let valuesPath = path.appendingStar()
        for problem in inner.problems {
            compiled.report(problem.message, at: valuesPath.appending(relative: problem.path))
        }
        var rules: [MatchingRule] = []
        for entry in inner.rules.entries {
            if entry.path == .root {
                rules += entry.rules.rules
            } else {
                compiled.report("eachValue: only the matcher's own rules apply to each value; the rules at \(entry.path) inside it are not supported "
                                + "(use eachValue(example, .like(...)) or put the nested matchers in the example of a values(...) matcher)",
                                at: path)
            }
        }
        if !inner.generators.isEmpty {
            compiled.report("eachValue: generators inside the matcher are not supported; put them in the example", at: path)
        }
        if rules.isEmpty {
            compiled.report("eachValue: the matcher has no rules; pass a matcher such as .like(...) or .regex(...)", at: path)
        }
        return rules
    }
}
