import Foundation

/// Why a pact cannot be written in the requested version.
public struct PactWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What cannot be represented and what to do instead.
    public var reason: String

    /// The reason.
    public var description: String { reason }
}

/// Writes pacts as JSON in a chosen specification version, byte-stable (sorted keys, two-space indent).
public struct PactWriter: Sendable {
    /// The name and version written into the metadata, such as `pactctl` and `0.1.0`.
    public var tool: (name: String, version: String)?

    /// Creates a writer.
    public init(tool: (name: String, version: String)? = nil) {
        self.tool = tool
    }

    /// The file contents for a pact: pretty JSON with a final newline.
    public func bytes(for pact: Pact, as specification: PactSpecification) throws(PactWriteError) -> (bytes: [UInt8], warnings: [PactWarning]) {
        let (json, warnings) = try document(for: pact, as: specification)
        return (JSONWriter.bytes(json, style: .pretty) + [0x0A], warnings)
    }

    /// A message in the V4 form (`contents`, `metadata`, `matchingRules`, `generators`), as a verifier sends the
    /// request message of a synchronous message interaction to the provider.
    public static func json(of message: MessageContents) -> JSONValue {
        .object(PactEncoder(specification: .v4).encodeV4Message(message))
    }

    /// The JSON document for a pact, with warnings for what the version could not hold.
    public func document(for pact: Pact, as specification: PactSpecification) throws(PactWriteError) -> (json: JSONValue, warnings: [PactWarning]) {
        var encoder = PactEncoder(specification: specification)
        let json = try encoder.encode(pact, tool: tool)
        return (json, encoder.warnings)
    }
}

struct PactEncoder {
    let specification: PactSpecification
    var warnings: [PactWarning] = []

    init(specification: PactSpecification) {
        self.specification = specification
    }

    mutating func encode(_ pact: Pact, tool: (name: String, version: String)?) throws(PactWriteError) -> JSONValue {
        var root = pact.unknownAttributes
        root["consumer"] = ["name": .string(pact.consumer)]
        root["provider"] = ["name": .string(pact.provider)]
        let http = pact.interactions.compactMap(\.http)
        let messages = pact.interactions.compactMap { interaction -> AsynchronousMessage? in
            if case .asynchronousMessage(let message) = interaction { return message }
            return nil
        }
        if specification >= .v4 {
            root["interactions"] = .array(pact.interactions.enumerated().map { encodeV4($0.element, index: $0.offset) })
        } else {
            let syncMessages = pact.interactions.count - http.count - messages.count
            if syncMessages > 0 {
                throw PactWriteError(reason: "synchronous message interactions need spec V4; write the pact as V4")
            }
            if !messages.isEmpty && !http.isEmpty {
                throw PactWriteError(reason: "this pact mixes HTTP interactions and messages, which only spec V4 can hold; write it as V4")
            }
            if !messages.isEmpty {
                guard specification == .v3 else {
                    throw PactWriteError(reason: "message pacts need spec V3 or V4; write the pact as V3 or V4")
                }
                root["messages"] = .array(messages.enumerated().map { encodeV3Message($0.element, index: $0.offset) })
            } else {
                root["interactions"] = .array(http.enumerated().map { encodeLegacyHTTP($0.element, index: $0.offset) })
            }
        }
        var metadata = pact.metadata
        switch specification {
        case .v1, .v1_1:
            metadata["pactSpecificationVersion"] = .string(specification.versionString)
        case .v2:
            metadata["pactSpecification"] = ["version": .string(specification.versionString)]
        case .v3, .v4:
            metadata["pactSpecification"] = ["version": .string(specification.versionString)]
        }
        if let tool {
            metadata[tool.name] = ["version": .string(tool.version)]
        }
        root["metadata"] = .object(metadata)
        return .object(root)
    }

    // MARK: V4

