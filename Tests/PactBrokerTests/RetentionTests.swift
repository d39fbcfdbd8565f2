import Foundation
import PactBroker
import PactModel
import Testing

@Suite("Broker: retention (pactctl broker clean)")
struct RetentionTests {
    static let later = Date().addingTimeInterval(200 * 86_400)

    static func pending(_ broker: TestBroker, provider: String) async throws -> JSONValue? {
        let body: JSONValue = ["consumerVersionSelectors": [["mainBranch": true]], "providerVersionBranch": "main", "includePendingStatus": true]
        return try await broker.post("/pacts/provider/\(provider)/for-verification", body)["_embedded.pacts.0.verificationProperties.pending"]
    }

    static func ours(_ report: RetentionReport, _ names: Set<String>) -> [String] {
        report.versions.filter { names.contains($0.pacticipant) }.map { "\($0.pacticipant.split(separator: "-").first ?? ""):\($0.number)" }.sorted()
    }

    @Test("old versions go unless a keep rule protects them; can-i-deploy, pending and the latest pacts are unchanged", arguments: TestDatabase.available)
    func cleanKeepsWhatMatters(database: TestDatabase) async throws {
        // A database of its own on PostgreSQL: cleaning acts on the whole database, and other tests share the common one.
        let broker = try await TestBroker.start(database, postgresDatabase: "pactctl_retention")
        do {
            // Whatever an earlier run left that can go, goes now, so the figures below are this test's alone.
            _ = try await BrokerMaintenance.clean(broker.database, keepDays: 90, dryRun: false, now: Self.later)
            let app = broker.name("app"), api = broker.name("api"), other = broker.name("other"), bulk = broker.name("bulk")
            let production = broker.name("production"), store = broker.name("store")
            _ = try await broker.createEnvironment(production, production: true)
            _ = try await broker.createEnvironment(store)
            // r1: released to the store, with no pact; c0: the only version with a pact for `other`.
            _ = try await broker.put("/pacticipants/\(app)/versions/r1")
            let r1 = try await broker.get("/pacticipants/\(app)/versions/r1")
            let release = try #require(r1["_links.pb:record-release"]?.arrayValue?.first { $0["name"]?.stringValue == store }?["href"]?.stringValue)
            #expect(try await broker.post(release, [:]).status == 201)
            try await broker.publish(consumer: app, version: "c0", provider: other, branch: "main", descriptions: ["zero"])
            // c1 and c2 on main with contents of their own; c3 heads a feature branch; c4, c4b and c5 share a content.
            try await broker.publish(consumer: app, version: "c1", provider: api, branch: "main", descriptions: ["one"])
            try await broker.publish(consumer: app, version: "c2", provider: api, branch: "main", descriptions: ["two"])
            try await broker.publish(consumer: app, version: "c3", provider: api, branch: "feat/x", descriptions: ["three"])
            try await broker.publish(consumer: app, version: "c4", provider: api, branch: "main", tags: ["old-tag"], descriptions: ["four"])
            try await broker.publish(consumer: app, version: "c4b", provider: api, branch: "main", tags: ["old-tag"], descriptions: ["four"])
            try await broker.publish(consumer: app, version: "c5", provider: api, branch: "main", descriptions: ["four"])
            // p0 only failed; p1 first verified "one"; p2 verified "two" and is deployed; p3 is the last success of
            // "four" on main, and p4, the provider's head, failed it: without p3, "four" would turn pending again.
            try await broker.verify(consumer: app, version: "c2", provider: api, providerVersion: "p0", success: false, branch: "main")
            try await broker.verify(consumer: app, version: "c1", provider: api, providerVersion: "p1", success: true, branch: "main")
            try await broker.verify(consumer: app, version: "c2", provider: api, providerVersion: "p2", success: true, branch: "main")
            try await broker.verify(consumer: app, version: "c5", provider: api, providerVersion: "p3", success: true, branch: "main")
            try await broker.verify(consumer: app, version: "c5", provider: api, providerVersion: "p4", success: false, branch: "main")
            try await broker.deploy(app, "c2", to: production)
            try await broker.deploy(api, "p2", to: production)
            // More versions than one delete statement takes.
            for number in 1...520 { _ = try await broker.put("/pacticipants/\(bulk)/versions/\(number)") }

            let before = try await broker.canIDeploy(app, "c2", to: production)
            #expect(before["summary.deployable"] == .bool(true), "\(before.text)")
            #expect(try await Self.pending(broker, provider: api) == .bool(false))

            // Nothing is old yet.
            let fresh = try await BrokerMaintenance.clean(broker.database, keepDays: 90, dryRun: false)
            #expect(Self.ours(fresh, [app, api, other, bulk]).isEmpty)

            let expected = ["api:p0", "app:c1", "app:c4"]
            let dryRun = try await BrokerMaintenance.clean(broker.database, keepDays: 90, dryRun: true, now: Self.later)
            #expect(Self.ours(dryRun, [app, api, other]) == expected)
            #expect(Self.ours(dryRun, [bulk]).count == 519, "every bulk version but the latest")
            #expect(dryRun.pactContents == 1, "c1's content is published by no one else")
            #expect(try await broker.get("/pacticipants/\(app)/versions/c1").status == 200, "a dry run changes nothing")
            #expect(try await broker.get("/pacticipants/\(bulk)/versions/1").status == 200, "a dry run changes nothing")

            let cleaned = try await BrokerMaintenance.clean(broker.database, keepDays: 90, dryRun: false, now: Self.later)
            #expect(cleaned == dryRun, "the dry run reports exactly what the real run does")
            for gone in ["c1", "c4"] { #expect(try await broker.get("/pacticipants/\(app)/versions/\(gone)").status == 404) }
            #expect(try await broker.get("/pacticipants/\(api)/versions/p0").status == 404)
            #expect(try await broker.get("/pacticipants/\(bulk)/versions/519").status == 404)
            #expect(try await broker.get("/pacticipants/\(bulk)/versions/520").status == 200)
            for kept in ["r1", "c0", "c2", "c3", "c4b", "c5"] { #expect(try await broker.get("/pacticipants/\(app)/versions/\(kept)").status == 200, "\(kept)") }
            for kept in ["p1", "p2", "p3", "p4"] { #expect(try await broker.get("/pacticipants/\(api)/versions/\(kept)").status == 200, "\(kept)") }
            #expect(try await broker.get("/pacts/provider/\(other)/consumer/\(app)/latest").status == 200, "the latest pact with each provider stays")
            #expect(try await broker.get("/pacts/provider/\(api)/consumer/\(app)/latest/old-tag").status == 200)

            let after = try await broker.canIDeploy(app, "c2", to: production)
            #expect(after["summary.deployable"] == .bool(true), "\(after.text)")
            #expect(try await Self.pending(broker, provider: api) == .bool(false), "the success that made the pact non-pending stays")
            #expect(try await BrokerMaintenance.check(broker.database).isEmpty)
            // p1 stayed for the first success of c1's content, which this run removed; the next run lets it go.
            let again = try await BrokerMaintenance.clean(broker.database, keepDays: 90, dryRun: false, now: Self.later)
            #expect(Self.ours(again, [app, api, other, bulk]) == ["api:p1"] && again.pactContents == 0)
        } catch {
            await broker.stop()
            throw error
        }
        await broker.stop()
    }

    @Test func aMissingSQLiteFileOrAnAbsurdAgeIsRefusedWithTheReason() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("missing-\(UUID().uuidString).sqlite").path
        await #expect(throws: BrokerMaintenanceError.self) { try await BrokerMaintenance.clean(.sqlite(path: path), keepDays: 90, dryRun: true) }
        do {
            _ = try await BrokerMaintenance.clean(.sqlite(path: path), keepDays: 90, dryRun: true)
        } catch {
            #expect("\(error)" == "there is no broker database at \(path); check the --database path")
        }
        #expect(!FileManager.default.fileExists(atPath: path), "nothing is created")
        await #expect(throws: BrokerMaintenanceError.self) { try await BrokerMaintenance.clean(.sqlite(path: path), keepDays: 1_000_000_000, dryRun: true) }
    }
}
