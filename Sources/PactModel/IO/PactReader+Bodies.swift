import Foundation

extension PactDocumentReader {
    /// Reads a body: a JSON value (V1–V3) or a `{content, contentType, encoded}` object (V4).
    mutating func readBody(_ cursor: JSONCursor?, headers: HTTPHeaders, specification: PactSpecification) throws(PactLoadError) -> Body {
        guard let cursor else { return .missing }
        let headerType = headers.first("Content-Type").flatMap(ContentType.init)
        if specification >= .v4, case .object(let object) = cursor.value, object.contains("content") || object.isEmpty || object.contains("encoded") {
            return try readV4Body(cursor, fallbackType: headerType)
        }
        return readLegacyBody(cursor.value, contentType: headerType)
    }

    /// V1–V3 bodies are embedded JSON; a string is text unless the content type says JSON.
    func readLegacyBody(_ value: JSONValue, contentType: ContentType?) -> Body {
        switch value {
        case .null:
            return .null
        case .string(let text):
            // An empty string is an empty body whatever the content type, as in the reference implementation and
            // the specification's test cases, not the two-byte JSON text `""`.
            if text.isEmpty { return Body(text: "", contentType: contentType) }
            if let contentType, contentType.isJSON { return Body(json: value, contentType: contentType) }
            // Before V4 a binary body can only be written as base64 text; read it back as the bytes it stands for.
            if let contentType, contentType.isBinary, let data = Data(base64Encoded: text, options: [.ignoreUnknownCharacters]), !data.isEmpty {
                return Body(bytes: [UInt8](data), contentType: contentType)
            }
            return Body(text: text, contentType: contentType)
        default:
            return Body(json: value, contentType: contentType.flatMap { $0.isJSON ? $0 : nil } ?? contentType ?? .json)
        }
    }

    mutating func readV4Body(_ cursor: JSONCursor, fallbackType: ContentType?) throws(PactLoadError) -> Body {
        guard let content = cursor.child("content") else { return .missing }
        var contentType = fallbackType
        if let declared = try cursor.optionalString("contentType") {
            guard let parsed = ContentType(declared) else {
                throw (cursor.child("contentType") ?? cursor).error("'\(declared)' is not a media type", hint: "use type/subtype, such as application/json")
            }
            contentType = parsed
        }
        var encoding = "none"
        if let encoded = cursor.child("encoded") {
            switch encoded.value {
            case .bool(let flag): encoding = flag ? "base64" : "none"
            case .string(let name): encoding = name.lowercased()
            case .null: encoding = "none"
            default: throw encoded.error("expected false, \"base64\" or \"json\"")
            }
        }
        switch encoding {
        case "base64":
            let text = try content.string()
            guard let data = Data(base64Encoded: text, options: [.ignoreUnknownCharacters]) else {
                throw content.error("the content is marked base64 but is not valid base64")
            }
            return Body(bytes: [UInt8](data), contentType: contentType)
        case "json":
            if case .string(let text) = content.value {
                do { return Body(json: try JSONParser.parse(text), contentType: contentType ?? .json) } catch {
                    throw content.error("the content is marked json but is not valid JSON: \(error.reason)")
                }
            }
            return Body(json: content.value, contentType: contentType ?? .json)
        case "none", "false", "utf8", "text":
            if content.value.isNull { return .null }
            if case .string(let text) = content.value, text.isEmpty { return Body(text: "", contentType: contentType) }
            if case .string(let text) = content.value, !(contentType?.isJSON ?? false) {
                return Body(text: text, contentType: contentType)
            }
            return Body(json: content.value, contentType: contentType ?? .json)
        default:
            throw (cursor.child("encoded") ?? cursor).error("'\(encoding)' is not a known body encoding", hint: "use false, \"base64\" or \"json\"")
        }
    }

    /// A V3 message: contents are embedded JSON, typed by the metadata's content type.
    mutating func readV3Message(_ cursor: JSONCursor, specification: PactSpecification) throws(PactLoadError) -> AsynchronousMessage {
        let info = try readInfo(cursor, specification: specification, known: ["contents", "metadata", "matchingRules", "generators"])
        return AsynchronousMessage(info: info, message: try readMessageContents(cursor, specification: specification))
    }

    /// Message contents with metadata, rules and generators, in V3 or V4 form.
    mutating func readMessageContents(_ cursor: JSONCursor, specification: PactSpecification) throws(PactLoadError) -> MessageContents {
        _ = try cursor.object()
        var message = MessageContents()
        if let metadata = cursor.child("metadata"), !metadata.value.isNull {
            message.metadata = try metadata.object()
        }
        let metadataType = (message.metadata["contentType"] ?? message.metadata["content-type"] ?? message.metadata["Content-Type"])
            .flatMap { $0.stringValue }.flatMap(ContentType.init)
        if let contents = cursor.child("contents") {
            if specification >= .v4, case .object(let object) = contents.value, object.contains("content") || object.isEmpty {
                message.contents = try readV4Body(contents, fallbackType: metadataType)
            } else {
                message.contents = readLegacyBody(contents.value, contentType: metadataType)
            }
        }
        if let rules = cursor.child("matchingRules") {
            message.matchingRules = try rulesReader.read(rules, specification: max(specification, .v3))
            warnings += rulesReader.takeWarnings()
            // V3 message pacts name the body category "body"; V4 may call it "content".
            if !message.matchingRules["content"].isEmpty && message.matchingRules.body.isEmpty {
                message.matchingRules.body = message.matchingRules["content"]
                message.matchingRules["content"] = RuleCategory()
            }
        }
        if let generators = cursor.child("generators") {
            var reader = GeneratorsReader()
            message.generators = try reader.read(generators)
            warnings += reader.warnings
        }
        return message
    }
}