    private mutating func encodeV4(_ interaction: Interaction, index: Int) -> JSONValue {
        var object = interaction.info.unknownAttributes
        object["_id"] = nil
        let info = interaction.info
        object["type"] = .string(interaction.typeName)
        object["description"] = .string(info.description)
        if let key = info.key { object["key"] = .string(key) }
        object["pending"] = .bool(info.pending)
        if !info.providerStates.isEmpty { object["providerStates"] = encodeStates(info.providerStates) }
        if !info.comments.isEmpty { object["comments"] = .object(info.comments) }
        switch interaction {
        case .http(let http):
            object["request"] = encodeV4Request(http.request)
            object["response"] = encodeV4Response(http.response)
        case .asynchronousMessage(let message):
            for (key, value) in encodeV4Message(message.message) { object[key] = value }
        case .synchronousMessages(let messages):
            object["request"] = .object(encodeV4Message(messages.request))
            object["response"] = .array(messages.responses.map { .object(encodeV4Message($0)) })
        }
        return .object(object)
    }

    private func encodeV4Request(_ request: HTTPRequest) -> JSONValue {
        var object = JSONObject()
        object["method"] = .string(request.method)
        object["path"] = .string(request.path)
        if !request.query.isEmpty {
            var query = JSONObject()
            for entry in request.query { query[entry.name] = .array(entry.values.map { $0.map(JSONValue.string) ?? .null }) }
            object["query"] = .object(query)
        }
        if !request.headers.isEmpty { object["headers"] = encodeHeaderLists(request.headers) }
        if let body = encodeV4Body(request.body) { object["body"] = body }
        if !request.matchingRules.isEmpty { object["matchingRules"] = MatchingRulesWriter.v3(request.matchingRules) }
        if !request.generators.isEmpty { object["generators"] = GeneratorsWriter.json(request.generators) }
        return .object(object)
    }

    private func encodeV4Response(_ response: HTTPResponse) -> JSONValue {
        var object = JSONObject()
        object["status"] = .number(JSONNumber(response.status))
        if !response.headers.isEmpty { object["headers"] = encodeHeaderLists(response.headers) }
        if let body = encodeV4Body(response.body) { object["body"] = body }
        if !response.matchingRules.isEmpty { object["matchingRules"] = MatchingRulesWriter.v3(response.matchingRules) }
        if !response.generators.isEmpty { object["generators"] = GeneratorsWriter.json(response.generators) }
        return .object(object)
    }

    func encodeV4Message(_ message: MessageContents) -> JSONObject {
        var object = JSONObject()
        object["contents"] = encodeV4Body(message.contents) ?? ["content": ""]
        if !message.metadata.isEmpty { object["metadata"] = .object(message.metadata) }
        if !message.matchingRules.isEmpty { object["matchingRules"] = MatchingRulesWriter.v3(message.matchingRules) }
        if !message.generators.isEmpty { object["generators"] = GeneratorsWriter.json(message.generators) }
        return object
    }

    private func encodeV4Body(_ body: Body) -> JSONValue? {
        switch body.state {
        case .missing: return nil
        case .null: return ["content": .null]
        case .present: break
        }
        var object = JSONObject()
        let contentType = body.contentType
        if let contentType { object["contentType"] = .string(contentType.description) }
        if let json = body.json, contentType?.isJSON ?? true {
            object["content"] = json
            object["encoded"] = false
        } else if let text = body.text, !(contentType?.isBinary ?? false) {
            object["content"] = .string(text)
            object["encoded"] = false
        } else {
            object["content"] = .string(Data(body.bytes).base64EncodedString())
            object["encoded"] = "base64"
        }
        return .object(object)
    }

    private func encodeHeaderLists(_ headers: HTTPHeaders) -> JSONValue {
        var object = JSONObject()
        for entry in headers { object[entry.name] = .array(entry.values.map(JSONValue.string)) }
        return .object(object)
    }

    private func encodeStates(_ states: [ProviderState]) -> JSONValue {
        .array(states.map { state in
            var object: JSONObject = ["name": .string(state.name)]
            if !state.params.isEmpty { object["params"] = .object(state.params) }
            return .object(object)
        })
    }

    // MARK: V1–V3

