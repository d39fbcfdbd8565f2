import Foundation
import HTTPTypes
import Hummingbird
import PactModel

extension BrokerAPI {
    func addMatrixRoutes(to router: Router<BasicRequestContext>) {
        router.get("/matrix") { request, _ -> Response in
            let query = try MatrixQuery(items: BrokerAPI.queryItems(request))
            return try await matrixResponse(query, links: links(for: request))
        }
        // The Pact Broker's shortcut: /can-i-deploy?pacticipant=P&version=V&environment=E (or to=TAG).
        router.get("/can-i-deploy") { request, _ -> Response in
            guard let pacticipant = BrokerAPI.query(request, "pacticipant"), !pacticipant.isEmpty else {
                throw BrokerError.invalid("pacticipant", "is required")
            }
            var selector = MatrixSelector(pacticipant: pacticipant)
            if let version = BrokerAPI.query(request, "version"), !version.isEmpty {
                selector.version = version
            } else {
                selector.latest = true
            }
            var query = MatrixQuery(selectors: [selector])
            query.latestBy = .cvpv
            if let environment = BrokerAPI.query(request, "environment"), !environment.isEmpty {
                query.environment = environment
            } else if let tag = BrokerAPI.query(request, "to") ?? BrokerAPI.query(request, "tag"), !tag.isEmpty {
                query.tag = tag
                query.latest = true
            } else {
                throw BrokerError.invalid("environment", "say where the version is going: environment=NAME (or to=TAG)")
            }
            return try await matrixResponse(query, links: links(for: request))
        }
    }

    func matrixResponse(_ query: MatrixQuery, links: Links) async throws -> Response {
        let document = try await database.read { db -> JSONValue in
            let store = Store(db)
            let result = try await MatrixCalculator(store: store).compute(query)
            let versionIds = result.rows.flatMap { [$0.consumerVersion.id] + ($0.providerVersion.map { [$0.id] } ?? []) }
            let tags = try await store.tags(versionIds: versionIds)
            let branches = try await store.branchVersions(versionIds: versionIds)
            let placed = try await store.environmentIds(versionIds: versionIds)
            var environments: [Int64: [EnvironmentRecord]] = [:]
            if !placed.isEmpty {
                let all = Dictionary(uniqueKeysWithValues: try await store.environments().map { ($0.id, $0) })
                for (versionId, ids) in placed { environments[versionId] = ids.compactMap { all[$0] }.sorted { $0.name < $1.name } }
            }
            return matrixDocument(result, tags: tags, branches: branches, environments: environments, links: links)
        }
        return HAL.response(document)
    }

    func matrixDocument(_ result: MatrixResult, tags: [Int64: [TagRecord]], branches: [Int64: [(name: String, latest: Bool)]],
                        environments: [Int64: [EnvironmentRecord]], links: Links) -> JSONValue {
        func version(_ v: VersionRecord, of pacticipant: String) -> JSONValue {
            let branchList = branches[v.id] ?? []
            var object: JSONObject = ["number": .string(v.number)]
            if let latestBranch = branchList.last { object["branch"] = .string(latestBranch.name) }
            object["branches"] = .array(branchList.map { ["name": .string($0.name), "latest": .bool($0.latest)] })
            object["branchVersions"] = .array(branchList.map { ["name": .string($0.name), "latest": .bool($0.latest)] })
            object["environments"] = .array((environments[v.id] ?? []).map { environment in
                ["uuid": .string(environment.uuid), "name": .string(environment.name),
                 "displayName": .string(environment.displayName ?? Representation.displayName(for: environment.name)),
                 "production": .bool(environment.production != 0)]
            })
            object["tags"] = .array((tags[v.id] ?? []).map { ["name": .string($0.name)] })
            object["_links"] = ["self": HAL.link(links.version(pacticipant, v.number))]
            return .object(object)
        }
        let rows: [JSONValue] = result.rows.map { row in
            var object: JSONObject = [
                "consumer": ["name": .string(row.consumer.name), "version": version(row.consumerVersion, of: row.consumer.name),
                             "_links": ["self": HAL.link(links.pacticipant(row.consumer.name))]],
                "provider": ["name": .string(row.provider.name), "version": row.providerVersion.map { version($0, of: row.provider.name) } ?? .null,
                             "_links": ["self": HAL.link(links.pacticipant(row.provider.name))]],
                "pact": ["createdAt": .string(Clock.iso(row.publication.createdAt)),
                         "_links": ["self": HAL.link(links.pact(provider: row.provider.name, consumer: row.consumer.name, version: row.consumerVersion.number))]],
            ]
            if let verification = row.verification {
                object["verificationResult"] = [
                    "success": .bool(verification.succeeded),
                    "verifiedAt": .string(Clock.iso(verification.createdAt)),
                    "_links": ["self": HAL.link(links.verification(provider: row.provider.name, consumer: row.consumer.name, sha: row.pactVersion.sha, id: verification.id))],
                ]
            } else {
                object["verificationResult"] = .null
            }
            if row.ignored { object["ignored"] = true }
            return .object(object)
        }
        var summary: JSONObject = [
            "deployable": result.deployable.map(JSONValue.bool) ?? .null,
            "reason": .string(result.reasons.joined(separator: "\n")),
            "success": .number(JSONNumber(result.successCount)),
            "failed": .number(JSONNumber(result.failedCount)),
            "unknown": .number(JSONNumber(result.unknownCount)),
        ]
        if result.ignoredCount > 0 { summary["ignored"] = .number(JSONNumber(result.ignoredCount)) }
        return [
            "summary": .object(summary),
            "notices": .array(result.notices.map { ["type": .string($0.type), "text": .string($0.text)] }),
            "matrix": .array(rows),
        ]
    }
}
