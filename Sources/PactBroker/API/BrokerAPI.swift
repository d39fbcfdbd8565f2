import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import PactModel

/// The Pact Broker HTTP API over the broker's database.
struct BrokerAPI: Sendable {
    let database: BrokerDatabase
    let options: BrokerOptions
    /// Sends webhook test executions within the webhook policy.
    let webhookSender: WebhookSender

    /// Every route of the API and the UI.
    func makeRouter(ui: BrokerUI) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: DeclaredLengthMiddleware(maxBodyBytes: options.maxBodyBytes))
        router.add(middleware: AuthMiddleware(configuration: options.auth, database: database, state: options.authState))
        addIndexRoutes(to: router)
        addPacticipantRoutes(to: router)
        addVersionRoutes(to: router)
        addPublishRoutes(to: router)
        addPactRoutes(to: router)
        addVerificationRoutes(to: router)
        addEnvironmentRoutes(to: router)
        addDeploymentRoutes(to: router)
        addMatrixRoutes(to: router)
        addPactsForVerificationRoutes(to: router)
        addWebhookRoutes(to: router)
        addBadgeRoutes(to: router)
        addProviderStateRoutes(to: router)
        addUIRoutes(to: router, ui: ui)
        return router
    }

    // MARK: Request helpers

    /// The URL prefix for links: the configured base URL, else what the client addressed.
    func links(for request: Request) -> Links {
        if let base = options.baseURL { return Links(base: base) }
        let host = request.head.authority ?? "localhost:\(options.port)"
        let scheme = request.headers[HTTPField.Name("X-Forwarded-Proto")!] ?? "http"
        return Links(base: "\(scheme)://\(host)")
    }

    /// A path parameter, percent-decoded; a pacticipant's name also in NFC, the form names are stored in.
    func parameter(_ context: BasicRequestContext, _ name: String) throws -> String {
        guard let raw = context.parameters.get(name) else { throw BrokerError.badRequest("the path has no \(name)") }
        guard let decoded = raw.removingPercentEncoding else {
            throw BrokerError.badRequest("the \(name) '\(raw)' in the path is not valid percent-encoding")
        }
        return ["pacticipant", "consumer", "provider"].contains(name) ? Store.canonical(decoded) : decoded
    }

    /// The request body as a JSON object; an empty body reads as `{}`. 415 for a body that is not declared as JSON,
    /// 400 for JSON that does not parse or is not an object.
    func jsonBody(_ request: Request) async throws -> JSONObject {
        var request = request
        let buffer = try await request.collectBody(upTo: options.maxBodyBytes)
        let bytes = Array(buffer.readableBytesView)
        let type = request.headers[.contentType]
        // Checked before an empty body counts as `{}`: a web page can send form or text POSTs to another site
        // without asking first, but not JSON, so requiring JSON keeps other sites' pages from writing here.
        if let type, !BrokerAPI.isJSON(type) { throw BrokerError.unsupportedMediaType(type) }
        if type == nil && request.method == .post { throw BrokerError.unsupportedMediaType(nil) }
        if bytes.allSatisfy(BrokerAPI.isWhitespace) { return JSONObject() }
        let value: JSONValue
        do throws(JSONParseError) {
            value = try JSONParser.parse(bytes)
        } catch {
            throw BrokerError.badRequest("the request body is not valid JSON: \(error.reason) at line \(error.line), column \(error.column)")
        }
        guard case .object(let object) = value else {
            throw BrokerError.badRequest("the request body must be a JSON object, not \(value.typeName.lowercased())")
        }
        return object
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    static func isJSON(_ contentType: String) -> Bool {
        let media = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return media == "application/json" || media == "application/hal+json" || media == "application/merge-patch+json" || media.hasSuffix("+json")
    }

    /// The query string's parameters, percent-decoded, in order (keys may repeat).
    static func queryItems(_ request: Request) -> [(key: String, value: String)] {
        guard let query = request.uri.query, !query.isEmpty else { return [] }
        return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    static func query(_ request: Request, _ name: String) -> String? {
        queryItems(request).first { $0.key == name }?.value
    }

    /// A whole-number query parameter within `range`; `fallback` when absent or empty, 400 naming the parameter
    /// when it is not a number or out of range (so no arithmetic on it can overflow).
    static func integerQuery(_ request: Request, _ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = query(request, name), !text.isEmpty else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw BrokerError.invalid(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text.prefix(40))'")
        }
        return value
    }
}

// MARK: JSON field readers

extension JSONObject {
    /// A string field; nil when absent or null; 400 when it has another type.
    func string(_ key: String) throws -> String? {
        switch self[key] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        case let other?: throw BrokerError.invalid(key, "must be a string, not \(other.typeName.lowercased())")
        }
    }

    func bool(_ key: String) throws -> Bool? {
        switch self[key] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        case .string("true")?: return true
        case .string("false")?: return false
        case let other?: throw BrokerError.invalid(key, "must be true or false, not \(other.typeName.lowercased())")
        }
    }

    func requiredString(_ key: String) throws -> String {
        guard let value = try string(key), !value.isEmpty else { throw BrokerError.invalid(key, "is required") }
        return value
    }
}

/// Checks a pacticipant, version, branch, tag or environment name.
func validateName(_ value: String, field: String) throws {
    if value.isEmpty { throw BrokerError.invalid(field, "must not be empty") }
    if value.count > 255 { throw BrokerError.invalid(field, "must be at most 255 characters long") }
    if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
        throw BrokerError.invalid(field, "must not contain control characters")
    }
}