    private mutating func encodeLegacyHTTP(_ interaction: HTTPInteraction, index: Int) -> JSONValue {
        var object = interaction.info.unknownAttributes
        for key in ["pluginConfiguration", "interactionMarkup", "transport"] { object[key] = nil }
        let path = "$.interactions[\(index)]"
        object["description"] = .string(interaction.info.description)
        if specification >= .v3 {
            if !interaction.info.providerStates.isEmpty { object["providerStates"] = encodeStates(interaction.info.providerStates) }
        } else if let first = interaction.info.providerStates.first {
            object["providerState"] = .string(first.name)
            if interaction.info.providerStates.count > 1 || !first.params.isEmpty {
                warnings.append(PactWarning(path: path, message: "\(specification) holds one provider state without parameters; only '\(first.name)' was written"))
            }
        }
        if interaction.info.pending || interaction.info.key != nil || !interaction.info.comments.isEmpty {
            warnings.append(PactWarning(path: path, message: "pending, key and comments need spec V4 and were not written"))
        }

        let request = interaction.request
        var requestObject: JSONObject = ["method": .string(request.method), "path": .string(request.path)]
        if specification >= .v3 {
            if !request.query.isEmpty {
                var query = JSONObject()
                for entry in request.query { query[entry.name] = .array(entry.values.map { .string($0 ?? "") }) }
                requestObject["query"] = .object(query)
            }
        } else if let raw = request.rawQuery {
            requestObject["query"] = .string(raw)
        } else if !request.query.isEmpty {
            requestObject["query"] = .string(request.query.encoded)
        }
        if !request.headers.isEmpty { requestObject["headers"] = encodeHeaderStrings(request.headers) }
        if let body = encodeLegacyBody(request.body, path: path + ".request.body") { requestObject["body"] = body }
        encodeLegacyRules(request.matchingRules, generators: request.generators, into: &requestObject, path: path + ".request")
        object["request"] = .object(requestObject)

        let response = interaction.response
        var responseObject: JSONObject = ["status": .number(JSONNumber(response.status))]
        if !response.headers.isEmpty { responseObject["headers"] = encodeHeaderStrings(response.headers) }
        if let body = encodeLegacyBody(response.body, path: path + ".response.body") { responseObject["body"] = body }
        encodeLegacyRules(response.matchingRules, generators: response.generators, into: &responseObject, path: path + ".response")
        object["response"] = .object(responseObject)
        return .object(object)
    }

    private mutating func encodeLegacyRules(_ rules: MatchingRules, generators: Generators, into object: inout JSONObject, path: String) {
        switch specification {
        case .v1, .v1_1:
            if !rules.isEmpty { warnings.append(PactWarning(path: path, message: "\(specification) has no matching rules; they were not written")) }
        case .v2:
            let (json, dropped) = MatchingRulesWriter.v2(rules)
            if let json { object["matchingRules"] = json }
            for name in dropped { warnings.append(PactWarning(path: path, message: "the \(name) rule needs spec V3 or later and was not written")) }
        case .v3, .v4:
            if !rules.isEmpty { object["matchingRules"] = MatchingRulesWriter.v3(rules) }
        }
        if !generators.isEmpty {
            if specification >= .v3 {
                object["generators"] = GeneratorsWriter.json(generators)
            } else {
                warnings.append(PactWarning(path: path, message: "generators need spec V3 or later and were not written"))
            }
        }
    }

    private mutating func encodeV3Message(_ message: AsynchronousMessage, index: Int) -> JSONValue {
        var object = message.info.unknownAttributes
        object["description"] = .string(message.info.description)
        if !message.info.providerStates.isEmpty { object["providerStates"] = encodeStates(message.info.providerStates) }
        object["contents"] = encodeLegacyBody(message.message.contents, path: "$.messages[\(index)].contents") ?? ""
        object["metadata"] = .object(message.message.metadata)
        if !message.message.matchingRules.isEmpty { object["matchingRules"] = MatchingRulesWriter.v3(message.message.matchingRules) }
        if !message.message.generators.isEmpty { object["generators"] = GeneratorsWriter.json(message.message.generators) }
        return .object(object)
    }

    private mutating func encodeLegacyBody(_ body: Body, path: String) -> JSONValue? {
        switch body.state {
        case .missing: return nil
        case .null: return .null
        case .present: break
        }
        if let json = body.json { return json }
        if let text = body.text { return .string(text) }
        warnings.append(PactWarning(path: path, message: "binary content was written as base64 text, since \(specification) has no binary bodies"))
        return .string(Data(body.bytes).base64EncodedString())
    }

    private func encodeHeaderStrings(_ headers: HTTPHeaders) -> JSONValue {
        var object = JSONObject()
        for entry in headers { object[entry.name] = .string(entry.values.joined(separator: ", ")) }
        return .object(object)
    }
}
