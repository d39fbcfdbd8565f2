import Foundation

/// A pact read from a document, with what was ignored while reading it.
public struct LoadedPact: Sendable {
    /// The pact, upgraded in memory to V4 semantics.
    public var pact: Pact
    /// Unknown or unsupported things that were ignored.
    public var warnings: [PactWarning]
}

/// Reads pact documents of spec V1, V1.1, V2, V3 and V4.
public struct PactReader: Sendable {
    /// The maximum nesting depth of the JSON document.
    public var maxDepth: Int

    /// Creates a reader.
    public init(maxDepth: Int = JSONParser.defaultMaxDepth) {
        self.maxDepth = maxDepth
    }

    /// Reads a pact file.
    public func read(contentsOf url: URL) throws(PactLoadError) -> LoadedPact {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw PactLoadError(source: url.path, path: "$", problem: "the file could not be read", hint: "check that it exists and is readable")
        }
        return try read([UInt8](data), source: url.path)
    }

    /// Reads a pact from JSON bytes; `source` names the origin in errors.
    public func read(_ bytes: [UInt8], source: String) throws(PactLoadError) -> LoadedPact {
        let json: JSONValue
        do { json = try JSONParser(maxDepth: maxDepth).parse(bytes) } catch {
            throw PactLoadError(source: source, path: error.path, problem: "not valid JSON: \(error.reason) at line \(error.line), column \(error.column)")
        }
        return try read(json, source: source)
    }

    /// Reads a pact from a JSON value.
    public func read(_ json: JSONValue, source: String) throws(PactLoadError) -> LoadedPact {
        var document = PactDocumentReader(source: source)
        let pact = try document.read(JSONCursor(json, source: source))
        return LoadedPact(pact: pact, warnings: document.warnings)
    }
}

struct PactDocumentReader {
    let source: String
    var warnings: [PactWarning] = []
    /// One rules reader for the whole document, so repeated regexes and formats are compiled once.
    var rulesReader = MatchingRulesReader()

    static let knownTopLevel: Set<String> = ["consumer", "provider", "interactions", "messages", "metadata"]

    mutating func read(_ root: JSONCursor) throws(PactLoadError) -> Pact {
        let object = try root.object()
        let specification = try detectSpecification(root)
        guard let consumerCursor = root.child("consumer") else {
            throw root.error("the required attribute 'consumer' is missing", hint: "add \"consumer\": {\"name\": \"...\"}")
        }
        guard let providerCursor = root.child("provider") else {
            throw root.error("the required attribute 'provider' is missing", hint: "add \"provider\": {\"name\": \"...\"}")
        }
        let consumer = try consumerCursor.requiredString("name")
        let provider = try providerCursor.requiredString("name")

        var interactions: [Interaction] = []
        if let list = root.child("interactions") {
            for item in try list.array() {
                if let interaction = try readInteraction(item, specification: specification) { interactions.append(interaction) }
            }
        }
        if let list = root.child("messages") {
            for item in try list.array() {
                interactions.append(.asynchronousMessage(try readV3Message(item, specification: specification)))
            }
        }

        var metadata = JSONObject()
        if let metadataCursor = root.child("metadata") {
            metadata = try metadataCursor.object()
            for key in ["pactSpecification", "pact-specification", "pactSpecificationVersion"] { metadata[key] = nil }
        }
        var unknown = JSONObject()
        for (key, value) in object where !PactDocumentReader.knownTopLevel.contains(key) {
            unknown[key] = value
            warnings.append(PactWarning(path: "$" + PathExpression.renderField(key), message: "kept the unknown attribute '\(key)'"))
        }
        return Pact(consumer: consumer, provider: provider, interactions: interactions, metadata: metadata,
                    specification: specification, unknownAttributes: unknown)
    }

