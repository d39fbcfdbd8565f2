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
        StepDefinition("a response configured with the following generators:") { world, _, step in
            let values = try world.row(step)
            var response = HTTPResponse(status: 200)
            if let description = values["body"], !description.isEmpty {
                let (body, type) = try world.body(description, contentType: values["content type"])
                response.body = body
                response.headers.set("Content-Type", [type])
            }
            if let generators = values["generators"], !generators.isEmpty {
                response.generators = try Generators(json: try world.fixtureJSON(generators), source: generators)
            }
            world.generatorResponse = response
        },
        StepDefinition("the response is prepared for use") { world, _, _ in
            guard let response = world.generatorResponse else { throw StepFailure("no response was configured") }
            let (generated, errors) = GeneratorApplier(mode: world.generatorMode, context: GeneratorContext()).apply(to: response)
            guard errors.isEmpty else { throw StepFailure("generator errors: \(errors)") }
            world.generatedResponse = generated
        },
        StepDefinition("the request {string} will be set as {string}") { world, arguments, _ in
            let value = try part(arguments[0], of: world.generatedRequest)
            guard value == arguments[1] else { throw StepFailure("the request \(arguments[0]) is '\(value ?? "missing")', not '\(arguments[1])'") }
        },
        StepDefinition("the request {string} will match {string}") { world, arguments, _ in
            let value = try part(arguments[0], of: world.generatedRequest)
            guard let value, MatchingSteps.regexFinds(arguments[1], in: value) else {
                throw StepFailure("the request \(arguments[0]) is '\(value ?? "missing")', which does not match \(arguments[1])")
            }
        },
        StepDefinition("the response {string} will not be {string}") { world, arguments, _ in
            let value = try part(arguments[0], of: world.generatedResponse)
            guard value != arguments[1] else { throw StepFailure("the response \(arguments[0]) is still '\(arguments[1])'") }
        },
        StepDefinition("the response {string} will match {string}") { world, arguments, _ in
            let value = try part(arguments[0], of: world.generatedResponse)
            guard let value, MatchingSteps.regexFinds(arguments[1], in: value) else {
                throw StepFailure("the response \(arguments[0]) is '\(value ?? "missing")', which does not match \(arguments[1])")
            }
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

    /// A part of a generated request, named as the suite names them: `path`, `header[NAME]`, `queryParameter[NAME]`.
    static func part(_ name: String, of request: HTTPRequest?) throws -> String? {
        guard let request else { throw StepFailure("the request was not prepared") }
        if name == "path" { return request.path }
        if let header = bracketed(name, "header") { return request.headers[header]?.joined(separator: ", ") }
        if let parameter = bracketed(name, "queryParameter") { return request.query[parameter]?.compactMap { $0 }.joined(separator: ",") }
        throw StepFailure("unknown request part '\(name)'")
    }

    /// A part of a generated response: `status` or `header[NAME]`.
    static func part(_ name: String, of response: HTTPResponse?) throws -> String? {
        guard let response else { throw StepFailure("the response was not prepared") }
        if name == "status" { return String(response.status) }
        if let header = bracketed(name, "header") { return response.headers[header]?.joined(separator: ", ") }
        throw StepFailure("unknown response part '\(name)'")
    }

    private static func bracketed(_ name: String, _ prefix: String) -> String? {
        guard name.hasPrefix(prefix + "["), name.hasSuffix("]") else { return nil }
        return String(name.dropFirst(prefix.count + 1).dropLast())
    }

    static func values(_ world: CompatibilityWorld, at path: String) throws -> (JSONValue, JSONValue) {
        let original: JSONValue?, generated: JSONValue?
        if let response = world.generatorResponse {
            (original, generated) = (response.body.json, world.generatedResponse?.body.json)
        } else {
            (original, generated) = (world.generatorRequest.body.json, world.generatedRequest?.body.json)
        }
        guard let original, let generated else { throw StepFailure("the bodies are not JSON") }
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
