import Foundation
import PactBroker
import PactHTTP
import PactModel
import Testing

/// The databases every broker test runs against: a fresh SQLite file always, and PostgreSQL when
/// `PACTCTL_TEST_POSTGRES_URL` names one (CI starts a server and sets it).
enum TestDatabase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    static var available: [TestDatabase] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    static var postgresURL: String? {
        let value = ProcessInfo.processInfo.environment["PACTCTL_TEST_POSTGRES_URL"] ?? ""
        return value.isEmpty ? nil : value
    }

    var testDescription: String { rawValue }
}

/// A reply from the broker, with its body parsed as JSON when it is JSON.
struct BrokerReply: Sendable {
    let status: Int
    let headers: [(name: String, value: String)]
    let text: String
    let json: JSONValue

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The value at a dotted path such as `summary.deployable` or `matrix.0.provider.name`.
    subscript(path: String) -> JSONValue? {
        var current: JSONValue? = json
        for part in path.split(separator: ".") {
            if let index = Int(part) {
                guard let array = current?.arrayValue, index < array.count else { return nil }
                current = array[index]
            } else {
                current = current?[String(part)]
            }
        }
        return current
    }
}

/// A broker on a free port over a fresh database, and a client for it.
final class TestBroker: Sendable {
    let server: BrokerServer
    let client = HTTPClient()
    let scratch: URL?
    /// A suffix that keeps this test's names apart from other tests sharing a PostgreSQL database.
    let suffix = String(UUID().uuidString.prefix(8)).lowercased()

    private init(server: BrokerServer, scratch: URL?) {
        self.server = server
        self.scratch = scratch
    }

    /// Starts a broker; `postgresDatabase` names another database on the test server, for tests that must not
    /// share the common one (Scripts/start-postgres creates them).
    static func start(_ database: TestDatabase, file: URL? = nil, auth: BrokerAuthConfiguration = BrokerAuthConfiguration(),
                      webhookRetryDelays: [Duration] = [.milliseconds(100), .milliseconds(100)],
                      postgresDatabase: String? = nil, useFirstTagAsBranch: Bool = true,
                      webhookTimeout: Duration = .seconds(15),
                      webhookPolicy: WebhookPolicy = WebhookPolicy(allowedHosts: ["127.0.0.1"]),
                      configure: (inout BrokerConfiguration) -> Void = { _ in }) async throws -> TestBroker {
        var scratch: URL?
        let location: DatabaseLocation
        switch database {
        case .sqlite:
            let folder = file?.deletingLastPathComponent() ?? FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-broker-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            scratch = file == nil ? folder : nil
            location = .sqlite(path: (file ?? folder.appendingPathComponent("broker.sqlite")).path)
        case .postgres:
            var url = try #require(TestDatabase.postgresURL)
            if let postgresDatabase, let slash = url.lastIndex(of: "/") { url = String(url[...slash]) + postgresDatabase }
            location = .postgres(url: url)
        }
        var configuration = BrokerConfiguration(database: location, port: 0, auth: auth)
        configuration.webhookRetryDelays = webhookRetryDelays
        configuration.webhookTimeout = webhookTimeout
        // The tests' webhook targets listen on loopback, which the default policy refuses.
        configuration.webhookPolicy = webhookPolicy
        configuration.databaseConnectionsPerLoop = 2
        configuration.useFirstTagAsBranch = useFirstTagAsBranch
        configure(&configuration)
        let server = try await BrokerServer.start(configuration)
        return TestBroker(server: server, scratch: scratch)
    }

    /// Stops the broker and removes its files. Webhooks this test made are deleted first, so that on a shared
    /// PostgreSQL database they do not fire for other tests' publications.
    func stop() async {
        if let list = try? await get("/webhooks") {
            for webhook in list["_embedded.webhooks"]?.arrayValue ?? [] {
                let names = [webhook["consumer"]?["name"]?.stringValue, webhook["provider"]?["name"]?.stringValue,
                             webhook["consumer"]?["label"]?.stringValue, webhook["provider"]?["label"]?.stringValue].compactMap { $0 }
                let uuid = webhook["uuid"]?.stringValue ?? ""
                if names.contains(where: { $0.hasSuffix(suffix) }) || uuid.contains(suffix) { _ = try? await delete("/webhooks/\(uuid)") }
            }
        }
        client.shutdown()
        await server.stop()
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
    }

    /// A unique name for this test: `name-suffix`.
    func name(_ base: String) -> String { "\(base)-\(suffix)" }

    var url: String { server.url }

    /// The port it listens on, for raw connections.
    var port: Int { Int(url.split(separator: ":").last ?? "") ?? 0 }

    /// Where this broker keeps its data.
    var database: DatabaseLocation { server.database }

    func request(_ method: String, _ path: String, json: JSONValue? = nil, body: [UInt8]? = nil,
                 headers: [(name: String, value: String)] = []) async throws -> BrokerReply {
        var allHeaders = headers
        var payload = body
        if let json {
            payload = JSONWriter.bytes(json, style: .compact)
            if !allHeaders.contains(where: { $0.name.lowercased() == "content-type" }) { allHeaders.append(("Content-Type", "application/json")) }
        }
        if !allHeaders.contains(where: { $0.name.lowercased() == "accept" }) { allHeaders.append(("Accept", "application/hal+json, application/json")) }
        let target = path.hasPrefix("http") ? path : url + path
        let response = try await client.send(HTTPClientRequest(method: method, url: target, headers: allHeaders, body: payload))
        let text = response.bodyText ?? ""
        let json = (try? JSONParser.parse(response.body)) ?? .null
        return BrokerReply(status: response.status, headers: response.headers, text: text, json: json)
    }