    private mutating func detectSpecification(_ root: JSONCursor) throws(PactLoadError) -> PactSpecification {
        let metadata = root.child("metadata")
        let candidates: [JSONCursor?] = [
            metadata?.child("pactSpecification")?.child("version"),
            metadata?.child("pact-specification")?.child("version"),
            metadata?.child("pactSpecificationVersion"),
        ]
        for case let cursor? in candidates {
            let text = cursor.value.plainText
            guard let version = PactSpecification(parsing: text) else {
                throw cursor.error("unknown Pact specification version '\(text)'", hint: "supported versions are 1.0.0, 1.1.0, 2.0.0, 3.0.0 and 4.0")
            }
            return version
        }
        // No version: infer it from the content, as other Pact tools do.
        if root.value["messages"] != nil { return .v3 }
        if let items = root.value["interactions"]?.arrayValue, items.contains(where: { $0["type"] != nil }) { return .v4 }
        warnings.append(PactWarning(path: "$.metadata", message: "no specification version is given; reading the pact as V2"))
        return .v2
    }

    // MARK: Interactions

    private mutating func readInteraction(_ cursor: JSONCursor, specification: PactSpecification) throws(PactLoadError) -> Interaction? {
        _ = try cursor.object()
        let type = specification >= .v4 ? (try cursor.optionalString("type") ?? "Synchronous/HTTP") : "Synchronous/HTTP"
        switch type {
        case "Synchronous/HTTP":
            return .http(try readHTTPInteraction(cursor, specification: specification))
        case "Asynchronous/Messages":
            var info = try readInfo(cursor, specification: specification, known: ["contents", "metadata", "matchingRules", "generators"])
            info.unknownAttributes["type"] = nil
            return .asynchronousMessage(AsynchronousMessage(info: info, message: try readMessageContents(cursor, specification: specification)))
        case "Synchronous/Messages":
            let info = try readInfo(cursor, specification: specification, known: ["request", "response"])
            guard let requestCursor = cursor.child("request") else { throw cursor.error("a Synchronous/Messages interaction needs a 'request'") }
            let request = try readMessageContents(requestCursor, specification: specification)
            var responses: [MessageContents] = []
            if let responseCursor = cursor.child("response") {
                for item in try responseCursor.array() { responses.append(try readMessageContents(item, specification: specification)) }
            }
            return .synchronousMessages(SynchronousMessages(info: info, request: request, responses: responses))
        default:
            warnings.append(PactWarning(path: cursor.path, message: "skipped an interaction of the unknown type '\(type)'"))
            return nil
        }
    }

    mutating func readInfo(_ cursor: JSONCursor, specification: PactSpecification, known: Set<String>) throws(PactLoadError) -> InteractionInfo {
        let object = try cursor.object()
        let description = try cursor.requiredString("description", hint: "every interaction needs a description")
        var states: [ProviderState] = []
        if let statesCursor = cursor.child("providerStates") {
            for item in try statesCursor.array() {
                let name = try item.requiredString("name")
                let params = try item.child("params").map { params throws(PactLoadError) in try params.object() } ?? JSONObject()
                states.append(ProviderState(name, params: params))
            }
        } else if let state = cursor.child("providerState") ?? cursor.child("provider_state"), !state.value.isNull {
            states.append(ProviderState(try state.string()))
        }
        let key = try cursor.optionalString("key")
        let pending = try cursor.child("pending").map { flag throws(PactLoadError) in try flag.bool() } ?? false
        let comments = try cursor.child("comments").map { comments throws(PactLoadError) in try comments.object() } ?? JSONObject()
        let common: Set<String> = ["description", "providerStates", "providerState", "provider_state", "key", "pending", "comments", "type", "_id"]
        var unknown = JSONObject()
        for (name, value) in object where !common.contains(name) && !known.contains(name) {
            unknown[name] = value
            if !["pluginConfiguration", "interactionMarkup", "transport"].contains(name) {
                warnings.append(PactWarning(path: cursor.path + PathExpression.renderField(name), message: "kept the unknown attribute '\(name)'"))
            }
        }
        if let id = object["_id"] { unknown["_id"] = id }
        return InteractionInfo(description: description, providerStates: states, key: key, pending: pending, comments: comments, unknownAttributes: unknown)
    }

