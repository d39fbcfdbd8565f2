import PactConsumer
import PactModel
import Testing

/// A response body compiled through the public DSL: its example, body rules, generators and the pact's validation errors.
struct CompiledBody {
    var example: JSONValue?
    var rules: RuleCategory
    var generators: [String: Generator]
    var errors: [String]
    var interaction: HTTPInteraction
}

/// Declares one interaction whose response body is `value` and returns what it compiled into.
func compileResponseBody(_ value: PactValue, specification: PactSpecification = .v4) throws -> CompiledBody {
    let pact = ConsumerPact(consumer: "Consumer", provider: "Provider", specification: specification)
    pact.uponReceiving("a request")
        .withRequest(method: .get, path: "/")
        .willRespondWith(status: 200, body: .json(value))
    let pending = pact.takePending()
    let interaction = try #require(pending.interactions.first)
    return CompiledBody(example: interaction.response.body.json, rules: interaction.response.matchingRules.body,
                        generators: generatorMap(interaction.response.generators.body), errors: pending.validationErrors,
                        interaction: interaction)
}

/// Declares one interaction through `declare` and returns it with the validation errors.
func declareOne(specification: PactSpecification = .v4, _ declare: (ConsumerPact) -> Void) throws -> (interaction: HTTPInteraction, errors: [String]) {
    let pact = ConsumerPact(consumer: "Consumer", provider: "Provider", specification: specification)
    declare(pact)
    let pending = pact.takePending()
    #expect(pending.interactions.count == 1)
    return (try #require(pending.interactions.first), pending.validationErrors)
}

/// Body generators keyed by the text of their path.
func generatorMap(_ entries: [(path: PathExpression, generator: Generator)]) -> [String: Generator] {
    var map: [String: Generator] = [:]
    for entry in entries { map[entry.path.description] = entry.generator }
    return map
}

/// A rule category from path texts and rules.
func category(_ entries: [(String, [MatchingRule])]) throws -> RuleCategory {
    RuleCategory(try entries.map { (try PathExpression(parsing: $0.0), RuleList($0.1)) })
}

/// A regex rule.
func regexRule(_ pattern: String) throws -> MatchingRule {
    .regex(try PactRegex(pattern))
}

/// A timestamp, date or time pattern.
func pattern(_ text: String) throws -> DateTimePattern {
    try DateTimePattern(text)
}

/// Parses JSON text.
func json(_ text: String) throws -> JSONValue {
    try JSONParser.parse(text)
}
