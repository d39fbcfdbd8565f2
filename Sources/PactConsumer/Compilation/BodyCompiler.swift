import PactModel

/// Compiles a `PactBody` into the model's `Body` with its body rules and generators.
enum BodyCompiler {
    /// A compiled body.
    struct Compiled {
        /// The example body.
        var body: Body
        /// The `body` rule category.
        var rules = RuleCategory()
        /// Body generators by path.
        var generators: [(path: PathExpression, generator: Generator)] = []
        /// Problems, already prefixed with the location.
        var problems: [String] = []
    }

    /// Compiles a body; `location` names it in messages (`request body`).
    static func compile(_ body: PactBody, location: String) -> Compiled {
        var problems: [String] = []
        let contentType = ContentType(body.contentType)
        if contentType == nil {
            problems.append("\(location): '\(body.contentType)' is not a media type; write it as type/subtype, such as application/json")
        }
        var result: Compiled
        switch body.content {
        case .json(let value):
            var compiled = CompiledValue()
            let example = ValueCompiler.compile(value, into: &compiled)
            result = finish(Body(json: example, contentType: contentType ?? .json), compiled, location: location)
            problems += jsonTypeProblems(contentType, location: location)
        case .encoded(let document, let matchers):
            var compiled = CompiledValue()
            // The encoded document is the example; the matchers only add rules and generators at their paths.
            for (path, matcher) in matchers { _ = ValueCompiler.compile(matcher, at: path, into: &compiled) }
            result = finish(Body(json: document, contentType: contentType ?? .json), compiled, location: location)
            problems += jsonTypeProblems(contentType, location: location)
        case .text(let value):
            result = compileText(value, contentType: contentType ?? .text, location: location)
        case .binary(let bytes, let contentTypeOnly):
            result = Compiled(body: Body(bytes: bytes, contentType: contentType ?? .binary))
            if contentTypeOnly, let contentType { result.rules.add(.contentType(contentType.essence), at: .root) }
        case .xml(let text):
            result = Compiled(body: Body(text: text, contentType: contentType ?? .xml))
        case .form(let fields):
            result = compileForm(fields, location: location)
        }
        result.problems = problems + result.problems
        return result
    }

    private static func finish(_ body: Body, _ compiled: CompiledValue, location: String) -> Compiled {
        Compiled(body: body, rules: compiled.rules, generators: compiled.generators,
                 problems: compiled.problems.map { "\(location) \($0.path): \($0.message)" })
    }

    private static func jsonTypeProblems(_ contentType: ContentType?, location: String) -> [String] {
        guard let contentType, !contentType.isJSON else { return [] }
        return ["\(location): a JSON body needs a JSON content type such as application/json, not '\(contentType)'; use PactBody.text for other types"]
    }

    /// A text body is one value; its rules and generator apply to the whole text (`$`).
    private static func compileText(_ value: PactValue, contentType: ContentType, location: String) -> Compiled {
        var compiled = CompiledValue()
        let example = ValueCompiler.compile(value, into: &compiled)
        var problems = compiled.problems.map { NamedValueCompiler.message($0.message, at: $0.path, location: location) }
        switch example {
        case .array, .object:
            problems.append("\(location): a text body must be a string (or a matcher with a string example), not \(example.typeName)")
        default:
            break
        }
        var rules = RuleCategory()
        for entry in compiled.rules.entries {
            if entry.path == .root {
                rules.add(entry.rules, at: .root)
            } else {
                problems.append("\(location): the rules at \(entry.path) cannot apply to text; put the matcher around the whole text")
            }
        }
        let generators = compiled.generators.filter { $0.path == .root }
        if generators.count != compiled.generators.count {
            problems.append("\(location): a generator for a text body must be the whole text")
        }
        let text = example.isNull ? "" : example.plainText
        return Compiled(body: Body(text: text, contentType: contentType), rules: rules, generators: generators, problems: problems)
    }

    /// Form fields are matched like query parameters, with rules at `$.field`.
    private static func compileForm(_ fields: [(name: String, value: PactValue)], location: String) -> Compiled {
        var query = QueryParameters()
        var rules = RuleCategory()
        var problems: [String] = []
        for (name, value) in fields {
            let field = NamedValueCompiler.compile(value, location: "\(location) field '\(name)'", allowsNull: true)
            problems += field.problems
            for item in field.values { query.add(name, item) }
            if !field.rules.isEmpty { rules.add(RuleList(field.rules), at: PathExpression(tokens: [.root, .field(name)])) }
            if field.generator != nil {
                problems.append("\(location) field '\(name)': generators are not applied to form bodies; use an example instead")
            }
        }
        return Compiled(body: Body(text: query.encoded, contentType: .form), rules: rules, problems: problems)
    }
}
