import Foundation
import HTTPTypes
import Hummingbird
import PactModel

/// One consumer version selector of a pacts-for-verification request.
struct ConsumerVersionSelector: Sendable, Equatable {
    var mainBranch = false
    var branch: String?
    var fallbackBranch: String?
    var matchingBranch = false
    var tag: String?
    var fallbackTag: String?
    var latest: Bool?
    var deployed = false
    var released = false
    var deployedOrReleased = false
    var environment: String?
    var consumer: String?

    init() {}

    /// Reads a selector and rejects the combinations the Pact Broker rejects.
    init(_ value: JSONValue, index: Int) throws {
        let field = "consumerVersionSelectors[\(index)]"
        guard case .object(let object) = value else { throw BrokerError.invalid(field, "must be an object") }
        func flag(_ key: String) throws -> Bool {
            guard let value = object[key] else { return false }
            guard let bool = value.boolValue else { throw BrokerError.invalid("\(field).\(key)", "must be true or false") }
            return bool
        }
        func text(_ key: String) throws -> String? {
            guard let value = object[key], !value.isNull else { return nil }
            guard let string = value.stringValue, !string.isEmpty else { throw BrokerError.invalid("\(field).\(key)", "must be a non-empty string") }
            return string
        }
        mainBranch = try flag("mainBranch")
        branch = try text("branch")
        fallbackBranch = try text("fallbackBranch")
        matchingBranch = try flag("matchingBranch")
        tag = try text("tag")
        fallbackTag = try text("fallbackTag")
        if let value = object["latest"], !value.isNull {
            guard let bool = value.boolValue else { throw BrokerError.invalid("\(field).latest", "must be true or false") }
            latest = bool
        }
        deployed = try flag("deployed")
        released = try flag("released")
        deployedOrReleased = try flag("deployedOrReleased")
        environment = try text("environment")
        consumer = try text("consumer")

        let branchKeys = mainBranch || branch != nil || fallbackBranch != nil || matchingBranch || tag != nil || fallbackTag != nil || latest != nil
        let environmentKeys = deployed || released || deployedOrReleased || environment != nil
        if tag != nil && (branch != nil || mainBranch || matchingBranch) { throw BrokerError.invalid(field, "cannot combine a tag with a branch") }
        if branchKeys && environmentKeys { throw BrokerError.invalid(field, "cannot combine branch or tag keys with deployed, released or environment") }
        if mainBranch && (branch != nil || matchingBranch || tag != nil) { throw BrokerError.invalid(field, "mainBranch can only be combined with consumer and latest") }
        if latest == false && (branch != nil || mainBranch) { throw BrokerError.invalid(field, "latest: false cannot be used with a branch") }
        if [deployed, released, deployedOrReleased].filter({ $0 }).count > 1 { throw BrokerError.invalid(field, "give only one of deployed, released and deployedOrReleased") }
        if fallbackTag != nil && latest != true { throw BrokerError.invalid(field, "fallbackTag needs latest: true") }
        if fallbackBranch != nil && branch == nil { throw BrokerError.invalid(field, "fallbackBranch needs branch") }
        if !branchKeys && !environmentKeys && consumer == nil { throw BrokerError.invalid(field, "selects nothing; give mainBranch, branch, tag, latest, deployed, released or environment") }
        if !branchKeys && !environmentKeys { latest = true }
    }
}

