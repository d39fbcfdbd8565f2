import Foundation
import PactMockServer
import PactModel
import Testing

/// can-i-deploy never says yes when the broker could not give an answer: an unreachable broker, refused
/// credentials and server errors each exit 1 with a message that names the URL and the status.
@Suite struct CanIDeployFailureTests {
    /// A stand-in broker that answers every request with `status`.
    static func brokerAnswering(_ status: Int) async throws -> MockServer {
        let pact = """
            {"consumer": {"name": "cli"}, "provider": {"name": "broker"}, "metadata": {"pactSpecification": {"version": "3.0.0"}},
             "interactions": [{"description": "the index", "request": {"method": "GET", "path": "/"},
               "response": {"status": \(status), "headers": {"Content-Type": "application/json"}, "body": {"error": "no"}}}]}
            """
        // Every request, whatever its path, gets the status: a fault injected at a rate of 100%.
        var configuration = MockServerConfiguration()
        configuration.simulation = Simulation(rules: [try SimulationRule.fault("status:\(status)")], seed: 1)
        let server = MockServer(pact: try PactReader().read(Array(pact.utf8), source: "stand-in").pact, configuration: configuration)
        try await server.start()
        return server
    }

    static func canIDeploy(_ url: String) async throws -> PactctlCommandTests.Result {
        try await PactctlCommandTests.runAsync(["can-i-deploy", "--pacticipant", "BankingApp", "--version", "1.0.0", "--to-environment", "production",
                                                "--broker-base-url", url, "--retries", "0"])
    }

    @Test(arguments: [401, 403, 404, 500, 503])
    func anErrorFromTheBrokerIsNeverAYes(status: Int) async throws {
        let server = try await Self.brokerAnswering(status)
        let url = "http://127.0.0.1:\(try #require(server.port))"
        let result = try await Self.canIDeploy(url)
        await server.stop()
        #expect(result.status == 1, "\(result.output)\(result.error)")
        #expect(!result.output.contains("Computer says yes"))
        #expect(result.error.contains(url) && result.error.contains("\(status)"), "\(result.error)")
    }

    @Test func anUnreachableBrokerIsNeverAYes() async throws {
        let result = try await Self.canIDeploy("http://127.0.0.1:9")
        #expect(result.status == 1)
        #expect(!result.output.contains("Computer says yes"))
        #expect(result.error.contains("http://127.0.0.1:9"), "\(result.error)")
    }
}
