import Foundation
import PactModel

/// The events a webhook can listen to.
enum WebhookEvent: String, Sendable, CaseIterable {
    case contractPublished = "contract_published"
    case contractContentChanged = "contract_content_changed"
    case contractRequiringVerificationPublished = "contract_requiring_verification_published"
    case providerVerificationPublished = "provider_verification_published"
    case providerVerificationSucceeded = "provider_verification_succeeded"
    case providerVerificationFailed = "provider_verification_failed"
}

/// The HTTP request a webhook sends; URL, headers and body may use `${pactbroker.*}` parameters.
struct WebhookRequest: Sendable, Equatable {
    var method: String
    var url: String
    var headers: [(name: String, value: String)]
    var body: JSONValue?
    var username: String?
    var password: String?

    static func == (lhs: WebhookRequest, rhs: WebhookRequest) -> Bool {
        lhs.method == rhs.method && lhs.url == rhs.url && lhs.body == rhs.body && lhs.username == rhs.username && lhs.password == rhs.password
            && lhs.headers.map { "\($0.name):\($0.value)" } == rhs.headers.map { "\($0.name):\($0.value)" }
    }

    /// The stored form (secrets included: the database is the broker's own).
    var stored: JSONValue {
        var object: JSONObject = ["method": .string(method), "url": .string(url)]
        var headerObject = JSONObject()
        for header in headers { headerObject[header.name] = .string(header.value) }
        object["headers"] = .object(headerObject)
        if let body { object["body"] = body }
        if let username { object["username"] = .string(username) }
        if let password { object["password"] = .string(password) }
        return .object(object)
    }

    /// The form shown through the API: passwords and authorization headers are masked.
    var shown: JSONValue {
        guard case .object(var object) = stored else { return stored }
        if password != nil { object["password"] = "**********" }
        object["url"] = .string(WebhookRequest.maskedURL(url))
        var headerObject = JSONObject()
        for header in headers {
            headerObject[header.name] = .string(WebhookRequest.isSecret(header.name) ? "**********" : header.value)
        }
        object["headers"] = .object(headerObject)
        return .object(object)
    }

    /// Headers whose values are never shown: any name containing authorization, token, secret, cookie, signature,
    /// key or password (`Proxy-Authorization`, `Set-Cookie`, `X-Hub-Signature`, `X-Api-Key`, …).
    static func isSecret(_ header: String) -> Bool {
        let lowered = header.lowercased()
        return ["authorization", "token", "secret", "cookie", "signature", "key", "password", "auth"].contains { lowered.contains($0) }
    }

    /// The URL with the password of its user information masked (`https://ci:**********@host/…`).
    static func maskedURL(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let authorityEnd = url[schemeEnd.upperBound...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? url.endIndex
        guard let at = url[schemeEnd.upperBound..<authorityEnd].lastIndex(of: "@") else { return url }
        let userinfo = url[schemeEnd.upperBound..<at]
        let user = userinfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return String(url[..<schemeEnd.upperBound]) + user + ":**********" + String(url[at...])
    }

    init(method: String, url: String, headers: [(name: String, value: String)], body: JSONValue?, username: String?, password: String?) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.username = username
        self.password = password
    }

