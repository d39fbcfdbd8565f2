import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PactMockServer
import PactModel
import Testing

/// Runs `pactctl verify` as a real process against a stand-in provider served in-process by a mock server.
@Suite struct VerifyCommandTests {
    /// Starts a stand-in provider answering with the banking pact's responses, after `edit` has changed its text.
    static func provider(editing edit: (String) -> String = { $0 }) async throws -> MockServer {
        let text = edit(try String(contentsOfFile: PactctlCommandTests.bankingPact, encoding: .utf8))
        let pact = try PactReader().read(Array(text.utf8), source: "stand-in").pact
        let server = MockServer(pact: pact)
        try await server.start()
        return server
    }

    static func baseURL(_ server: MockServer) -> String {
        server.url?.absoluteString ?? "http://127.0.0.1:1"
    }

    @Test func aProviderThatHonoursThePactPassesWithExitZero() async throws {
        let server = try await Self.provider()
        defer { Task { await server.stop() } }
        let result = try PactctlCommandTests.run(["verify", "--provider-url", Self.baseURL(server), "--pact", PactctlCommandTests.bankingPact])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("  ✓ BankingApp: a request for the balance\n"))
        #expect(result.output.contains("  ✓ BankingApp: a request for the transaction history\n"))
        #expect(result.output.contains("warning: no provider state callback configured for provider state 'account ACC001 exists with balance 1000'"))
        #expect(result.output.contains("5 interactions, 5 passed, 0 failed, 0 pending failures"))
        #expect(server.journal.matchCounts == [1, 1, 1, 1, 1])
    }

    @Test func messageInteractionsAreFetchedFromTheMessagePath() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-verify-messages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pactFile = folder.appendingPathComponent("BankingApp-AccountEvents.json")
        try Data("""
        {"consumer": {"name": "BankingApp"}, "provider": {"name": "AccountEvents"}, "metadata": {"pactSpecification": {"version": "3.0.0"}},
         "messages": [{"description": "an account opened event", "contents": {"accountId": "ACC001"},
                       "metadata": {"contentType": "application/json", "topic": "accounts"}}]}
        """.utf8).write(to: pactFile)
        // The stand-in producer answers the verifier's POST to /messages with the event and its metadata header.
        let request = HTTPRequest(method: "POST", path: "/messages", headers: ["Content-Type": "application/json"],
                                  body: Body(json: ["description": "an account opened event"], contentType: .json))
        let metadata = Data(#"{"topic": "accounts"}"#.utf8).base64EncodedString()
        let response = HTTPResponse(status: 200, headers: ["Content-Type": "application/json", "Pact-Message-Metadata": metadata],
                                    body: Body(bytes: Array(#"{"accountId": "ACC001"}"#.utf8), contentType: .json))
        let producer = MockServer(pact: Pact(consumer: "verifier", provider: "producer", interactions: [
            .http(HTTPInteraction(info: InteractionInfo(description: "produce"), request: request, response: response)),
        ]))
        try await producer.start()
        defer { Task { await producer.stop() } }
        let passed = try PactctlCommandTests.run(["verify", "--provider-url", Self.baseURL(producer), "--message-path", "/messages", "--pact", pactFile.path])
        #expect(passed.status == 0, "\(passed.output)\(passed.error)")
        #expect(passed.output.contains("  ✓ BankingApp: an account opened event\n"))
        #expect(passed.output.contains("1 interaction, 1 passed, 0 failed"))
        // Without the path the provider URL itself is asked, which this producer does not serve.
        let wrongPath = try PactctlCommandTests.run(["verify", "--provider-url", Self.baseURL(producer), "--pact", pactFile.path])
        #expect(wrongPath.status == 1)
        #expect(wrongPath.output.contains("answered HTTP 500"), "\(wrongPath.output)")
        // A producer apart from the provider is reached by its own URL.
        let byURL = try PactctlCommandTests.run(["verify", "--provider-url", "http://127.0.0.1:1", "--message-url", Self.baseURL(producer) + "/messages",
                                                 "--pact", pactFile.path])
        #expect(byURL.status == 0, "\(byURL.output)\(byURL.error)")
        let both = try PactctlCommandTests.run(["verify", "--provider-url", Self.baseURL(producer), "--message-path", "/m", "--message-url", "http://x/m",
                                                "--pact", pactFile.path])
        #expect(both.status == 2)
        #expect(both.error.contains("--message-path or --message-url, not both"))
    }

    @Test func aBrokenProviderFailsWithExitOneAndMismatchLines() async throws {
        let server = try await Self.provider { $0.replacingOccurrences(of: "\"USD\"", with: "\"EUR\"") }
        defer { Task { await server.stop() } }
        let result = try PactctlCommandTests.run(["verify", "--provider-url", Self.baseURL(server), "--pact", PactctlCommandTests.bankingPact])
        #expect(result.status == 1, "\(result.output)\(result.error)")
        #expect(result.output.contains("  ✗ BankingApp: a request for the balance\n      body $.currency: "))
        #expect(result.output.contains("  ✓ BankingApp: a deposit of 1000\n"))
        #expect(result.output.contains("5 interactions, 3 passed, 2 failed, 0 pending failures"))
        #expect(result.error.contains("verification failed: 2 of 5 interaction(s) did not pass"))
    }

    @Test func jsonAndJUnitReportsAreWrittenAndParse() async throws {
        let server = try await Self.provider { $0.replacingOccurrences(of: "\"USD\"", with: "\"EUR\"") }
        defer { Task { await server.stop() } }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-verify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let json = folder.appendingPathComponent("results.json").path
        let junit = folder.appendingPathComponent("results.xml").path
        let result = try PactctlCommandTests.run(["verify", "--provider-url", Self.baseURL(server), "--pact", PactctlCommandTests.bankingPact,
                                                  "--json", json, "--junit", junit])
        #expect(result.status == 1)
        let parsed = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any]
        let summary = try #require(parsed?["summary"] as? [String: Any])
        #expect(summary["failed"] as? Int == 2)
        #expect(summary["passed"] as? Int == 3)
        let results = try #require(parsed?["results"] as? [[String: Any]])
        #expect(results.count == 5)
        #expect(results.contains { ($0["mismatches"] as? [[String: Any]])?.contains { $0["path"] as? String == "$.currency" } == true })
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.hasPrefix("<?xml"))
        #expect(xml.contains("<testsuite name=\"BankingApp-BankingAPI\" tests=\"5\" failures=\"2\""))
        #expect(xml.components(separatedBy: "<testcase ").count == 6)
        let parser = XMLParser(data: Data(xml.utf8))
        #expect(parser.parse(), "the JUnit file is well-formed XML")
    }

    @Test func filtersSelectInteractions() async throws {
        let server = try await Self.provider()
        defer { Task { await server.stop() } }
        let result = try PactctlCommandTests.run(["verify", "--provider-url", Self.baseURL(server), "--pact", PactctlCommandTests.bankingPact,
                                                  "--filter-description", "balance", "--filter-consumer", "Banking"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("1 interaction, 1 passed, 0 failed, 0 pending failures (4 excluded by filters)"))
        #expect(server.journal.totalRequests == 1)
    }

    @Test func stateChangesGoToTheStateChangeURLAndHeadersAreOverridden() async throws {
        // The stand-in answers the balance request only with the overriding header, and the state call only with the exact body.
        let text = """
        {"consumer": {"name": "BankingApp"}, "provider": {"name": "BankingAPI"}, "metadata": {"pactSpecification": {"version": "4.0"}},
         "interactions": [
          {"type": "Synchronous/HTTP", "description": "state", "request": {"method": "POST", "path": "/states",
            "headers": {"Content-Type": ["application/json"]},
            "body": {"content": {"state": "account ACC001 exists with balance 1000", "params": {"accountId": "ACC001", "balance": 1000}, "action": "setup"}, "contentType": "application/json"}},
           "response": {"status": 200}},
          {"type": "Synchronous/HTTP", "description": "balance", "request": {"method": "GET", "path": "/api/accounts/ACC001", "headers": {"Authorization": ["Bearer abc=="]}},
           "response": {"status": 200, "headers": {"Content-Type": ["application/json"]},
            "body": {"content": {"accountId": "ACC001", "balance": 1000, "currency": "USD", "status": "active"}, "contentType": "application/json"}}}]}
        """
        let server = MockServer(pact: try PactReader().read(Array(text.utf8), source: "stand-in").pact)
        try await server.start()
        defer { Task { await server.stop() } }
        let result = try PactctlCommandTests.run(["verify", "--provider-url", Self.baseURL(server), "--pact", PactctlCommandTests.bankingPact,
                                                  "--filter-description", "for the balance", "--state-change-url", Self.baseURL(server) + "/states",
                                                  "--header", "Authorization=Bearer abc=="])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(server.journal.matchCounts == [1, 1])
        #expect(!result.output.contains("warning:"))
    }

    @Test func aMissingPactExitsWithTwo() throws {
        let result = try PactctlCommandTests.run(["verify", "--provider-url", "http://127.0.0.1:1", "--pact", "/nonexistent/pact.json"])
        #expect(result.status == 2)
        #expect(result.error.contains("/nonexistent/pact.json: no such file"))
    }

    @Test func anInvalidPactExitsWithTwo() throws {
        let file = try PactctlCommandTests.temporaryFile("{ not json")
        let result = try PactctlCommandTests.run(["verify", "--provider-url", "http://127.0.0.1:1", "--pact", file])
        #expect(result.status == 2)
        #expect(result.error.contains("not valid JSON"))
    }

    @Test func anUnreachablePactURLExitsWithTwo() throws {
        let result = try PactctlCommandTests.run(["verify", "--provider-url", "http://127.0.0.1:1", "--pact-url", "http://127.0.0.1:1/pacts/x"])
        #expect(result.status == 2)
        #expect(result.error.contains("http://127.0.0.1:1/pacts/x: the pact could not be fetched"))
    }

    @Test func usageErrorsExitWithTwo() throws {
        let header = try PactctlCommandTests.run(["verify", "--provider-url", "http://127.0.0.1:1", "--pact", PactctlCommandTests.bankingPact, "--header", "NoEquals"])
        #expect(header.status == 2)
        #expect(header.error.contains("must have the form name=value"))
        let noSource = try PactctlCommandTests.run(["verify", "--provider-url", "http://127.0.0.1:1"])
        #expect(noSource.status == 2)
        #expect(noSource.error.contains("Give at least one pact"))
        let badRegex = try PactctlCommandTests.run(["verify", "--provider-url", "http://127.0.0.1:1", "--pact", PactctlCommandTests.bankingPact, "--filter-state", "(["])
        #expect(badRegex.status == 2)
        #expect(badRegex.error.contains("provider state filter '([': is not a valid regular expression"))
        let badURL = try PactctlCommandTests.run(["verify", "--provider-url", "localhost:8080", "--pact", PactctlCommandTests.bankingPact])
        #expect(badURL.status == 2)
        #expect(badURL.error.contains("provider URL 'localhost:8080'"))
    }
}