    private mutating func readHTTPInteraction(_ cursor: JSONCursor, specification: PactSpecification) throws(PactLoadError) -> HTTPInteraction {
        let info = try readInfo(cursor, specification: specification, known: ["request", "response"])
        guard let requestCursor = cursor.child("request") else {
            throw cursor.error("the required attribute 'request' is missing")
        }
        guard let responseCursor = cursor.child("response") else {
            throw cursor.error("the required attribute 'response' is missing")
        }
        return HTTPInteraction(info: info, request: try readRequest(requestCursor, specification: specification),
                               response: try readResponse(responseCursor, specification: specification))
    }

    private mutating func readRequest(_ cursor: JSONCursor, specification: PactSpecification) throws(PactLoadError) -> HTTPRequest {
        _ = try cursor.object()
        // A request without a method is a GET, as in the reference implementation (the specification's test cases
        // leave it out).
        let method = try cursor.optionalString("method") ?? "GET"
        guard !method.isEmpty, method.allSatisfy({ $0.isLetter || $0 == "-" || $0 == "_" }) else {
            throw (cursor.child("method") ?? cursor).error("'\(method)' is not an HTTP method")
        }
        let path = try cursor.optionalString("path") ?? "/"
        var request = HTTPRequest(method: method, path: path)
        if let queryCursor = cursor.child("query"), !queryCursor.value.isNull {
            switch queryCursor.value {
            case .string(let raw):
                request.query = QueryParameters(parsing: raw)
                if specification <= .v1_1 { request.rawQuery = raw }
            case .object:
                request.query = try readQueryMap(queryCursor)
            default:
                throw queryCursor.error("expected the query as a string or an object of names to values")
            }
        }
        request.headers = try readHeaders(cursor.child("headers"))
        request.body = try readBody(cursor.child("body"), headers: request.headers, specification: specification)
        if let rules = cursor.child("matchingRules") {
            request.matchingRules = try rulesReader.read(rules, specification: specification)
            warnings += rulesReader.takeWarnings()
        }
        if let generators = cursor.child("generators") {
            var reader = GeneratorsReader()
            request.generators = try reader.read(generators)
            warnings += reader.warnings
        }
        return request
    }

    private mutating func readResponse(_ cursor: JSONCursor, specification: PactSpecification) throws(PactLoadError) -> HTTPResponse {
        _ = try cursor.object()
        var response = HTTPResponse()
        if let statusCursor = cursor.child("status") {
            let status = try statusCursor.int()
            guard (100...999).contains(status) else { throw statusCursor.error("\(status) is not an HTTP status code", hint: "use a value from 100 to 999") }
            response.status = status
        }
        response.headers = try readHeaders(cursor.child("headers"))
        response.body = try readBody(cursor.child("body"), headers: response.headers, specification: specification)
        if let rules = cursor.child("matchingRules") {
            response.matchingRules = try rulesReader.read(rules, specification: specification)
            warnings += rulesReader.takeWarnings()
        }
        if let generators = cursor.child("generators") {
            var reader = GeneratorsReader()
            response.generators = try reader.read(generators)
            warnings += reader.warnings
        }
        return response
    }

    private func readQueryMap(_ cursor: JSONCursor) throws(PactLoadError) -> QueryParameters {
        var query = QueryParameters()
        for (name, value) in try cursor.object() {
            switch value {
            case .array(let items):
                for item in items { query.add(name, item.isNull ? nil : item.plainText) }
            case .null:
                query.add(name, nil)
            default:
                query.add(name, value.plainText)
            }
        }
        return query
    }

    private func readHeaders(_ cursor: JSONCursor?) throws(PactLoadError) -> HTTPHeaders {
        guard let cursor, !cursor.value.isNull else { return HTTPHeaders() }
        var headers = HTTPHeaders()
        for (name, value) in try cursor.object() {
            switch value {
            case .array(let items):
                for item in items { headers.add(name, item.plainText) }
            default:
                headers.add(name, value.plainText)
            }
        }
        return headers
    }
}
