import Foundation
import NIOConcurrencyHelpers
import PactConsumer
import PactMatching
import PactModel

/// Steps of the message consumer features (V3 `message_consumer`, V4 `message_consumer`, `synchronous_message_consumer`
/// and `v4`): messages declared with the DSL, handed to a handler, and the pact file written.
enum MessageConsumerSteps {
    static let definitions: [StepDefinition] = [
        // Declaring a one-way message.
        StepDefinition("a message integration is being defined for a consumer test") { world, _, _ in
            beginMessage(world)
        },
        StepDefinition("a message interaction is being defined for a consumer test") { world, _, _ in
            beginMessage(world)
        },
        StepDefinition("the message payload contains the {string} JSON document") { world, arguments, _ in
            world.messages.contents = try pactBody(world, "file: \(arguments[0]).json")
        },
        StepDefinition("the message contains the following metadata:") { world, _, step in
            world.messages.metadata = try metadataTable(world, step)
        },
        StepDefinition("a provider state {string} for the message is specified") { world, arguments, _ in
            try updateMessage(world) { $0.given(arguments[0]) }
        },
        StepDefinition("a provider state {string} for the message is specified with the following data:") { world, arguments, step in
            let params = try stateParameters(world, step)
            try updateMessage(world) { $0.given(arguments[0], params) }
        },
        StepDefinition("a message is defined") { world, _, _ in
            world.messages.contents = world.messages.contents ?? .json(["message": "for the compatibility suite"])
        },
        StepDefinition("the message is configured with the following:") { world, _, step in
            world.messages.contents = try configured(world, try world.row(step), payload: MessagePayload(contents: world.messages.contents),
                                                     metadata: &world.messages.metadata).contents
        },
        StepDefinition("a key of {string} is specified for the message interaction") { world, arguments, _ in
            try updateMessage(world) { $0.key(arguments[0]) }
        },
        StepDefinition("the message interaction is marked as pending") { world, _, _ in
            try updateMessage(world) { $0.pending() }
        },
        StepDefinition("a comment {string} is added to the message interaction") { world, arguments, _ in
            try updateMessage(world) { $0.comment(arguments[0]) }
        },

        // Declaring a synchronous message interaction.
        StepDefinition("a synchronous message interaction is being defined for a consumer test") { world, _, _ in
            let pact = consumerPact(world)
            world.messages.synchronous = pact.synchronousMessage("a synchronous message for the compatibility suite")
        },
        StepDefinition("a key of {string} is specified for the synchronous message interaction") { world, arguments, _ in
            try updateSynchronous(world) { $0.key(arguments[0]) }
        },
        StepDefinition("the synchronous message interaction is marked as pending") { world, _, _ in
            try updateSynchronous(world) { $0.pending() }
        },
        StepDefinition("a comment {string} is added to the synchronous message interaction") { world, arguments, _ in
            try updateSynchronous(world) { $0.comment(arguments[0]) }
        },
        StepDefinition("a provider state {string} for the synchronous message is specified") { world, arguments, _ in
            try updateSynchronous(world) { $0.given(arguments[0]) }
        },
        StepDefinition("a provider state {string} for the synchronous message is specified with the following data:") { world, arguments, step in
            let params = try stateParameters(world, step)
            try updateSynchronous(world) { $0.given(arguments[0], params) }
        },
        StepDefinition("the message request payload contains the {string} JSON document") { world, arguments, _ in
            world.messages.request.contents = try pactBody(world, "file: \(arguments[0]).json")
        },
        StepDefinition("the message response payload contains the {string} document") { world, arguments, _ in
            world.messages.responses.append(MessagePayload(contents: try pactBody(world, arguments[0])))
        },
        StepDefinition("the message request contains the following metadata:") { world, _, step in
            world.messages.requestMetadata = try metadataTable(world, step)
        },
        StepDefinition("the message request is configured with the following:") { world, _, step in
            world.messages.request = try configured(world, try world.row(step), payload: world.messages.request, metadata: &world.messages.requestMetadata)
        },
        StepDefinition("the message response is configured with the following:") { world, _, step in
            var metadata: [String: PactValue] = [:]
            var response = try configured(world, try world.row(step), payload: MessagePayload(contents: nil), metadata: &metadata)
            response = MessagePayload(contents: response.contents, metadata: metadata)
            world.messages.responses.append(response)
        },

        // Running the consumer test.
        StepDefinition("the message is successfully processed") { world, _, _ in
            try await process(world, failure: nil)
        },
        StepDefinition("the message is NOT successfully processed with a {string} exception") { world, arguments, _ in
            try await process(world, failure: arguments[0])
        },
        StepDefinition("the consumer test will have passed") { world, _, _ in
            if let error = world.messages.error { throw StepFailure("the consumer test failed: \(error)") }
        },
        StepDefinition("the consumer test will have failed") { world, _, _ in
            guard world.messages.error != nil else { throw StepFailure("the consumer test passed") }
        },
        StepDefinition("the consumer test error will be {string}") { world, arguments, _ in
            let text = world.messages.error.map { "\($0)" } ?? ""
            guard text == arguments[0] else { throw StepFailure("the error is '\(text)'") }
        },
        StepDefinition("a Pact file for the message interaction will have been written") { world, _, _ in
            guard let file = try messagePactFile(world) else { throw StepFailure("no pact file was written") }
            world.writtenJSON = try JSONParser.parse([UInt8](try Data(contentsOf: file)))
        },
        StepDefinition("a Pact file for the message interaction will NOT have been written") { world, _, _ in
            if try messagePactFile(world) != nil { throw StepFailure("a pact file was written") }
        },

        // The received message.
        StepDefinition("the received message payload will contain the {string} JSON document") { world, arguments, _ in
            try expectContents(try received(world).contents, equal: try world.fixtureBytes("\(arguments[0]).json"), json: true)
        },
        StepDefinition("the received message payload will contain the {string} document") { world, arguments, _ in
            let (body, type) = try world.body(arguments[0], contentType: nil)
            try expectContents(try received(world).contents, equal: body.bytes, json: ContentType(type)?.isJSON == true)
        },
        StepDefinition("the received message content type will be {string}") { world, arguments, _ in
            let type = try received(world).contentType
            guard type == arguments[0] else { throw StepFailure("the content type is \(type ?? "missing")") }
        },
        StepDefinition("the received message metadata will contain {string} == {string}") { world, arguments, _ in
            try expectMetadata(try received(world).metadata, arguments[0], arguments[1])
        },
        StepDefinition("the received message request metadata will contain {string} == {string}") { world, arguments, _ in
            try expectMetadata(try exchange(world).request.metadata, arguments[0], arguments[1])
        },
        StepDefinition("the received message response metadata will contain {string} == {string}") { world, arguments, _ in
            try expectMetadata(try firstResponse(world).metadata, arguments[0], arguments[1])
        },
        StepDefinition("the received message metadata will contain {string} replaced with an {string}") { world, arguments, _ in
            try expectGenerated(try received(world).metadata[arguments[0]], type: arguments[1])
        },
        StepDefinition("the received message request metadata will contain {string} replaced with an {string}") { world, arguments, _ in
            try expectGenerated(try exchange(world).request.metadata[arguments[0]], type: arguments[1])
        },
        StepDefinition("the received message response metadata will contain {string} replaced with an {string}") { world, arguments, _ in
            try expectGenerated(try firstResponse(world).metadata[arguments[0]], type: arguments[1])
        },
        StepDefinition("the message contents for {string} will have been replaced with an {string}") { world, arguments, _ in
            try expectGenerated(try value(in: try received(world).json(), at: arguments[0]), type: arguments[1])
        },
        StepDefinition("the message request contents for {string} will have been replaced with an {string}") { world, arguments, _ in
            try expectGenerated(try value(in: try exchange(world).request.json(), at: arguments[0]), type: arguments[1])
        },
        StepDefinition("the message response contents for {string} will have been replaced with an {string}") { world, arguments, _ in
            try expectGenerated(try value(in: try firstResponse(world).json(), at: arguments[0]), type: arguments[1])
        },

        // The pact file.
        StepDefinition("the pact file will contain {int} message interaction(s)") { world, arguments, _ in
            let count = try messages(world).count
            guard count == (try ConsumerSteps.number(arguments[0])) else { throw StepFailure("the pact file has \(count) messages") }
        },
        StepDefinition("the pact file will contain {int} interaction(s)") { world, arguments, _ in
            let count = try messages(world).count
            guard count == (try ConsumerSteps.number(arguments[0])) else { throw StepFailure("the pact file has \(count) interactions") }
        },
        StepDefinition("the first message in the pact file will contain the {string} document") { world, arguments, _ in
            try expectDocument(try firstMessage(world), file: arguments[0], world: world)
        },
        StepDefinition("the first message in the pact file content type will be {string}") { world, arguments, _ in
            let type = contentType(of: try firstMessage(world))
            guard type == arguments[0] else { throw StepFailure("the content type is \(type ?? "missing")") }
        },
        StepDefinition("the first message in the pact file will contain the message metadata {string} == {string}") { world, arguments, _ in
            try expectMetadata(try firstMessage(world)["metadata"]?.objectValue ?? JSONObject(), arguments[0], arguments[1])
        },
        StepDefinition("the first message in the pact file will contain the request message metadata {string} == {string}") { world, arguments, _ in
            try expectMetadata(try firstMessage(world)["request"]?["metadata"]?.objectValue ?? JSONObject(), arguments[0], arguments[1])
        },
        StepDefinition("the first message in the pact file will contain {int} provider state(s)") { world, arguments, _ in
            let states = try firstMessage(world)["providerStates"]?.arrayValue ?? []
            guard states.count == (try ConsumerSteps.number(arguments[0])) else { throw StepFailure("the message has \(states.count) provider states") }
        },
        StepDefinition("the first message in the Pact file will contain provider state {string}") { world, arguments, _ in
            let names = (try firstMessage(world)["providerStates"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            guard names.contains(arguments[0]) else { throw StepFailure("the provider states are \(names)") }
        },
        StepDefinition("the provider state {string} for the message will contain the following parameters:") { world, arguments, step in
            let expected = try JSONParser.parse(try world.row(step)["parameters"] ?? "{}")
            let state = (try firstMessage(world)["providerStates"]?.arrayValue ?? []).first { $0["name"]?.stringValue == arguments[0] }
            guard let params = state?["params"], params == expected else { throw StepFailure("the parameters are \(state?["params"] ?? .null)") }
        },
        StepDefinition("the first interaction in the pact file will contain the {string} document as the request") { world, arguments, _ in
            try expectDocument(try firstMessage(world)["request"] ?? .null, file: arguments[0], world: world)
        },
        StepDefinition("the first interaction in the pact file request content type will be {string}") { world, arguments, _ in
            let type = contentType(of: try firstMessage(world)["request"] ?? .null)
            guard type == arguments[0] else { throw StepFailure("the request content type is \(type ?? "missing")") }
        },
        StepDefinition("the first interaction in the pact file will contain the {string} document as a response") { world, arguments, _ in
            try expectDocument(try response(world, 0), file: arguments[0], world: world)
        },
        StepDefinition("the first interaction in the pact file response content type will be {string}") { world, arguments, _ in
            let type = contentType(of: try response(world, 0))
            guard type == arguments[0] else { throw StepFailure("the response content type is \(type ?? "missing")") }
        },
        StepDefinition("the first interaction in the pact file will contain {int} response messages") { world, arguments, _ in
            let count = try firstMessage(world)["response"]?.arrayValue?.count ?? 0
            guard count == (try ConsumerSteps.number(arguments[0])) else { throw StepFailure("the interaction has \(count) response messages") }
        },
        StepDefinition("the first interaction in the pact file will contain the {string} document as the first response message") { world, arguments, _ in
            try expectDocument(try response(world, 0), file: arguments[0], world: world)
        },
        StepDefinition("the first interaction in the pact file will contain the {string} document as the second response message") { world, arguments, _ in
            try expectDocument(try response(world, 1), file: arguments[0], world: world)
        },
    ]

    // MARK: Declaring

    static func consumerPact(_ world: CompatibilityWorld) -> ConsumerPact {
        if let pact = world.consumerPact { return pact }
        let pact = ConsumerPact(consumer: "\(world.specification)-consumer", provider: "\(world.specification)-provider", specification: world.specification)
        world.consumerPact = pact
        return pact
    }

    static func beginMessage(_ world: CompatibilityWorld) {
        world.messages.builder = consumerPact(world).expectsToReceive("a message for the compatibility suite")
    }

    static func updateMessage(_ world: CompatibilityWorld, _ change: (MessageBuilder) -> MessageBuilder) throws {
        guard let builder = world.messages.builder else { throw StepFailure("no message is being defined") }
        world.messages.builder = change(builder)
    }

    static func updateSynchronous(_ world: CompatibilityWorld, _ change: (SynchronousMessageBuilder) -> SynchronousMessageBuilder) throws {
        guard let builder = world.messages.synchronous else { throw StepFailure("no synchronous message is being defined") }
        world.messages.synchronous = change(builder)
    }

    /// Registers what the builders collected: the one-way message with its contents and metadata, and the
    /// synchronous interaction with its request and responses.
    static func register(_ world: CompatibilityWorld) {
        if let builder = world.messages.builder {
            builder.withMetadata(world.messages.metadata).withContents(world.messages.contents)
            world.messages.builder = nil
        }
        if let builder = world.messages.synchronous {
            let request = world.messages.request
            builder.withRequest(contents: request.contents, metadata: world.messages.requestMetadata)
                .willRespondWith(world.messages.responses.isEmpty ? [MessagePayload(contents: nil)] : world.messages.responses)
            world.messages.synchronous = nil
        }
    }

    /// A body described as `file: name`, `JSON: …` or text, as the DSL's `PactBody`.
    static func pactBody(_ world: CompatibilityWorld, _ description: String) throws -> PactBody {
        let (body, type) = try world.body(description, contentType: nil)
        let contentType = ContentType(type)
        if contentType?.isJSON == true, let json = body.json { return .json(PactValue(json: json), contentType: type) }
        if contentType?.isXML == true { return .xml(body.text ?? "", contentType: type) }
        if contentType?.type == "text", let text = body.text { return .text(.string(text), contentType: type) }
        return .binary(body.bytes, contentType: type)
    }

    /// A `key | value` table; a value written `JSON: …` is JSON, any other a string.
    static func metadataTable(_ world: CompatibilityWorld, _ step: GherkinStep) throws -> [String: PactValue] {
        var metadata: [String: PactValue] = [:]
        for row in try world.rows(step) {
            guard let key = row["key"], let value = row["value"] else { continue }
            metadata[key] = try metadataValue(value)
        }
        return metadata
    }

    static func metadataValue(_ text: String) throws -> PactValue {
        text.hasPrefix("JSON:") ? PactValue(json: try JSONParser.parse(String(text.dropFirst(5)).trimmingCharacters(in: .whitespaces))) : .string(text)
    }

    static func stateParameters(_ world: CompatibilityWorld, _ step: GherkinStep) throws -> [String: PactValue] {
        var params: [String: PactValue] = [:]
        for (key, value) in try world.row(step) { params[key] = PactValue(json: try JSONParser.parse(value)) }
        return params
    }

    /// Applies a `body | generators | metadata` row: generators from a fixture are placed into the body and metadata
    /// as the DSL's generator values.
    static func configured(_ world: CompatibilityWorld, _ values: [String: String], payload: MessagePayload,
                           metadata: inout [String: PactValue]) throws -> MessagePayload {
        var result = payload
        var document: JSONValue?
        if let body = values["body"], !body.isEmpty {
            let compiled = try pactBody(world, body)
            result.contents = compiled
            document = try world.body(body, contentType: nil).0.json
        }
        if let text = values["metadata"], !text.isEmpty {
            for (key, value) in try JSONParser.parse(text).objectValue ?? JSONObject() { metadata[key] = PactValue(json: value) }
        }
        if let name = values["generators"], !name.isEmpty {
            let generators = try Generators(json: try world.fixtureJSON(name), source: name)
            if !generators.body.isEmpty {
                guard let json = document else { throw StepFailure("body generators need a JSON body") }
                var value = PactValue(json: json)
                for (path, generator) in generators.body {
                    let example = PactValue(json: try Self.value(in: json, at: path.description))
                    value = try placing(.generated(by: generator, example: example), at: path.tokens.dropFirst(), in: value)
                }
                result.contents = .json(value)
            }
            for (key, generator) in generators.metadata {
                metadata[key] = .generated(by: generator, example: metadata[key] ?? .null)
            }
        }
        return result
    }

    static func placing(_ replacement: PactValue, at tokens: ArraySlice<PathExpression.Token>, in value: PactValue) throws -> PactValue {
        guard let token = tokens.first else { return replacement }
        guard case .field(let name) = token, case .object(var members) = value,
              let index = members.firstIndex(where: { $0.key == name }) else {
            throw StepFailure("generators are supported at object fields only")
        }
        members[index].value = try placing(replacement, at: tokens.dropFirst(), in: members[index].value)
        return .object(members)
    }

    // MARK: Running

    static func process(_ world: CompatibilityWorld, failure: String?) async throws {
        let synchronous = world.messages.synchronous != nil
        register(world)
        guard let pact = world.consumerPact else { throw StepFailure("no message is being defined") }
        let output = PactOutput(directory: world.scratch.appendingPathComponent("message-pacts"))
        let captured = Captured()
        do {
            if synchronous {
                try await pact.verifySynchronousMessages(output: output) { exchange in
                    captured.exchange.withLockedValue { $0 = exchange }
                    if let failure { throw StepFailure(failure) }
                }
            } else {
                try await pact.verifyMessages(output: output) { message in
                    captured.message.withLockedValue { $0 = message }
                    if let failure { throw StepFailure(failure) }
                }
            }
        } catch {
            world.messages.error = error
        }
        world.messages.received = captured.message.withLockedValue { $0 }
        world.messages.exchange = captured.exchange.withLockedValue { $0 }
    }

    static func messagePactFile(_ world: CompatibilityWorld) throws -> URL? {
        let folder = world.scratch.appendingPathComponent("message-pacts")
        let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        return files.first { $0.pathExtension == "json" }
    }

    // MARK: Checking

    static func received(_ world: CompatibilityWorld) throws -> ReceivedMessage {
        if let message = world.messages.received { return message }
        if world.messages.exchange != nil { return try firstResponse(world) }
        throw StepFailure("the handler received no message\(world.messages.error.map { ": \($0)" } ?? "")")
    }

    static func exchange(_ world: CompatibilityWorld) throws -> SynchronousMessageExchange {
        guard let exchange = world.messages.exchange else { throw StepFailure("the handler received no synchronous message") }
        return exchange
    }

    static func firstResponse(_ world: CompatibilityWorld) throws -> ReceivedMessage {
        guard let first = try exchange(world).responses.first else { throw StepFailure("the exchange has no response message") }
        return first
    }

    static func messages(_ world: CompatibilityWorld) throws -> [JSONValue] {
        guard let json = world.writtenJSON else { throw StepFailure("no pact file was read") }
        return json["messages"]?.arrayValue ?? json["interactions"]?.arrayValue ?? []
    }

    static func firstMessage(_ world: CompatibilityWorld) throws -> JSONValue {
        guard let first = try messages(world).first else { throw StepFailure("the pact file has no messages") }
        return first
    }

    static func response(_ world: CompatibilityWorld, _ index: Int) throws -> JSONValue {
        let responses = try firstMessage(world)["response"]?.arrayValue ?? []
        guard index < responses.count else { throw StepFailure("the interaction has \(responses.count) response messages") }
        return responses[index]
    }

    /// The contents of a message in the pact file as bytes: V3 `contents` is the document itself, V4 wraps it.
    static func contents(of message: JSONValue) -> (bytes: [UInt8], json: JSONValue?) {
        let contents = message["contents"] ?? .null
        if let content = contents["content"] {
            if contents["encoded"]?.boolValue == true || contents["encoded"]?.stringValue != nil, let text = content.stringValue,
               let data = Data(base64Encoded: text) {
                return ([UInt8](data), nil)
            }
            if let text = content.stringValue { return (Array(text.utf8), try? JSONParser.parse(Array(text.utf8))) }
            return (JSONWriter.bytes(content, style: .compact), content)
        }
        if let text = contents.stringValue { return (Array(text.utf8), try? JSONParser.parse(Array(text.utf8))) }
        return (JSONWriter.bytes(contents, style: .compact), contents)
    }

    static func contentType(of message: JSONValue) -> String? {
        message["contents"]?["contentType"]?.stringValue ?? message["metadata"]?["contentType"]?.stringValue
    }

    static func expectDocument(_ message: JSONValue, file: String, world: CompatibilityWorld) throws {
        let description = file.hasPrefix("file:") || file.hasPrefix("JSON:") ? file : "file: \(file)"
        let (body, type) = try world.body(description, contentType: nil)
        let written = contents(of: message)
        if ContentType(type)?.isJSON == true {
            guard let json = written.json, json == body.json else { throw StepFailure("the contents are \(String(decoding: written.bytes, as: UTF8.self))") }
        } else if written.bytes != body.bytes {
            throw StepFailure("the contents are \(String(decoding: written.bytes.prefix(200), as: UTF8.self))")
        }
    }

    static func expectContents(_ actual: [UInt8], equal expected: [UInt8], json: Bool) throws {
        if json {
            guard (try? JSONParser.parse(actual)) == (try? JSONParser.parse(expected)) else {
                throw StepFailure("the contents are \(String(decoding: actual, as: UTF8.self))")
            }
        } else if actual != expected {
            throw StepFailure("the contents are \(String(decoding: actual.prefix(200), as: UTF8.self))")
        }
    }

    static func expectMetadata(_ metadata: JSONObject, _ key: String, _ expected: String) throws {
        let wanted: JSONValue = expected.hasPrefix("JSON:") ? try JSONParser.parse(String(expected.dropFirst(5)).trimmingCharacters(in: .whitespaces))
            : .string(expected)
        guard let value = metadata[key] else { throw StepFailure("the metadata has no '\(key)': \(metadata)") }
        guard value == wanted else { throw StepFailure("metadata '\(key)' is \(value)") }
    }

    /// The value is of the generated type; the suite's examples are strings, so an integer means it was replaced.
    static func expectGenerated(_ value: JSONValue?, type: String) throws {
        guard let value else { throw StepFailure("the value is missing") }
        switch type {
        case "integer":
            guard case .number(let number) = value, number.isInteger else { throw StepFailure("\(value) is not an integer") }
        default:
            throw StepFailure("no check for '\(type)' values")
        }
    }

    static func value(in json: JSONValue, at path: String) throws -> JSONValue {
        let expression = try PathExpression(parsing: path)
        var current = json
        for token in expression.tokens.dropFirst() {
            guard case .field(let name) = token, let next = current[name] else { throw StepFailure("nothing at \(path)") }
            current = next
        }
        return current
    }
}

/// What the handler received, kept across its closure.
final class Captured: Sendable {
    let message = NIOLockedValueBox<ReceivedMessage?>(nil)
    let exchange = NIOLockedValueBox<SynchronousMessageExchange?>(nil)
}
