import Foundation
import HTTPTypes
import Hummingbird
import PactModel

extension BrokerAPI {
    // MARK: Publishing

    func addPublishRoutes(to router: Router<BasicRequestContext>) {
        router.post("/contracts/publish") { request, _ -> Response in
            try await publishContracts(request)
        }
        // The legacy endpoint: the body is the pact itself. PATCH merges its interactions into the stored pact.
        router.put("/pacts/provider/:provider/consumer/:consumer/version/:version") { request, context -> Response in
            try await publishLegacy(request, context, merge: false)
        }
        router.patch("/pacts/provider/:provider/consumer/:consumer/version/:version") { request, context -> Response in
            try await publishLegacy(request, context, merge: true)
        }
    }

    struct ContractToPublish: Sendable {
        var content: PactContent
        var merge: Bool
    }

    private func publishContracts(_ request: Request) async throws -> Response {
        let body = try await jsonBody(request)
        let consumer = try body.requiredString("pacticipantName")
        let number = try body.requiredString("pacticipantVersionNumber")
        try validateName(consumer, field: "pacticipantName")
        try validateName(number, field: "pacticipantVersionNumber")
        let branch = try body.string("branch")
        if let branch { try validateName(branch, field: "branch") }
        let buildUrl = try body.string("buildUrl")
        var tags: [String] = []
        if let value = body["tags"] {
            guard let array = value.arrayValue else { throw BrokerError.invalid("tags", "must be an array of strings") }
            for item in array {
                guard let tag = item.stringValue else { throw BrokerError.invalid("tags", "must be an array of strings") }
                try validateName(tag, field: "tags")
                tags.append(tag)
            }
        }
        guard let contractValues = body["contracts"]?.arrayValue, !contractValues.isEmpty else {
            throw BrokerError.invalid("contracts", "must be a non-empty array of contracts")
        }
        var contracts: [ContractToPublish] = []
        for (index, value) in contractValues.enumerated() {
            let field = "contracts[\(index)]"
            guard case .object(let contract) = value else { throw BrokerError.invalid(field, "must be an object") }
            let specification = try contract.string("specification") ?? "pact"
            guard specification == "pact" else { throw BrokerError.invalid("\(field).specification", "'\(specification)' is not supported; only 'pact' is") }
            if let type = try contract.string("contentType"), !BrokerAPI.isJSON(type) {
                throw BrokerError.invalid("\(field).contentType", "'\(type)' is not supported; pacts are application/json")
            }
            guard let encoded = try contract.string("content") else { throw BrokerError.invalid("\(field).content", "is required (the pact, base64-encoded)") }
            guard let data = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters) else {
                throw BrokerError.invalid("\(field).content", "is not valid base64")
            }
            let content = try PactContent(bytes: Array(data), source: "\(field).content")
            if content.consumer != consumer {
                throw BrokerError.invalid("\(field).content", "names consumer '\(content.consumer)' but pacticipantName is '\(consumer)'")
            }
            if let name = try contract.string("consumerName"), name != content.consumer {
                throw BrokerError.invalid("\(field).consumerName", "is '\(name)' but the pact names consumer '\(content.consumer)'")
            }
            if let name = try contract.string("providerName"), name != content.provider {
                throw BrokerError.invalid("\(field).providerName", "is '\(name)' but the pact names provider '\(content.provider)'")
            }
            try validateName(content.provider, field: "\(field).providerName")
            let onConflict = try contract.string("onConflict") ?? "overwrite"
            guard onConflict == "overwrite" || onConflict == "merge" else {
                throw BrokerError.invalid("\(field).onConflict", "must be 'overwrite' or 'merge', not '\(onConflict)'")
            }
            contracts.append(ContractToPublish(content: content, merge: onConflict == "merge"))
        }
        let links = links(for: request)
        let tagList = tags, contractList = contracts
        let outcome = try await database.write { db -> [(PactContent, Store.PublishOutcome)] in
            let store = Store(db)
            let pacticipant = try await ensurePublishedPacticipant(store, consumer)
            let (version, versionIsNew) = try await store.ensureVersion(pacticipantId: pacticipant.id, number: number, buildUrl: buildUrl)
            if let branch {
                _ = try await store.addBranchVersion(branch, version: version)
                try await store.detectMainBranch(pacticipant, branch: branch)
            }
            for tag in tagList { _ = try await store.tag(version, tag, pacticipant: pacticipant, firstTagAsBranch: options.useFirstTagAsBranch) }
            var results: [(PactContent, Store.PublishOutcome)] = []
            for contract in contractList {
                results.append(try await storePact(store, contract.content, consumerVersion: version, versionIsNew: versionIsNew, merge: contract.merge, links: links))
            }
            return results
        }
        var notices: [JSONValue] = []
        let versionDescription = "\(consumer) version \(number)" + (branch.map { " on branch \($0)" } ?? "")
        notices.append(["type": "success", "text": .string("Created \(versionDescription)" + (tags.isEmpty ? "" : " with tags \(tags.joined(separator: ", "))"))])
        for (content, result) in outcome {
            let verb: String
            switch result {
            case .created: verb = "Pact published"
            case .updated: verb = "Pact updated"
            case .unchanged: verb = "Pact unchanged (already published)"
            }
            notices.append(["type": "success", "text": .string("\(verb) for \(content.consumer) version \(number) and provider \(content.provider).")])
            notices.append(["type": "prompt", "text": .string("  Next steps: verify it in \(content.provider)'s CI, then check \(links.url("matrix"))?q[][pacticipant]=\(Links.segment(consumer))&q[][version]=\(Links.segment(number))")])
        }
        let contractLinks: [JSONValue] = outcome.map { content, _ in
            HAL.link(links.pact(provider: content.provider, consumer: consumer, version: number), title: "Pact", name: "Pact between \(consumer) (\(number)) and \(content.provider)")
        }
        let document: JSONValue = [
            "notices": .array(notices),
            // The official CLI requires `logs` but reads only `notices`; the notices carry everything.
            "logs": [],
            "_embedded": [
                "pacticipant": ["name": .string(consumer), "_links": ["self": HAL.link(links.pacticipant(consumer), title: "Pacticipant", name: consumer)]],
                "version": ["number": .string(number), "_links": ["self": HAL.link(links.version(consumer, number), title: "Pacticipant version", name: number)]],
            ],
            "_links": [
                "pb:pacticipant": HAL.link(links.pacticipant(consumer), title: "Pacticipant", name: consumer),
                "pb:pacticipant-version": HAL.link(links.version(consumer, number), title: "Pacticipant version", name: number),
                "pb:pacticipant-version-tags": .array(tags.map { HAL.link(links.tag(consumer, number, $0), title: "Tag", name: $0) }),
                "pb:contracts": .array(contractLinks),
            ],
        ]
        return HAL.response(document)
    }

    /// The pacticipant a publication names, created when new, unless its name looks like an existing one's: then 409,
    /// so that a typo does not split one service's contracts between two pacticipants.
    func ensurePublishedPacticipant(_ store: Store, _ name: String) async throws -> PacticipantRecord {
        if let existing = try await store.pacticipant(named: name) { return existing }
        if options.checkSimilarNames {
            let similar = SimilarNames.similar(to: name, among: try await store.db.values(String.self, "name", "SELECT name FROM pacticipants"))
            if !similar.isEmpty {
                let list = similar.map { "'\($0)'" }.joined(separator: ", ")
                throw BrokerError.conflict(
                    "'\(name)' would be a new pacticipant, but its name looks like \(list); publish under the existing name, " +
                    "or create '\(name)' first (POST /pacticipants, or pactctl create-or-update-pacticipant --name '\(name)') if it really is another service",
                    notices: ["'\(name)' is very like the existing pacticipant(s) \(list)"])
            }
        }
        return try await store.ensurePacticipant(name)
    }

    /// Stores one pact for a consumer version: 409 when that version already has different content for the
    /// provider (contracts are immutable per version), unless merging was asked for.
    func storePact(_ store: Store, _ incoming: PactContent, consumerVersion: VersionRecord, versionIsNew: Bool = false, merge: Bool,
                   links: Links) async throws -> (PactContent, Store.PublishOutcome) {
        let provider = try await ensurePublishedPacticipant(store, incoming.provider)
        var content = incoming
        // Concurrent publishes of this version queue here, so the one that reads below sees what the others stored.
        try await store.lockVersion(id: consumerVersion.id)
        // A version created in this transaction has no pacts yet.
        let existingPublication = versionIsNew ? nil : try await store.publication(consumerVersionId: consumerVersion.id, providerId: provider.id)
        if let existing = existingPublication,
           let stored = try await store.pactVersion(id: existing.pactVersionId), stored.sha != incoming.sha {
            if merge, let storedValue = try? JSONParser.parse(stored.content), case .object(let storedJSON) = storedValue {
                content = incoming.merged(into: PactContent(json: storedJSON))
            } else {
                // The Pact Broker's wording, which its clients print and CI scripts look for.
                throw BrokerError.conflict(
                    "Cannot change the content of the pact for \(incoming.consumer) version \(consumerVersion.number) and provider \(incoming.provider), " +
                    "as race conditions will cause unreliable results for can-i-deploy. Each pact must be published with a unique consumer version number. " +
                    "Publish the changed contract with a new consumer version, or use onConflict: merge to add interactions.",
                    notices: ["Cannot change the content of the pact for \(incoming.consumer) version \(consumerVersion.number) and provider \(incoming.provider)"])
            }
        }
        // Read in this transaction, never cached: a webhook created on any instance counts from the moment it commits.
        let hasWebhooks = try await WebhookStore(store.db).any()
        let previous = hasWebhooks ? try await store.latestPublication(consumerId: consumerVersion.pacticipantId, providerId: provider.id) : nil
        let pactVersion = try await store.ensurePactVersion(consumerId: consumerVersion.pacticipantId, providerId: provider.id, sha: content.sha, content: content.text)
        let (_, outcome) = try await store.publish(consumerVersion: consumerVersion, providerId: provider.id, pactVersionId: pactVersion.id,
                                                   existing: .some(existingPublication))
        if outcome != .unchanged && hasWebhooks {
            try await triggerContractEvents(store, consumerVersion: consumerVersion, consumer: incoming.consumer, provider: provider,
                                            content: pactVersion, previousContentId: previous?.pactVersionId, links: links)
        }
        return (content, outcome)
    }

    private func publishLegacy(_ request: Request, _ context: BasicRequestContext, merge: Bool) async throws -> Response {
        let providerName = try parameter(context, "provider"), consumerName = try parameter(context, "consumer"), number = try parameter(context, "version")
        try validateName(providerName, field: "provider")
        try validateName(consumerName, field: "consumer")
        try validateName(number, field: "version")
        var request = request
        if let type = request.headers[.contentType], !BrokerAPI.isJSON(type) { throw BrokerError.unsupportedMediaType(type) }
        let buffer = try await request.collectBody(upTo: options.maxBodyBytes)
        let content = try PactContent(bytes: Array(buffer.readableBytesView), source: "pact")
        if content.consumer != consumerName { throw BrokerError.invalid("consumer", "the pact names consumer '\(content.consumer)' but the URL names '\(consumerName)'") }
        if content.provider != providerName { throw BrokerError.invalid("provider", "the pact names provider '\(content.provider)' but the URL names '\(providerName)'") }
        let links = links(for: request)
        let (document, outcome) = try await database.write { db -> (JSONValue, Store.PublishOutcome) in
            let store = Store(db)
            let consumer = try await ensurePublishedPacticipant(store, consumerName)
            let version = try await store.ensureVersion(pacticipantId: consumer.id, number: number).0
            let (_, outcome) = try await storePact(store, content, consumerVersion: version, merge: merge, links: links)
            guard let document = try await pactDocument(store, provider: providerName, consumer: consumerName, version: number, links: links) else {
                throw StoreError.vanished("pact")
            }
            return (document, outcome)
        }
        return HAL.response(document, status: outcome == .created ? .created : .ok)
    }

    // MARK: Fetching

    func addPactRoutes(to router: Router<BasicRequestContext>) {
        router.get("/pacts/provider/:provider/consumer/:consumer/version/:version") { request, context -> Response in
            let provider = try parameter(context, "provider"), consumer = try parameter(context, "consumer"), number = try parameter(context, "version")
            let links = links(for: request)
            let document = try await database.read { db in
                try await pactDocument(Store(db), provider: provider, consumer: consumer, version: number, links: links)
            }
            guard let document else { throw BrokerError.notFound("no pact between \(consumer) version \(number) and \(provider) is published") }
            return HAL.response(document)
        }
        router.get("/pacts/provider/:provider/consumer/:consumer/pact-version/:sha") { request, context -> Response in
            try await pactBySHA(request, context, metadata: nil)
        }
        router.get("/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/metadata/:metadata") { request, context -> Response in
            try await pactBySHA(request, context, metadata: try parameter(context, "metadata"))
        }
        router.get("/pacts/provider/:provider/consumer/:consumer/latest") { request, context -> Response in
            try await latestPact(request, context, tag: nil, branch: nil)
        }
        router.get("/pacts/provider/:provider/consumer/:consumer/latest/:tag") { request, context -> Response in
            try await latestPact(request, context, tag: try parameter(context, "tag"), branch: nil)
        }
        router.get("/pacts/provider/:provider/consumer/:consumer/branch/:branch/latest") { request, context -> Response in
            try await latestPact(request, context, tag: nil, branch: try parameter(context, "branch"))
        }
        router.get("/pacts/provider/:provider/latest") { request, context -> Response in
            try await latestProviderPacts(request, context, tag: nil)
        }
        router.get("/pacts/provider/:provider/latest/:tag") { request, context -> Response in
            try await latestProviderPacts(request, context, tag: try parameter(context, "tag"))
        }
        router.get("/pacts/latest") { request, _ -> Response in
            let links = links(for: request)
            let items = try await database.read { db -> [JSONValue] in
                let store = Store(db)
                var items: [JSONValue] = []
                let publications = try await store.latestPublications()
                // Names and version numbers in two queries, not three per integration.
                let pacticipants = try await store.pacticipants(ids: Set(publications.flatMap { [$0.consumerId, $0.providerId] }))
                let versions = try await store.versions(ids: publications.map(\.consumerVersionId))
                for publication in publications {
                    guard let consumer = pacticipants[publication.consumerId], let provider = pacticipants[publication.providerId],
                          let version = versions[publication.consumerVersionId] else { continue }
                    items.append([
                        "createdAt": .string(Clock.iso(publication.createdAt)),
                        "_embedded": [
                            "consumer": ["name": .string(consumer.name), "_links": ["self": HAL.link(links.pacticipant(consumer.name))],
                                         "_embedded": ["version": ["number": .string(version.number)]]],
                            "provider": ["name": .string(provider.name), "_links": ["self": HAL.link(links.pacticipant(provider.name))]],
                        ],
                        "_links": [
                            "self": .array([
                                HAL.link(links.latestPact(provider: provider.name, consumer: consumer.name), title: "Latest pact"),
                                HAL.link(links.pact(provider: provider.name, consumer: consumer.name, version: version.number), title: "Pact"),
                            ]),
                        ],
                    ])
                }
                return items
            }
            return HAL.response(["pacts": .array(items), "_links": ["self": HAL.link(links.url("pacts", "latest"))]])
        }
    }

    /// The pact published for a consumer version, with the broker's links merged in.
    func pactDocument(_ store: Store, provider providerName: String, consumer consumerName: String, version number: String, links: Links) async throws -> JSONValue? {
        guard let consumer = try await store.pacticipant(named: consumerName), let provider = try await store.pacticipant(named: providerName),
              let version = try await store.version(pacticipantId: consumer.id, number: number),
              let publication = try await store.publication(consumerVersionId: version.id, providerId: provider.id),
              let content = try await store.pactVersion(id: publication.pactVersionId) else { return nil }
        return pactDocument(content, consumer: consumer.name, provider: provider.name, consumerVersion: version.number,
                            createdAt: publication.createdAt, metadata: nil, links: links)
    }

    func pactDocument(_ content: PactVersionRecord, consumer: String, provider: String, consumerVersion: String?, createdAt: Int64,
                      metadata: String?, links: Links) -> JSONValue {
        var object: JSONObject
        if let value = try? JSONParser.parse(content.content), case .object(let stored) = value { object = stored } else { object = JSONObject() }
        object["createdAt"] = .string(Clock.iso(createdAt))
        var pactLinks: JSONObject = [
            "self": HAL.link(consumerVersion.map { links.pact(provider: provider, consumer: consumer, version: $0) }
                             ?? links.pactVersion(provider: provider, consumer: consumer, sha: content.sha, metadata: metadata),
                             title: "Pact", name: "Pact between \(consumer) (\(consumerVersion ?? content.sha)) and \(provider)"),
            "pb:consumer": HAL.link(links.pacticipant(consumer), title: "Consumer", name: consumer),
            "pb:provider": HAL.link(links.pacticipant(provider), title: "Provider", name: provider),
            "pb:pact-version": HAL.link(links.pactVersion(provider: provider, consumer: consumer, sha: content.sha), title: "Pact content version", name: content.sha),
            "pb:latest-pact-version": HAL.link(links.latestPact(provider: provider, consumer: consumer), title: "Latest version of this pact"),
            "pb:publish-verification-results": HAL.link(links.verificationResults(provider: provider, consumer: consumer, sha: content.sha, metadata: metadata),
                                                        title: "Publish verification results"),
            "pb:latest-verification-results": HAL.link(links.verificationResults(provider: provider, consumer: consumer, sha: content.sha) + "/latest"),
            "pb:matrix-for-consumer-version": HAL.link(links.url("matrix") + "?q[][pacticipant]=\(Links.segment(consumer))" + (consumerVersion.map { "&q[][version]=\(Links.segment($0))" } ?? "") + "&latestby=cvp"),
        ]
        if let consumerVersion {
            pactLinks["pb:consumer-version"] = HAL.link(links.version(consumer, consumerVersion), title: "Consumer version", name: consumerVersion)
            pactLinks["pb:tag-version"] = HAL.link(links.version(consumer, consumerVersion) + "/tags/{tag}", title: "Tag this version", templated: true)
        }
        object["_links"] = .object(pactLinks)
        return .object(object)
    }

    private func pactBySHA(_ request: Request, _ context: BasicRequestContext, metadata: String?) async throws -> Response {
        let providerName = try parameter(context, "provider"), consumerName = try parameter(context, "consumer"), sha = try parameter(context, "sha")
        let links = links(for: request)
        let document = try await database.read { db -> JSONValue? in
            let store = Store(db)
            guard let consumer = try await store.pacticipant(named: consumerName), let provider = try await store.pacticipant(named: providerName),
                  let content = try await store.pactVersion(consumerId: consumer.id, providerId: provider.id, sha: sha) else { return nil }
            let newest = try await store.consumerVersions(pactVersionId: content.id).first
            return pactDocument(content, consumer: consumerName, provider: providerName, consumerVersion: metadata == nil ? newest?.number : nil,
                                createdAt: content.createdAt, metadata: metadata, links: links)
        }
        guard let document else { throw BrokerError.notFound("no pact between \(consumerName) and \(providerName) has content \(sha)") }
        return HAL.response(document)
    }

    private func latestPact(_ request: Request, _ context: BasicRequestContext, tag: String?, branch: String?) async throws -> Response {
        let providerName = try parameter(context, "provider"), consumerName = try parameter(context, "consumer")
        let links = links(for: request)
        let document = try await database.read { db -> JSONValue? in
            let store = Store(db)
            guard let consumer = try await store.pacticipant(named: consumerName), let provider = try await store.pacticipant(named: providerName),
                  let publication = try await store.latestPublication(consumerId: consumer.id, providerId: provider.id, tag: tag, branch: branch),
                  let version = try await store.version(id: publication.consumerVersionId),
                  let content = try await store.pactVersion(id: publication.pactVersionId) else { return nil }
            return pactDocument(content, consumer: consumerName, provider: providerName, consumerVersion: version.number,
                                createdAt: publication.createdAt, metadata: nil, links: links)
        }
        guard let document else {
            let qualifier = tag.map { " with tag '\($0)'" } ?? branch.map { " on branch '\($0)'" } ?? ""
            throw BrokerError.notFound("no pact between \(consumerName)\(qualifier) and \(providerName) is published")
        }
        return HAL.response(document)
    }

    private func latestProviderPacts(_ request: Request, _ context: BasicRequestContext, tag: String?) async throws -> Response {
        let providerName = try parameter(context, "provider")
        let links = links(for: request)
        let items = try await database.read { db -> [JSONValue] in
            let store = Store(db)
            let provider = try await requirePacticipant(store, providerName)
            var items: [JSONValue] = []
            for publication in try await store.latestPublications(providerId: provider.id, tag: tag) {
                guard let consumer = try await store.pacticipant(id: publication.consumerId),
                      let version = try await store.version(id: publication.consumerVersionId) else { continue }
                items.append(HAL.link(links.pact(provider: providerName, consumer: consumer.name, version: version.number),
                                      title: "Pact between \(consumer.name) (\(version.number)) and \(providerName)", name: consumer.name))
            }
            return items
        }
        let selfURL = links.url("pacts", "provider", Links.segment(providerName), "latest") + (tag.map { "/" + Links.segment($0) } ?? "")
        return HAL.response([
            "_links": [
                "self": HAL.link(selfURL, title: "Latest pact versions for the provider \(providerName)" + (tag.map { " with tag '\($0)'" } ?? "")),
                "provider": HAL.link(links.pacticipant(providerName), name: providerName),
                "pb:provider": HAL.link(links.pacticipant(providerName), name: providerName),
                "pb:pacts": .array(items),
                "pacts": .array(items),
            ],
        ])
    }
}
