import Foundation
import PactModel

/// Checks HTTP requests and responses against an OpenAPI document's operations.
public struct OpenAPIValidator: Sendable {
    /// The document.
    public let document: OpenAPIDocument
    private let schemas = JSONSchemaValidator()

    /// Creates a validator for a document.
    public init(_ document: OpenAPIDocument) {
        self.document = document
    }

    /// Where a request lands: its operation, or why there is none.
    public enum Route: Sendable {
        /// The operation and the values of its path parameters.
        case operation(OpenAPIDocument.Operation, pathParameters: [String: String])
        /// A path of the document, but not with this method; the methods it has.
        case methodNotAllowed(allowed: [String])
        /// No path of the document.
        case notFound
    }

    /// Finds the operation for a method and path; literal segments win over parameters, as OpenAPI says.
    public func route(method: String, path: String) -> Route {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var best: (operation: OpenAPIDocument.Operation, parameters: [String: String], literals: Int)?
        var allowed: [String] = []
        for operation in document.operations {
            let template = operation.segments
            guard template.count == segments.count else { continue }
            var parameters: [String: String] = [:]
            var literals = 0
            var fits = true
            for (part, actual) in zip(template, segments) {
                if let literal = part.literal {
                    if literal != actual { fits = false; break }
                    literals += 1
                } else if let name = part.parameter {
                    parameters[name] = actual.removingPercentEncoding ?? actual
                }
            }
            guard fits else { continue }
            guard operation.method == method.uppercased() else {
                allowed.append(operation.method)
                continue
            }
            if best == nil || literals > (best?.literals ?? 0) { best = (operation, parameters, literals) }
        }
        if let best { return .operation(best.operation, pathParameters: best.parameters) }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
    }

    /// The problems with a request for an operation: parameters, and the body against its media type's schema.
    public func problems(request: HTTPRequest, operation: OpenAPIDocument.Operation, pathParameters: [String: String]) -> [String] {
        var problems: [String] = []
        for parameter in operation.parameters {
            let values: [String]
            switch parameter.location {
            case "path": values = pathParameters[parameter.name].map { [$0] } ?? []
            case "query": values = request.query[parameter.name]?.map { $0 ?? "" } ?? []
            case "header": values = request.headers[parameter.name] ?? []
            default: continue
            }
            guard let value = values.first else {
                if parameter.required || parameter.location == "path" { problems.append("\(parameter.location) parameter '\(parameter.name)' is required but missing") }
                continue
            }
            if let schema = parameter.schema {
                let typed = OpenAPIValidator.typed(value, for: schema)
                problems += schemas.validate(typed, against: schema, at: "\(parameter.location) parameter '\(parameter.name)'")
            }
        }
        if let body = operation.requestBody {
            problems += bodyProblems(request.body, contentType: request.headers.first("Content-Type"), required: body.required,
                                     content: body.content, side: "request body")
        }
        return problems
    }

    /// The problems with a response to an operation: its status must be documented, and its body fit the schema.
    public func problems(response: HTTPResponse, operation: OpenAPIDocument.Operation) -> [String] {
        guard let documented = OpenAPIValidator.response(for: response.status, in: operation) else {
            let statuses = operation.responses.map(\.status).joined(separator: ", ")
            return ["status \(response.status) is not documented for \(operation.method) \(operation.path) (it documents \(statuses))"]
        }
        if documented.content.isEmpty { return [] }
        return bodyProblems(response.body, contentType: response.headers.first("Content-Type"), required: false, content: documented.content,
                            side: "response body")
    }

    /// The documented response for a status: the exact code, then its range (`2XX`), then `default`.
    static func response(for status: Int, in operation: OpenAPIDocument.Operation) -> OpenAPIDocument.Response? {
        let code = String(status)
        let range = "\(status / 100)XX"
        return operation.responses.first { $0.status == code }?.response
            ?? operation.responses.first { $0.status.uppercased() == range }?.response
            ?? operation.responses.first { $0.status == "default" }?.response
    }

    private func bodyProblems(_ body: Body, contentType header: String?, required: Bool,
                              content: [(mediaType: String, schema: JSONValue?, example: JSONValue?)], side: String) -> [String] {
        guard body.hasContent else { return required ? ["\(side) is required but missing"] : [] }
        let type = header.flatMap(ContentType.init) ?? body.contentType
        let essence = type?.essence ?? "application/json"
        guard let media = OpenAPIValidator.media(essence, in: content) else {
            return ["\(side): the content type '\(essence)' is not documented (it documents \(content.map(\.mediaType).joined(separator: ", ")))"]
        }
        guard let schema = media.schema else { return [] }
        guard essence.hasSuffix("json") || essence.hasSuffix("+json") else { return [] }
        guard let json = body.json ?? (try? JSONParser.parse(body.bytes)) else { return ["\(side) is not valid JSON"] }
        return schemas.validate(json, against: schema).map { "\(side) \($0)" }
    }

    /// The documented media type for a content type: exact, then `type/*`, then `*/*`.
    static func media(_ essence: String, in content: [(mediaType: String, schema: JSONValue?, example: JSONValue?)])
        -> (mediaType: String, schema: JSONValue?, example: JSONValue?)? {
        let lowered = essence.lowercased()
        let family = lowered.split(separator: "/").first.map { "\($0)/*" } ?? ""
        return content.first { $0.mediaType.lowercased().split(separator: ";").first.map(String.init) == lowered }
            ?? content.first { $0.mediaType.lowercased() == family }
            ?? content.first { $0.mediaType == "*/*" }
    }

    /// A parameter's text as the JSON its schema expects (`"7"` as the integer 7, `"true"` as true).
    static func typed(_ text: String, for schema: JSONValue) -> JSONValue {
        let types = JSONSchemaValidator.types(schema["type"]) ?? []
        if types.contains("integer") || types.contains("number"), let number = JSONNumber(literal: text) { return .number(number) }
        if types.contains("boolean"), text == "true" || text == "false" { return .bool(text == "true") }
        if types.contains("array") { return .array(text.split(separator: ",").map { .string(String($0)) }) }
        return .string(text)
    }
}
