import Foundation
import PactModel
import Testing

@Suite("Broker: matrix and can-i-deploy")
struct MatrixTests {
    @Test("a consumer can deploy only where a provider that verified its pact successfully is deployed", arguments: TestDatabase.available)
    func consumerToEnvironment(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let web = broker.name("Web"), api = broker.name("API"), production = broker.name("production")
            _ = try await broker.createEnvironment(production, production: true)
            try await broker.publish(consumer: web, version: "1", provider: api, branch: "main")

            // Nothing deployed and nothing verified: unknown (null), never "no".
            let unknown = try await broker.canIDeploy(web, "1", to: production)
            #expect(unknown.status == 200)
            #expect(unknown["summary.deployable"] == .null)
            #expect(unknown["summary.unknown"] == 1)
            #expect(unknown["summary.reason"]?.stringValue?.contains("no verified pact") == true)
            #expect(unknown["matrix.0.provider.version"] == .null)
            #expect(unknown["matrix.0.verificationResult"] == .null)

            // The provider verified it but is not in production yet: still unknown.
            try await broker.verify(consumer: web, version: "1", provider: api, providerVersion: "a1", success: true)
            #expect(try await broker.canIDeploy(web, "1", to: production)["summary.deployable"] == .null)

            // Deployed: yes.
            try await broker.deploy(api, "a1", to: production)
            let yes = try await broker.canIDeploy(web, "1", to: production)
            #expect(yes["summary.deployable"] == .bool(true), "\(yes.text)")
            #expect(yes["summary.success"] == 1)
            #expect(yes["matrix.0.provider.version.number"] == "a1")
            #expect(yes["matrix.0.provider.version.environments.0.name"]?.stringValue == production)
            #expect(yes["matrix.0.verificationResult.success"] == .bool(true))
            #expect(yes["matrix.0.verificationResult._links.self.href"]?.stringValue?.contains("/verification-results/") == true)

            // A new provider version that fails the pact replaces a1 in production: no.
            try await broker.verify(consumer: web, version: "1", provider: api, providerVersion: "a2", success: false)
            try await broker.deploy(api, "a2", to: production)
            let no = try await broker.canIDeploy(web, "1", to: production)
            #expect(no["summary.deployable"] == .bool(false))
            #expect(no["summary.failed"] == 1)
            #expect(no["summary.reason"]?.stringValue?.contains("failed") == true)
            #expect(no["notices"]?.arrayValue?.contains { $0["type"] == "error" } == true)
        }
    }

    @Test("limit shortens the rows shown but never the rows the decision counts", arguments: TestDatabase.available)
    func limitOnlyShortensTheList(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let web = broker.name("Web"), verified = broker.name("API"), unverified = broker.name("Ledger")
            try await broker.publish(consumer: web, version: "1", provider: verified)
            try await broker.publish(consumer: web, version: "1", provider: unverified)
            try await broker.verify(consumer: web, version: "1", provider: verified, providerVersion: "a1", success: true)
            let path = "/matrix?q[][pacticipant]=\(web)&q[][version]=1&latestby=cvp"
            let all = try await broker.get(path)
            #expect(all["matrix"]?.arrayValue?.count == 2)
            #expect(all["summary.deployable"] == .null)

            // The row left out by limit=1 is the unverified one; the answer must still be "unknown".
            let one = try await broker.get(path + "&limit=1")
            #expect(one["matrix"]?.arrayValue?.count == 1, "\(one.text)")
            #expect(one["summary.deployable"] == .null, "\(one.text)")
            #expect(one["summary.unknown"] == 1 && one["summary.success"] == 1)
            #expect(one["notices"]?.arrayValue?.contains { $0["text"]?.stringValue?.contains("Only the first 1 of 2 rows") == true } == true)
        }
    }

    @Test("every deployed instance of the provider must have verified the pact", arguments: TestDatabase.available)
    func everyInstanceCounts(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let web = broker.name("Web"), api = broker.name("API"), production = broker.name("production")
            _ = try await broker.createEnvironment(production)
            try await broker.publish(consumer: web, version: "1", provider: api)
            try await broker.verify(consumer: web, version: "1", provider: api, providerVersion: "a1", success: true)
            _ = try await broker.put("/pacticipants/\(api)/versions/a0")
            try await broker.deploy(api, "a1", to: production, instance: "blue")
            try await broker.deploy(api, "a0", to: production, instance: "green")
            let reply = try await broker.canIDeploy(web, "1", to: production)
            #expect(reply["summary.deployable"] == .null, "a0 on green never verified version 1's pact")
            #expect(reply["matrix"]?.arrayValue?.count == 2)
        }
    }

    @Test("a provider can deploy where its consumers are satisfied, and anywhere none is deployed", arguments: TestDatabase.available)
    func providerToEnvironment(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let web = broker.name("Web"), mobile = broker.name("Mobile"), api = broker.name("API")
            let production = broker.name("production"), empty = broker.name("empty")
            _ = try await broker.createEnvironment(production)
            _ = try await broker.createEnvironment(empty)
            try await broker.publish(consumer: web, version: "w1", provider: api)
            try await broker.publish(consumer: mobile, version: "m1", provider: api, descriptions: ["mobile call"])
            try await broker.deploy(web, "w1", to: production)
            let releaseDoc = try await broker.get("/pacticipants/\(mobile)/versions/m1")
            let release = try #require(releaseDoc["_links.pb:record-release"]?.arrayValue?.first { $0["name"]?.stringValue == production }?["href"]?.stringValue)
            _ = try await broker.post(release, [:])

            try await broker.verify(consumer: web, version: "w1", provider: api, providerVersion: "p1", success: true)
            #expect(try await broker.canIDeploy(api, "p1", to: empty)["summary.deployable"] == .bool(true), "no consumer is deployed there")
            let partial = try await broker.canIDeploy(api, "p1", to: production)
            #expect(partial["summary.deployable"] == .null, "the released mobile version's pact is not verified by p1")

            try await broker.verify(consumer: mobile, version: "m1", provider: api, providerVersion: "p1", success: true)
            let all = try await broker.canIDeploy(api, "p1", to: production)
            #expect(all["summary.deployable"] == .bool(true), "\(all.text)")
            #expect(all["summary.success"] == 2)
        }
    }

    @Test("verification results attach to the pact content, so an unchanged pact stays verified", arguments: TestDatabase.available)
    func contentSharing(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let web = broker.name("Web"), api = broker.name("API"), production = broker.name("production")
            _ = try await broker.createEnvironment(production)
            try await broker.publish(consumer: web, version: "1", provider: api)
            try await broker.verify(consumer: web, version: "1", provider: api, providerVersion: "p1", success: true)
            try await broker.deploy(api, "p1", to: production)
            try await broker.publish(consumer: web, version: "2", provider: api)
            #expect(try await broker.canIDeploy(web, "2", to: production)["summary.deployable"] == .bool(true))
            try await broker.publish(consumer: web, version: "3", provider: api, descriptions: ["a changed contract"])
            #expect(try await broker.canIDeploy(web, "3", to: production)["summary.deployable"] == .null)
        }
    }

    @Test("the CLI's matrix queries: latest, tags, several selectors, ignore, and errors", arguments: TestDatabase.available)
    func matrixQueries(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let web = broker.name("Web"), api = broker.name("API")
            try await broker.publish(consumer: web, version: "1", provider: api, tags: ["prod"])
            try await broker.verify(consumer: web, version: "1", provider: api, providerVersion: "p1", success: true)
            _ = try await broker.put("/pacticipants/\(api)/versions/p1/tags/prod")

            // can-i-deploy --pacticipant Web --version 1 --to prod
            let toTag = try await broker.get("/matrix?q[][pacticipant]=\(web)&q[][version]=1&latestby=cvp&latest=true&tag=prod")
            #expect(toTag["summary.deployable"] == .bool(true), "\(toTag.text)")

            // Two explicit selectors: only the rows between them count.
            let pair = try await broker.get("/matrix?q[][pacticipant]=\(web)&q[][version]=1&q[][pacticipant]=\(api)&q[][version]=p1&latestby=cvpv")
            #expect(pair["summary.deployable"] == .bool(true))
            #expect(pair["matrix"]?.arrayValue?.count == 1)

            // --latest prod on the consumer.
            let latestTagged = try await broker.get("/matrix?q[][pacticipant]=\(web)&q[][latest]=true&q[][tag]=prod&latestby=cvp&latest=true")
            #expect(latestTagged["matrix.0.consumer.version.number"] == "1")

            // A failing provider, ignored: the decision no longer depends on it.
            try await broker.publish(consumer: web, version: "2", provider: api, descriptions: ["new"])
            try await broker.verify(consumer: web, version: "2", provider: api, providerVersion: "p2", success: false)
            let failing = try await broker.get("/matrix?q[][pacticipant]=\(web)&q[][version]=2&latestby=cvp&latest=true")
            #expect(failing["summary.deployable"] == .bool(false))
            let ignored = try await broker.get("/matrix?q[][pacticipant]=\(web)&q[][version]=2&latestby=cvp&latest=true&ignore[][pacticipant]=\(api)")
            #expect(ignored["summary.deployable"] == .bool(true), "\(ignored.text)")
            #expect(ignored["summary.ignored"] == 1)
            #expect(ignored["matrix.0.ignored"] == .bool(true))

            // A version that does not exist: no.
            let missing = try await broker.get("/matrix?q[][pacticipant]=\(web)&q[][version]=99&latestby=cvp&latest=true")
            #expect(missing.status == 200)
            #expect(missing["summary.deployable"] == .bool(false))

            // Bad queries: 400 with errors.
            #expect(try await broker.get("/matrix?q[][pacticipant]=\(broker.name("Nobody"))&q[][version]=1").status == 400)
            #expect(try await broker.get("/matrix?q[][pacticipant]=\(web)&q[][version]=1&q[][latest]=true").status == 400)
            #expect(try await broker.get("/matrix?q[][pacticipant]=\(web)&q[][version]=1&environment=\(broker.name("nowhere"))").status == 400)
            #expect(try await broker.get("/matrix").status == 400)
            #expect(try await broker.get("/matrix?q[][pacticipant]=\(web)&latestby=sideways").status == 400)
        }
    }

    @Test("the /can-i-deploy shortcut answers like the matrix", arguments: TestDatabase.available)
    func canIDeployEndpoint(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let web = broker.name("Web"), api = broker.name("API"), production = broker.name("production")
            _ = try await broker.createEnvironment(production)
            try await broker.publish(consumer: web, version: "1", provider: api)
            try await broker.verify(consumer: web, version: "1", provider: api, providerVersion: "p1", success: true)
            try await broker.deploy(api, "p1", to: production)
            let reply = try await broker.get("/can-i-deploy?pacticipant=\(web)&version=1&environment=\(production)")
            #expect(reply["summary.deployable"] == .bool(true))
            #expect(try await broker.get("/can-i-deploy?pacticipant=\(web)&version=1").status == 400)
        }
    }
}
