import Foundation
import PactBroker
import PactModel
import Testing

/// The broker tried as an attacker would: hostile query parameters, webhooks aimed inside, cross-site writes.
@Suite("Broker: security")
struct SecurityTests {
    @Test("out-of-range page numbers and sizes get a 400 naming the parameter, and the broker keeps serving")
    func hugePageNumber() async throws {
        try await withBroker(.sqlite) { broker in
            let name = broker.name("Paged")
            #expect(try await broker.put("/pacticipants/\(name)/versions/1").status == 201)
            for query in ["pageNumber=9223372036854775807", "pageNumber=-1", "pageNumber=0", "pageSize=9223372036854775807", "pageNumber=1e3", "pageSize=abc"] {
                let reply = try await broker.get("/pacticipants/\(name)/versions?\(query)")
                let parameter = String(query.prefix { $0 != "=" })
                #expect(reply.status == 400, "\(query): \(reply.status) \(reply.text)")
                #expect(reply["errors.\(parameter)"] != nil, "\(query): \(reply.text)")
            }
            let page = try await broker.get("/pacticipants/\(name)/versions?pageNumber=2&pageSize=1")
            #expect(page.status == 200)
            #expect(try await broker.get("/pacticipants/\(name)/versions?pageNumber=1000000&pageSize=1000").status == 200)
        }
    }

    /// A webhook request aimed at `url`, for `POST /webhooks`.
    private func webhook(_ url: String, headers: JSONObject = [:]) -> JSONValue {
        ["events": [["name": "contract_published"]], "request": ["method": "POST", "url": .string(url), "headers": .object(headers)]]
    }

    @Test("by default webhooks cannot aim at loopback, private, link-local or metadata addresses, however they are spelled")
    func webhookTargetsRefused() async throws {
        try await withBroker({ try await TestBroker.start(.sqlite, webhookPolicy: WebhookPolicy()) }) { broker in
            let targets = [
                "http://169.254.169.254/latest/meta-data/", "http://metadata.google.internal/computeMetadata/v1/", "http://10.0.0.1/",
                "http://0x7f000001/", "http://2130706433/", "http://127.1/", "http://0177.0.0.1/", "http://[::1]:9292/", "http://[::ffff:127.0.0.1]/",
                "http://localhost:9292/pacticipants", "http://192.168.1.10/", "http://172.16.0.5/", "http://100.64.0.1/", "http://0.0.0.0/",
                "http://[fd00::1]/", "http://user:pass@127.0.0.1/",
            ]
            for target in targets {
                let reply = try await broker.post("/webhooks", webhook(target))
                #expect(reply.status == 400, "\(target): \(reply.status) \(reply.text)")
                #expect(reply.text.contains("--webhook-host-allow"), "\(target): \(reply.text)")
            }
            let scheme = try await broker.post("/webhooks", webhook("ftp://example.com/"))
            #expect(scheme.status == 400)
            // A public address is accepted (it is never called here: no pact is published).
            let outside = try await broker.post("/webhooks", webhook("https://hooks.example.com/build"))
            #expect(outside.status == 201, "\(outside.text)")
            if let uuid = outside["uuid"]?.stringValue { _ = try await broker.delete("/webhooks/\(uuid)") }
        }
    }

    @Test("a host name that resolves to one of the broker's own addresses is refused when the connection opens")
    func resolvedAddressChecked() async throws {
        // This machine's own name resolves to one of its addresses (where it resolves at all).
        let hostName = ProcessInfo.processInfo.hostName
        guard !hostName.isEmpty, hostName != "localhost", Host(name: hostName).addresses.isEmpty == false else { return }
        let receiver = try await WebhookReceiver.start()
        let port = receiver.url.split(separator: ":").last.map(String.init) ?? "0"
        try await receiver.stopping {
            try await withBroker({ try await TestBroker.start(.sqlite, webhookPolicy: WebhookPolicy()) }) { broker in
                let created = try await broker.post("/webhooks", webhook("http://\(hostName):\(port)/hook/1"))
                #expect(created.status == 201, "the name itself is not refused: \(created.text)")
                let uuid = try #require(created["uuid"]?.stringValue)
                let executed = try await broker.request("POST", "/webhooks/\(uuid)/execute", json: [:])
                #expect(executed["success"]?.boolValue == false, "\(executed.text)")
                #expect(executed.text.contains("not allowed"), "\(executed.text)")
                #expect(receiver.paths.isEmpty, "the receiver was reached: \(receiver.paths)")
                _ = try await broker.delete("/webhooks/\(uuid)")
            }
        }
    }

