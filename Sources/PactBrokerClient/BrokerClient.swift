import Foundation
import PactHTTP
import PactModel

/// A HAL resource from the broker: its JSON and its links.
public struct HALResource: Sendable {
    public let url: String
    public let json: JSONValue

    /// The href of a single link, or of the first of a link array.
    public func href(_ relation: String) -> String? {
        let value = json["_links"]?[relation]
        return value?["href"]?.stringValue ?? value?.arrayValue?.first?["href"]?.stringValue
    }

    /// Every link of a relation, as (name, href).
    public func links(_ relation: String) -> [(name: String?, href: String)] {
        guard let value = json["_links"]?[relation] else { return [] }
        let items = value.arrayValue ?? [value]
        return items.compactMap { item in item["href"]?.stringValue.map { (item["name"]?.stringValue, $0) } }
    }

    /// The relations present, for error messages.
    public var relations: [String] {
        json["_links"]?.objectValue?.keys ?? []
    }

    /// The href of a relation, or an error naming what is there instead.
    public func require(_ relation: String) throws(BrokerClientError) -> String {
        guard let href = href(relation) else { throw .missingRelation(relation, url: url, available: relations) }
        return href
    }
}

/// A client for the Pact Broker HTTP API over PactHTTP: it follows links from the index rather than building paths,
/// authenticates, and retries what is worth retrying.
public final class BrokerClient: Sendable {
    public let configuration: BrokerClientConfiguration
    private let http: HTTPClient

    public init(configuration: BrokerClientConfiguration) {
        self.configuration = configuration
        http = HTTPClient(configuration: HTTPClientConfiguration(requestTimeout: configuration.requestTimeout,
                                                                connectTimeout: min(configuration.requestTimeout, .seconds(10))))
    }

    deinit {
        http.shutdown()
    }

    /// The broker's index.
    public func index() async throws(BrokerClientError) -> HALResource {
        try await get(configuration.baseURL + "/")
    }

    /// Expands `{name}` placeholders with percent-encoded values, as the official clients do.
    public static func expand(_ template: String, _ values: [String: String]) -> String {
        var result = template
        for (name, value) in values {
            result = result.replacingOccurrences(of: "{\(name)}", with: segment(value))
        }
        return result
    }

    /// A path segment with everything but unreserved characters percent-encoded.
    public static func segment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// Resolves a link href against the configured base URL: only its path and query are used, so a broker behind
    /// a proxy that writes another host into its links still works.
    public func resolve(_ href: String) -> String {
        let origin = BrokerClient.origin(of: configuration.baseURL)
        if href.hasPrefix("http://") || href.hasPrefix("https://") {
            guard let components = URLComponents(string: href) else { return href }
            return origin + components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
        }
        return href.hasPrefix("/") ? origin + href : configuration.baseURL + "/" + href
    }

    /// `scheme://host[:port]` of a URL.
    static func origin(of url: String) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.percentEncodedHost else { return url }
        return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }

    public func get(_ href: String) async throws(BrokerClientError) -> HALResource {
        try await send("GET", href, body: nil)
    }

    public func post(_ href: String, _ body: JSONValue) async throws(BrokerClientError) -> HALResource {
        try await send("POST", href, body: body)
    }

    public func put(_ href: String, _ body: JSONValue) async throws(BrokerClientError) -> HALResource {
        try await send("PUT", href, body: body)
    }

    public func patch(_ href: String, _ body: JSONValue) async throws(BrokerClientError) -> HALResource {
        try await send("PATCH", href, body: body, contentType: "application/merge-patch+json")
    }

    /// GET that answers nil for 404 instead of failing.
    public func getIfPresent(_ href: String) async throws(BrokerClientError) -> HALResource? {
        do {
            return try await get(href)
        } catch {
            if case .rejected(404, _, _) = error { return nil }
            throw error
        }
    }

    /// Sends a request, retrying 5xx, 408, 429 and unreachable brokers with backoff; any other error status throws
    /// with the broker's own message.
    public func send(_ method: String, _ href: String, body: JSONValue?, contentType: String = "application/json") async throws(BrokerClientError) -> HALResource {
        let url = resolve(href)
        var headers: [(name: String, value: String)] = [("Accept", "application/hal+json, application/json")]
        if body != nil { headers.append(("Content-Type", contentType)) }
        switch configuration.authentication {
        case .none: break
        case .basic(let username, let password):
            headers.append(("Authorization", "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()))
        case .bearer(let token):
            headers.append(("Authorization", "Bearer \(token)"))
        }
        headers += configuration.headers
        let request = HTTPClientRequest(method: method, url: url, headers: headers, body: body.map { JSONWriter.bytes($0, style: .compact) })
        var delay = configuration.retryDelay
        var lastFailure = BrokerClientError.unreachable(url: url, reason: "no attempt was made")
        for attempt in 1...configuration.attempts {
            let response: HTTPClientResponse
            do {
                response = try await http.send(request)
            } catch {
                if case .invalidURL = error { throw .invalidConfiguration("the URL \(url) is not valid") }
                lastFailure = .unreachable(url: url, reason: "\(error)")
                if attempt < configuration.attempts { try? await Task.sleep(for: delay); delay = min(delay * 2, .seconds(4)) }
                continue
            }
            if response.status >= 500 || response.status == 429 || response.status == 408 {
                lastFailure = .rejected(status: response.status, url: url, message: BrokerClient.message(from: response))
                if attempt < configuration.attempts {
                    let retryAfter = response.header("Retry-After").flatMap(Double.init).map { Duration.milliseconds(Int($0 * 1000)) }
                    try? await Task.sleep(for: min(retryAfter ?? delay, .seconds(30)))
                    delay = min(delay * 2, .seconds(4))
                }
                continue
            }
            guard (200..<300).contains(response.status) else {
                throw .rejected(status: response.status, url: url, message: BrokerClient.message(from: response))
            }
            if response.body.isEmpty { return HALResource(url: url, json: .object(JSONObject())) }
            do {
                return HALResource(url: url, json: try JSONParser.parse(response.body))
            } catch {
                throw .invalidResponse(url: url, reason: "the body is not JSON (\(error.reason))")
            }
        }
        throw lastFailure
    }

    /// The broker's explanation from an error body: `errors` (object or array), `error.message` or the notices.
    static func message(from response: HTTPClientResponse) -> String {
        guard let json = try? JSONParser.parse(response.body) else {
            let text = response.bodyText?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            return text.isEmpty ? "no details given" : String(text.prefix(300))
        }
        var parts: [String] = []
        if case .object(let errors)? = json["errors"] {
            for (field, value) in errors {
                for message in value.arrayValue ?? [value] { parts.append("\(field) \(message.stringValue ?? JSONWriter.compactString(message))") }
            }
        } else if let errors = json["errors"]?.arrayValue {
            parts += errors.map { $0.stringValue ?? JSONWriter.compactString($0) }
        }
        if let message = json["error"]?["message"]?.stringValue { parts.append(message) }
        if parts.isEmpty, let notices = json["notices"]?.arrayValue {
            parts += notices.compactMap { $0["text"]?.stringValue }
        }
        return parts.isEmpty ? JSONWriter.compactString(json) : parts.joined(separator: "; ")
    }
}