    /// Reads and checks the `request` of a webhook.
    init(_ value: JSONValue?) throws {
        guard case .object(let object)? = value else { throw BrokerError.invalid("request", "is required: {\"method\": \"POST\", \"url\": \"https://…\"}") }
        let method = (try object.string("method") ?? "POST").uppercased()
        guard ["POST", "PUT", "PATCH", "GET", "DELETE"].contains(method) else {
            throw BrokerError.invalid("request.method", "'\(method)' is not allowed; use POST, PUT, PATCH, GET or DELETE")
        }
        guard let url = try object.string("url"), !url.isEmpty else { throw BrokerError.invalid("request.url", "is required") }
        try WebhookRequest.validateURL(url)
        var headers: [(name: String, value: String)] = []
        if let value = object["headers"], !value.isNull {
            guard case .object(let headerObject) = value else { throw BrokerError.invalid("request.headers", "must be an object of names to values") }
            for (name, value) in headerObject {
                guard let text = value.stringValue ?? value.arrayValue?.compactMap(\.stringValue).joined(separator: ", ") else {
                    throw BrokerError.invalid("request.headers", "the value of \(name) must be a string")
                }
                guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 && $0 != ":" }),
                      !text.contains("\r"), !text.contains("\n") else {
                    throw BrokerError.invalid("request.headers", "'\(name)' is not a valid header")
                }
                headers.append((name, text))
            }
        }
        self.method = method
        self.url = url
        self.headers = headers
        self.body = object["body"].flatMap { $0.isNull ? nil : $0 }
        self.username = try object.string("username")
        self.password = try object.string("password")
    }

    /// http or https, with a host that has no template parameter (the host must be fixed).
    static func validateURL(_ url: String) throws {
        guard let schemeEnd = url.range(of: "://") else { throw BrokerError.invalid("request.url", "'\(url)' is not an http(s) URL") }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { throw BrokerError.invalid("request.url", "the scheme must be http or https, not \(scheme)") }
        let rest = url[schemeEnd.upperBound...]
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if host.isEmpty { throw BrokerError.invalid("request.url", "'\(url)' has no host") }
        if host.contains("${") { throw BrokerError.invalid("request.url", "parameters are not allowed in the host") }
    }
}

/// A stored webhook.
struct Webhook: Sendable {
    var uuid: String
    var description: String?
    var enabled: Bool
    var consumer: String?
    var provider: String?
    /// A label that selects the consumers (instead of one consumer's name).
    var consumerLabel: String?
    /// A label that selects the providers.
    var providerLabel: String?
    var events: [WebhookEvent]
    var request: WebhookRequest

