import Foundation
import Logging
import PactModel
import SQLKit

/// Synthetic broker data of a chosen size, for benchmarks and demos: consumers and providers with versions on
/// `main`, pacts that change every few versions, verifications (one in seven failing), a `prod` tag every fiftieth
/// version, and the newest versions deployed to `production` and `staging`.
public enum BrokerSeeding {
    public struct Shape: Sendable {
        /// Half are consumers, half providers.
        public var pacticipants = 50
        public var versionsPerPacticipant = 400
        /// The providers each consumer has pacts with.
        public var providersPerConsumer = 5
        /// A consumer's pact with a provider changes every this many versions.
        public var versionsPerContent = 10
        /// The pact contents each provider version verifies per consumer.
        public var verificationsPerConsumer = 2

        public init() {}

        public var versions: Int { pacticipants * versionsPerPacticipant }
        public var publications: Int { pacticipants / 2 * versionsPerPacticipant * providersPerConsumer }
        public var verifications: Int { pacticipants / 2 * versionsPerPacticipant * providersPerConsumer * verificationsPerConsumer }
    }

    /// The names the seeded pacticipants get.
    public static func consumerName(_ index: Int) -> String { String(format: "bench-consumer-%02d", index) }
    public static func providerName(_ index: Int) -> String { String(format: "bench-provider-%02d", index) }
    public static func versionNumber(_ index: Int) -> String { "1.0.\(index)" }

    /// The providers a consumer has pacts with.
    public static func providers(ofConsumer consumer: Int, shape: Shape) -> [Int] {
        let half = shape.pacticipants / 2
        return (0..<shape.providersPerConsumer).map { (consumer + $0 * max(half / shape.providersPerConsumer, 1)) % half }
    }

    /// Fills an empty database. Reports progress as (what, done, total).
    public static func seed(_ location: DatabaseLocation, shape: Shape = Shape(), progress: @escaping @Sendable (String, Int, Int) -> Void = { _, _, _ in }) async throws {
        let database = try await BrokerDatabase.open(location, logger: Logger(label: "pactctl.broker.seed"))
        do {
            try await fill(database, shape: shape, progress: progress)
        } catch {
            await database.shutdown()
            throw error
        }
        await database.shutdown()
    }

