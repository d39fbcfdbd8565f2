import Foundation
import PactModel
import Testing

@Suite("Broker: environments, deployed and released versions")
struct EnvironmentTests {
    @Test("environments are created, listed, filtered, updated and deleted; bad ones get 400 with every problem", arguments: TestDatabase.available)
    func environments(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let name = broker.name("staging")
            let created = try await broker.post("/environments", ["name": .string(name), "displayName": "Staging", "production": false,
                                                                  "contacts": [["name": "Team A", "details": ["emailAddress": "a@example.com"]]]])
            #expect(created.status == 201)
            let uuid = try #require(created["uuid"]?.stringValue)
            #expect(created["_links.pb:currently-deployed-deployed-versions.href"]?.stringValue?.hasSuffix("/environments/\(uuid)/deployed-versions/currently-deployed") == true)
            #expect(created["contacts.0.name"] == "Team A")

            let list = try await broker.get("/environments?name=\(name)")
            #expect(list["_embedded.environments"]?.arrayValue?.count == 1)
            #expect(list["_embedded.environments.0.production"] == .bool(false))
            #expect(list["_embedded.environments.0.displayName"] == "Staging")

            let duplicate = try await broker.post("/environments", ["name": .string(name), "production": false])
            #expect(duplicate.status == 400)
            let invalid = try await broker.post("/environments", ["name": "has space"])
            #expect(invalid.status == 400)
            #expect(invalid["errors.name"] != nil && invalid["errors.production"] != nil)

            let updated = try await broker.put("/environments/\(uuid)", ["name": .string(name), "production": true])
            #expect(updated.status == 200)
            #expect(updated["production"] == .bool(true))
            #expect(try await broker.delete("/environments/\(uuid)").status == 204)
            #expect(try await broker.get("/environments/\(uuid)").status == 404)
        }
    }

    @Test("a deployment replaces the previous one of the same instance, keeps other instances, and can be undone", arguments: TestDatabase.available)
    func deployments(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let app = broker.name("app"), production = broker.name("production")
            let uuid = try await broker.createEnvironment(production, production: true)
            for version in ["1", "2", "3"] { _ = try await broker.put("/pacticipants/\(app)/versions/\(version)") }

            let first = try await broker.deploy(app, "1", to: production)
            #expect(first.status == 201, "\(first.text)")
            #expect(first["currentlyDeployed"] == .bool(true))
            #expect(try await broker.deploy(app, "1", to: production).status == 200, "deploying the same version again returns the record")
            try await broker.deploy(app, "2", to: production)
            try await broker.deploy(app, "3", to: production, instance: "eu")

            let current = try await broker.get("/environments/\(uuid)/deployed-versions/currently-deployed?pacticipant=\(app)")
            let versions = current["_embedded.deployedVersions"]?.arrayValue?.compactMap { $0["_embedded"]?["version"]?["number"]?.stringValue }.sorted()
            #expect(versions == ["2", "3"], "version 1 was replaced by 2 on the default instance; 3 runs on instance eu")
            let record = try #require(current["_embedded.deployedVersions"]?.arrayValue?.first { $0["applicationInstance"] == "eu" })
            let href = try #require(record["_links"]?["self"]?["href"]?.stringValue)

            let undeployed = try await broker.patch(href, ["currentlyDeployed": false])
            #expect(undeployed.status == 200)
            #expect(undeployed["currentlyDeployed"] == .bool(false))
            #expect(undeployed["undeployedAt"]?.stringValue != nil)
            #expect(try await broker.patch(href, ["currentlyDeployed": true]).status == 422)
            let after = try await broker.get("/environments/\(uuid)/deployed-versions/currently-deployed")
            #expect(after["_embedded.deployedVersions"]?.arrayValue?.count == 1)

            let version = try await broker.get("/pacticipants/\(app)/versions/2")
            #expect(version["_links.pb:deployed-environments.0.name"]?.stringValue == production)
        }
    }

    @Test("releases accumulate, and support can end", arguments: TestDatabase.available)
    func releases(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let app = broker.name("mobile"), store = broker.name("app-store")
            let uuid = try await broker.createEnvironment(store, production: true)
            for version in ["1", "2"] {
                _ = try await broker.put("/pacticipants/\(app)/versions/\(version)")
                let document = try await broker.get("/pacticipants/\(app)/versions/\(version)")
                let link = try #require(document["_links.pb:record-release"]?.arrayValue?.first { $0["name"]?.stringValue == store }?["href"]?.stringValue)
                #expect(try await broker.post(link, [:]).status == 201)
                #expect(try await broker.post(link, [:]).status == 200)
            }
            let supported = try await broker.get("/environments/\(uuid)/released-versions/currently-supported?pacticipant=\(app)")
            #expect(supported["_embedded.releasedVersions"]?.arrayValue?.count == 2)
            let one = try #require(supported["_embedded.releasedVersions"]?.arrayValue?.first { $0["_embedded"]?["version"]?["number"] == "1" })
            let ended = try await broker.patch(try #require(one["_links"]?["self"]?["href"]?.stringValue), ["currentlySupported": false])
            #expect(ended["currentlySupported"] == .bool(false))
            let after = try await broker.get("/environments/\(uuid)/released-versions/currently-supported?pacticipant=\(app)")
            #expect(after["_embedded.releasedVersions"]?.arrayValue?.compactMap { $0["_embedded"]?["version"]?["number"]?.stringValue } == ["2"])
        }
    }

    @Test("a deployment needs an existing version and environment", arguments: TestDatabase.available)
    func deploymentErrors(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let app = broker.name("app")
            let uuid = try await broker.createEnvironment(broker.name("test"))
            _ = try await broker.put("/pacticipants/\(app)/versions/1")
            #expect(try await broker.post("/pacticipants/\(app)/versions/9/deployed-versions/environment/\(uuid)", [:]).status == 404)
            #expect(try await broker.post("/pacticipants/\(app)/versions/1/deployed-versions/environment/no-such-environment", [:]).status == 404)
        }
    }
}
