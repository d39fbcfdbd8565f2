import Foundation
import PactBroker
import PactModel
import Testing

@Suite("Broker: retention (pactctl broker clean)")
struct RetentionTests {
    @Test("old versions go unless they are the latest, a branch or tag head, or deployed; what can-i-deploy needs stays", arguments: TestDatabase.available)
    func cleanKeepsWhatMatters(database: TestDatabase) async throws {
        // A database of its own on PostgreSQL: cleaning acts on the whole database, and other tests share the common one.
        let broker = try await TestBroker.start(database, postgresDatabase: "pactctl_retention")
        do {
            let app = broker.name("app"), api = broker.name("api"), production = broker.name("production")
            _ = try await broker.createEnvironment(production, production: true)
            // c1 and c2 on main with contents of their own; c3 heads a feature branch; c4 and c5 share a content.
            try await broker.publish(consumer: app, version: "c1", provider: api, branch: "main", descriptions: ["one"])
            try await broker.publish(consumer: app, version: "c2", provider: api, branch: "main", descriptions: ["two"])
            try await broker.publish(consumer: app, version: "c3", provider: api, branch: "feat/x", descriptions: ["three"])
            try await broker.publish(consumer: app, version: "c4", provider: api, branch: "main", tags: ["old-tag"], descriptions: ["four"])
            try await broker.publish(consumer: app, version: "c4b", provider: api, branch: "main", tags: ["old-tag"], descriptions: ["four"])
            try await broker.publish(consumer: app, version: "c5", provider: api, branch: "main", descriptions: ["four"])
            try await broker.verify(consumer: app, version: "c1", provider: api, providerVersion: "p1", success: true, branch: "main")
            try await broker.verify(consumer: app, version: "c2", provider: api, providerVersion: "p2", success: true, branch: "main")
            try await broker.verify(consumer: app, version: "c5", provider: api, providerVersion: "p3", success: true, branch: "main")
            try await broker.deploy(app, "c2", to: production)
            try await broker.deploy(api, "p2", to: production)
            let before = try await broker.canIDeploy(app, "c2", to: production)
            #expect(before["summary.deployable"] == .bool(true), "\(before.text)")

            // Nothing is old yet.
            let fresh = try await BrokerMaintenance.clean(broker.database, keepDays: 90, dryRun: false)
            #expect(fresh.versions.filter { $0.pacticipant == app || $0.pacticipant == api }.isEmpty)

            let later = Date().addingTimeInterval(200 * 86_400)
            let expected = [RetentionReport.RemovedVersion(pacticipant: app, number: "c1"), .init(pacticipant: app, number: "c4"),
                            .init(pacticipant: api, number: "p1")]
            let dryRun = try await BrokerMaintenance.clean(broker.database, keepDays: 90, dryRun: true, now: later)
            #expect(dryRun.versions.filter { $0.pacticipant == app || $0.pacticipant == api }.sorted { $0.number < $1.number } == expected)
            #expect(try await broker.get("/pacticipants/\(app)/versions/c1").status == 200, "a dry run changes nothing")

            let cleaned = try await BrokerMaintenance.clean(broker.database, keepDays: 90, dryRun: false, now: later)
            #expect(cleaned.versions.filter { $0.pacticipant == app || $0.pacticipant == api }.sorted { $0.number < $1.number } == expected)
            #expect(cleaned.pactContents >= 1, "c1's content is published by no one else")
            #expect(dryRun.pactContents == cleaned.pactContents || database == .postgres)
            for gone in ["c1", "c4"] { #expect(try await broker.get("/pacticipants/\(app)/versions/\(gone)").status == 404) }
            #expect(try await broker.get("/pacticipants/\(api)/versions/p1").status == 404)
            for kept in ["c2", "c3", "c4b", "c5"] { #expect(try await broker.get("/pacticipants/\(app)/versions/\(kept)").status == 200, "\(kept)") }
            // c4's content lives on through c4b and c5, with its verification.
            #expect(try await broker.get("/pacts/provider/\(api)/consumer/\(app)/version/c5").status == 200)
            let after = try await broker.canIDeploy(app, "c2", to: production)
            #expect(after["summary.deployable"] == .bool(true), "\(after.text)")
            let latest = try await broker.get("/matrix?q[][pacticipant]=\(app)&q[][version]=c5&latestby=cvpv")
            #expect(latest["matrix.0.verificationResult.success"] == .bool(true), "\(latest.text)")
            #expect(try await BrokerMaintenance.check(broker.database).isEmpty)
        } catch {
            await broker.stop()
            throw error
        }
        await broker.stop()
    }
}
