import Foundation
import PactConsumer
import PactMockServer
import PactModel

/// Steps of the V3 and V4 `http_consumer.feature` files: declaring interactions with the DSL and checking the pact file.
enum ConsumerPactSteps {
    static let definitions: [StepDefinition] = [
        StepDefinition("an integration is being defined for a consumer test") { world, _, _ in
            begin(world)
        },
        StepDefinition("an HTTP interaction is being defined for a consumer test") { world, _, _ in
            begin(world)
        },
        StepDefinition("a provider state {string} is specified") { world, arguments, _ in
            try update(world) { $0.given(arguments[0]) }
        },
        StepDefinition("a provider state {string} is specified with the following data:") { world, arguments, step in
            var params: [String: PactValue] = [:]
            for (key, value) in try world.row(step) { params[key] = PactValue(json: try JSONParser.parse(value)) }
            try update(world) { $0.given(arguments[0], params) }
        },
        StepDefinition("a key of {string} is specified for the HTTP interaction") { world, arguments, _ in
            try update(world) { $0.key(arguments[0]) }
        },
        StepDefinition("the HTTP interaction is marked as pending") { world, _, _ in
            try update(world) { $0.pending() }
        },
        StepDefinition("a comment {string} is added to the HTTP interaction") { world, arguments, _ in
            try update(world) { $0.comment(arguments[0]) }
        },
        StepDefinition("the Pact file for the test is generated") { world, _, _ in
            guard let pact = world.consumerPact else { throw StepFailure("no interaction is being defined") }
            world.builder?.withRequest(method: .get, path: "/test").willRespondWith(status: 200)
            let pending = pact.takePending()
            MessageConsumerSteps.register(world)
            let messages = pact.takePendingMessages()
            let problems = pending.validationErrors + messages.validationErrors
            guard problems.isEmpty else { throw StepFailure("\(problems)") }
            let all = pending.interactions.map(Interaction.http) + messages.interactions
            let file = try PactFileWriter(directory: world.scratch, specification: world.specification).write(pact.pact(with: all))
            world.writtenJSON = try JSONParser.parse([UInt8](try Data(contentsOf: file)))
        },
        StepDefinition("the interaction in the Pact file will contain {int} provider state(s)") { world, arguments, _ in
            let states = try firstInteraction(world)["providerStates"]?.arrayValue ?? []
            guard states.count == (try ConsumerSteps.number(arguments[0])) else { throw StepFailure("the interaction has \(states.count) provider states") }
        },
        StepDefinition("the interaction in the Pact file will contain provider state {string}") { world, arguments, _ in
            let names = (try firstInteraction(world)["providerStates"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            guard names.contains(arguments[0]) else { throw StepFailure("the provider states are \(names)") }
        },
        StepDefinition("the provider state {string} in the Pact file will contain the following parameters:") { world, arguments, step in
            let expected = try JSONParser.parse(try world.row(step)["parameters"] ?? "{}")
            let state = (try firstInteraction(world)["providerStates"]?.arrayValue ?? []).first { $0["name"]?.stringValue == arguments[0] }
            guard let params = state?["params"], params == expected else { throw StepFailure("the parameters are \(state?["params"] ?? .null)") }
        },
        StepDefinition("the first interaction in the Pact file will have a type of {string}") { world, arguments, _ in
            let type = try firstInteraction(world)["type"]?.stringValue
            guard type == arguments[0] else { throw StepFailure("the type is \(type ?? "missing")") }
        },
        StepDefinition("there will be an interaction in the Pact file with a type of {string}") { world, arguments, _ in
            let types = (world.writtenJSON?["interactions"]?.arrayValue ?? []).compactMap { $0["type"]?.stringValue }
            guard types.contains(arguments[0]) else { throw StepFailure("the interactions have the types \(types)") }
        },
        StepDefinition("the first interaction in the Pact file will have {string} = {string}") { world, arguments, _ in
            let value = try firstInteraction(world)[arguments[0]]
            guard value == (try JSONParser.parse(arguments[1])) else { throw StepFailure("\(arguments[0]) is \(value ?? .null)") }
        },
    ]

    static func begin(_ world: CompatibilityWorld) {
        let pact = ConsumerPact(consumer: "\(world.specification)-consumer", provider: "\(world.specification)-provider", specification: world.specification)
        world.consumerPact = pact
        world.builder = pact.uponReceiving("an interaction for the compatibility suite")
    }

    static func update(_ world: CompatibilityWorld, _ change: (InteractionBuilder) -> InteractionBuilder) throws {
        guard let builder = world.builder else { throw StepFailure("no interaction is being defined") }
        world.builder = change(builder)
    }

    static func firstInteraction(_ world: CompatibilityWorld) throws -> JSONValue {
        guard let first = world.writtenJSON?["interactions"]?.arrayValue?.first else { throw StepFailure("the pact file has no interactions") }
        return first
    }
}