extension BrokerAPI {
    func addPactsForVerificationRoutes(to router: Router<BasicRequestContext>) {
        router.get("/pacts/provider/:provider/for-verification") { request, context -> Response in
            let provider = try parameter(context, "provider")
            let links = links(for: request)
            // The query-string form of the POST body: consumerVersionSelectors[][mainBranch]=true&providerVersionBranch=main…
            var groups = GroupedParameters()
            var branch: String?
            var includePending = false
            for (key, value) in BrokerAPI.queryItems(request) {
                if let (index, field) = MatrixQuery.nested(key, prefix: "consumerVersionSelectors") {
                    groups.add(index: index, field: field, value: value)
                } else if key == "providerVersionBranch" {
                    branch = value
                } else if key == "includePendingStatus" {
                    includePending = value == "true"
                }
            }
            if groups.groups.count > MatrixQuery.maxSelectors {
                throw BrokerError.invalid("consumerVersionSelectors", "gives \(groups.groups.count) selectors; at most \(MatrixQuery.maxSelectors) are read")
            }
            let flags: Set<String> = ["mainBranch", "matchingBranch", "latest", "deployed", "released", "deployedOrReleased"]
            let selectors = try groups.groups.enumerated().map { index, fields in
                let object = JSONObject(fields.sorted { $0.key < $1.key }.map { key, value in
                    (key, flags.contains(key) && (value == "true" || value == "false") ? JSONValue.bool(value == "true") : .string(value))
                })
                return try ConsumerVersionSelector(.object(object), index: index)
            }
            let request = PactsForVerificationRequest(selectors: selectors, providerBranch: branch, providerTags: [], includePending: includePending, wipSince: nil)
            return try await pactsForVerification(provider: provider, request, links: links)
        }
        router.post("/pacts/provider/:provider/for-verification") { request, context -> Response in
            let provider = try parameter(context, "provider")
            let links = links(for: request)
            let body = try await jsonBody(request)
            var selectors: [ConsumerVersionSelector] = []
            if let values = body["consumerVersionSelectors"], !values.isNull {
                guard let array = values.arrayValue else { throw BrokerError.invalid("consumerVersionSelectors", "must be an array") }
                guard array.count <= MatrixQuery.maxSelectors else {
                    throw BrokerError.invalid("consumerVersionSelectors", "gives \(array.count) selectors; at most \(MatrixQuery.maxSelectors) are read")
                }
                for (index, value) in array.enumerated() { selectors.append(try ConsumerVersionSelector(value, index: index)) }
            }
            var tags: [String] = []
            if let values = body["providerVersionTags"], !values.isNull {
                guard let array = values.arrayValue, array.allSatisfy({ $0.stringValue != nil }) else {
                    throw BrokerError.invalid("providerVersionTags", "must be an array of strings")
                }
                guard array.count <= MatrixQuery.maxSelectors else {
                    throw BrokerError.invalid("providerVersionTags", "gives \(array.count) tags; at most \(MatrixQuery.maxSelectors) are read")
                }
                tags = array.compactMap(\.stringValue)
            }
            let branch = try body.string("providerVersionBranch")
            if selectors.contains(where: \.matchingBranch) && branch == nil {
                throw BrokerError.invalid("providerVersionBranch", "is required when a selector uses matchingBranch")
            }
            var wipSince: Int64?
            if let text = try body.string("includeWipPactsSince") {
                guard let millis = Clock.millis(parsing: text) else {
                    throw BrokerError.invalid("includeWipPactsSince", "'\(text)' is not a date such as 2026-01-31 or 2026-01-31T10:00:00Z")
                }
                wipSince = millis
            }
            let request = PactsForVerificationRequest(selectors: selectors, providerBranch: branch, providerTags: tags,
                                                      includePending: try body.bool("includePendingStatus") ?? false, wipSince: wipSince)
            return try await pactsForVerification(provider: provider, request, links: links)
        }
    }

    private func pactsForVerification(provider name: String, _ query: PactsForVerificationRequest, links: Links) async throws -> Response {
        let pacts = try await database.read { db -> [JSONValue] in
            let store = Store(db)
            let provider = try await requirePacticipant(store, name)
            let selected = try await PactSelection(store: store, provider: provider).select(query)
            return selected.map { verifiablePactDocument($0, provider: name, query: query, links: links) }
        }
        return HAL.response([
            "_embedded": ["pacts": .array(pacts)],
            "_links": ["self": HAL.link(links.url("pacts", "provider", Links.segment(name), "for-verification"), title: "Pacts to be verified")],
        ])
    }

