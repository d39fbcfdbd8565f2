import PactModel

/// Compiles the value of a header, query parameter or form field: text values, the rules for its name, and a generator.
///
/// The engine applies a name's rules to each of its values, so rules may sit on the whole value or on its items
/// (`$`, `$[*]`, `$[0]`); anything deeper has no meaning for a list of strings and is reported.
enum NamedValueCompiler {
    /// The compiled value of one name.
    struct Compiled {
        /// The values in order; nil stands for a query parameter without `=`.
        var values: [String?] = []
        /// The rules for the name.
        var rules: [MatchingRule] = []
        /// The generator for the name, if any.
        var generator: Generator?
        /// Problems, already prefixed with the location.
        var problems: [String] = []
    }

    /// Compiles `value`; `location` names it in messages (`request header 'Accept'`), and `allowsNull` is true for query parameters.
    static func compile(_ value: PactValue, location: String, allowsNull: Bool) -> Compiled {
        var compiledValue = CompiledValue()
        let example = ValueCompiler.compile(value, into: &compiledValue)
        var result = Compiled()
        for problem in compiledValue.problems {
            result.problems.append(message(problem.message, at: problem.path, location: location))
        }
        let items: [JSONValue]
        if case .array(let list) = example { items = list } else { items = [example] }
        for item in items {
            switch item {
            case .null where allowsNull:
                result.values.append(nil)
            case .array, .object, .null:
                result.problems.append("\(location): a value must be a string, number or boolean (or an array of them), not \(item.typeName)")
            default:
                result.values.append(item.plainText)
            }
        }
        for entry in compiledValue.rules.entries {
            if appliesToEachValue(entry.path) {
                for rule in entry.rules.rules where !result.rules.contains(rule) { result.rules.append(rule) }
            } else {
                result.problems.append("\(location): the rules at \(entry.path) inside the value cannot apply to a list of strings; put the matcher around the value")
            }
        }
        for entry in compiledValue.generators {
            if entry.path == .root, result.generator == nil {
                result.generator = entry.generator
            } else {
                result.problems.append("\(location): a generator must be the whole value, not \(entry.path) inside it")
            }
        }
        return result
    }

    private static func appliesToEachValue(_ path: PathExpression) -> Bool {
        switch path.tokens {
        case [.root], [.root, .starIndex], [.root, .star]: return true
        case let tokens where tokens.count == 2: if case .index = tokens[1] { return true } else { return false }
        default: return false
        }
    }

    /// `location path: message`, leaving out the path when it is the value's root.
    static func message(_ message: String, at path: PathExpression, location: String) -> String {
        path == .root ? "\(location): \(message)" : "\(location) \(path): \(message)"
    }
}
