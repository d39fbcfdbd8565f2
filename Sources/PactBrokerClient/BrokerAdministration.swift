import Foundation
import PactModel

/// A webhook to create or update, in the terms of `pact broker create-or-update-webhook`.
public struct WebhookDefinition: Sendable {
    /// The request the broker sends when the webhook fires.
    public var url: String
    public var method: String
    public var headers: [(name: String, value: String)]
    public var body: JSONValue?
    public var username: String?
    public var password: String?
    /// Scope: a consumer and/or provider by name or label; nil means every pacticipant.
    public var consumer: String?
    public var consumerLabel: String?
    public var provider: String?
    public var providerLabel: String?
    public var description: String?
    /// Broker event names, such as `contract_content_changed`.
    public var events: [String]

    public init(url: String, method: String = "POST", headers: [(name: String, value: String)] = [], body: JSONValue? = nil,
                username: String? = nil, password: String? = nil, consumer: String? = nil, consumerLabel: String? = nil,
                provider: String? = nil, providerLabel: String? = nil, description: String? = nil, events: [String]) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.username = username
        self.password = password
        self.consumer = consumer
        self.consumerLabel = consumerLabel
        self.provider = provider
        self.providerLabel = providerLabel
        self.description = description
        self.events = events
    }

    /// The broker's webhook document.
    public var document: JSONValue {
        var request: JSONObject = ["method": .string(method.uppercased()), "url": .string(url)]
        if !headers.isEmpty {
            var headerObject = JSONObject()
            for header in headers { headerObject[header.name] = .string(header.value) }
            request["headers"] = .object(headerObject)
        }
        if let body { request["body"] = body }
        if let username { request["username"] = .string(username) }
        if let password { request["password"] = .string(password) }
        var object: JSONObject = ["request": .object(request), "events": .array(events.map { ["name": .string($0)] })]
        if let description { object["description"] = .string(description) }
        if let consumer { object["consumer"] = ["name": .string(consumer)] } else if let consumerLabel { object["consumer"] = ["label": .string(consumerLabel)] }
        if let provider { object["provider"] = ["name": .string(provider)] } else if let providerLabel { object["provider"] = ["label": .string(providerLabel)] }
        return .object(object)
    }
}

/// The latest pact of one integration, as `list-latest-pact-versions` shows it.
public struct LatestPactVersion: Sendable, Equatable {
    public var consumer: String
    public var consumerVersion: String
    public var provider: String
    public var createdAt: String
}

extension BrokerClient {
    /// Creates the pacticipant, or updates the attributes given when it exists (others are left as they are).
    /// Returns the pacticipant and whether it was created.
    public func createOrUpdatePacticipant(name: String, displayName: String?, mainBranch: String?, repositoryURL: String?) async throws(BrokerClientError) -> (resource: HALResource, created: Bool) {
        var body: JSONObject = ["name": .string(name)]
        if let displayName { body["displayName"] = .string(displayName) }
        if let mainBranch { body["mainBranch"] = .string(mainBranch) }
        if let repositoryURL { body["repositoryUrl"] = .string(repositoryURL) }
        let index = try await self.index()
        let href = Self.expand(try index.require("pb:pacticipant"), ["pacticipant": name])
        if try await getIfPresent(href) != nil {
            return (try await patch(href, .object(body)), false)
        }
        return (try await post(try index.require("pb:pacticipants"), .object(body)), true)
    }

    /// An environment by its UUID, or by its name when no environment has that UUID.
    public func describeEnvironment(_ uuidOrName: String) async throws(BrokerClientError) -> HALResource {
        let index = try await self.index()
        if let template = index.href("pb:environment"),
           let resource = try await getIfPresent(Self.expand(template, ["uuid": uuidOrName, "environmentId": uuidOrName])) {
            return resource
        }
        if let named = try await environment(named: uuidOrName), let href = named.href("self") { return try await get(href) }
        throw .invalidConfiguration("there is no environment with uuid or name '\(uuidOrName)' on the broker; `pactctl list-environments` shows them")
    }

    /// Creates a webhook (POST to `pb:webhooks`), or creates or replaces the one with `uuid` (PUT).
    public func createOrUpdateWebhook(_ webhook: WebhookDefinition, uuid: String?) async throws(BrokerClientError) -> HALResource {
        let collection = try await index().require("pb:webhooks")
        guard let uuid else { return try await post(collection, webhook.document) }
        return try await put(collection.hasSuffix("/") ? collection + Self.segment(uuid) : collection + "/" + Self.segment(uuid), webhook.document)
    }

    /// The latest pact of every integration, from `pb:latest-pact-versions`.
    public func latestPactVersions() async throws(BrokerClientError) -> (versions: [LatestPactVersion], document: JSONValue) {
        let resource = try await get(try await index().require("pb:latest-pact-versions"))
        let versions = (resource.json["pacts"]?.arrayValue ?? []).map { item in
            LatestPactVersion(consumer: item["_embedded"]?["consumer"]?["name"]?.stringValue ?? "?",
                              consumerVersion: item["_embedded"]?["consumer"]?["_embedded"]?["version"]?["number"]?.stringValue ?? "?",
                              provider: item["_embedded"]?["provider"]?["name"]?.stringValue ?? "?",
                              createdAt: item["createdAt"]?.stringValue ?? "")
        }
        return (versions, resource.json)
    }
}
