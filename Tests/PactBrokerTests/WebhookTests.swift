import Foundation
import PactModel
import Testing

@Suite("Broker: webhooks")
struct WebhookTests {
    /// A webhook that creates a pacticipant on the broker itself, named from template parameters, so a test can
    /// see that it ran and with which values. It is a PATCH, so a repeated delivery (webhooks are delivered at least
    /// once: an instance that stops mid-request hands the execution to another) still succeeds.
    private func selfCallingWebhook(_ broker: TestBroker, events: [String], consumer: String? = nil, marker: String) -> JSONValue {
        var body: JSONObject = [
            "description": "calls the broker back",
            "events": .array(events.map { ["name": .string($0)] }),
            "request": [
                "method": "PATCH",
                "url": .string(broker.url + "/pacticipants/\(marker)-${pactbroker.eventName}-${pactbroker.consumerVersionNumber}-${pactbroker.providerVersionNumber}"),
                "headers": ["Content-Type": "application/json", "Authorization": "Bearer not-shown"],
                "body": ["repositoryUrl": "${pactbroker.pactUrl}"],
            ],
        ]
        if let consumer { body["consumer"] = ["name": .string(consumer)] }
        return .object(body)
    }

    @Test("webhooks are created, read with secrets masked, replaced, listed and deleted; bad ones are refused", arguments: TestDatabase.available)
    func crud(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let consumer = broker.name("Web"), provider = broker.name("API")
            try await broker.publish(consumer: consumer, version: "1", provider: provider)
            let created = try await broker.post("/webhooks/provider/\(provider)/consumer/\(consumer)", [
                "events": [["name": "contract_content_changed"]],
                "request": ["method": "POST", "url": "https://ci.example.com/build", "username": "ci", "password": "hunter2",
                            "headers": ["Authorization": "Bearer abc", "Accept": "application/json"]],
            ])
            #expect(created.status == 201, "\(created.text)")
            let uuid = try #require(created["uuid"]?.stringValue)
            #expect(created["provider.name"]?.stringValue == provider)
            #expect(created["request.password"] == "**********")
            #expect(created["request.headers.Authorization"] == "**********")
            #expect(created["request.headers.Accept"] == "application/json")
            #expect(!created.text.contains("hunter2") && !created.text.contains("Bearer abc"))
            #expect(created["_links.pb:execute.href"]?.stringValue?.hasSuffix("/webhooks/\(uuid)/execute") == true)

            let fixedId = "webhook-\(broker.suffix)-0001"
            #expect(try await broker.put("/webhooks/\(fixedId)", ["events": [["name": "contract_published"]], "request": ["url": "https://example.com/x"]]).status == 201)
            #expect(try await broker.put("/webhooks/\(fixedId)", ["events": [["name": "contract_published"]], "request": ["url": "https://example.com/y"]]).status == 200)
            #expect(try await broker.get("/webhooks/\(fixedId)")["request.url"] == "https://example.com/y")
            let list = try await broker.get("/webhooks")
            let names = list["_links.pb:webhooks"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(names.contains(uuid) && names.contains(fixedId))
            #expect(try await broker.delete("/webhooks/\(fixedId)").status == 204)
            #expect(try await broker.get("/webhooks/\(fixedId)").status == 404)

            let bad: [JSONValue] = [
                ["events": [["name": "on_a_whim"]], "request": ["url": "https://example.com"]],
                ["events": [], "request": ["url": "https://example.com"]],
                ["events": [["name": "contract_published"]], "request": ["method": "POST"]],
                ["events": [["name": "contract_published"]], "request": ["url": "ftp://example.com/x"]],
                ["events": [["name": "contract_published"]], "request": ["url": "https://${pactbroker.consumerName}.example.com/"]],
                ["events": [["name": "contract_published"]], "request": ["url": "https://example.com", "method": "TRACE"]],
            ]
            for body in bad {
                let reply = try await broker.post("/webhooks", body)
                #expect(reply.status == 400, "\(JSONWriter.compactString(body)) → \(reply.status)")
            }
            #expect(try await broker.post("/webhooks/consumer/\(broker.name("nobody"))", ["events": [["name": "contract_published"]], "request": ["url": "https://example.com"]]).status == 404)
            #expect(try await broker.put("/webhooks/short", ["events": [["name": "contract_published"]], "request": ["url": "https://example.com"]]).status == 400)
        }
    }

