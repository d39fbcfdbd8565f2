import Foundation
import OpenAPIKit
import OpenAPIKit30
import OpenAPIKitCompat
import PactModel
import Yams

/// Why an OpenAPI document cannot be used.
public struct OpenAPIError: Error, Sendable, CustomStringConvertible {
    /// The document's path.
    public var source: String
    /// What is wrong and how to fix it.
    public var problem: String

    public var description: String { "\(source): \(problem)" }
}

/// An OpenAPI 3.0 or 3.1 document (YAML or JSON), read with OpenAPIKit, its references resolved, and reduced to what
/// validation and a mock need: operations with their parameters, request bodies and responses, schemas as JSON.
public struct OpenAPIDocument: Sendable {
    /// One method on one path.
    public struct Operation: Sendable {
        public var method: String
        /// The path template, such as `/accounts/{accountId}`.
        public var path: String
        public var operationId: String?
        public var parameters: [Parameter]
        public var requestBody: RequestBody?
        /// Responses by status (`200`, `2XX` or `default`), in document order.
        public var responses: [(status: String, response: Response)]

        /// The template's segments; `nil` where a segment is a parameter, with its name.
        var segments: [(literal: String?, parameter: String?)] {
            path.split(separator: "/", omittingEmptySubsequences: true).map { segment in
                if segment.hasPrefix("{") && segment.hasSuffix("}") { return (nil, String(segment.dropFirst().dropLast())) }
                return (String(segment), nil)
            }
        }
    }

    /// A parameter in the path, query, a header or a cookie.
    public struct Parameter: Sendable {
        public var name: String
        public var location: String
        public var required: Bool
        public var schema: JSONValue?
    }

    /// A request body: whether it is required, and its schema per media type.
    public struct RequestBody: Sendable {
        public var required: Bool
        public var content: [(mediaType: String, schema: JSONValue?, example: JSONValue?)]
    }

    /// A response: its media types with their schema and an example when the document gives one.
    public struct Response: Sendable {
        public var description: String
        public var content: [(mediaType: String, schema: JSONValue?, example: JSONValue?)]
    }

    /// The document's title and version.
    public var title: String
    public var version: String
    /// Every operation, in document order.
    public var operations: [Operation]

