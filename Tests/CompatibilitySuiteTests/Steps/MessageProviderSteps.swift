import Foundation
import PactMockServer
import PactModel
import PactVerifier

/// Steps of the message provider features (V3 and V4 `message_provider`): a stand-in provider that produces named
/// messages over HTTP, as the verifier asks for them, and message pacts to verify against it.
enum MessageProviderSteps {
    static let definitions: [StepDefinition] = [
        StepDefinition("a provider is started that can generate the {string} message with {string}") { world, arguments, _ in
            try produce(world, name: arguments[0], body: arguments[1], metadata: JSONObject())
        },
        StepDefinition("a provider is started that can generate the {string} message with {string} and the following metadata:") { world, arguments, step in
            var metadata = JSONObject()
            for row in try world.rows(step) {
                guard let key = row["key"], let value = row["value"] else { continue }
                metadata[key] = try metadataValue(value)
            }
            try produce(world, name: arguments[0], body: arguments[1], metadata: metadata)
        },
        StepDefinition("a Pact file for {string}:{string} is to be verified") { world, arguments, _ in
            try addPact(world, try message(world, name: arguments[0], body: arguments[1]))
        },
        StepDefinition("a Pact file for {string}:{string} is to be verified with provider state {string}") { world, arguments, _ in
            var chosen = try message(world, name: arguments[0], body: arguments[1])
            chosen.info.providerStates = [ProviderState(arguments[2])]
            try addPact(world, chosen)
        },
        StepDefinition("a Pact file for {string}:{string} is to be verified with the following metadata:") { world, arguments, step in
            var chosen = try message(world, name: arguments[0], body: arguments[1])
            for row in try world.rows(step) {
                guard let key = row["key"], let value = row["value"] else { continue }
                chosen.message.metadata[key] = try metadataValue(value)
            }
            try addPact(world, chosen)
        },
        StepDefinition("a Pact file for {string} is to be verified with the following:") { world, arguments, step in
            var values: [String: String] = [:]
            for row in step.table ?? [] where row.count >= 2 { values[row[0]] = row[1] }
            var chosen = try message(world, name: arguments[0], body: values["body"] ?? "EMPTY")
            if let rules = values["matching rules"], !rules.isEmpty { chosen.message.matchingRules = try world.matchingRules(rules) }
            for entry in (values["metadata"] ?? "").split(separator: ";") {
                let pair = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2 else { continue }
                chosen.message.metadata[pair[0]] = try metadataValue(pair[1])
            }
            try addPact(world, chosen)
        },
        StepDefinition("a Pact file for {string}:{string} is to be verified, but is marked pending") { world, arguments, _ in
            var chosen = try message(world, name: arguments[0], body: arguments[1])
            chosen.info.pending = true
            try addPact(world, chosen)
        },
        StepDefinition("a Pact file for {string}:{string} is to be verified with the following comments:") { world, arguments, step in
            var chosen = try message(world, name: arguments[0], body: arguments[1])
            var texts: [JSONValue] = []
            for row in try world.rows(step) {
                if row["type"] == "testname" { chosen.info.comments["testname"] = .string(row["comment"] ?? "") } else { texts.append(.string(row["comment"] ?? "")) }
            }
            chosen.info.comments["text"] = .array(texts)
            try addPact(world, chosen)
        },
    ]

    static func metadataValue(_ text: String) throws -> JSONValue {
        text.hasPrefix("JSON:") ? try JSONParser.parse(String(text.dropFirst(5)).trimmingCharacters(in: .whitespaces)) : .string(text)
    }

    /// Records what the stand-in provider produces for a message name: the contents, and the metadata with the content type.
    static func produce(_ world: CompatibilityWorld, name: String, body description: String, metadata: JSONObject) throws {
        let (body, type) = try world.body(description, contentType: nil)
        var all: JSONObject = ["contentType": .string(type)]
        for (key, value) in metadata { all[key] = value }
        world.messages.produced[name] = ProducedMessage(contents: body.bytes, contentType: type, metadata: all)
    }

    /// The message a pact expects for a name: its contents, with the content type as metadata.
    static func message(_ world: CompatibilityWorld, name: String, body description: String) throws -> AsynchronousMessage {
        let (body, type) = try world.body(description, contentType: nil)
        return AsynchronousMessage(info: InteractionInfo(description: name),
                                   message: MessageContents(contents: body, metadata: ["contentType": .string(type)]))
    }

    static func addPact(_ world: CompatibilityWorld, _ message: AsynchronousMessage) throws {
        let folder = world.scratch.appendingPathComponent("pacts-\(world.pactFiles.count)")
        let pact = Pact(consumer: "c", provider: "p", interactions: [.asynchronousMessage(message)], specification: world.specification)
        world.pactFiles.append(try PactFileWriter(directory: folder, specification: world.specification).write(pact))
    }

    /// Starts the stand-in provider: a mock server that answers the verifier's POST for each message of the pacts
    /// under test (`{"description": …, "providerStates": […]}`, exactly) with the produced message, its content type
    /// and its metadata in `Pact-Message-Metadata`. A request for a message it cannot produce gets the mock server's 500.
    static func startStandIn(_ world: CompatibilityWorld) async throws {
        var served: [Interaction] = []
        for file in world.pactFiles {
            let pact = try PactReader().read(contentsOf: file).pact
            for interaction in pact.interactions {
                guard case .asynchronousMessage(let expected) = interaction, let produced = world.messages.produced[expected.info.description] else { continue }
                var body: JSONObject = ["description": .string(expected.info.description)]
                if !expected.info.providerStates.isEmpty {
                    body["providerStates"] = .array(expected.info.providerStates.map { .object(["name": .string($0.name)]) })
                }
                let request = HTTPRequest(method: "POST", path: "/", headers: ["Content-Type": "application/json"], body: Body(json: .object(body), contentType: .json))
                var headers: HTTPHeaders = ["Content-Type": produced.contentType ?? "text/plain"]
                headers.add("Pact-Message-Metadata", Data(JSONWriter.bytes(.object(produced.metadata), style: .compact)).base64EncodedString())
                let response = HTTPResponse(status: 200, headers: headers, body: Body(bytes: produced.contents, contentType: produced.contentType.flatMap(ContentType.init)))
                served.append(.http(HTTPInteraction(info: InteractionInfo(description: "produce \(expected.info.description)"), request: request, response: response)))
            }
        }
        let server = MockServer(pact: Pact(consumer: "verifier", provider: "stand-in", interactions: served))
        try await server.start()
        world.mockServer = server
    }
}
