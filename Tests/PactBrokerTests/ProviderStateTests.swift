import Foundation
import PactModel
import Testing

@Suite("Broker: provider states (pact broker provider-states list)")
struct ProviderStateTests {
    /// Publishes a pact whose interactions need these states (name and parameters).
    static func publish(_ broker: TestBroker, consumer: String, version: String, provider: String, branch: String,
                        states: [(String, JSONObject)]) async throws {
        let interactions: [JSONValue] = states.enumerated().map { index, state in
            [
                "description": .string("request \(index) of \(version)"),
                "providerStates": [state.1.isEmpty ? ["name": .string(state.0)] : ["name": .string(state.0), "params": .object(state.1)]],
                "request": ["method": "GET", "path": .string("/things/\(index)")],
                "response": ["status": 200],
            ]
        }
        let pact: JSONValue = ["consumer": ["name": .string(consumer)], "provider": ["name": .string(provider)],
                               "interactions": .array(interactions), "metadata": ["pactSpecification": ["version": "3.0.0"]]]
        let content = Data(JSONWriter.bytes(pact, style: .compact)).base64EncodedString()
        let reply = try await broker.post("/contracts/publish", [
            "pacticipantName": .string(consumer), "pacticipantVersionNumber": .string(version), "branch": .string(branch),
            "contracts": [["consumerName": .string(consumer), "providerName": .string(provider), "specification": "pact",
                           "contentType": "application/json", "content": .string(content)]],
        ])
        #expect(reply.status == 200, "\(reply.text)")
    }

    static func listed(_ reply: BrokerReply) -> [String] {
        (reply["providerStates"]?.arrayValue ?? []).map { state in
            let consumers = state["consumers"]?.arrayValue?.compactMap(\.stringValue).map { String($0.prefix { $0 != "-" }) } ?? []
            let params = state["params"].map { JSONWriter.string($0, style: .compactSorted) } ?? ""
            return "\(state["name"]?.stringValue ?? "?")\(params) by \(consumers.joined(separator: ","))"
        }
    }

    @Test("states come from each consumer's latest main-branch pact, a branch, or an environment, merged and sorted", arguments: TestDatabase.available)
    func providerStates(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let web = broker.name("web"), mobile = broker.name("mobile"), api = broker.name("api"), production = broker.name("production")
            let production_uuid = try await broker.createEnvironment(production, production: true)
            try await Self.publish(broker, consumer: web, version: "1", provider: api, branch: "main", states: [("an old state", [:])])
            try await Self.publish(broker, consumer: web, version: "2", provider: api, branch: "main",
                                   states: [("account exists", ["id": "ACC001"]), ("no accounts", [:])])
            try await Self.publish(broker, consumer: mobile, version: "7", provider: api, branch: "main",
                                   states: [("account exists", ["id": "ACC001"]), ("account exists", ["id": "ACC002"])])
            try await Self.publish(broker, consumer: mobile, version: "8", provider: api, branch: "feat/x", states: [("a feature state", [:])])
            try await broker.deploy(web, "1", to: production)

            let main = try await broker.get("/pacts/provider/\(api)/provider-states")
            #expect(main.status == 200)
            #expect(Self.listed(main) == [#"account exists{"id":"ACC001"} by mobile,web"#, #"account exists{"id":"ACC002"} by mobile"#, "no accounts by web"],
                    "\(main.text)")
            let branch = try await broker.get("/pacts/provider/\(api)/provider-states/branch/feat%2Fx")
            #expect(Self.listed(branch) == ["a feature state by mobile"], "\(branch.text)")
            let byName = try await broker.get("/pacts/provider/\(api)/provider-states/environment/\(production)")
            #expect(Self.listed(byName) == ["an old state by web"], "\(byName.text)")
            let byUUID = try await broker.get("/pacts/provider/\(api)/provider-states/environment/\(production_uuid)")
            #expect(Self.listed(byUUID) == ["an old state by web"])

            #expect(try await broker.get("/pacts/provider/nobody-\(broker.suffix)/provider-states").status == 404)
            let noEnvironment = try await broker.get("/pacts/provider/\(api)/provider-states/environment/nowhere")
            #expect(noEnvironment.status == 404 && noEnvironment.text.contains("nowhere"))
        }
    }
}
