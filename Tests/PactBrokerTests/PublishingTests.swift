import Foundation
import PactModel
import Testing

@Suite("Broker: publishing and fetching pacts, verification results")
struct PublishingTests {
    @Test("contracts/publish creates the version, branch, tags and pact, and answers with notices and links", arguments: TestDatabase.available)
    func publish(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let consumer = broker.name("Web"), provider = broker.name("API")
            let reply = try await broker.publish(consumer: consumer, version: "1.0.0", provider: provider, branch: "main", tags: ["dev", "qa"])
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply["notices"]?.arrayValue?.isEmpty == false)
            #expect(reply["_embedded.version.number"] == "1.0.0")
            #expect(reply["_links.pb:pacticipant-version-tags"]?.arrayValue?.count == 2)
            let contract = try #require(reply["_links.pb:contracts.0.href"]?.stringValue)

            let pact = try await broker.get(contract)
            #expect(pact.status == 200)
            #expect(pact["consumer.name"]?.stringValue == consumer)
            #expect(pact["interactions"]?.arrayValue?.count == 1)
            #expect(pact["_links.pb:publish-verification-results.href"]?.stringValue?.contains("/pact-version/") == true)
            #expect(pact["_links.pb:provider.name"]?.stringValue == provider)
            #expect(pact["_links.pb:consumer-version.name"] == "1.0.0")