    /// Reads a webhook document; `consumer`/`provider` from the path take the place of the body's.
    init(uuid: String, body: JSONObject, consumer pathConsumer: String? = nil, provider pathProvider: String? = nil) throws {
        self.uuid = uuid
        description = try body.string("description")
        enabled = try body.bool("enabled") ?? true
        /// `{"name": …}` or `{"label": …}`: one pacticipant, or every pacticipant with the label.
        func party(_ key: String) throws -> (name: String?, label: String?) {
            guard let value = body[key], !value.isNull else { return (nil, nil) }
            guard case .object(let object) = value else { throw BrokerError.invalid(key, "must be {\"name\": …} or {\"label\": …}") }
            let name = try object.string("name"), label = try object.string("label")
            switch (name, label) {
            case (let name?, nil) where !name.isEmpty: return (name, nil)
            case (nil, let label?) where !label.isEmpty:
                try validateLabel(label, field: "\(key).label")
                return (nil, label)
            case (.some, .some): throw BrokerError.invalid(key, "give a name or a label, not both")
            default: throw BrokerError.invalid("\(key).name", "is required (or give \(key).label to select pacticipants by label)")
            }
        }
        let (consumerName, consumerLabel) = try pathConsumer.map { ($0, nil) } ?? party("consumer")
        let (providerName, providerLabel) = try pathProvider.map { ($0, nil) } ?? party("provider")
        consumer = consumerName
        provider = providerName
        self.consumerLabel = consumerLabel
        self.providerLabel = providerLabel
        guard let eventValues = body["events"]?.arrayValue, !eventValues.isEmpty else {
            throw BrokerError.invalid("events", "give at least one event, as in [{\"name\": \"contract_content_changed\"}]")
        }
        events = try eventValues.map { value in
            guard let name = value["name"]?.stringValue ?? value.stringValue, let event = WebhookEvent(rawValue: name) else {
                throw BrokerError.invalid("events", "unknown event \(JSONWriter.compactString(value)); use one of \(WebhookEvent.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return event
        }
        request = try WebhookRequest(body["request"])
    }

    init(uuid: String, description: String?, enabled: Bool, consumer: String?, provider: String?, consumerLabel: String? = nil, providerLabel: String? = nil,
         events: [WebhookEvent], request: WebhookRequest) {
        self.uuid = uuid
        self.description = description
        self.enabled = enabled
        self.consumer = consumer
        self.provider = provider
        self.consumerLabel = consumerLabel
        self.providerLabel = providerLabel
        self.events = events
        self.request = request
    }

    func document(_ links: Links) -> JSONValue {
        let base = links.url("webhooks", uuid)
        var object: JSONObject = ["uuid": .string(uuid)]
        if let description { object["description"] = .string(description) }
        object["enabled"] = .bool(enabled)
        if let consumer { object["consumer"] = ["name": .string(consumer)] }
        if let consumerLabel { object["consumer"] = ["label": .string(consumerLabel)] }
        if let provider { object["provider"] = ["name": .string(provider)] }
        if let providerLabel { object["provider"] = ["label": .string(providerLabel)] }
        object["events"] = .array(events.map { ["name": .string($0.rawValue)] })
        object["request"] = request.shown
        var linkObject: JSONObject = [
            "self": HAL.link(base, title: description ?? "Webhook"),
            "pb:execute": HAL.link(base + "/execute", title: "Test the execution of the webhook with the latest matching pact or verification"),
            "pb:executions": HAL.link(base + "/executions", title: "The webhook's executions and their logs"),
            "pb:webhooks": HAL.link(links.url("webhooks"), title: "All webhooks"),
        ]
        if let consumer { linkObject["pb:consumer"] = HAL.link(links.pacticipant(consumer), name: consumer) }
        if let provider { linkObject["pb:provider"] = HAL.link(links.pacticipant(provider), name: provider) }
        object["_links"] = .object(linkObject)
        return .object(object)
    }

    /// True when the webhook listens to the event for this consumer and provider, with their labels.
    func applies(to event: WebhookEvent, consumer: String?, consumerLabels: Set<String>, provider: String?, providerLabels: Set<String>) -> Bool {
        guard enabled, events.contains(event) else { return false }
        if let wanted = self.consumer, wanted != consumer { return false }
        if let consumerLabel, !consumerLabels.contains(consumerLabel) { return false }
        if let wantedProvider = self.provider, wantedProvider != provider { return false }
        if let providerLabel, !providerLabels.contains(providerLabel) { return false }
        return true
    }
}

/// The values `${pactbroker.*}` parameters take for one event.
struct WebhookContext: Sendable, Equatable {
    var values: [String: String]

    /// Replaces every `${pactbroker.name}`; unknown names become empty, as in the Pact Broker.
    /// How parameter values are written into a template.
    enum Encoding {
        /// As they are (headers and bodies).
        case none
        /// Percent-encoded but for RFC 3986's unreserved characters, for URLs.
        case urlComponent
    }

    private static let unreserved: CharacterSet = {
        var set = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        set.insert(charactersIn: "-._~")
        return set
    }()

    func render(_ text: String, encoding: Encoding = .none) -> String {
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${pactbroker.") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                result += rest[start.lowerBound...]
                return result
            }
            let name = String(rest[start.upperBound..<end])
            let value = values[name] ?? ""
            switch encoding {
            case .none: result += value
            case .urlComponent: result += value.addingPercentEncoding(withAllowedCharacters: WebhookContext.unreserved) ?? ""
            }
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    /// Renders every string inside a JSON body.
    func render(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): return .string(render(text))
        case .array(let items): return .array(items.map(render))
        case .object(let object): return .object(JSONObject(object.entries.map { ($0.key, render($0.value)) }))
        default: return value
        }
    }

    var json: JSONValue { .object(JSONObject(values.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })) }

    init(values: [String: String]) {
        self.values = values
    }

    init(json: JSONValue) {
        var values: [String: String] = [:]
        if case .object(let object) = json {
            for (key, value) in object { values[key] = value.stringValue ?? "" }
        }
        self.values = values
    }
}
