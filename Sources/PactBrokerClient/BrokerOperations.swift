import Foundation
import PactModel

/// One pact to publish: where it came from and its JSON.
public struct PactToPublish: Sendable {
    public var source: String
    public var json: JSONValue

    public init(source: String, json: JSONValue) {
        self.source = source
        self.json = json
    }

    var consumer: String? { json["consumer"]?["name"]?.stringValue }
    var provider: String? { json["provider"]?["name"]?.stringValue }
}

/// What a publication did, for printing.
public struct PublishOutcome: Sendable {
    public var consumer: String
    public var provider: String
    public var notices: [(type: String, text: String)]
    public var response: JSONValue
}

/// A version selector of can-i-deploy.
public struct DeploySelector: Sendable, Equatable {
    public var pacticipant: String
    public var version: String?
    public var latest = false
    public var tag: String?
    public var branch: String?
    public var mainBranch = false

    public init(pacticipant: String, version: String? = nil, latest: Bool = false, tag: String? = nil, branch: String? = nil, mainBranch: Bool = false) {
        self.pacticipant = pacticipant
        self.version = version
        self.latest = latest
        self.tag = tag
        self.branch = branch
        self.mainBranch = mainBranch
    }
}

/// The can-i-deploy answer.
public struct DeployDecision: Sendable {
    /// true, false, or nil while a verification is missing.
    public var deployable: Bool?
    public var reason: String
    public var notices: [(type: String, text: String)]
    /// Consumer, consumer version, provider, provider version, and the result (true, false, nil).
    public var rows: [(consumer: String, consumerVersion: String, provider: String, providerVersion: String?, success: Bool?)]
    /// The broker's matrix document as it came.
    public var document: JSONValue
}

extension BrokerClient {
    /// Publishes pacts through `pb:publish-contracts`, one request per consumer/provider pair, or through the
    /// legacy `PUT /pacts/provider/P/consumer/C/version/V` when the broker does not offer it.
    public func publish(_ pacts: [PactToPublish], version: String, branch: String?, tags: [String], buildURL: String?) async throws(BrokerClientError) -> [PublishOutcome] {
        let index = try await self.index()
        var outcomes: [PublishOutcome] = []
        for pact in pacts {
            guard let consumer = pact.consumer, let provider = pact.provider else {
                throw .invalidConfiguration("\(pact.source): the pact names no consumer or provider")
            }
            if let publishHref = index.href("pb:publish-contracts") {
                var body: JSONObject = [
                    "pacticipantName": .string(consumer), "pacticipantVersionNumber": .string(version),
                    "contracts": [[
                        "consumerName": .string(consumer), "providerName": .string(provider), "specification": "pact",
                        "contentType": "application/json", "content": .string(Data(JSONWriter.bytes(pact.json, style: .compact)).base64EncodedString()),
                    ]],
                ]
                if let branch { body["branch"] = .string(branch) }
                if !tags.isEmpty { body["tags"] = .array(tags.map(JSONValue.string)) }
                if let buildURL { body["buildUrl"] = .string(buildURL) }
                let response = try await post(publishHref, .object(body))
                outcomes.append(PublishOutcome(consumer: consumer, provider: provider, notices: BrokerClient.notices(response.json), response: response.json))
            } else {
                // Older brokers: tag and branch first, then the pact itself.
                if let branch {
                    _ = try await put("/pacticipants/\(Self.segment(consumer))/branches/\(Self.segment(branch))/versions/\(Self.segment(version))", [:])
                }
                for tag in tags {
                    _ = try await put("/pacticipants/\(Self.segment(consumer))/versions/\(Self.segment(version))/tags/\(Self.segment(tag))", [:])
                }
                let href = index.href("pb:publish-pact").map { Self.expand($0, ["provider": provider, "consumer": consumer, "consumerApplicationVersion": version]) }
                    ?? "/pacts/provider/\(Self.segment(provider))/consumer/\(Self.segment(consumer))/version/\(Self.segment(version))"
                let response = try await put(href, pact.json)
                outcomes.append(PublishOutcome(consumer: consumer, provider: provider,
                                               notices: [("success", "Published the pact between \(consumer) \(version) and \(provider) (legacy endpoint)")],
                                               response: response.json))
            }
        }
        return outcomes
    }