            let version = try await broker.get("/pacticipants/\(consumer)/versions/1.0.0")
            #expect(version["_embedded.tags"]?.arrayValue?.compactMap { $0["name"]?.stringValue }.sorted() == ["dev", "qa"])
            #expect(version["_embedded.branchVersions.0.name"] == "main")
            #expect(try await broker.get("/pacticipants/\(consumer)")["mainBranch"] == "main")
        }
    }

    @Test("republishing the same content is idempotent; different content for the same version is a 409", arguments: TestDatabase.available)
    func immutability(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let consumer = broker.name("Web"), provider = broker.name("API")
            #expect(try await broker.publish(consumer: consumer, version: "1", provider: provider).status == 200)
            let again = try await broker.publish(consumer: consumer, version: "1", provider: provider)
            #expect(again.status == 200)
            #expect(again.text.contains("unchanged"))
            let changed = try await broker.publish(consumer: consumer, version: "1", provider: provider, descriptions: ["something else"])
            #expect(changed.status == 409)
            #expect(changed["errors.0"]?.stringValue?.contains("new consumer version") == true)
            let pact = try await broker.get("/pacts/provider/\(provider)/consumer/\(consumer)/version/1")
            #expect(pact["interactions.0.description"] == "a request for an account", "the stored pact is untouched")

            let merged = try await broker.publish(consumer: consumer, version: "1", provider: provider, descriptions: ["something else"], onConflict: "merge")
            #expect(merged.status == 200)
            let after = try await broker.get("/pacts/provider/\(provider)/consumer/\(consumer)/version/1")
            #expect(after["interactions"]?.arrayValue?.count == 2)
        }
    }

    @Test("identical content published by two versions is stored once and shares its SHA", arguments: TestDatabase.available)
    func deduplication(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let consumer = broker.name("Web"), provider = broker.name("API")
            try await broker.publish(consumer: consumer, version: "1", provider: provider)
            try await broker.publish(consumer: consumer, version: "2", provider: provider)
            let one = try await broker.get("/pacts/provider/\(provider)/consumer/\(consumer)/version/1")
            let two = try await broker.get("/pacts/provider/\(provider)/consumer/\(consumer)/version/2")
            let sha = try #require(one["_links.pb:pact-version.name"]?.stringValue)
            #expect(sha.count == 40)
            #expect(two["_links.pb:pact-version.name"]?.stringValue == sha)
            let bySHA = try await broker.get("/pacts/provider/\(provider)/consumer/\(consumer)/pact-version/\(sha)")
            #expect(bySHA.status == 200)
            #expect(bySHA["interactions.0.description"] == "a request for an account")
            #expect(try await broker.get("/pacts/provider/\(provider)/consumer/\(consumer)/pact-version/\(String(repeating: "0", count: 40))").status == 404)
        }
    }

    @Test("the legacy PUT publishes (201, then 200) and the latest pact follows tags and branches", arguments: TestDatabase.available)
    func legacyAndLatest(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let consumer = broker.name("Web"), provider = broker.name("API")
            let body = JSONWriter.bytes(TestBroker.pact(consumer: consumer, provider: provider), style: .compact)
            let path = "/pacts/provider/\(provider)/consumer/\(consumer)/version/1.0.0"
            let created = try await broker.request("PUT", path, body: body, headers: [("Content-Type", "application/json")])
            #expect(created.status == 201, "\(created.text)")
            let replaced = try await broker.request("PUT", path, body: body, headers: [("Content-Type", "application/json")])
            #expect(replaced.status == 200)
            let wrongName = JSONWriter.bytes(TestBroker.pact(consumer: "Someone", provider: provider), style: .compact)
            #expect(try await broker.request("PUT", path, body: wrongName, headers: [("Content-Type", "application/json")]).status == 400)

            _ = try await broker.put("/pacticipants/\(consumer)/versions/1.0.0/tags/prod")
            try await broker.publish(consumer: consumer, version: "2.0.0", provider: provider, branch: "feat", descriptions: ["v2"])
            try await broker.publish(consumer: consumer, version: "3.0.0", provider: provider, descriptions: ["v3"])

            #expect(try await broker.get("/pacts/provider/\(provider)/consumer/\(consumer)/latest")["_links.pb:consumer-version.name"] == "3.0.0")
            #expect(try await broker.get("/pacts/provider/\(provider)/consumer/\(consumer)/latest/prod")["_links.pb:consumer-version.name"] == "1.0.0")
            #expect(try await broker.get("/pacts/provider/\(provider)/consumer/\(consumer)/branch/feat/latest")["_links.pb:consumer-version.name"] == "2.0.0")
            #expect(try await broker.get("/pacts/provider/\(provider)/consumer/\(consumer)/latest/none").status == 404)

            let providerLatest = try await broker.get("/pacts/provider/\(provider)/latest")
            #expect(providerLatest["_links.pacts"]?.arrayValue?.count == 1)
            #expect(providerLatest["_links.pacts.0.href"]?.stringValue?.hasSuffix("/version/3.0.0") == true)
            let providerLatestProd = try await broker.get("/pacts/provider/\(provider)/latest/prod")
            #expect(providerLatestProd["_links.pb:pacts.0.href"]?.stringValue?.hasSuffix("/version/1.0.0") == true)

            let all = try await broker.get("/pacts/latest")
            let mine = all["pacts"]?.arrayValue?.filter { $0["_embedded"]?["consumer"]?["name"]?.stringValue == consumer } ?? []
            #expect(mine.count == 1)
            #expect(mine.first?["_embedded"]?["consumer"]?["_embedded"]?["version"]?["number"] == "3.0.0")
        }
    }

    @Test("verification results are published to the pact's link and read back with their test results", arguments: TestDatabase.available)
    func verificationResults(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let consumer = broker.name("Web"), provider = broker.name("API")
            try await broker.publish(consumer: consumer, version: "1", provider: provider)
            let published = try await broker.verify(consumer: consumer, version: "1", provider: provider, providerVersion: "p1", success: true, branch: "main")
            #expect(published.status == 201, "\(published.text)")
            let location = try #require(published.header("Location"))
            #expect(published["providerApplicationVersion"] == "p1")
            let fetched = try await broker.get(location)
            #expect(fetched.status == 200)
            #expect(fetched["success"] == .bool(true))
            #expect(fetched["testResults.0.interactionDescription"] == "a request for an account")
            #expect(fetched["verifiedBy.implementation"] == "pactctl-tests")
            #expect(try await broker.get("/pacticipants/\(provider)/versions/p1").status == 200, "the provider version is created")

            let pact = try await broker.get("/pacts/provider/\(provider)/consumer/\(consumer)/version/1")
            let href = try #require(pact["_links.pb:publish-verification-results.href"]?.stringValue)
            let missingSuccess = try await broker.post(href, ["providerApplicationVersion": "p2"])
            #expect(missingSuccess.status == 400)
            #expect(missingSuccess["errors.success"] != nil)
            let missingVersion = try await broker.post(href, ["success": true])
            #expect(missingVersion["errors.providerApplicationVersion"] != nil)
        }
    }

    @Test("publishing rejects bad contracts with a 400 that names the field", arguments: TestDatabase.available)
    func badContracts(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let consumer = broker.name("Web")
            func publish(_ contract: JSONValue, name: String = consumer) async throws -> BrokerReply {
                try await broker.post("/contracts/publish", ["pacticipantName": .string(name), "pacticipantVersionNumber": "1", "contracts": [contract]])
            }
            let notBase64 = try await publish(["consumerName": .string(consumer), "providerName": "P", "specification": "pact", "contentType": "application/json", "content": "%%%"])
            #expect(notBase64.status == 400)
            #expect(notBase64["errors"]?["contracts[0].content"] != nil)
            let notJSON = try await publish(["specification": "pact", "content": .string(Data("not json".utf8).base64EncodedString())])
            #expect(notJSON.status == 400)
            #expect(notJSON["errors"]?["contracts[0].content"]?.arrayValue?.first?.stringValue?.contains("not valid JSON") == true)
            let otherConsumer = Data(JSONWriter.bytes(TestBroker.pact(consumer: "Other", provider: "P"), style: .compact)).base64EncodedString()
            let mismatch = try await publish(["specification": "pact", "content": .string(otherConsumer)])
            #expect(mismatch.status == 400)
            #expect(mismatch.text.contains("Other"))
            let noContracts = try await broker.post("/contracts/publish", ["pacticipantName": .string(consumer), "pacticipantVersionNumber": "1"])
            #expect(noContracts["errors.contracts"] != nil)
            let noVersion = try await broker.post("/contracts/publish", ["pacticipantName": .string(consumer), "contracts": []])
            #expect(noVersion["errors.pacticipantVersionNumber"] != nil)
            #expect(try await broker.get("/pacticipants/\(consumer)").status == 404, "nothing was written by rejected publishes")
        }
    }
}