    private func verifiablePactDocument(_ pact: SelectedPact, provider: String, query: PactsForVerificationRequest, links: Links) -> JSONValue {
        let metadata = VerificationMetadata(wip: pact.wip, pending: pact.pending, consumerVersions: pact.consumerVersions.map(\.number)).encoded
        let url = links.pactVersion(provider: provider, consumer: pact.consumer.name, sha: pact.content.sha, metadata: metadata)
        let versions = pact.consumerVersions.map(\.number).joined(separator: ", ")
        var notices: [JSONValue] = []
        let reasons = pact.descriptions.map { "    * \($0)" }.joined(separator: "\n")
        if pact.wip {
            notices.append(["when": "before_verification", "text": .string(
                "The pact at \(url) is being verified because it is a 'work in progress' pact (ie. it is the pact for the latest version of \(pact.consumer.name) from a branch or tag created after the includeWipPactsSince date, and it has not been verified successfully by this provider branch). Version(s): \(versions)")])
        } else {
            notices.append(["when": "before_verification", "text": .string(
                "The pact at \(url) is being verified because the pact content belongs to the consumer version(s) matching the following criteria:\n\(reasons) (\(versions))")])
        }
        let target = query.providerBranch.map { "branch \($0)" } ?? (query.providerTags.isEmpty ? "any version" : "tag(s) \(query.providerTags.joined(separator: ", "))")
        if query.includePending {
            if pact.pending {
                notices.append(["when": "before_verification", "text": .string(
                    "This pact is in pending state for this version of \(provider) because a successful verification result for \(target) has not yet been published. If this verification fails, it will not cause the overall build to fail. Read more at https://docs.pact.io/pending")])
                notices.append(["when": "after_verification:success_true_published_false", "text": "This pact is still in pending state as the successful verification results have not yet been published."])
                notices.append(["when": "after_verification:success_false_published_false", "text": "This pact is still in pending state; the failure did not fail the build."])
                notices.append(["when": "after_verification:success_true_published_true", "text": .string("This pact is no longer in pending state for \(target), as a successful verification result was published.")])
                notices.append(["when": "after_verification:success_false_published_true", "text": "This pact is still in pending state; the failure did not fail the build."])
            } else {
                notices.append(["when": "before_verification", "text": .string(
                    "This pact has previously been successfully verified by \(target) of \(provider). If this verification fails, it will fail the build. Read more at https://docs.pact.io/pending")])
            }
        }
        var properties: JSONObject = [:]
        if query.includePending { properties["pending"] = .bool(pact.pending) }
        if pact.wip { properties["wip"] = true }
        properties["notices"] = .array(notices)
        return [
            "shortDescription": .string(pact.wip ? "WIP" : pact.shortDescriptions.joined(separator: ", ")),
            "verificationProperties": .object(properties),
            "_links": ["self": HAL.link(url, name: "Pact between \(pact.consumer.name) (\(versions)) and \(provider)")],
        ]
    }
}

struct PactsForVerificationRequest: Sendable {
    var selectors: [ConsumerVersionSelector]
    var providerBranch: String?
    var providerTags: [String]
    var includePending: Bool
    var wipSince: Int64?
}

/// A pact content chosen for verification, with why it was chosen.
struct SelectedPact: Sendable {
    var consumer: PacticipantRecord
    var content: PactVersionRecord
    var consumerVersions: [VersionRecord]
    var descriptions: [String]
    var shortDescriptions: [String]
    var pending = false
    var wip = false
}

/// Picks the pacts a provider should verify, with the Pact Broker's selector, pending and WIP rules.
struct PactSelection: Sendable {
    let store: Store
    let provider: PacticipantRecord

    func select(_ query: PactsForVerificationRequest) async throws -> [SelectedPact] {
        var selectors = query.selectors
        if selectors.isEmpty {
            var main = ConsumerVersionSelector()
            main.mainBranch = true
            var deployed = ConsumerVersionSelector()
            deployed.deployed = true
            var released = ConsumerVersionSelector()
            released.released = true
            selectors = [main, deployed, released]
        }
        let consumerIds = try await store.consumers(ofProvider: provider.id)
        var consumers: [PacticipantRecord] = []
        for id in consumerIds { if let record = try await store.pacticipant(id: id) { consumers.append(record) } }
        consumers.sort { $0.name < $1.name }

        var byContent: [Int64: SelectedPact] = [:]
        var order: [Int64] = []
        func add(_ publication: PublicationRecord, consumer: PacticipantRecord, description: String, short: String) async throws {
            guard let version = try await store.version(id: publication.consumerVersionId) else { return }
            if var existing = byContent[publication.pactVersionId] {
                if !existing.consumerVersions.contains(where: { $0.id == version.id }) { existing.consumerVersions.append(version) }
                if !existing.descriptions.contains(description) { existing.descriptions.append(description) }
                if !existing.shortDescriptions.contains(short) { existing.shortDescriptions.append(short) }
                byContent[publication.pactVersionId] = existing
            } else {
                guard let content = try await store.pactVersionSummary(id: publication.pactVersionId) else { return }
                byContent[publication.pactVersionId] = SelectedPact(consumer: consumer, content: content, consumerVersions: [version],
                                                                     descriptions: [description], shortDescriptions: [short])
                order.append(publication.pactVersionId)
            }
        }

        let environments = try await store.environments()
        for selector in selectors {
            if let name = selector.environment, !environments.contains(where: { $0.name == name }) {
                throw BrokerError.invalid("consumerVersionSelectors", "there is no environment named '\(name)'")
            }
            for consumer in consumers where selector.consumer == nil || selector.consumer == consumer.name {
                for (publication, description, short) in try await publications(for: selector, consumer: consumer, query: query, environments: environments) {
                    try await add(publication, consumer: consumer, description: description, short: short)
                }
            }
        }
        var result = order.compactMap { byContent[$0] }
        if query.includePending || query.wipSince != nil {
            let pending = try await pendingStates(result.map(\.content), query: query)
            for index in result.indices { result[index].pending = pending[result[index].content.id] ?? true }
        }
        if let since = query.wipSince, query.providerBranch != nil || !query.providerTags.isEmpty {
            result += try await workInProgress(since: since, excluding: Set(result.map(\.content.id)), consumers: consumers, query: query)
        }
        return result
    }

