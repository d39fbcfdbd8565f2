import Foundation
import PactConsumer
import PactHTTP
import PactMockServer
import PactModel
import Testing

/// Latency, faults and scenarios declared in consumer tests: they shape the mock server's answers, never the pact.
@Suite("Consumer DSL: simulation") struct SimulationDSLTests {
    static func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-dsl-simulation-\(UUID().uuidString)")
    }

    static func get(_ url: URL, _ path: String) async throws -> (status: Int, retryAfter: String?, seconds: Double) {
        let client = HTTPClient()
        defer { client.shutdown() }
        let started = Date()
        let response = try await client.send(HTTPClientRequest(url: url.absoluteString + path))
        return (response.status, response.header("Retry-After"), Date().timeIntervalSince(started))
    }

    @Test func anInteractionsDelayAndFaultShapeTheMockButNotThePact() async throws {
        let output = Self.folder()
        defer { try? FileManager.default.removeItem(at: output) }
        let pact = ConsumerPact(consumer: "Shop", provider: "Stock")
        pact.uponReceiving("a slow stock level")
            .withDelay(.fixed(milliseconds: 600))
            .withRequest(method: .get, path: "/stock/1")
            .willRespondWith(status: 200, body: .json(["level": .integer(3)]))
        pact.uponReceiving("an overloaded price list")
            .withFault(Fault(.status(code: 503, retryAfterSeconds: 2)))
            .withRequest(method: .get, path: "/prices")
            .willRespondWith(status: 200, body: .json(["prices": []]))
        try await pact.run(output: PactOutput(directory: output)) { url in
            let slow = try await Self.get(url, "/stock/1")
            #expect(slow.status == 200 && slow.seconds >= 0.59, "\(slow)")
            let overloaded = try await Self.get(url, "/prices")
            #expect(overloaded.status == 503 && overloaded.retryAfter == "2", "\(overloaded)")
        }
        let written = try String(contentsOf: output.appendingPathComponent("Shop-Stock.json"), encoding: .utf8)
        #expect(written.contains("an overloaded price list") && written.contains("\"status\": 200"))
        #expect(!written.contains("503") && !written.contains("fixed"), "the pact holds the contract, not the simulation")
    }

    @Test func aGlobalSimulationAndScenariosComeFromTheServerSettings() async throws {
        let output = Self.folder()
        defer { try? FileManager.default.removeItem(at: output) }
        let pact = ConsumerPact(consumer: "Shop", provider: "Cart")
        pact.uponReceiving("an empty cart").withRequest(method: .get, path: "/cart")
            .willRespondWith(status: 200, body: .json(["items": .integer(0)]))
        pact.uponReceiving("adding an item").withRequest(method: .post, path: "/cart/items")
            .willRespondWith(status: 201)
        pact.uponReceiving("a cart with an item").withRequest(method: .get, path: "/cart")
            .willRespondWith(status: 200, body: .json(["items": .integer(1)]))
        let scenarios = ScenarioSet(scenarios: [ScenarioSet.Scenario(name: "cart", steps: [
            .init(interaction: "an empty cart", requiredState: "Started"),
            .init(interaction: "adding an item", newState: "One item"),
            .init(interaction: "a cart with an item", requiredState: "One item"),
        ])])
        var server = MockServerConfiguration(simulation: Simulation(rules: [SimulationRule(.path("/cart/**"), delay: .fixed(milliseconds: 300))], seed: 1))
        server.scenarios = scenarios
        try await pact.run(output: PactOutput(directory: output, server: server)) { url in
            let client = HTTPClient()
            defer { client.shutdown() }
            let before = try await client.send(HTTPClientRequest(url: url.absoluteString + "/cart"))
            #expect(before.bodyText?.contains("\"items\":0") == true, "\(before.bodyText ?? "")")
            let started = Date()
            #expect(try await client.send(HTTPClientRequest(method: "POST", url: url.absoluteString + "/cart/items")).status == 201)
            #expect(Date().timeIntervalSince(started) >= 0.29, "the path rule delays /cart/items")
            let after = try await client.send(HTTPClientRequest(url: url.absoluteString + "/cart"))
            #expect(after.bodyText?.contains("\"items\":1") == true, "\(after.bodyText ?? "")")
        }
    }
}

extension SimulationDSLTests {
    @Test func aTestCanAskTheMockServerWhatItReceived() async throws {
        let output = Self.folder()
        defer { try? FileManager.default.removeItem(at: output) }
        let pact = ConsumerPact(consumer: "Shop", provider: "Audit")
        pact.uponReceiving("an audit event").withRequest(method: .post, path: "/events", headers: ["Content-Type": "application/json"],
                                                         body: .json(["kind": .like("login")]))
            .willRespondWith(status: 202)
        try await pact.run(output: PactOutput(directory: output)) { url, server in
            let client = HTTPClient()
            defer { client.shutdown() }
            for kind in ["login", "logout"] {
                _ = try await client.send(HTTPClientRequest(method: "POST", url: url.absoluteString + "/events",
                                                            headers: [("Content-Type", "application/json")], body: Array(#"{"kind": "\#(kind)"}"#.utf8)))
            }
            #expect(server.journal.count(matching: RequestPattern(method: "POST", path: .equalTo("/events"))).count == 2)
            #expect(server.journal.count(matching: RequestPattern(bodyJSON: ["kind": "logout"])).count == 1)
        }
    }
}