    func get(_ path: String) async throws -> BrokerReply { try await request("GET", path) }
    func post(_ path: String, _ json: JSONValue) async throws -> BrokerReply { try await request("POST", path, json: json) }
    func put(_ path: String, _ json: JSONValue = [:]) async throws -> BrokerReply { try await request("PUT", path, json: json) }
    func patch(_ path: String, _ json: JSONValue) async throws -> BrokerReply {
        try await request("PATCH", path, json: json, headers: [("Content-Type", "application/merge-patch+json")])
    }
    func delete(_ path: String) async throws -> BrokerReply { try await request("DELETE", path) }

    /// Path segment encoding for names in URLs.
    static func segment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    // MARK: Fixtures

    /// A pact between the two with one interaction per description given.
    static func pact(consumer: String, provider: String, descriptions: [String] = ["a request for an account"]) -> JSONValue {
        let interactions: [JSONValue] = descriptions.map { description in
            [
                "description": .string(description),
                "request": ["method": "GET", "path": "/accounts/1"],
                "response": ["status": 200, "body": ["id": 1, "note": .string(description)]],
            ]
        }
        return [
            "consumer": ["name": .string(consumer)],
            "provider": ["name": .string(provider)],
            "interactions": .array(interactions),
            "metadata": ["pactSpecification": ["version": "3.0.0"]],
        ]
    }

    /// Publishes through `/contracts/publish`.
    @discardableResult
    func publish(consumer: String, version: String, provider: String, branch: String? = nil, tags: [String] = [],
                 descriptions: [String] = ["a request for an account"], onConflict: String? = nil) async throws -> BrokerReply {
        let content = Data(JSONWriter.bytes(TestBroker.pact(consumer: consumer, provider: provider, descriptions: descriptions), style: .compact)).base64EncodedString()
        var contract: JSONObject = [
            "consumerName": .string(consumer), "providerName": .string(provider), "specification": "pact",
            "contentType": "application/json", "content": .string(content),
        ]
        if let onConflict { contract["onConflict"] = .string(onConflict) }
        var body: JSONObject = [
            "pacticipantName": .string(consumer), "pacticipantVersionNumber": .string(version),
            "contracts": [.object(contract)],
        ]
        if let branch { body["branch"] = .string(branch) }
        if !tags.isEmpty { body["tags"] = .array(tags.map(JSONValue.string)) }
        return try await post("/contracts/publish", .object(body))
    }

    /// Publishes a verification of the consumer version's pact by a provider version, following the pact's link.
    @discardableResult
    func verify(consumer: String, version: String, provider: String, providerVersion: String, success: Bool, branch: String? = nil) async throws -> BrokerReply {
        if let branch { _ = try await put("/pacticipants/\(TestBroker.segment(provider))/branches/\(TestBroker.segment(branch))/versions/\(TestBroker.segment(providerVersion))") }
        let pact = try await get("/pacts/provider/\(TestBroker.segment(provider))/consumer/\(TestBroker.segment(consumer))/version/\(TestBroker.segment(version))")
        let href = try #require(pact["_links.pb:publish-verification-results.href"]?.stringValue)
        return try await post(href, [
            "success": .bool(success), "providerApplicationVersion": .string(providerVersion),
            "verifiedBy": ["implementation": "pactctl-tests", "version": "1"],
            "testResults": [["interactionDescription": "a request for an account", "success": .bool(success)]],
        ])
    }

    /// Creates an environment and returns its uuid.
    func createEnvironment(_ name: String, production: Bool = false) async throws -> String {
        let reply = try await post("/environments", ["name": .string(name), "production": .bool(production)])
        #expect(reply.status == 201, "\(reply.text)")
        return try #require(reply["uuid"]?.stringValue)
    }

    /// Records a deployment of a version through the version's pb:record-deployment link.
    @discardableResult
    func deploy(_ pacticipant: String, _ version: String, to environment: String, instance: String? = nil) async throws -> BrokerReply {
        let document = try await get("/pacticipants/\(TestBroker.segment(pacticipant))/versions/\(TestBroker.segment(version))")
        let links = try #require(document["_links.pb:record-deployment"]?.arrayValue)
        let link = try #require(links.first { $0["name"]?.stringValue == environment }?["href"]?.stringValue)
        return try await post(link, instance.map { ["applicationInstance": .string($0)] } ?? [:])
    }

    /// The can-i-deploy answer for a version going to an environment, as the official CLI asks it.
    func canIDeploy(_ pacticipant: String, _ version: String, to environment: String) async throws -> BrokerReply {
        try await get("/matrix?q[][pacticipant]=\(TestBroker.segment(pacticipant))&q[][version]=\(TestBroker.segment(version))&latestby=cvpv&environment=\(TestBroker.segment(environment))")
    }
}

/// Polls until `condition` holds or `seconds` pass; returns whether it held.
func eventually(within seconds: Double = 30, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

/// Runs `body` with a broker on each available database and stops it afterwards, even when the body throws.
func withBroker(_ database: TestDatabase, _ body: (TestBroker) async throws -> Void) async throws {
    try await withBroker({ try await TestBroker.start(database) }, body)
}

/// Runs `body` with the broker `start` starts (with options of its own) and stops it afterwards, even when the body throws.
func withBroker(_ start: () async throws -> TestBroker, _ body: (TestBroker) async throws -> Void) async throws {
    let broker = try await start()
    do {
        try await body(broker)
    } catch {
        await broker.stop()
        throw error
    }
    await broker.stop()
}