    /// Asks the matrix whether the selected versions can be deployed, the way the official CLI does.
    public func canIDeploy(_ selectors: [DeploySelector], toEnvironment: String?, toTag: String?, ignore: [(pacticipant: String, version: String?)]) async throws(BrokerClientError) -> DeployDecision {
        guard !selectors.isEmpty else { throw .invalidConfiguration("give at least one --pacticipant") }
        var items: [(String, String)] = []
        for selector in selectors {
            items.append(("q[][pacticipant]", selector.pacticipant))
            if let version = selector.version { items.append(("q[][version]", version)) }
            if selector.latest { items.append(("q[][latest]", "true")) }
            if let tag = selector.tag { items.append(("q[][tag]", tag)) }
            if let branch = selector.branch { items.append(("q[][branch]", branch)) }
            if selector.mainBranch { items.append(("q[][mainBranch]", "true")) }
        }
        for entry in ignore {
            items.append(("ignore[][pacticipant]", entry.pacticipant))
            if let version = entry.version { items.append(("ignore[][version]", version)) }
        }
        items.append(("latestby", toEnvironment != nil || selectors.count > 1 ? "cvpv" : "cvp"))
        if let toEnvironment { items.append(("environment", toEnvironment)) }
        if let toTag { items.append(("tag", toTag)) }
        if toEnvironment == nil && selectors.count == 1 { items.append(("latest", "true")) }
        let query = items.map { "\($0.0)=\(Self.segment($0.1))" }.joined(separator: "&")
        let response = try await get("/matrix?" + query)
        guard let summary = response.json["summary"], response.json["matrix"]?.arrayValue != nil else {
            throw .invalidResponse(url: response.url, reason: "it has no summary and matrix")
        }
        let rows = (response.json["matrix"]?.arrayValue ?? []).map { row in
            (consumer: row["consumer"]?["name"]?.stringValue ?? "?", consumerVersion: row["consumer"]?["version"]?["number"]?.stringValue ?? "?",
             provider: row["provider"]?["name"]?.stringValue ?? "?", providerVersion: row["provider"]?["version"]?["number"]?.stringValue,
             success: row["verificationResult"]?["success"]?.boolValue)
        }
        return DeployDecision(deployable: summary["deployable"]?.boolValue, reason: summary["reason"]?.stringValue ?? "",
                              notices: BrokerClient.notices(response.json), rows: rows, document: response.json)
    }

    /// The environment with this name, from `pb:environments`.
    public func environment(named name: String) async throws(BrokerClientError) -> HALResource? {
        let list = try await get(try await index().require("pb:environments"))
        guard let item = list.json["_embedded"]?["environments"]?.arrayValue?.first(where: { $0["name"]?.stringValue == name }) else { return nil }
        return HALResource(url: list.url, json: item)
    }

    public func environments() async throws(BrokerClientError) -> [JSONValue] {
        try await get(try await index().require("pb:environments")).json["_embedded"]?["environments"]?.arrayValue ?? []
    }

    public func createEnvironment(name: String, displayName: String?, production: Bool) async throws(BrokerClientError) -> HALResource {
        var body: JSONObject = ["name": .string(name), "production": .bool(production)]
        if let displayName { body["displayName"] = .string(displayName) }
        return try await post(try await index().require("pb:environments"), .object(body))
    }

    /// Records a deployment through the version's `pb:record-deployment` link for the environment.
    public func recordDeployment(pacticipant: String, version: String, environment: String, applicationInstance: String?) async throws(BrokerClientError) -> HALResource {
        let versionResource = try await versionResource(pacticipant: pacticipant, version: version)
        guard let link = versionResource.links("pb:record-deployment").first(where: { $0.name == environment }) else {
            throw .invalidConfiguration("there is no environment named '\(environment)' on the broker; create it with `pactctl create-environment --name \(environment)`")
        }
        return try await post(link.href, applicationInstance.map { ["applicationInstance": .string($0)] } ?? [:])
    }

    /// Records a release through the version's `pb:record-release` link for the environment.
    public func recordRelease(pacticipant: String, version: String, environment: String) async throws(BrokerClientError) -> HALResource {
        let versionResource = try await versionResource(pacticipant: pacticipant, version: version)
        guard let link = versionResource.links("pb:record-release").first(where: { $0.name == environment }) else {
            throw .invalidConfiguration("there is no environment named '\(environment)' on the broker; create it with `pactctl create-environment --name \(environment)`")
        }
        return try await post(link.href, [:])
    }

