import Foundation
import PactHTTP
import PactModel
import Testing

/// `pactctl mock` with scenarios, provider states and simulation, and their control API, on the banking contract.
@Suite struct MockSimulationCommandTests {
    static let contract = PactctlCommandTests.packageRoot.appendingPathComponent("Contracts/BankingApp-BankingAPI.json").path
    static let scenarios = PactctlCommandTests.packageRoot.appendingPathComponent("Contracts/BankingApp-BankingAPI.scenarios.json").path

    struct Reply {
        var status: Int
        var json: JSONValue
    }

    static func send(_ method: String, _ url: String, _ body: String? = nil) async throws -> Reply {
        let client = HTTPClient(configuration: HTTPClientConfiguration(requestTimeout: .seconds(20)))
        defer { client.shutdown() }
        let response = try await client.send(HTTPClientRequest(method: method, url: url, headers: body == nil ? [] : [("Content-Type", "application/json")],
                                                               body: body.map { Array($0.utf8) }))
        return Reply(status: response.status, json: (try? JSONParser.parse(response.body)) ?? .null)
    }

    /// A mock of the banking contract with the scenario file and the control API; returns the mock's and the API's URLs.
    static func bankingMock(_ extra: [String] = []) throws -> (OfficialCLIInteropTests.Server, mock: String, control: String) {
        let server = try OfficialCLIInteropTests.Server(["mock", "--pact", contract, "--scenarios", scenarios, "--port", "0", "--control-port", "0", "--quiet"] + extra,
                                                        marker: "Control API listening on")
        let mockLine = try #require(server.startupOutput.split(separator: "\n").first { $0.contains("Mock server listening on") })
        let mock = try #require(MockCommandTests.url(in: String(mockLine)))
        return (server, mock, server.url)
    }

