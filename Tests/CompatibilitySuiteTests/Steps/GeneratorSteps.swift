import Foundation
import PactMatching
import PactModel

/// Steps of the `generators.feature` files.
enum GeneratorSteps {
    static let definitions: [StepDefinition] = [
        StepDefinition("a request configured with the following generators:") { world, _, step in
            let values = try world.row(step)
            var request = HTTPRequest(path: "/path/one")
            try world.configure(&request, with: ["body": values["body"] ?? ""])
            if let generators = values["generators"], !generators.isEmpty {
                request.generators = try Generators(json: try world.fixtureJSON(generators), source: generators)
            }
            world.generatorRequest = request
        },
        StepDefinition("the generator test mode is set as {string}") { world, arguments, _ in
            world.generatorMode = arguments[0] == "Consumer" ? .consumer : .provider
        },
        StepDefinition("the request is prepared for use") { world, _, _ in
            try prepare(world, context: GeneratorContext())
        },
        StepDefinition("the request is prepared for use with a {string} context:") { world, arguments, step in
            guard let cell = step.table?.first?.first, case .object(let values) = try JSONParser.parse(cell) else {
                throw StepFailure("the context table needs one JSON object")
            }
            var context = GeneratorContext()
            switch arguments[0] {
            case "providerState": context.providerState = values
            case "mockServer": context.mockServerURL = values["href"]?.stringValue
            default: throw StepFailure("unknown context '\(arguments[0])'")
            }
            try prepare(world, context: context)
        },
        StepDefinition("the body value for {string} will have been replaced with a(n) {string}") { world, arguments, _ in
            let (original, generated) = try values(world, at: arguments[0])
            guard original != generated else { throw StepFailure("the value \(original) was not replaced") }
            try check(generated, is: arguments[1])
        },
        StepDefinition("the body value for {string} will have been replaced with {string}") { world, arguments, _ in
            let (original, generated) = try values(world, at: arguments[0])
            guard original != generated else { throw StepFailure("the value \(original) was not replaced") }
            guard generated.plainText == arguments[1] else { throw StepFailure("expected \(arguments[1]) but got \(generated)") }
        },
    ]

    static func prepare(_ world: CompatibilityWorld, context: GeneratorContext) throws {
        let (request, errors) = GeneratorApplier(mode: world.generatorMode, context: context).apply(to: world.generatorRequest)
        guard errors.isEmpty else { throw StepFailure("generator errors: \(errors)") }
        world.generatedRequest = request
    }

    static func values(_ world: CompatibilityWorld, at path: String) throws -> (JSONValue, JSONValue) {
        guard let original = world.generatorRequest.body.json, let generated = world.generatedRequest?.body.json else {
            throw StepFailure("the bodies are not JSON")
        }
        let expression = try PathExpression(parsing: path)
        func walk(_ value: JSONValue) -> JSONValue? {
            var current = value
            for token in expression.tokens.dropFirst() {
                switch token {
                case .field(let name): guard let next = current[name] else { return nil }; current = next
                case .index(let position): guard let items = current.arrayValue, position < items.count else { return nil }; current = items[position]
                default: return nil
                }
            }
            return current
        }
        guard let before = walk(original), let after = walk(generated) else { throw StepFailure("nothing at \(path)") }
        return (before, after)
    }

    static func check(_ value: JSONValue, is kind: String) throws {
        let text = value.plainText
        let patterns: [String: String] = [
            "integer": #"^-?\d+$"#, "decimal number": #"^-?\d+\.\d+$"#, "hexadecimal number": "^[a-fA-F0-9]+$",
            "string from the regex": #"^\d{1,8}$"#, "date": #"^\d{4}-\d{2}-\d{2}$"#, "time": #"^\d{2}:\d{2}:\d{2}$"#,
            "date-time": #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{1,9}"#,
            "UUID": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
            "lower-case-hyphenated UUID": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
            "upper-case-hyphenated UUID": "^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$",
            "simple UUID": "^[0-9a-f]{32}$", "URN UUID": "^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
            "boolean": "^(true|false)$",
        ]
        switch kind {
        case "random string":
            guard value.stringValue != nil else { throw StepFailure("expected a string but got \(value)") }
        case "integer":
            guard value.numberValue?.isInteger == true, MatchingSteps.regexFinds(patterns[kind] ?? "", in: text) else { throw StepFailure("expected an integer but got \(value)") }
        case "decimal number":
            guard value.numberValue?.isInteger == false, MatchingSteps.regexFinds(patterns[kind] ?? "", in: text) else { throw StepFailure("expected a decimal but got \(value)") }
        case "boolean":
            guard value.boolValue != nil else { throw StepFailure("expected a boolean but got \(value)") }
        default:
            guard let pattern = patterns[kind] else { throw StepFailure("unknown value type '\(kind)'") }
            guard value.stringValue != nil, MatchingSteps.regexFinds(pattern, in: text) else { throw StepFailure("expected a \(kind) but got \(value)") }
        }
    }
}