    func versionResource(pacticipant: String, version: String) async throws(BrokerClientError) -> HALResource {
        let index = try await self.index()
        let template = try index.require("pb:pacticipant-version")
        let href = Self.expand(template, ["pacticipant": pacticipant, "version": version])
        guard let resource = try await getIfPresent(href) else {
            throw .invalidConfiguration("version \(version) of \(pacticipant) is not known to the broker; publish or create it first")
        }
        return resource
    }

    static func notices(_ json: JSONValue) -> [(type: String, text: String)] {
        (json["notices"]?.arrayValue ?? []).compactMap { notice in
            notice["text"]?.stringValue.map { (notice["type"]?.stringValue ?? "info", $0) }
        }
    }
}

extension BrokerClient {
    /// Marks the pacticipant's current deployments in the environment (for one application instance, or those with
    /// none) as undeployed, as `pact broker record-undeployment` does. Returns how many were changed.
    public func recordUndeployment(pacticipant: String, environment: String, applicationInstance: String?) async throws(BrokerClientError) -> Int {
        guard let environmentResource = try await self.environment(named: environment) else {
            throw .invalidConfiguration("there is no environment named '\(environment)' on the broker")
        }
        let current = try await get(try environmentResource.require("pb:currently-deployed-deployed-versions") + "?pacticipant=" + Self.segment(pacticipant))
        var changed = 0
        for item in current.json["_embedded"]?["deployedVersions"]?.arrayValue ?? [] {
            guard item["_embedded"]?["pacticipant"]?["name"]?.stringValue == pacticipant,
                  item["applicationInstance"]?.stringValue == applicationInstance,
                  let href = item["_links"]?["self"]?["href"]?.stringValue else { continue }
            _ = try await patch(href, ["currentlyDeployed": false])
            changed += 1
        }
        guard changed > 0 else {
            throw .invalidConfiguration("\(pacticipant) is not currently deployed to \(environment)" + (applicationInstance.map { " (instance \($0))" } ?? ""))
        }
        return changed
    }

    /// Ends support for a released version in an environment.
    public func recordSupportEnded(pacticipant: String, version: String, environment: String) async throws(BrokerClientError) {
        guard let environmentResource = try await self.environment(named: environment) else {
            throw .invalidConfiguration("there is no environment named '\(environment)' on the broker")
        }
        let current = try await get(try environmentResource.require("pb:currently-supported-released-versions") + "?pacticipant=" + Self.segment(pacticipant))
        guard let item = (current.json["_embedded"]?["releasedVersions"]?.arrayValue ?? []).first(where: {
            $0["_embedded"]?["pacticipant"]?["name"]?.stringValue == pacticipant && $0["_embedded"]?["version"]?["number"]?.stringValue == version
        }), let href = item["_links"]?["self"]?["href"]?.stringValue else {
            throw .invalidConfiguration("version \(version) of \(pacticipant) is not a supported release in \(environment)")
        }
        _ = try await patch(href, ["currentlySupported": false])
    }

    /// A version (or the latest, optionally the latest with a tag).
    public func describeVersion(pacticipant: String, version: String?, latestTag: String?) async throws(BrokerClientError) -> HALResource {
        let index = try await self.index()
        let href: String
        if let version {
            href = Self.expand(try index.require("pb:pacticipant-version"), ["pacticipant": pacticipant, "version": version])
        } else if let latestTag {
            href = Self.expand(try index.require("pb:latest-tagged-version"), ["pacticipant": pacticipant, "tag": latestTag])
        } else {
            href = Self.expand(try index.require("pb:latest-version"), ["pacticipant": pacticipant])
        }
        guard let resource = try await getIfPresent(href) else {
            throw .invalidConfiguration("the broker knows no such version of \(pacticipant)")
        }
        return resource
    }

    /// Tags a version, creating the version when asked.
    public func createVersionTag(pacticipant: String, version: String, tags: [String], autoCreateVersion: Bool) async throws(BrokerClientError) {
        if !autoCreateVersion { _ = try await versionResource(pacticipant: pacticipant, version: version) }
        let template = try await index().require("pb:pacticipant-version-tag")
        for tag in tags {
            _ = try await put(Self.expand(template, ["pacticipant": pacticipant, "version": version, "tag": tag]), [:])
        }
    }
}