    @Test("template values are percent-encoded in webhook URLs, so a name cannot change the target's path or query")
    func templateValuesEncoded() async throws {
        let receiver = try await WebhookReceiver.start()
        try await receiver.stopping {
            try await withBroker(.sqlite) { broker in
                let consumer = "a/../../admin?x=1#\(broker.suffix)", provider = broker.name("Encoded")
                #expect(try await broker.publish(consumer: broker.name("First"), version: "1", provider: provider).status == 200)
                let created = try await broker.post("/webhooks", [
                    "provider": ["name": .string(provider)],
                    "events": [["name": "contract_published"]],
                    "request": ["method": "POST", "url": .string(receiver.url + "/hook/1?consumer=${pactbroker.consumerName}")],
                ])
                #expect(created.status == 201, "\(created.text)")
                let uuid = try #require(created["uuid"]?.stringValue)
                #expect(try await broker.publish(consumer: consumer, version: "1", provider: provider).status == 200)
                #expect(try await eventually(within: 20) { !receiver.targets.isEmpty })
                #expect(receiver.targets.first == "/hook/1?consumer=a%2F..%2F..%2Fadmin%3Fx%3D1%23\(broker.suffix)", "\(receiver.targets)")
                _ = try await broker.delete("/webhooks/\(uuid)")
            }
        }
    }

    @Test("secret headers and URL passwords are masked in webhook documents and execution logs")
    func secretsMasked() async throws {
        let receiver = try await WebhookReceiver.start()
        try await receiver.stopping {
            try await withBroker(.sqlite) { broker in
                let headers: JSONObject = [
                    "Proxy-Authorization": "Basic c2VjcmV0", "Cookie": "session=secret-cookie", "X-Hub-Signature": "sha256=secret-sig",
                    "X-Api-Key": "secret-key", "X-Password": "secret-password", "Accept": "application/json",
                ]
                let target = receiver.url.replacingOccurrences(of: "http://", with: "http://ci:hunter2@") + "/hook/1"
                let created = try await broker.post("/webhooks", webhook(target, headers: headers))
                #expect(created.status == 201, "\(created.text)")
                let uuid = try #require(created["uuid"]?.stringValue)
                let shown = try await broker.get("/webhooks/\(uuid)")
                let executed = try await broker.request("POST", "/webhooks/\(uuid)/execute", json: [:])
                #expect(executed["success"]?.boolValue == true, "\(executed.text)")
                for text in [shown.text, executed.text] {
                    for secret in ["c2VjcmV0", "secret-cookie", "secret-sig", "secret-key", "secret-password", "hunter2"] {
                        #expect(!text.contains(secret), "\(secret) is shown: \(text)")
                    }
                    #expect(text.contains("application/json"), "ordinary headers stay visible")
                }
                _ = try await broker.delete("/webhooks/\(uuid)")
            }
        }
    }

    @Test("writes need a JSON content type, even with an empty body, so another site's form cannot post", arguments: ["text/plain", "application/x-www-form-urlencoded", nil] as [String?])
    func crossSiteWrites(contentType: String?) async throws {
        try await withBroker(.sqlite) { broker in
            let service = broker.name("Shop")
            #expect(try await broker.put("/pacticipants/\(service)/versions/1").status == 201)
            let environment = try await broker.createEnvironment(broker.name("prod"))
            let headers: [(name: String, value: String)] = contentType.map { [("Content-Type", $0)] } ?? []
            for body in [nil, Array("{}".utf8)] as [[UInt8]?] {
                let deployed = try await broker.request("POST", "/pacticipants/\(service)/versions/1/deployed-versions/environment/\(environment)", body: body, headers: headers)
                #expect(deployed.status == 415, "\(contentType ?? "no type") \(body == nil ? "empty" : "{}"): \(deployed.status)")
                let released = try await broker.request("POST", "/pacticipants/\(service)/versions/1/released-versions/environment/\(environment)", body: body, headers: headers)
                #expect(released.status == 415)
            }
            let current = try await broker.get("/environments/\(environment)/deployed-versions/currently-deployed")
            #expect((current["_embedded.deployedVersions"]?.arrayValue ?? []).isEmpty, "nothing was recorded")
            // With JSON it works.
            let json = try await broker.request("POST", "/pacticipants/\(service)/versions/1/deployed-versions/environment/\(environment)", json: [:])
            #expect(json.status == 201)
        }
    }

    @Test("badges escape their label, repository URLs that are not web addresses are not links, and every answer forbids scripts")
    func crossSiteScripting() async throws {
        try await withBroker(.sqlite) { broker in
            let consumer = broker.name("Badge"), provider = broker.name("Shown")
            #expect(try await broker.publish(consumer: consumer, version: "1", provider: provider).status == 200)
            let badge = try await broker.get("/pacts/provider/\(provider)/consumer/\(consumer)/latest/badge?label=x%22%20onload%3D%22alert(1)")
            #expect(badge.status == 200)
            #expect(!badge.text.contains("\" onload=\""), "\(badge.text)")
            #expect(badge.text.contains("x&quot; onload=&quot;alert(1)"), "\(badge.text)")
            #expect(badge.header("X-Content-Type-Options") == "nosniff")
            #expect(badge.header("Content-Security-Policy")?.contains("default-src 'none'") == true)

            #expect(try await broker.patch("/pacticipants/\(consumer)", ["repositoryUrl": "javascript:alert(1)"]).status == 200)
            let page = try await broker.request("GET", "/ui/pacticipants/\(consumer)", headers: [("Accept", "text/html")])
            #expect(page.status == 200)
            #expect(page.text.contains("javascript:alert(1)"), "the URL is still shown")
            #expect(!page.text.contains("href=\"javascript:"), "\(page.text)")
            #expect(page.header("Content-Security-Policy") != nil)
        }
    }