    private func publications(for selector: ConsumerVersionSelector, consumer: PacticipantRecord, query: PactsForVerificationRequest,
                              environments: [EnvironmentRecord]) async throws -> [(PublicationRecord, String, String)] {
        if selector.mainBranch {
            guard let branch = consumer.mainBranch,
                  let publication = try await store.latestPublication(consumerId: consumer.id, providerId: provider.id, branch: branch) else { return [] }
            return [(publication, "latest version of \(consumer.name) from the main branch (\(branch))", "latest from main branch")]
        }
        if selector.matchingBranch, let branch = query.providerBranch {
            guard let publication = try await store.latestPublication(consumerId: consumer.id, providerId: provider.id, branch: branch) else { return [] }
            return [(publication, "latest version of \(consumer.name) from the branch matching the provider's (\(branch))", "latest from matching branch")]
        }
        if let branch = selector.branch {
            if let publication = try await store.latestPublication(consumerId: consumer.id, providerId: provider.id, branch: branch) {
                return [(publication, "latest version of \(consumer.name) from branch '\(branch)'", "latest from branch \(branch)")]
            }
            if let fallback = selector.fallbackBranch, let publication = try await store.latestPublication(consumerId: consumer.id, providerId: provider.id, branch: fallback) {
                return [(publication, "latest version of \(consumer.name) from branch '\(fallback)' (fallback for '\(branch)')", "latest from branch \(fallback)")]
            }
            return []
        }
        if let tag = selector.tag {
            if selector.latest == true {
                if let publication = try await store.latestPublication(consumerId: consumer.id, providerId: provider.id, tag: tag) {
                    return [(publication, "latest version of \(consumer.name) tagged '\(tag)'", "latest with tag \(tag)")]
                }
                if let fallback = selector.fallbackTag, let publication = try await store.latestPublication(consumerId: consumer.id, providerId: provider.id, tag: fallback) {
                    return [(publication, "latest version of \(consumer.name) tagged '\(fallback)' (fallback for '\(tag)')", "latest with tag \(fallback)")]
                }
                return []
            }
            var result: [(PublicationRecord, String, String)] = []
            for version in try await store.versions(pacticipantId: consumer.id, tag: tag) {
                if let publication = try await store.publication(consumerVersionId: version.id, providerId: provider.id) {
                    result.append((publication, "every version of \(consumer.name) tagged '\(tag)'", "all with tag \(tag)"))
                }
            }
            return result
        }
        if selector.deployed || selector.released || selector.deployedOrReleased || selector.environment != nil {
            let scope = environments.filter { selector.environment == nil || $0.name == selector.environment }
            let wantDeployed = selector.deployed || selector.deployedOrReleased || (!selector.released && selector.environment != nil)
            let wantReleased = selector.released || selector.deployedOrReleased || (!selector.deployed && selector.environment != nil)
            var result: [(PublicationRecord, String, String)] = []
            for environment in scope {
                if wantDeployed {
                    for publication in try await store.publicationsInEnvironment(consumerId: consumer.id, providerId: provider.id, environmentId: environment.id, deployed: true) {
                        result.append((publication, "version(s) of \(consumer.name) currently deployed to \(environment.name)", "currently deployed to \(environment.name)"))
                    }
                }
                if wantReleased {
                    for publication in try await store.publicationsInEnvironment(consumerId: consumer.id, providerId: provider.id, environmentId: environment.id, deployed: false) {
                        result.append((publication, "version(s) of \(consumer.name) released to \(environment.name) and still supported", "currently released in \(environment.name)"))
                    }
                }
            }
            return result
        }
        if selector.latest == true {
            guard let publication = try await store.latestPublication(consumerId: consumer.id, providerId: provider.id) else { return [] }
            return [(publication, "latest version of \(consumer.name)", "latest")]
        }
        return []
    }