    /// Reads a document from a file: YAML or JSON, OpenAPI 3.0.x or 3.1.x.
    public init(contentsOf path: String) throws(OpenAPIError) {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw OpenAPIError(source: path, problem: "the file could not be read as UTF-8 text; check the path")
        }
        try self.init(text: text, source: path)
    }

    /// The most nodes, and scalar bytes, a document may expand to: far above real API descriptions (the largest
    /// public ones have a few hundred thousand nodes), far below what would exhaust memory.
    static let maxExpandedNodes = 2_000_000
    static let maxExpandedScalarBytes = 64 << 20

    /// Why the document is too large once its aliases are expanded, or nil. Aliased nodes share storage after
    /// composing, so this walk is the first thing that would grow with the expansion; it stops at the budget.
    static func expansionProblem(_ root: Node) -> String? {
        var nodes = 0, bytes = 0
        var pending: [Node] = [root]
        while let node = pending.popLast() {
            nodes += 1
            if nodes > maxExpandedNodes || bytes > maxExpandedScalarBytes {
                return "the document expands to more than \(maxExpandedNodes) nodes or \(maxExpandedScalarBytes >> 20) MiB of text " +
                    "through YAML aliases (&anchor/*alias); write the repeated parts once with $ref instead"
            }
            switch node {
            case .scalar(let scalar): bytes += scalar.string.utf8.count
            case .mapping(let mapping):
                for (key, value) in mapping {
                    pending.append(key)
                    pending.append(value)
                }
            case .sequence(let sequence): pending.append(contentsOf: sequence)
            case .alias: break
            }
        }
        return nil
    }

    /// Reads a document from its text; `source` names it in errors.
    public init(text: String, source: String) throws(OpenAPIError) {
        let raw: Any?
        do {
            // YAML aliases can make a few hundred bytes stand for gigabytes ("billion laughs"): measure the document as
            // it would be expanded, within a budget, before anything expands it.
            if let node = try Yams.compose(yaml: text), let problem = OpenAPIDocument.expansionProblem(node) {
                throw OpenAPIError(source: source, problem: problem)
            }
            raw = try Yams.load(yaml: text)
        } catch let error as OpenAPIError {
            throw error
        } catch {
            throw OpenAPIError(source: source, problem: "not valid YAML or JSON: \(error)")
        }
        guard let root = raw as? [String: Any] else { throw OpenAPIError(source: source, problem: "the document must be a mapping with an 'openapi' field") }
        guard let versionText = (root["openapi"] as? String) ?? (root["openapi"].map { "\($0)" }) else {
            if root["swagger"] != nil { throw OpenAPIError(source: source, problem: "Swagger 2.0 is not supported; convert it to OpenAPI 3 first") }
            throw OpenAPIError(source: source, problem: "the 'openapi' field is missing; give the OpenAPI version, such as openapi: 3.0.3")
        }
        let document: OpenAPIKit.OpenAPI.Document
        do {
            if versionText.hasPrefix("3.0") {
                document = try YAMLDecoder().decode(OpenAPIKit30.OpenAPI.Document.self, from: text).convert(to: .v3_1_1)
            } else if versionText.hasPrefix("3.1") || versionText.hasPrefix("3.2") {
                document = try YAMLDecoder().decode(OpenAPIKit.OpenAPI.Document.self, from: text)
            } else {
                throw OpenAPIError(source: source, problem: "OpenAPI \(versionText) is not supported; use 3.0 or 3.1")
            }
        } catch let error as OpenAPIError {
            throw error
        } catch {
            throw OpenAPIError(source: source, problem: "not a valid OpenAPI document: \(OpenAPIDocument.describe(error))")
        }
        let dereferenced: OpenAPIKit.DereferencedDocument
        do { dereferenced = try document.locallyDereferenced() } catch {
            throw OpenAPIError(source: source, problem: "a $ref cannot be resolved: \(OpenAPIDocument.describe(error))")
        }
        title = document.info.title
        version = document.info.version
        var operations: [Operation] = []
        for (path, item) in dereferenced.paths {
            for endpoint in item.endpoints {
                let parameters = (item.parameters + endpoint.operation.parameters).map { (parameter: OpenAPIKit.DereferencedParameter) -> Parameter in
                    Parameter(name: parameter.name, location: parameter.location.rawValue, required: parameter.required,
                              schema: parameter.schemaOrContent.a.flatMap { OpenAPIDocument.json($0.schema.jsonSchema) })
                }
                let body = endpoint.operation.requestBody.map { request in
                    RequestBody(required: request.underlyingRequest.required, content: OpenAPIDocument.contents(request.content))
                }
                let responses = endpoint.operation.responses.map { status, response in
                    (status.rawValue, Response(description: response.underlyingResponse.description ?? "", content: OpenAPIDocument.contents(response.content)))
                }
                operations.append(Operation(method: endpoint.method.rawValue.uppercased(), path: "/" + path.components.joined(separator: "/"),
                                            operationId: endpoint.operation.operationId, parameters: parameters, requestBody: body, responses: responses))
            }
        }
        self.operations = operations
    }

    private static func contents(_ map: OpenAPIKit.DereferencedContent.Map) -> [(mediaType: String, schema: JSONValue?, example: JSONValue?)] {
        map.map { type, content in
            let example: JSONValue? = content.example.flatMap { json($0) } ?? content.examples?.values.first.flatMap { $0.dataValue.flatMap { json($0) } }
            return (type.rawValue, content.schema.flatMap { json($0.jsonSchema) }, example)
        }
    }

    /// Anything Encodable (a schema, an example) as our JSON value.
    static func json<Value: Encodable>(_ value: Value) -> JSONValue? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(value) else { return nil }
        return try? JSONParser.parse(Array(data))
    }

    private static func describe(_ error: any Error) -> String {
        if let decoding = error as? DecodingError {
            switch decoding {
            case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
                if let underlying = context.underlyingError { return describe(underlying) }
                return "\(context.debugDescription) at \(location(context.codingPath))"
            case .keyNotFound(let key, let context):
                return "the key '\(key.stringValue)' is missing at \(location(context.codingPath))"
            @unknown default:
                return "\(decoding)"
            }
        }
        return "\(error)"
    }

    private static func location(_ path: [any CodingKey]) -> String {
        path.isEmpty ? "the top level" : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
