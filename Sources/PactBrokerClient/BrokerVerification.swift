import Foundation
import PactModel

/// A pact the broker asks a provider to verify.
public struct VerifiablePact: Sendable {
    /// Where the pact was fetched from.
    public var url: String
    public var json: JSONValue
    public var shortDescription: String
    /// Failures of a pending pact do not fail the run.
    public var pending: Bool
    public var wip: Bool
    /// (when, text): `before_verification`, or `after_verification:success_<bool>_published_<bool>`.
    public var notices: [(when: String, text: String)]
    public var publishHref: String?
    public var providerHref: String?

    /// The notices for a moment of the run.
    public func notices(when moment: String) -> [String] {
        notices.filter { $0.when == moment }.map(\.text)
    }
}

extension BrokerClient {
    /// Asks the broker which pacts the provider should verify, as the official verifier does: GET the templated
    /// `pb:provider-pacts-for-verification`, then POST the selectors to its `self` link, then fetch each pact.
    public func pactsForVerification(provider: String, selectors: [JSONValue], providerBranch: String?, providerTags: [String],
                                     includePending: Bool, includeWipPactsSince: String?) async throws(BrokerClientError) -> [VerifiablePact] {
        let index = try await self.index()
        let template = try index.require("pb:provider-pacts-for-verification")
        let first = try await get(Self.expand(template, ["provider": provider]))
        let target = first.href("self") ?? Self.expand(template, ["provider": provider])
        var body: JSONObject = ["consumerVersionSelectors": .array(selectors), "includePendingStatus": .bool(includePending)]
        if let providerBranch { body["providerVersionBranch"] = .string(providerBranch) }
        if !providerTags.isEmpty { body["providerVersionTags"] = .array(providerTags.map(JSONValue.string)) }
        if let includeWipPactsSince { body["includeWipPactsSince"] = .string(includeWipPactsSince) }
        let answer = try await post(target, .object(body))
        var pacts: [VerifiablePact] = []
        for item in answer.json["_embedded"]?["pacts"]?.arrayValue ?? [] {
            guard let href = item["_links"]?["self"]?["href"]?.stringValue else { continue }
            let properties = item["verificationProperties"]
            let pact = try await get(href)
            var json = pact.json
            if case .object(var object) = json {
                object["_links"] = nil
                object["createdAt"] = nil
                json = .object(object)
            }
            pacts.append(VerifiablePact(
                url: pact.url, json: json, shortDescription: item["shortDescription"]?.stringValue ?? "",
                pending: properties?["pending"]?.boolValue ?? false, wip: properties?["wip"]?.boolValue ?? false,
                notices: (properties?["notices"]?.arrayValue ?? []).compactMap { notice in
                    guard let when = notice["when"]?.stringValue, let text = notice["text"]?.stringValue else { return nil }
                    return (when, text)
                },
                publishHref: pact.href("pb:publish-verification-results"), providerHref: pact.href("pb:provider")))
        }
        return pacts
    }

    /// Publishes the results of one pact: the provider version's branch and tags first (through the provider's
    /// `pb:branch-version` and `pb:version-tag` links), then the results with per-interaction detail.
    public func publishVerification(_ pact: VerifiablePact, success: Bool, providerVersion: String, providerBranch: String?, providerTags: [String],
                                    buildURL: String?, testResults: [JSONValue], verifierVersion: String) async throws(BrokerClientError) -> HALResource {
        guard let publishHref = pact.publishHref else {
            throw .missingRelation("pb:publish-verification-results", url: pact.url, available: [])
        }
        if (providerBranch != nil || !providerTags.isEmpty), let providerHref = pact.providerHref {
            let provider = try await get(providerHref)
            if let providerBranch, let template = provider.href("pb:branch-version") {
                _ = try await put(Self.expand(template, ["branch": providerBranch, "version": providerVersion]), [:])
            }
            if let template = provider.href("pb:version-tag") {
                for tag in providerTags { _ = try await put(Self.expand(template, ["version": providerVersion, "tag": tag]), [:]) }
            }
        }
        var body: JSONObject = [
            "success": .bool(success), "providerApplicationVersion": .string(providerVersion),
            "verifiedBy": ["implementation": "pactctl", "version": .string(verifierVersion)],
            "testResults": .array(testResults),
        ]
        if let buildURL { body["buildUrl"] = .string(buildURL) }
        return try await post(publishHref, .object(body))
    }
}
