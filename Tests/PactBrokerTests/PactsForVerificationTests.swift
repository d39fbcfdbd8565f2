import Foundation
import PactModel
import Testing

@Suite("Broker: pacts for verification")
struct PactsForVerificationTests {
    private func forVerification(_ broker: TestBroker, provider: String, _ body: JSONValue) async throws -> BrokerReply {
        // As the verifier does: GET the templated link for its self href, then POST the selectors there.
        let index = try await broker.get("/")
        let template = try #require(index["_links.pb:provider-pacts-for-verification.href"]?.stringValue)
        let first = try await broker.get(template.replacingOccurrences(of: "{provider}", with: TestBroker.segment(provider)))
        #expect(first.status == 200)
        let target = try #require(first["_links.self.href"]?.stringValue)
        return try await broker.post(target, body)
    }

    private func descriptions(_ reply: BrokerReply) -> [String] {
        reply["_embedded.pacts"]?.arrayValue?.compactMap { $0["shortDescription"]?.stringValue } ?? []
    }

    @Test("selectors pick main-branch heads, branches, tags and deployed versions, each content once", arguments: TestDatabase.available)
    func selectors(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let web = broker.name("Web"), api = broker.name("API"), production = broker.name("production")
            _ = try await broker.createEnvironment(production, production: true)
            try await broker.publish(consumer: web, version: "1", provider: api, branch: "main", descriptions: ["one"])
            try await broker.deploy(web, "1", to: production)
            try await broker.publish(consumer: web, version: "2", provider: api, branch: "main", descriptions: ["two"])
            try await broker.publish(consumer: web, version: "3", provider: api, branch: "feature", tags: ["beta"], descriptions: ["three"])

            let main = try await forVerification(broker, provider: api, ["consumerVersionSelectors": [["mainBranch": true]], "includePendingStatus": false])
            #expect(main.status == 200, "\(main.text)")
            #expect(descriptions(main) == ["latest from main branch"])
            let href = try #require(main["_embedded.pacts.0._links.self.href"]?.stringValue)
            #expect(href.contains("/pact-version/") && href.contains("/metadata/"))
            let pact = try await broker.get(href)
            #expect(pact["interactions.0.description"] == "two")
            #expect(pact["_links.pb:publish-verification-results.href"]?.stringValue?.contains("/metadata/") == true)

            let several = try await forVerification(broker, provider: api, [
                "consumerVersionSelectors": [["mainBranch": true], ["deployedOrReleased": true], ["branch": "feature"], ["tag": "beta", "latest": true]],
                "includePendingStatus": false,
            ])
            #expect(several["_embedded.pacts"]?.arrayValue?.count == 3, "version 3 is picked by two selectors but listed once")
            #expect(descriptions(several).contains("latest from branch feature, latest with tag beta"))
            #expect(descriptions(several).contains("currently deployed to \(production)"))
            let notices = several["_embedded.pacts.0.verificationProperties.notices"]?.arrayValue ?? []
            #expect(notices.contains { $0["when"] == "before_verification" })

            let defaults = try await forVerification(broker, provider: api, ["includePendingStatus": false])
            #expect(defaults["_embedded.pacts"]?.arrayValue?.count == 2, "default: main-branch head plus what is deployed or released")

            // The GET form takes the same selectors in the query string.
            let viaQuery = try await broker.get("/pacts/provider/\(api)/for-verification?consumerVersionSelectors[0][branch]=feature&consumerVersionSelectors[1][mainBranch]=true")
            #expect(viaQuery.status == 200)
            #expect(descriptions(viaQuery).sorted() == ["latest from branch feature", "latest from main branch"], "\(viaQuery.text)")
            #expect(try await broker.get("/pacts/provider/\(api)/for-verification?consumerVersionSelectors[][branch]=x&consumerVersionSelectors[][tag]=y").status == 400)

            let noMatch = try await forVerification(broker, provider: api, ["consumerVersionSelectors": [["branch": "nope"]]])
            #expect(noMatch["_embedded.pacts"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test("a pact is pending until the provider branch verifies it successfully", arguments: TestDatabase.available)
    func pending(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let web = broker.name("Web"), api = broker.name("API")
            try await broker.publish(consumer: web, version: "1", provider: api, branch: "main")
            let body: JSONValue = ["consumerVersionSelectors": [["mainBranch": true]], "providerVersionBranch": "main", "includePendingStatus": true]
            let before = try await forVerification(broker, provider: api, body)
            #expect(before["_embedded.pacts.0.verificationProperties.pending"] == .bool(true))
            let beforeNotices = before["_embedded.pacts.0.verificationProperties.notices"]?.arrayValue ?? []
            #expect(beforeNotices.contains { $0["text"]?.stringValue?.contains("pending") == true })
            #expect(beforeNotices.contains { $0["when"]?.stringValue?.hasPrefix("after_verification:") == true })

            try await broker.verify(consumer: web, version: "1", provider: api, providerVersion: "p1", success: false, branch: "main")
            #expect(try await forVerification(broker, provider: api, body)["_embedded.pacts.0.verificationProperties.pending"] == .bool(true), "a failure keeps it pending")
            try await broker.verify(consumer: web, version: "1", provider: api, providerVersion: "p2", success: true, branch: "main")
            #expect(try await forVerification(broker, provider: api, body)["_embedded.pacts.0.verificationProperties.pending"] == .bool(false))
            try await broker.verify(consumer: web, version: "1", provider: api, providerVersion: "p3", success: true, branch: "other")
            let newBranch: JSONValue = ["consumerVersionSelectors": [["mainBranch": true]], "providerVersionBranch": "newer", "includePendingStatus": true]
            #expect(try await forVerification(broker, provider: api, newBranch)["_embedded.pacts.0.verificationProperties.pending"] == .bool(false),
                    "a branch that does not exist yet inherits earlier successes")
            _ = try await broker.put("/pacticipants/\(api)/branches/later/versions/p9")
            let laterBranch: JSONValue = ["consumerVersionSelectors": [["mainBranch": true]], "providerVersionBranch": "later", "includePendingStatus": true]
            #expect(try await forVerification(broker, provider: api, laterBranch)["_embedded.pacts.0.verificationProperties.pending"] == .bool(false),
                    "successes from before the branch was created count")
        }
    }

    @Test("work-in-progress pacts are the new branch heads not yet verified by the provider branch", arguments: TestDatabase.available)
    func workInProgress(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let web = broker.name("Web"), api = broker.name("API")
            try await broker.publish(consumer: web, version: "1", provider: api, branch: "main")
            try await broker.publish(consumer: web, version: "2", provider: api, branch: "feat-new", descriptions: ["new"])
            let body: JSONValue = [
                "consumerVersionSelectors": [["mainBranch": true]], "providerVersionBranch": "main",
                "includePendingStatus": true, "includeWipPactsSince": "2000-01-01",
            ]
            let reply = try await forVerification(broker, provider: api, body)
            let pacts = reply["_embedded.pacts"]?.arrayValue ?? []
            #expect(pacts.count == 2, "\(reply.text)")
            let wip = try #require(pacts.first { $0["verificationProperties"]?["wip"] == .bool(true) })
            #expect(wip["verificationProperties"]?["pending"] == .bool(true))
            #expect(wip["shortDescription"] == "WIP")

            try await broker.verify(consumer: web, version: "2", provider: api, providerVersion: "p1", success: true, branch: "main")
            let after = try await forVerification(broker, provider: api, body)
            #expect(after["_embedded.pacts"]?.arrayValue?.contains { $0["verificationProperties"]?["wip"] == .bool(true) } == false)

            let future = try await forVerification(broker, provider: api, [
                "consumerVersionSelectors": [["mainBranch": true]], "providerVersionBranch": "main", "includePendingStatus": true, "includeWipPactsSince": "2999-01-01",
            ])
            #expect(future["_embedded.pacts"]?.arrayValue?.count == 1)
        }
    }

    @Test("invalid selectors are rejected with the field that is wrong", arguments: TestDatabase.available)
    func invalidSelectors(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let web = broker.name("Web"), api = broker.name("API")
            try await broker.publish(consumer: web, version: "1", provider: api)
            let cases: [JSONValue] = [
                ["consumerVersionSelectors": [["tag": "x", "branch": "y"]]],
                ["consumerVersionSelectors": [["branch": "x", "deployed": true]]],
                ["consumerVersionSelectors": [["mainBranch": true, "branch": "y"]]],
                ["consumerVersionSelectors": [["deployed": true, "released": true]]],
                ["consumerVersionSelectors": [[:]]],
                ["consumerVersionSelectors": [["matchingBranch": true]]],
                ["consumerVersionSelectors": [["environment": "nowhere"]]],
                ["consumerVersionSelectors": "main"],
                ["includeWipPactsSince": "yesterday", "providerVersionBranch": "main"],
            ]
            for body in cases {
                let reply = try await forVerification(broker, provider: api, body)
                #expect(reply.status == 400, "\(JSONWriter.compactString(body)) → \(reply.status) \(reply.text)")
                #expect(reply["errors"] != nil)
            }
        }
    }
}