    @Test func theBankingScenarioReplaysTheDayInOrder() async throws {
        let (process, mock, control) = try Self.bankingMock()
        defer { process.stop() }
        let api = mock + "/api"

        let opened = try await Self.send("POST", api + "/accounts", #"{"customerId": "CUST001"}"#)
        #expect(opened.status == 201 && opened.json["accountId"] == "ACC001" && opened.json["balance"] == 0)
        let deposit = try await Self.send("POST", api + "/accounts/ACC001/deposit", #"{"amount": 1000}"#)
        #expect(deposit.status == 200 && deposit.json["balance"] == 1000)
        #expect(try await Self.send("GET", api + "/accounts/ACC001").json["balance"] == 1000)
        let withdrawal = try await Self.send("POST", api + "/accounts/ACC001/withdraw", #"{"amount": 300}"#)
        #expect(withdrawal.status == 200 && withdrawal.json["balance"] == 700)
        #expect(try await Self.send("GET", api + "/accounts/ACC001").json["balance"] == 700)
        let refused = try await Self.send("POST", api + "/accounts/ACC001/withdraw", #"{"amount": 1000}"#)
        #expect(refused.status == 400 && refused.json["code"] == "INSUFFICIENT_FUNDS" && refused.json["currentBalance"] == 700)
        let transfer = try await Self.send("POST", api + "/transfers", #"{"fromAccount": "ACC001", "toAccount": "ACC002", "amount": 200}"#)
        #expect(transfer.status == 200 && transfer.json["balance"] == 500)
        let history = try await Self.send("GET", api + "/accounts/ACC001/transactions")
        let entries = try #require(history.json["transactions"]?.arrayValue)
        #expect(entries.compactMap { $0["type"]?.stringValue } == ["deposit", "withdrawal", "transfer_out"])
        #expect(entries.compactMap { $0["balanceAfter"] } == [1000, 700, 500])

        // Out of order: the balance of 1000 belongs to an earlier state, and the mismatch says so.
        let late = try await Self.send("POST", api + "/accounts/ACC001/deposit", #"{"amount": 1000}"#)
        #expect(late.status == 500)
        let message = late.json["mismatches"]?.arrayValue?.first?["message"]?.stringValue ?? ""
        #expect(message.contains("answers only in state 'Account open with 0'") && message.contains("is in state 'Balance 500'"), "\(message)")

        let states = try await Self.send("GET", control + "/mockservers/ms1/scenarios")
        #expect(states.json["scenarios"]?.arrayValue?.first?["state"] == "Balance 500")
        let reset = try await Self.send("POST", control + "/mockservers/ms1/scenarios/reset")
        #expect(reset.json["scenarios"]?.arrayValue?.first?["state"] == "Started")
        #expect(try await Self.send("POST", api + "/accounts", #"{"customerId": "CUST001"}"#).status == 201)
        let jumped = try await Self.send("PUT", control + "/mockservers/ms1/scenarios/Banking%20day/state", #"{"state": "Balance 700"}"#)
        #expect(jumped.status == 200)
        #expect(try await Self.send("GET", api + "/accounts/ACC001").json["balance"] == 700)
        #expect(try await Self.send("PUT", control + "/mockservers/ms1/scenarios/Nope/state", #"{"state": "x"}"#).status == 404)
    }

    @Test func concurrentRequestsSeeOneConsistentTransition() async throws {
        let (process, mock, _) = try Self.bankingMock()
        defer { process.stop() }
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 {
                group.addTask { try await Self.send("POST", mock + "/api/accounts", #"{"customerId": "CUST001"}"#).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == 201 }.count == 1, "exactly one request opens the account: \(statuses)")
        #expect(statuses.filter { $0 == 500 }.count == 19)
    }

    @Test func activeProviderStatesChooseAmongInteractionsWithTheSameRequest() async throws {
        let server = try OfficialCLIInteropTests.Server(["mock", "--pact", Self.contract, "--port", "0", "--quiet", "--control-port", "0",
                                                         "--provider-state", "account ACC001 exists with balance 700"],
                                                        marker: "Control API listening on")
        defer { server.stop() }
        let mockLine = try #require(server.startupOutput.split(separator: "\n").first { $0.contains("Mock server listening on") })
        let mock = try #require(MockCommandTests.url(in: String(mockLine)))
        #expect(try await Self.send("GET", mock + "/api/accounts/ACC001").json["balance"] == 700)
        let set = try await Self.send("PUT", server.url + "/mockservers/ms1/provider-states", #"{"states": ["account ACC001 exists with balance 1000"]}"#)
        #expect(set.status == 200)
        #expect(try await Self.send("GET", mock + "/api/accounts/ACC001").json["balance"] == 1000)
        let inactive = try await Self.send("POST", mock + "/api/accounts", #"{"customerId": "CUST001"}"#)
        #expect(inactive.status == 500)
        #expect(inactive.json["mismatches"]?.arrayValue?.first?["message"]?.stringValue?.contains("'customer CUST001 exists' is not active") == true)
    }

    @Test func theControlAPISetsReadsAndClearsTheSimulation() async throws {
        let (process, mock, control) = try Self.bankingMock()
        defer { process.stop() }
        let set = try await Self.send("PUT", control + "/mockservers/ms1/simulation",
                                      #"{"seed": 3, "rules": [{"path": "/api/accounts", "fault": "status:503:1"}]}"#)
        #expect(set.status == 200 && set.json["seed"] == 3)
        let injected = try await Self.send("POST", mock + "/api/accounts", #"{"customerId": "CUST001"}"#)
        #expect(injected.status == 503)
        let journal = try await Self.send("GET", control + "/mockservers/ms1/requests").json["requests"]?.arrayValue ?? []
        #expect(journal.last?["simulated"]?["fault"] == "status:503:1", "the journal names the injected fault: \(journal)")
        #expect(journal.last?["simulated"]?["addedDelayMs"] == 0)
        #expect(try await Self.send("GET", control + "/mockservers/ms1/simulation").json["rules"]?.arrayValue?.count == 1)
        let bad = try await Self.send("PUT", control + "/mockservers/ms1/simulation", #"{"rules": [{"fault": "explode"}]}"#)
        #expect(bad.status == 400 && bad.json["error"]?.stringValue?.contains("invalid fault 'explode'") == true)
        #expect(try await Self.send("DELETE", control + "/mockservers/ms1/simulation").status == 200)
        #expect(try await Self.send("POST", mock + "/api/accounts", #"{"customerId": "CUST001"}"#).status == 201)
        let badScenarios = try await Self.send("PUT", control + "/mockservers/ms1/scenarios", #"{"scenarios": [{"name": "x", "steps": [{"interaction": "nope"}]}]}"#)
        #expect(badScenarios.status == 400 && badScenarios.json["error"]?.stringValue?.contains("no interaction 'nope'") == true)
    }

    @Test func badSimulationAndScenarioInputIsRefusedWithAClearMessage() async throws {
        let delay = try await PactctlCommandTests.runAsync(["mock", "--pact", Self.contract, "--delay", "lognormal:150"])
        #expect(delay.status == 2 && delay.error.contains("invalid delay 'lognormal:150'"), "\(delay.error)")
        let fault = try await PactctlCommandTests.runAsync(["mock", "--pact", Self.contract, "--fault", "/api/**=teapot@5%"])
        #expect(fault.status == 2 && fault.error.contains("invalid fault 'teapot@5%'"), "\(fault.error)")

        let unknown = try PactctlCommandTests.temporaryFile(#"{"scenarios": [{"name": "s", "steps": [{"interaction": "a refund"}]}]}"#, name: "s.scenarios.json")
        let unknownResult = try await PactctlCommandTests.runAsync(["mock", "--pact", Self.contract, "--scenarios", unknown])
        #expect(unknownResult.status == 1)
        #expect(unknownResult.error.contains("$.scenarios[0].steps[0]") && unknownResult.error.contains("no interaction 'a refund'"), "\(unknownResult.error)")
        let ambiguous = try PactctlCommandTests.temporaryFile(#"{"scenarios": [{"name": "s", "steps": [{"interaction": "a deposit of 1000", "providerState": "nope"}]}]}"#)
        let ambiguousResult = try await PactctlCommandTests.runAsync(["mock", "--pact", Self.contract, "--scenarios", ambiguous])
        #expect(ambiguousResult.status == 1 && ambiguousResult.error.contains("provider state 'nope'"), "\(ambiguousResult.error)")
        let broken = try PactctlCommandTests.temporaryFile("{not json", name: "broken.json")
        let brokenResult = try await PactctlCommandTests.runAsync(["mock", "--pact", Self.contract, "--scenarios", broken])
        #expect(brokenResult.status == 1 && brokenResult.error.contains("not valid JSON"), "\(brokenResult.error)")
        let simulationFile = try PactctlCommandTests.temporaryFile(#"{"rules": [{"path": "/a", "delay": "fixed:1", "colour": "red"}]}"#)
        let simulationResult = try await PactctlCommandTests.runAsync(["mock", "--pact", Self.contract, "--simulation", simulationFile])
        #expect(simulationResult.status == 1 && simulationResult.error.contains("$.rules[0].colour"), "\(simulationResult.error)")
    }

    @Test func theSeedIsPrintedSoARunCanBeReplayed() async throws {
        let server = try OfficialCLIInteropTests.Server(["mock", "--pact", Self.contract, "--port", "0", "--quiet", "--fault", "status:503@50%"],
                                                        marker: "Mock server listening on")
        defer { server.stop() }
        #expect(server.startupOutput.contains("with seed ") && server.startupOutput.contains("pass --seed "), "\(server.startupOutput)")
    }
}