    private static func fill(_ database: BrokerDatabase, shape: Shape, progress: @escaping @Sendable (String, Int, Int) -> Void) async throws {
        let half = shape.pacticipants / 2
        let start = Clock.nowMillis() - Int64(shape.versionsPerPacticipant) * 60_000
        // Pacticipants, environments, versions, branches and tags.
        let (environmentIds, consumerIds, providerIds): ([Int64], [Int64], [Int64]) = try await database.write { db in
            let store = Store(db)
            var environments: [Int64] = []
            for name in ["production", "staging"] {
                if let existing = try await store.environment(named: name) {
                    environments.append(existing.id)
                } else {
                    environments.append(try await store.createEnvironment(uuid: UUID().uuidString.lowercased(), name: name, displayName: nil,
                                                                          production: name == "production", contacts: nil).id)
                }
            }
            var consumers: [Int64] = []
            var providers: [Int64] = []
            for index in 0..<half {
                for (name, list) in [(consumerName(index), 0), (providerName(index), 1)] {
                    let record = try await store.ensurePacticipant(name)
                    try await db.exec("UPDATE pacticipants SET main_branch = 'main' WHERE id = \(bind: record.id)")
                    if list == 0 { consumers.append(record.id) } else { providers.append(record.id) }
                }
            }
            return (environments, consumers, providers)
        }
        var versionIds: [Int64: [Int64]] = [:]
        for (position, pacticipantId) in (consumerIds + providerIds).enumerated() {
            let ids = try await database.write { db -> [Int64] in
                let branch = try await Store(db).ensureBranch(pacticipantId: pacticipantId, name: "main")
                for chunk in Array(0..<shape.versionsPerPacticipant).chunked(200) {
                    var insert = db.insert(into: "versions").columns("pacticipant_id", "number", "build_url", "created_at")
                    for index in chunk {
                        insert = insert.values(pacticipantId, versionNumber(index), "https://ci.example.com/builds/\(index)", start + Int64(index) * 60_000)
                    }
                    try await insert.run()
                }
                let ids = try await db.values(Int64.self, "id", "SELECT id FROM versions WHERE pacticipant_id = \(bind: pacticipantId) ORDER BY id")
                for chunk in ids.chunked(200) {
                    var insert = db.insert(into: "branch_versions").columns("branch_id", "version_id", "created_at")
                    for id in chunk { insert = insert.values(branch.id, id, start) }
                    try await insert.run()
                }
                var tags = db.insert(into: "tags").columns("version_id", "pacticipant_id", "name", "created_at")
                for (index, id) in ids.enumerated() where index % 50 == 0 { tags = tags.values(id, pacticipantId, "prod", start + Int64(index) * 60_000) }
                try await tags.run()
                // The newest version in production, one a little older in staging.
                let now = Clock.nowMillis()
                for (environmentId, back) in zip(environmentIds, [1, 5]) where ids.count >= back {
                    try await db.exec("""
                        INSERT INTO deployed_versions (uuid, version_id, pacticipant_id, environment_id, currently_deployed, created_at)
                        VALUES (\(bind: UUID().uuidString.lowercased()), \(bind: ids[ids.count - back]), \(bind: pacticipantId), \(bind: environmentId), 1, \(bind: now))
                        """)
                }
                return ids
            }
            versionIds[pacticipantId] = ids
            progress("versions", (position + 1) * shape.versionsPerPacticipant, shape.versions)
        }
        // Pacts: a content per consumer, provider and block of versions; one publication per consumer version and provider.
        var contentIds: [String: Int64] = [:]
        var published = 0
        for (consumerIndex, consumerId) in consumerIds.enumerated() {
            let targets = providers(ofConsumer: consumerIndex, shape: shape)
            let ids = versionIds[consumerId] ?? []
            let created = try await database.write { db -> [String: Int64] in
                let store = Store(db)
                var created: [String: Int64] = [:]
                for providerIndex in targets {
                    let providerId = providerIds[providerIndex]
                    for block in 0..<((shape.versionsPerPacticipant + shape.versionsPerContent - 1) / shape.versionsPerContent) {
                        let pact = content(consumer: consumerName(consumerIndex), provider: providerName(providerIndex), block: block)
                        let record = try await store.ensurePactVersion(consumerId: consumerId, providerId: providerId, sha: pact.sha, content: pact.text)
                        created["\(consumerIndex)|\(providerIndex)|\(block)"] = record.id
                    }
                    for chunk in Array(ids.enumerated()).chunked(200) {
                        var insert = db.insert(into: "pact_publications").columns("consumer_version_id", "consumer_id", "provider_id", "pact_version_id", "revision", "created_at")
                        for (index, versionId) in chunk {
                            let contentId = created["\(consumerIndex)|\(providerIndex)|\(index / shape.versionsPerContent)"] ?? 0
                            insert = insert.values(versionId, consumerId, providerId, contentId, 1, start + Int64(index) * 60_000 + 1000)
                        }
                        try await insert.run()
                    }
                }
                return created
            }
            contentIds.merge(created) { a, _ in a }
            published += ids.count * targets.count
            progress("pact publications", published, shape.publications)
        }
        // Verifications: each provider version verifies the current and the previous content of each consumer.
        var consumersOf: [Int: [Int]] = [:]
        for consumerIndex in 0..<half {
            for providerIndex in providers(ofConsumer: consumerIndex, shape: shape) { consumersOf[providerIndex, default: []].append(consumerIndex) }
        }
        var verified = 0
        let blocks = (shape.versionsPerPacticipant + shape.versionsPerContent - 1) / shape.versionsPerContent
        for (providerIndex, providerId) in providerIds.enumerated() {
            let ids = versionIds[providerId] ?? []
            let consumers = consumersOf[providerIndex] ?? []
            let contents = contentIds
            let rows = try await database.write { db -> Int in
                var rows: [(Int64, Int64, Int64, Int, Int64)] = []
                for (index, versionId) in ids.enumerated() {
                    let current = min(index / shape.versionsPerContent, blocks - 1)
                    for consumerIndex in consumers {
                        for back in 0..<shape.verificationsPerConsumer {
                            guard let contentId = contents["\(consumerIndex)|\(providerIndex)|\(max(current - back, 0))"] else { continue }
                            rows.append((contentId, versionId, consumerIds[consumerIndex], index % 7 == 0 ? 0 : 1, start + Int64(index) * 60_000 + 2000))
                        }
                    }
                }
                for chunk in rows.chunked(200) {
                    var insert = db.insert(into: "verifications").columns("pact_version_id", "provider_version_id", "provider_id", "consumer_id", "success", "verified_by", "wip", "created_at")
                    for row in chunk {
                        insert = insert.values(row.0, row.1, providerId, row.2, row.3, #"{"implementation":"pactctl-bench","version":"1"}"#, 0, row.4)
                    }
                    try await insert.run()
                }
                return rows.count
            }
            verified += rows
            progress("verification results", verified, shape.verifications)
        }
        // Planner statistics, as a database that has been in use would have.
        _ = try await database.session { db in
            try await db.raw("ANALYZE").run()
            return true
        }
    }

    /// A small realistic pact whose interactions depend on the block, so each block has its own content.
    static func content(consumer: String, provider: String, block: Int) -> PactContent {
        var interactions: [JSONValue] = []
        for item in 0..<3 {
            interactions.append([
                "description": .string("request \(item) of block \(block)"),
                "providerStates": [["name": .string("account \(item) exists")]],
                "request": ["method": "GET", "path": .string("/accounts/\(item)"), "headers": ["Accept": "application/json"]],
                "response": [
                    "status": 200, "headers": ["Content-Type": "application/json"],
                    "body": ["id": .number(JSONNumber(item)), "balance": .number(JSONNumber(block * 100 + item)), "currency": "EUR"],
                    "matchingRules": ["body": ["$.balance": ["matchers": [["match": "integer"]]]]],
                ],
            ])
        }
        return PactContent(json: [
            "consumer": ["name": .string(consumer)], "provider": ["name": .string(provider)],
            "interactions": .array(interactions), "metadata": ["pactSpecification": ["version": "3.0.0"]],
        ])
    }
}
