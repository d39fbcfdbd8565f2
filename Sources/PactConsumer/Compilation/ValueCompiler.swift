import PactModel

/// Compiles a `PactValue` at a path into its example, collecting rules, generators and problems in a `CompiledValue`.
enum ValueCompiler {
    /// The deepest path a rule or generator may have; the engine weights rule paths by powers of two, which must not overflow.
    static let maxRuleDepth = 50
    /// The deepest value that can be written; pact readers reject documents nested deeper than 512 levels.
    static let maxValueDepth = 500

    /// Walks the value from `path` (the root `$` by default) and returns its plain JSON example.
    static func compile(_ value: PactValue, at path: PathExpression = .root, into compiled: inout CompiledValue) -> JSONValue {
        switch value {
        case .null: return .null
        case .boolean(let flag): return .bool(flag)
        case .jsonNumber(let number): return .number(number)
        case .string(let text): return .string(text)
        case .array where path.tokens.count > maxValueDepth, .object where path.tokens.count > maxValueDepth:
            compiled.report("values nested deeper than \(maxValueDepth) levels cannot be written to a pact file; flatten the value", at: path)
            return .null
        case .array(let items):
            return .array(items.enumerated().map { compile($0.element, at: path.appending(index: $0.offset), into: &compiled) })
        case .object(let members):
            var object = JSONObject()
            for (key, member) in members {
                object[key] = compile(member, at: path.appending(field: key), into: &compiled)
            }
            return .object(object)
        case .matcher(let matcher):
            return compile(matcher, at: path, into: &compiled)
        }
    }

    private static func compile(_ matcher: PactMatcher, at path: PathExpression, into compiled: inout CompiledValue) -> JSONValue {
        for problem in matcher.problems { compiled.report("\(matcher.name): \(problem)", at: path) }
        if path.tokens.count > maxRuleDepth {
            compiled.report("\(matcher.name): matchers nested deeper than \(maxRuleDepth) levels are not supported; only its example is used", at: path)
            var scratch = CompiledValue()
            let example = compile(matcher.example, at: path, into: &scratch)
            // Deeper matchers share this one cause, so only their other problems are kept.
            compiled.problems += scratch.problems.filter { !$0.message.contains("nested deeper than \(maxRuleDepth)") }
            return example
        }
        // The matcher's own rules come before those of nested values, which reads naturally in the pact file.
        for spec in matcher.rules { RuleCompiler.compile(spec, of: matcher.name, at: path, into: &compiled) }
        let example: JSONValue
        switch matcher.layout {
        case .inline:
            example = compile(matcher.example, at: path, into: &compiled)
        case .eachItem(let count):
            let item = compile(matcher.example, at: path.appendingStarIndex(), into: &compiled)
            example = .array(Array(repeating: item, count: max(count, 1)))
        case .anyKey:
            example = compileAnyKey(matcher, at: path, into: &compiled)
        case .examplesOnly:
            var scratch = CompiledValue()
            example = compile(matcher.example, at: path, into: &scratch)
            compiled.problems += scratch.problems
        }
        if let generator = matcher.generator {
            if let problem = GeneratorCheck.problem(with: generator) {
                compiled.report("\(matcher.name): \(problem)", at: path)
            } else {
                compiled.add(generator, at: path)
            }
        }
        return example
    }

    /// Map values are compiled under `path.*`, since the keys of the actual map may differ from the example's.
    private static func compileAnyKey(_ matcher: PactMatcher, at path: PathExpression, into compiled: inout CompiledValue) -> JSONValue {
        guard case .object(let members) = matcher.example else {
            compiled.report("\(matcher.name) needs a map (a dictionary literal) as its example, not \(matcher.example.example.typeName)", at: path)
            return compile(matcher.example, at: path, into: &compiled)
        }
        var object = JSONObject()
        for (key, member) in members {
            object[key] = compile(member, at: path.appendingStar(), into: &compiled)
        }
        return .object(object)
    }
}
