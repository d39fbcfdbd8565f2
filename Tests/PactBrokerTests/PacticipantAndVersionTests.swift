import Foundation
import PactModel
import Testing

@Suite("Broker: index, pacticipants, versions, branches and tags")
struct PacticipantAndVersionTests {
    @Test("the index is HAL with the relations the official clients follow", arguments: TestDatabase.available)
    func index(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let reply = try await broker.get("/")
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type")?.hasPrefix("application/hal+json") == true)
            for relation in ["pb:publish-contracts", "pb:pacticipants", "pb:pacticipant", "pb:pacticipant-version", "pb:latest-version",
                             "pb:latest-tagged-version", "pb:pacticipant-branch", "pb:environments", "pb:latest-pact-versions",
                             "pb:provider-pacts-for-verification", "pb:latest-provider-pacts", "pb:webhooks", "pb:webhook"] {
                #expect(reply["_links.\(relation).href"]?.stringValue?.hasPrefix(broker.url) == true, "missing \(relation)")
            }
            #expect(reply["_links.pb:provider-pacts-for-verification.templated"] == .bool(true))
            #expect(reply["_links.pb:latest-provider-pacts.templated"] == .bool(true))
            let heartbeat = try await broker.get("/diagnostic/status/heartbeat")
            #expect(heartbeat.status == 200 && heartbeat["ok"] == .bool(true))
        }
    }

    @Test("pacticipants are created, read, merged by PATCH, replaced by PUT and listed", arguments: TestDatabase.available)
    func pacticipants(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let name = broker.name("order-service")
            let created = try await broker.post("/pacticipants", ["name": .string(name), "mainBranch": "main", "repositoryUrl": "https://example.com/repo"])
            #expect(created.status == 201)
            #expect(created.header("Location")?.hasSuffix("/pacticipants/\(name)") == true)
            #expect(created["mainBranch"] == "main")
            #expect(created["displayName"]?.stringValue?.hasPrefix("Order Service") == true)

            let duplicate = try await broker.post("/pacticipants", ["name": .string(name)])
            #expect(duplicate.status == 400)
            #expect(duplicate["errors.name.0"]?.stringValue?.contains("already exists") == true)

            let patched = try await broker.patch("/pacticipants/\(name)", ["displayName": "Orders"])
            #expect(patched.status == 200)
            #expect(patched["displayName"] == "Orders")
            #expect(patched["mainBranch"] == "main", "PATCH keeps fields it was not given")

            let replaced = try await broker.put("/pacticipants/\(name)", ["repositoryUrl": "https://example.com/other"])
            #expect(replaced.status == 200)
            #expect(replaced["mainBranch"] == nil, "PUT replaces every field")
            #expect(replaced["repositoryUrl"] == "https://example.com/other")

            let fetched = try await broker.get("/pacticipants/\(name)")
            #expect(fetched.status == 200)
            #expect(fetched["_links.pb:branch-version.href"]?.stringValue?.hasSuffix("/branches/{branch}/versions/{version}") == true)
            #expect(fetched["_links.pb:version-tag.href"]?.stringValue?.hasSuffix("/versions/{version}/tags/{tag}") == true)

            let list = try await broker.get("/pacticipants")
            let names = list["_embedded.pacticipants"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(names.contains(name))
            #expect(list["pacticipants"]?.arrayValue?.count == list["_embedded.pacticipants"]?.arrayValue?.count)

            let missing = try await broker.get("/pacticipants/\(broker.name("nobody"))")
            #expect(missing.status == 404)
            #expect(missing["error.message"]?.stringValue?.contains("no pacticipant") == true)

            let createdByPatch = try await broker.patch("/pacticipants/\(broker.name("via-patch"))", ["mainBranch": "develop"])
            #expect(createdByPatch.status == 201)
        }
    }

    @Test("names with slashes, spaces and percent signs survive the round trip", arguments: TestDatabase.available)
    func awkwardNames(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let name = broker.name("team/app 100%")
            let put = try await broker.put("/pacticipants/\(TestBrokerSegment(name))/versions/\(TestBrokerSegment("1.0/rc 1"))")
            #expect(put.status == 201)
            let version = try await broker.get("/pacticipants/\(TestBrokerSegment(name))/versions/\(TestBrokerSegment("1.0/rc 1"))")
            #expect(version.status == 200)
            #expect(version["number"] == "1.0/rc 1")
            #expect(version["_links.pb:pacticipant.name"]?.stringValue == name)
        }
    }

    @Test("branch versions and tags create what they need; the main branch is detected", arguments: TestDatabase.available)
    func branchesAndTags(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let name = broker.name("web")
            let first = try await broker.put("/pacticipants/\(name)/branches/main/versions/1.0.0", ["name": "main"])
            #expect(first.status == 201)
            let again = try await broker.put("/pacticipants/\(name)/branches/main/versions/1.0.0")
            #expect(again.status == 200)
            #expect(try await broker.get("/pacticipants/\(name)")["mainBranch"] == "main")

            _ = try await broker.put("/pacticipants/\(name)/branches/feat-x/versions/1.1.0")
            _ = try await broker.put("/pacticipants/\(name)/branches/main/versions/1.2.0")
            let tag = try await broker.put("/pacticipants/\(name)/versions/1.0.0/tags/prod")
            #expect(tag.status == 201)
            #expect(try await broker.put("/pacticipants/\(name)/versions/1.0.0/tags/prod").status == 200)

            let latest = try await broker.get("/pacticipants/\(name)/latest-version")
            #expect(latest["number"] == "1.2.0")
            let latestProd = try await broker.get("/pacticipants/\(name)/latest-version/prod")
            #expect(latestProd["number"] == "1.0.0")
            #expect(latestProd["_embedded.tags.0.name"] == "prod")
            let branchInfo = latestProd["_embedded.branchVersions"]?.arrayValue ?? []
            #expect(branchInfo.first?["name"] == "main" && branchInfo.first?["latest"] == .bool(false))
            #expect(try await broker.get("/pacticipants/\(name)/latest-version/nope").status == 404)

            let version = try await broker.get("/pacticipants/\(name)/versions/1.2.0")
            #expect(version["_embedded.branchVersions.0.latest"] == .bool(true))
            #expect(version["_links.pb:record-deployment"]?.arrayValue != nil, "the record-deployment links are always an array")
            #expect(version["_links.pb:record-release"]?.arrayValue != nil)

            #expect(try await broker.delete("/pacticipants/\(name)/versions/1.0.0/tags/prod").status == 204)
            #expect(try await broker.delete("/pacticipants/\(name)/versions/1.0.0/tags/prod").status == 404)
            #expect(try await broker.get("/pacticipants/\(name)/latest-version/prod").status == 404)

            #expect(try await broker.delete("/pacticipants/\(name)/branches/feat-x").status == 204)
            #expect(try await broker.get("/pacticipants/\(name)/versions/1.1.0").status == 200, "deleting a branch keeps its versions")
            let branches = try await broker.get("/pacticipants/\(name)/branches")
            #expect(branches["_embedded.branches"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["main"])
        }
    }

    @Test("the first tag of a new version on no branch becomes its branch, as the Pact Broker does", arguments: TestDatabase.available)
    func firstTagAsBranch(database: TestDatabase) async throws {
        func branches(_ broker: TestBroker, _ name: String, _ version: String) async throws -> [String] {
            try await broker.get("/pacticipants/\(name)/versions/\(version)")["_embedded.branchVersions"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        }
        try await withBroker(database) { broker in
            let name = broker.name("legacy-client")
            #expect(try await broker.put("/pacticipants/\(name)/versions/1.0.0/tags/feat-a").status == 201)
            #expect(try await broker.put("/pacticipants/\(name)/versions/1.0.0/tags/later").status == 201)
            #expect(try await branches(broker, name, "1.0.0") == ["feat-a"], "only the first tag")

            _ = try await broker.put("/pacticipants/\(name)/branches/feat-b/versions/2.0.0")
            _ = try await broker.put("/pacticipants/\(name)/versions/2.0.0/tags/prod")
            #expect(try await branches(broker, name, "2.0.0") == ["feat-b"], "a version on a branch keeps it")

            #expect(try await broker.get("/pacticipants/\(name)")["mainBranch"]?.stringValue == nil)
            _ = try await broker.put("/pacticipants/\(name)/versions/3.0.0/tags/main")
            #expect(try await broker.get("/pacticipants/\(name)")["mainBranch"] == "main", "a main-branch name sets the main branch")
            let onMain = try await broker.get("/pacticipants/\(name)/branches/main/versions/3.0.0")
            #expect(onMain.status == 200)

            let consumer = broker.name("tagging-consumer"), provider = broker.name("tagged-provider")
            #expect(try await broker.publish(consumer: consumer, version: "1", provider: provider, tags: ["feat-c", "dev"]).status == 200)
            #expect(try await branches(broker, consumer, "1") == ["feat-c"], "publishing with tags and no branch")
            _ = try await broker.publish(consumer: consumer, version: "2", provider: provider, branch: "feat-d", tags: ["dev"])
            #expect(try await branches(broker, consumer, "2") == ["feat-d"], "a given branch wins")
        }
        let broker = try await TestBroker.start(database, useFirstTagAsBranch: false)
        let name = broker.name("switched-off")
        _ = try await broker.put("/pacticipants/\(name)/versions/1.0.0/tags/feat-a")
        let found = try await branches(broker, name, "1.0.0")
        await broker.stop()
        #expect(found.isEmpty, "pactctl broker --no-first-tag-as-branch")
    }

    @Test("PUT on a version sets its build URL and tags", arguments: TestDatabase.available)
    func versionPut(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let name = broker.name("svc")
            let created = try await broker.put("/pacticipants/\(name)/versions/2.0.0", ["buildUrl": "https://ci.example.com/1", "tags": [["name": "dev"]]])
            #expect(created.status == 201)
            #expect(created["buildUrl"] == "https://ci.example.com/1")
            #expect(created["_embedded.tags.0.name"] == "dev")
            let bad = try await broker.put("/pacticipants/\(name)/versions/2.0.0", ["tags": "dev"])
            #expect(bad.status == 400)
            #expect(bad["errors.tags"] != nil)
        }
    }

    @Test("labels are added (creating the pacticipant), embedded, listed by label and removed", arguments: TestDatabase.available)
    func labels(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let web = broker.name("Web"), api = broker.name("API"), team = broker.name("team")
            _ = try await broker.patch("/pacticipants/\(api)", [:])
            let added = try await broker.put("/pacticipants/\(web)/labels/\(team)", [:])
            #expect(added.status == 201, "\(added.text)")
            #expect(added["name"]?.stringValue == team)
            #expect(added["_links.pacticipant.href"]?.stringValue?.hasSuffix("/pacticipants/\(web)") == true)
            #expect(try await broker.put("/pacticipants/\(web)/labels/\(team)", [:]).status == 200)
            #expect(try await broker.get("/pacticipants/\(web)/labels/\(team)")["name"]?.stringValue == team)

            let pacticipant = try await broker.get("/pacticipants/\(web)")
            #expect(pacticipant["_embedded.labels"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == [team])
            #expect(pacticipant["_links.pb:label.templated"] == true)
            let byLabel = try await broker.get("/pacticipants/label/\(team)")
            #expect(byLabel["_embedded.pacticipants"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == [web])
            #expect(try await broker.get("/labels")["_embedded.labels"]?.arrayValue?.contains { $0["name"]?.stringValue == team } == true)

            #expect(try await broker.delete("/pacticipants/\(web)/labels/\(team)").status == 204)
            #expect(try await broker.get("/pacticipants/\(web)/labels/\(team)").status == 404)
            #expect(try await broker.delete("/pacticipants/\(web)/labels/\(team)").status == 404)
            #expect(try await broker.get("/pacticipants/label/\(team)")["_embedded.pacticipants"]?.arrayValue?.isEmpty == true)
            #expect(try await broker.get("/pacticipants/\(api)/labels/\(team)").status == 404)

            // Labels are listed comma-separated in webhook contexts, so a comma or a surrounding space is refused.
            #expect(try await broker.put("/pacticipants/\(web)/labels/a%2Cb", [:]).status == 400)
            #expect(try await broker.put("/pacticipants/\(web)/labels/%20padded", [:]).status == 400)
        }
    }

    @Test("a pacticipant named 'label' keeps its routes beside the label lists", arguments: TestDatabase.available)
    func pacticipantNamedLabel(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            // The name is shared by every test on the same database, so start from nothing.
            _ = try await broker.delete("/pacticipants/label")
            #expect(try await broker.patch("/pacticipants/label", ["repositoryUrl": "https://example.com/label"]).status == 201)
            let read = try await broker.get("/pacticipants/label")
            #expect(read.status == 200 && read["name"]?.stringValue == "label", "\(read.text)")
            #expect(try await broker.put("/pacticipants/label", ["mainBranch": "main"]).status == 200)
            #expect(try await broker.get("/pacticipants/label")["repositoryUrl"] == nil, "PUT replaces every field")
            #expect(try await broker.delete("/pacticipants/label").status == 204)
            #expect(try await broker.get("/pacticipants/label").status == 404)
        }
    }
}

private func TestBrokerSegment(_ text: String) -> String { TestBroker.segment(text) }