    struct Success: Sendable, Decodable {
        var pactVersionId: Int64
        var createdAt: Int64
        var onBranch: Int64
    }

    /// The pending state of several contents at once; with a provider branch it takes one query for all of them.
    func pendingStates(_ contents: [PactVersionRecord], query: PactsForVerificationRequest) async throws -> [Int64: Bool] {
        guard !contents.isEmpty else { return [:] }
        guard let branchName = query.providerBranch else {
            var states: [Int64: Bool] = [:]
            for content in contents { states[content.id] = try await isPending(content, query: query) }
            return states
        }
        let branch = try await store.branch(pacticipantId: provider.id, name: branchName)
        var states = Dictionary(uniqueKeysWithValues: contents.map { ($0.id, true) })
        for chunk in contents.map(\.id).chunked(500) {
            let rows = try await store.db.many(Success.self, """
                SELECT v.pact_version_id, v.created_at, CASE WHEN EXISTS (SELECT 1 FROM branch_versions bv WHERE bv.version_id = v.provider_version_id
                  AND bv.branch_id = \(bind: branch?.id ?? -1)) THEN 1 ELSE 0 END AS on_branch
                FROM verifications v WHERE v.pact_version_id IN (\(Store.list(chunk))) AND v.success = 1 AND v.wip = 0
                """)
            for row in rows {
                // A success counts from a version on the branch, or from before the branch existed (or from any
                // version while the branch does not exist yet).
                if row.onBranch != 0 || branch.map({ row.createdAt < $0.createdAt }) ?? true { states[row.pactVersionId] = false }
            }
        }
        return states
    }

    /// Pending until this content has a successful verification that counts for the provider's branch (or tags):
    /// one from a version on that branch, or from any version before the branch existed.
    func isPending(_ content: PactVersionRecord, query: PactsForVerificationRequest) async throws -> Bool {
        let successes = try await store.successfulVerifications(pactVersionId: content.id)
        if successes.isEmpty { return true }
        if let branchName = query.providerBranch {
            let branch = try await store.branch(pacticipantId: provider.id, name: branchName)
            let branches = try await store.branchVersions(versionIds: successes.map(\.providerVersionId))
            for verification in successes {
                if branches[verification.providerVersionId]?.contains(where: { $0.name == branchName }) == true { return false }
                if let branch, verification.createdAt < branch.createdAt { return false }
                if branch == nil { return false }
            }
            return true
        }
        if !query.providerTags.isEmpty {
            let tags = try await store.tags(versionIds: successes.map(\.providerVersionId))
            let wanted = Set(query.providerTags)
            return !successes.contains { verification in (tags[verification.providerVersionId] ?? []).contains { wanted.contains($0.name) } }
        }
        return false
    }

    /// The heads of consumer branches and tags created since the date that this provider branch has not verified.
    private func workInProgress(since: Int64, excluding: Set<Int64>, consumers: [PacticipantRecord], query: PactsForVerificationRequest) async throws -> [SelectedPact] {
        var result: [SelectedPact] = []
        var taken = excluding
        for consumer in consumers {
            var candidates: [(PublicationRecord, String)] = []
            for branch in try await store.branches(pacticipantId: consumer.id) where branch.createdAt >= since {
                if let publication = try await store.latestPublication(consumerId: consumer.id, providerId: provider.id, branch: branch.name) {
                    candidates.append((publication, "latest version of \(consumer.name) from branch '\(branch.name)'"))
                }
            }
            for tagName in try await tagsCreated(since: since, consumerId: consumer.id) {
                if let publication = try await store.latestPublication(consumerId: consumer.id, providerId: provider.id, tag: tagName) {
                    candidates.append((publication, "latest version of \(consumer.name) tagged '\(tagName)'"))
                }
            }
            for (publication, description) in candidates where !taken.contains(publication.pactVersionId) {
                guard let content = try await store.pactVersionSummary(id: publication.pactVersionId),
                      let version = try await store.version(id: publication.consumerVersionId) else { continue }
                guard try await isPending(content, query: query) else { continue }
                taken.insert(content.id)
                result.append(SelectedPact(consumer: consumer, content: content, consumerVersions: [version], descriptions: [description],
                                           shortDescriptions: ["WIP"], pending: true, wip: true))
            }
        }
        return result
    }

    private func tagsCreated(since: Int64, consumerId: Int64) async throws -> [String] {
        try await store.db.values(String.self, "name", "SELECT name FROM tags WHERE pacticipant_id = \(bind: consumerId) GROUP BY name HAVING MIN(created_at) >= \(bind: since) ORDER BY name")
    }
}