    @Test("a name spelled with a combining accent is the same pacticipant as its precomposed spelling")
    func unicodeNormalisation() async throws {
        try await withBroker(.sqlite) { broker in
            let suffix = broker.name("")
            let composed = "Caf\u{E9}" + suffix, decomposed = "Cafe\u{301}" + suffix
            #expect(!composed.utf8.elementsEqual(decomposed.utf8))
            #expect(try await broker.post("/pacticipants", ["name": .string(composed)]).status == 201)
            #expect(try await broker.publish(consumer: decomposed, version: "1", provider: broker.name("Menu")).status == 200)
            #expect(try await broker.put("/pacticipants/\(TestBroker.segment(decomposed))/versions/2").status == 201)
            let list = try await broker.get("/pacticipants")
            let names = (list["_embedded.pacticipants"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }.filter { $0.hasSuffix(suffix) && $0.hasPrefix("Caf") }
            #expect(names.count == 1, "\(names.map { Array($0.unicodeScalars) })")
            #expect(names.first.map { $0.utf8.elementsEqual(composed.utf8) } == true, "stored in NFC")
            let versions = try await broker.get("/pacticipants/\(TestBroker.segment(composed))/versions")
            #expect(versions["_embedded.versions"]?.arrayValue?.count == 2, "\(versions.text)")
        }
    }

    @Test("a request with thousands of selectors gets a 400 naming the field instead of a long query")
    func selectorCounts() async throws {
        try await withBroker(.sqlite) { broker in
            let provider = broker.name("Selected")
            #expect(try await broker.publish(consumer: broker.name("Selecting"), version: "1", provider: provider).status == 200)
            let many: [JSONValue] = Array(repeating: ["mainBranch": true], count: 10_000)
            let verification = try await broker.post("/pacts/provider/\(provider)/for-verification", ["consumerVersionSelectors": .array(many)])
            #expect(verification.status == 400)
            #expect(verification["errors.consumerVersionSelectors"] != nil, "\(verification.text)")
            let query = (0..<101).map { "q[][pacticipant]=\(provider)&q[][version]=\($0)" }.joined(separator: "&")
            let matrix = try await broker.get("/matrix?\(query)")
            #expect(matrix.status == 400)
            #expect(matrix["errors.q"] != nil, "\(matrix.text)")
            let few = try await broker.post("/pacts/provider/\(provider)/for-verification", ["consumerVersionSelectors": .array(Array(many.prefix(100)))])
            #expect(few.status == 200, "\(few.text)")
        }
    }

    @Test("execution logs, which read-only users can read, keep the target's status but not its answer")
    func targetAnswersNotKept() async throws {
        let receiver = try await WebhookReceiver.start(answer: "internal-answer-only-for-writers")
        try await receiver.stopping {
            try await withBroker(.sqlite) { broker in
                let consumer = broker.name("Logged"), provider = broker.name("Target")
                _ = try await broker.patch("/pacticipants/\(consumer)", [:])
                let hook: JSONValue = ["consumer": ["name": .string(consumer)], "events": [["name": "contract_published"]],
                                       "request": ["method": "POST", "url": .string(receiver.url + "/hook/1")]]
                let created = try await broker.post("/webhooks", hook)
                let uuid = try #require(created["uuid"]?.stringValue, "\(created.text)")
                #expect(try await broker.publish(consumer: consumer, version: "1", provider: provider).status == 200)
                #expect(try await eventually {
                    try await broker.get("/webhooks/\(uuid)/executions")["_embedded.executions.0.status"] == "success"
                })
                let executions = try await broker.get("/webhooks/\(uuid)/executions")
                #expect(!executions.text.contains("internal-answer-only-for-writers"), "\(executions.text)")
                #expect(executions.text.contains("-> 200 (32 bytes of body, not kept in this log)"), "\(executions.text)")
                let executed = try await broker.request("POST", "/webhooks/\(uuid)/execute", json: [:])
                #expect(executed.text.contains("internal-answer-only-for-writers"), "whoever runs it by hand, with write access, sees the answer")
                _ = try await broker.delete("/webhooks/\(uuid)")
            }
        }
    }
}