    @Test("publishing queues contract events; the webhook runs in the background with the template filled in", arguments: TestDatabase.available)
    func contractEvents(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let consumer = broker.name("Web"), provider = broker.name("API"), marker = broker.name("hook")
            _ = try await broker.patch("/pacticipants/\(consumer)", [:])
            let hook = try await broker.post("/webhooks", selfCallingWebhook(broker, events: ["contract_content_changed"], consumer: consumer, marker: marker))
            let uuid = try #require(hook["uuid"]?.stringValue)

            try await broker.publish(consumer: consumer, version: "1", provider: provider)
            #expect(try await eventually { try await broker.get("/pacticipants/\(marker)-contract_content_changed-1-").status == 200 })
            let created = try await broker.get("/pacticipants/\(marker)-contract_content_changed-1-")
            #expect(created["repositoryUrl"]?.stringValue?.contains("/pacts/provider/\(provider)/consumer/\(consumer)/pact-version/") == true)

            // Same content for a new version: no content change, so no new execution.
            try await broker.publish(consumer: consumer, version: "2", provider: provider)
            try await broker.publish(consumer: consumer, version: "3", provider: provider, descriptions: ["changed"])
            #expect(try await eventually { try await broker.get("/pacticipants/\(marker)-contract_content_changed-3-").status == 200 })
            // The execution is marked done just after its request returns.
            #expect(try await eventually {
                let items = try await broker.get("/webhooks/\(uuid)/executions")["_embedded.executions"]?.arrayValue ?? []
                return items.count == 2 && items.allSatisfy { $0["status"] == "success" }
            })
            let executions = try await broker.get("/webhooks/\(uuid)/executions")
            let items = executions["_embedded.executions"]?.arrayValue ?? []
            #expect(items.count == 2, "\(executions.text)")
            #expect(items.allSatisfy { $0["status"] == "success" && $0["event"] == "contract_content_changed" })
            let log = items.first?["log"]?.arrayValue?.last?["text"]?.stringValue ?? ""
            #expect(log.contains("-> 201") || log.contains("-> 200"))
            #expect(log.contains("Authorization: **********") && !log.contains("not-shown"), "secrets never reach the log")
        }
    }

    @Test("a webhook can select its consumer by label, and sees the labels as ${pactbroker.consumerLabels}", arguments: TestDatabase.available)
    func selectedByLabel(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let labelled = broker.name("Web"), other = broker.name("Mobile"), provider = broker.name("API")
            let team = broker.name("team"), marker = broker.name("hook")
            #expect(try await broker.put("/pacticipants/\(labelled)/labels/\(team)", [:]).status == 201)
            #expect(try await broker.put("/pacticipants/\(labelled)/labels/web", [:]).status == 201)
            let hook = try await broker.post("/webhooks", [
                "consumer": ["label": .string(team)],
                "events": [["name": "contract_published"]],
                "request": ["method": "PATCH", "url": .string(broker.url + "/pacticipants/\(marker)-${pactbroker.consumerName}"),
                            "headers": ["Content-Type": "application/json"], "body": ["displayName": "${pactbroker.consumerLabels}"]],
            ])
            #expect(hook.status == 201, "\(hook.text)")
            #expect(hook["consumer.label"]?.stringValue == team)
            let uuid = try #require(hook["uuid"]?.stringValue)

            try await broker.publish(consumer: other, version: "1", provider: provider)
            try await broker.publish(consumer: labelled, version: "1", provider: provider)
            #expect(try await eventually { try await broker.get("/pacticipants/\(marker)-\(labelled)").status == 200 })
            let called = try await broker.get("/pacticipants/\(marker)-\(labelled)")
            #expect(called["displayName"]?.stringValue == [team, "web"].sorted().joined(separator: ", "))
            let executions = try await broker.get("/webhooks/\(uuid)/executions")["_embedded.executions"]?.arrayValue ?? []
            #expect(executions.count == 1, "the unlabelled consumer's publication triggers nothing")
            #expect(try await broker.get("/pacticipants/\(marker)-\(other)").status == 404)

            let both = try await broker.post("/webhooks", ["consumer": ["name": .string(labelled), "label": .string(team)],
                                                           "events": [["name": "contract_published"]], "request": ["url": "https://example.com"]])
            #expect(both.status == 400)
            let comma = try await broker.post("/webhooks", ["consumer": ["label": "a,b"], "events": [["name": "contract_published"]],
                                                            "request": ["url": "https://example.com"]])
            #expect(comma.status == 400)
        }
    }

    @Test("verification events carry the provider version and distinguish success from failure", arguments: TestDatabase.available)
    func verificationEvents(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let consumer = broker.name("Web"), provider = broker.name("API"), marker = broker.name("hook")
            try await broker.publish(consumer: consumer, version: "1", provider: provider)
            _ = try await broker.post("/webhooks", selfCallingWebhook(broker, events: ["provider_verification_failed"], consumer: consumer, marker: marker))
            try await broker.verify(consumer: consumer, version: "1", provider: provider, providerVersion: "p1", success: true)
            try await broker.verify(consumer: consumer, version: "1", provider: provider, providerVersion: "p2", success: false)
            #expect(try await eventually { try await broker.get("/pacticipants/\(marker)-provider_verification_failed-1-p2").status == 200 })
            #expect(try await broker.get("/pacticipants/\(marker)-provider_verification_failed-1-p1").status == 404, "the success did not fire the failure webhook")
        }
    }

    @Test("failed attempts are retried with backoff, then marked failed, each attempt logged", arguments: TestDatabase.available)
    func retries(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let consumer = broker.name("Web"), provider = broker.name("API")
            _ = try await broker.patch("/pacticipants/\(consumer)", [:])
            let hook = try await broker.post("/webhooks", [
                "events": [["name": "contract_published"]], "consumer": ["name": .string(consumer)],
                "request": ["method": "POST", "url": .string(broker.url + "/no/such/endpoint"), "body": ["x": 1]],
            ])
            let uuid = try #require(hook["uuid"]?.stringValue)
            let published = try await broker.publish(consumer: consumer, version: "1", provider: provider)
            #expect(published.status == 200, "a failing webhook never fails the request that triggered it")
            #expect(try await eventually {
                try await broker.get("/webhooks/\(uuid)/executions")["_embedded.executions.0.status"] == "failure"
            })
            let execution = try await broker.get("/webhooks/\(uuid)/executions")
            #expect(execution["_embedded.executions.0.attempts"] == 3, "one attempt and two retries")
            let attempts = execution["_embedded.executions.0.log"]?.arrayValue ?? []
            #expect(attempts.count == 3)
            #expect(attempts.allSatisfy { $0["status"] == 404 && $0["success"] == .bool(false) })
        }
    }

    @Test("a test execution sends the request now and returns what happened", arguments: TestDatabase.available)
    func execute(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let consumer = broker.name("Web"), provider = broker.name("API"), marker = broker.name("hook")
            try await broker.publish(consumer: consumer, version: "7", provider: provider)
            let hook = try await broker.post("/webhooks", selfCallingWebhook(broker, events: ["contract_published"], consumer: consumer, marker: marker))
            let href = try #require(hook["_links.pb:execute.href"]?.stringValue)
            let reply = try await broker.post(href, [:])
            #expect(reply.status == 200)
            #expect(reply["success"] == .bool(true), "\(reply.text)")
            #expect(reply["response.status"] == 201 || reply["response.status"] == 200)
            #expect(reply["logs"]?.stringValue?.contains("PATCH \(broker.url)/pacticipants/\(marker)-contract_published-") == true)

            let broken = try await broker.post("/webhooks", ["events": [["name": "contract_published"]], "consumer": ["name": .string(consumer)],
                                                             "request": ["url": "http://127.0.0.1:1/refused"]])
            let failed = try await broker.post(try #require(broken["_links.pb:execute.href"]?.stringValue), [:])
            #expect(failed.status == 200)
            #expect(failed["success"] == .bool(false))
            #expect(failed["message"] != nil)
        }
    }
}
