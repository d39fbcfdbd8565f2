import PactMatching
import PactModel

/// Compiles declared messages into interactions, with every problem found on the way.
enum MessageCompiler {
    /// A one-way message.
    static func compile(_ declaration: MessageDeclaration, contents: MessagePayload,
                        specification: PactSpecification) -> (interaction: Interaction, problems: [String]) {
        var problems: [String] = []
        let info = InteractionCompiler.compileInfo(declaration.common, problems: &problems)
        var payload = contents
        payload.metadata = declaration.metadata
        let message = compile(payload, location: "message", problems: &problems)
        problems += SpecificationCheck.problems(info: info, parts: [("message", message.matchingRules, message.generators)],
                                                specification: specification)
        if specification < .v3 {
            problems.append("messages need spec V3 or V4, but this pact is written as \(specification)")
        }
        return (.asynchronousMessage(AsynchronousMessage(info: info, message: message)), prefixed(problems, declaration))
    }

    /// A synchronous message interaction: a request and its responses.
    static func compile(_ declaration: MessageDeclaration, responses: [MessagePayload],
                        specification: PactSpecification) -> (interaction: Interaction, problems: [String]) {
        var problems: [String] = []
        let info = InteractionCompiler.compileInfo(declaration.common, problems: &problems)
        let request = compile(declaration.request, location: "request message", problems: &problems)
        var compiled: [MessageContents] = []
        for (index, response) in responses.enumerated() {
            compiled.append(compile(response, location: responses.count == 1 ? "response message" : "response message \(index + 1)", problems: &problems))
        }
        if responses.isEmpty {
            problems.append("a synchronous message interaction needs at least one response message")
        }
        if specification < .v4 {
            problems.append("synchronous message interactions need spec V4, but this pact is written as \(specification)")
        }
        let interaction = SynchronousMessages(info: info, request: request, responses: compiled)
        return (.synchronousMessages(interaction), prefixed(problems, declaration))
    }

    private static func prefixed(_ problems: [String], _ declaration: MessageDeclaration) -> [String] {
        problems.map { "message '\(declaration.description)': " + $0 }
    }

    /// Contents with their body rules and generators, and metadata with the rules and generators of each key.
    private static func compile(_ payload: MessagePayload, location: String, problems: inout [String]) -> MessageContents {
        var message = MessageContents()
        if let contents = payload.contents {
            let compiled = BodyCompiler.compile(contents, location: "\(location) contents")
            problems += compiled.problems
            message.contents = compiled.body
            if !compiled.rules.isEmpty { message.matchingRules.body = compiled.rules }
            message.generators.body = compiled.generators
        }
        for (name, value) in payload.metadata {
            let place = "\(location) metadata '\(name)'"
            if name.isEmpty { problems.append("\(location) metadata has an empty key") }
            var compiled = CompiledValue()
            message.metadata[name] = ValueCompiler.compile(value, into: &compiled)
            problems += compiled.problems.map { NamedValueCompiler.message($0.message, at: $0.path, location: place) }
            for entry in compiled.rules.entries {
                guard entry.path == .root else {
                    problems.append("\(place): the rules at \(entry.path) inside the value cannot be checked; put the matcher around the whole value")
                    continue
                }
                message.matchingRules["metadata"].add(entry.rules, at: PathExpression(tokens: [.field(name)]))
            }
            for entry in compiled.generators {
                guard entry.path == .root else {
                    problems.append("\(place): a generator must be the whole value, not \(entry.path) inside it")
                    continue
                }
                message.generators.metadata.append((name, entry.generator))
            }
        }
        let namesType = message.metadata.keys.contains { ["contenttype", "content-type"].contains($0.lowercased()) }
        if let contents = payload.contents, !namesType {
            message.metadata["contentType"] = .string(contents.contentType)
        }
        // The examples must satisfy their own rules, checked with the engine the verifier uses.
        for mismatch in RequestMatcher.compare(expected: message, actual: message) {
            let part = mismatch.kind == .metadata ? "metadata '\(mismatch.path)'" : (mismatch.path.isEmpty ? "contents" : "contents \(mismatch.path)")
            problems.append("\(location) \(part): the example does not satisfy its own rules: \(mismatch.message)")
        }
        return message
    }
}
