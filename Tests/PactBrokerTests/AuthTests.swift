import Foundation
import PactBroker
import PactModel
import Testing

@Suite("Broker: authentication")
struct AuthTests {
    private func basic(_ user: String, _ password: String) -> (name: String, value: String) {
        ("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
    }

    @Test("with basic-auth users, requests need credentials and read-only users cannot write")
    func basicAuth() async throws {
        let auth = BrokerAuthConfiguration(basic: [
            BasicCredential(username: "ci", password: "s3cret", role: .readWrite),
            BasicCredential(username: "viewer", password: "look", role: .readOnly),
        ])
        let broker = try await TestBroker.start(.sqlite, auth: auth)
        defer { Task { await broker.stop() } }
        #expect(broker.server.requiresAuthentication)

        let anonymous = try await broker.get("/")
        #expect(anonymous.status == 401)
        #expect(anonymous.header("WWW-Authenticate")?.contains("Basic") == true)
        #expect(anonymous["error.message"]?.stringValue?.contains("credentials") == true)
        #expect(try await broker.request("GET", "/", headers: [basic("ci", "wrong")]).status == 401)
        #expect(try await broker.request("GET", "/", headers: [basic("nobody", "s3cret")]).status == 401)
        #expect(try await broker.request("GET", "/", headers: [("Authorization", "Basic not-base64!")]).status == 401)
        #expect(try await broker.get("/diagnostic/status/heartbeat").status == 200, "the heartbeat stays public for load balancers")

        let write = try await broker.request("POST", "/pacticipants", json: ["name": "Web"], headers: [basic("ci", "s3cret")])
        #expect(write.status == 201)
        #expect(try await broker.request("GET", "/pacticipants/Web", headers: [basic("viewer", "look")]).status == 200)
        let forbidden = try await broker.request("POST", "/pacticipants", json: ["name": "Other"], headers: [basic("viewer", "look")])
        #expect(forbidden.status == 403)
        #expect(forbidden["error.message"]?.stringValue?.contains("read-only") == true)
        let forVerification = try await broker.request("POST", "/pacts/provider/Web/for-verification", json: [:], headers: [basic("viewer", "look")])
        #expect(forVerification.status == 200, "asking which pacts to verify is a read")
        await broker.stop()
    }

    @Test("API tokens are stored hashed, switch authentication on, carry a role and can be revoked")
    func tokens() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-broker-tokens-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("broker.sqlite")
        let location = DatabaseLocation.sqlite(path: file.path)
        let writer = try await BrokerTokens.create(name: "ci", role: .readWrite, in: location)
        let reader = try await BrokerTokens.create(name: "dashboard", role: .readOnly, in: location)
        #expect(writer.hasPrefix("pb_") && writer.count > 40 && writer != reader)
        await #expect(throws: BrokerSetupError.self) { _ = try await BrokerTokens.create(name: "ci", role: .readOnly, in: location) }
        #expect(try await BrokerTokens.list(in: location).map(\.name) == ["ci", "dashboard"])
        let stored = try Data(contentsOf: file) + ((try? Data(contentsOf: URL(fileURLWithPath: file.path + "-wal"))) ?? Data())
        #expect(stored.range(of: Data(writer.utf8)) == nil, "the token itself is never stored")

        let broker = try await TestBroker.start(.sqlite, file: file)
        #expect(broker.server.requiresAuthentication)
        #expect(try await broker.get("/").status == 401)
        #expect(try await broker.request("PUT", "/pacticipants/Web/versions/1", json: [:], headers: [("Authorization", "Bearer \(writer)")]).status == 201)
        #expect(try await broker.request("GET", "/pacticipants/Web", headers: [("Authorization", "Bearer \(reader)")]).status == 200)
        #expect(try await broker.request("DELETE", "/pacticipants/Web", headers: [("Authorization", "Bearer \(reader)")]).status == 403)
        #expect(try await broker.request("GET", "/", headers: [("Authorization", "Bearer pb_made_up")]).status == 401)

        #expect(try await BrokerTokens.revoke(name: "dashboard", in: location))
        #expect(try await BrokerTokens.revoke(name: "dashboard", in: location) == false)
        #expect(try await broker.request("GET", "/pacticipants/Web", headers: [("Authorization", "Bearer \(reader)")]).status == 401, "revocation applies at once")
        await broker.stop()
    }

    @Test("a token created while an open broker runs switches authentication on within a second, for good")
    func tokenCreatedWhileRunning() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-broker-tokens-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("broker.sqlite")
        let location = DatabaseLocation.sqlite(path: file.path)
        let broker = try await TestBroker.start(.sqlite, file: file)
        #expect(try await broker.get("/").status == 200)
        #expect(!broker.server.requiresAuthentication)

        let token = try await BrokerTokens.create(name: "ci", role: .readWrite, in: location)
        #expect(try await eventually(within: 10) { try await broker.get("/").status == 401 })
        #expect(broker.server.requiresAuthentication)
        #expect(try await broker.request("GET", "/", headers: [("Authorization", "Bearer \(token)")]).status == 200)
        // Revoking the last token does not open the broker again while it runs.
        #expect(try await BrokerTokens.revoke(name: "ci", in: location))
        try await Task.sleep(for: .milliseconds(1200))
        #expect(try await broker.get("/").status == 401)
        await broker.stop()
    }

    @Test("without credentials configured the broker is open")
    func openByDefault() async throws {
        try await withBroker(.sqlite) { broker in
            let reply = try await broker.get("/")
            #expect(reply.status == 200)
            #expect(!broker.server.requiresAuthentication)
        }
    }
}
