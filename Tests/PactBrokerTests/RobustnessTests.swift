import Foundation
import PactBroker
import PactModel
import Testing

@Suite("Broker: bad input, concurrency and persistence")
struct RobustnessTests {
    @Test("bad requests get a 4xx with a JSON body that says what is wrong", arguments: TestDatabase.available)
    func badInput(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let malformed = try await broker.request("POST", "/pacticipants", body: Array("{\"name\": ".utf8), headers: [("Content-Type", "application/json")])
            #expect(malformed.status == 400)
            #expect(malformed.header("Content-Type")?.contains("json") == true)
            #expect(malformed["errors.0"]?.stringValue?.contains("not valid JSON") == true)

            let wrongType = try await broker.request("POST", "/pacticipants", body: Array("name=x".utf8), headers: [("Content-Type", "application/x-www-form-urlencoded")])
            #expect(wrongType.status == 415)
            #expect(wrongType["error.message"]?.stringValue?.contains("application/json") == true)

            let array = try await broker.post("/pacticipants", [1, 2])
            #expect(array.status == 400)

            let wrongFieldType = try await broker.post("/pacticipants", ["name": 42])
            #expect(wrongFieldType.status == 400)
            #expect(wrongFieldType["errors.name"] != nil)

            let control = try await broker.post("/pacticipants", ["name": "bad\u{0007}name"])
            #expect(control.status == 400)

            let unknown = try await broker.get("/no/such/thing")
            #expect(unknown.status == 404)
            #expect(unknown["error.message"]?.stringValue?.contains("/no/such/thing") == true)

            let huge = [UInt8](repeating: UInt8(ascii: "a"), count: 33 << 20)
            let tooBig = try await broker.request("PUT", "/pacts/provider/a/consumer/b/version/1", body: huge, headers: [("Content-Type", "application/json")])
            #expect(tooBig.status == 413)
        }
    }

    @Test("twenty concurrent publishes of the same version all succeed and store one pact", arguments: TestDatabase.available)
    func concurrentPublishes(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let web = broker.name("Web"), api = broker.name("API")
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await broker.publish(consumer: web, version: "1.0.0", provider: api, branch: "main", tags: ["dev"]).status }
                }
                var statuses: [Int] = []
                for try await status in group { statuses.append(status) }
                return statuses
            }
            #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
            let versions = try await broker.get("/pacticipants/\(web)/versions")
            #expect(versions["_embedded.versions"]?.arrayValue?.count == 1)
            #expect(versions["_embedded.versions.0._embedded.tags"]?.arrayValue?.count == 1)
            let latest = try await broker.get("/pacts/provider/\(api)/latest")
            #expect(latest["_links.pacts"]?.arrayValue?.count == 1)
        }
    }

    @Test("data survives a restart on the same SQLite file")
    func restart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-broker-restart-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("broker.sqlite")
        let first = try await TestBroker.start(.sqlite, file: file)
        try await first.publish(consumer: "Web", version: "1", provider: "API")
        await first.stop()
        let second = try await TestBroker.start(.sqlite, file: file)
        let pact = try await second.get("/pacts/provider/API/consumer/Web/version/1")
        await second.stop()
        #expect(pact.status == 200)
        #expect(pact["interactions.0.description"] == "a request for an account")
    }

    @Test("the database option is parsed, and mistakes are explained")
    func databaseLocations() throws {
        #expect(try DatabaseLocation(parsing: "sqlite:data/broker.sqlite") == .sqlite(path: "data/broker.sqlite"))
        #expect(try DatabaseLocation(parsing: "broker.db") == .sqlite(path: "broker.db"))
        #expect(try DatabaseLocation(parsing: "postgres://u:p@db.example.com/pact") == .postgres(url: "postgres://u:p@db.example.com/pact"))
        #expect(DatabaseLocation.postgres(url: "postgres://u:secret@h/db").description.contains("secret") == false)
        #expect(throws: BrokerSetupError.self) { try DatabaseLocation(parsing: "mysql://h/db") }
        #expect(throws: BrokerSetupError.self) { try DatabaseLocation(parsing: "postgres://u:p@h/") }
        #expect(throws: BrokerSetupError.self) { try DatabaseLocation(parsing: "sqlite:") }
    }

    @Test("a broker whose database folder does not exist fails to start with the reason")
    func missingFolder() async throws {
        await #expect(throws: BrokerSetupError.self) {
            _ = try await BrokerServer.start(BrokerConfiguration(database: .sqlite(path: "/nonexistent-\(UUID().uuidString)/b.sqlite"), port: 0))
        }
    }
}

@Suite("Broker: schema files")
struct SchemaFileTests {
    @Test("Broker/sql holds exactly the schema the broker applies", arguments: BrokerMaintenance.Dialect.allCases)
    func schemaFiles(dialect: BrokerMaintenance.Dialect) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = root.appendingPathComponent("Broker/sql/schema-\(dialect.rawValue).sql")
        let stored = try String(contentsOf: file, encoding: .utf8)
        #expect(stored == BrokerMaintenance.schema(for: dialect),
                "Broker/sql/schema-\(dialect.rawValue).sql is stale; regenerate it with `pactctl broker schema --dialect \(dialect.rawValue) > \(file.lastPathComponent)`")
    }
}
