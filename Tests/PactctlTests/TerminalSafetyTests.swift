import Foundation
import Testing

/// Text from input reaches the terminal with its control characters escaped, and the control API stays on loopback.
@Suite struct TerminalSafetyTests {
    @Test func validateShowsControlCharactersFromAPactEscaped() throws {
        // An OSC sequence that would retitle the window, a screen clear and a right-to-left override.
        let pact = #"""
        {"consumer": {"name": "Web\u001b]0;owned\u0007"}, "provider": {"name": "Orders\u202e"},
         "interactions": [{"description": "list \u001b[2J orders", "request": {"method": "GET", "path": "/orders"},
                           "response": {"status": 200}}],
         "metadata": {"pactSpecification": {"version": "3.0.0"}}}
        """#
        let file = try PactctlCommandTests.temporaryFile(pact)
        let result = try PactctlCommandTests.run(["validate", file])
        #expect(result.status == 0)
        #expect(!result.output.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{202E}" })
        #expect(result.output.contains(#"Web\u{1B}]0;owned\u{7}"#))
        #expect(result.output.contains(#"list \u{1B}[2J orders"#))
        #expect(result.output.contains(#"Orders\u{202E}"#))
    }

    @Test func jsonOutputKeepsEveryCharacterForItsReader() throws {
        let pact = #"""
        {"consumer": {"name": "Web\u202e"}, "provider": {"name": "Orders\u0085"},
         "interactions": [{"description": "list", "request": {"method": "GET", "path": "/orders"}, "response": {"status": 200}}],
         "metadata": {"pactSpecification": {"version": "3.0.0"}}}
        """#
        let file = try PactctlCommandTests.temporaryFile(pact)
        let result = try PactctlCommandTests.run(["validate", file, "--output", "json"])
        #expect(result.status == 0)
        let parsed = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]]
        #expect((parsed?.first?["consumer"] as? String) == "Web\u{202E}", "\(result.output)")
    }

    @Test func theMockLogShowsControlCharactersInPathsEscaped() throws {
        let mock = try MockCommandTests.RunningMock(["--pact", PactctlCommandTests.bankingPact, "--port", "0"])
        let line = try #require(mock.waitFor("Mock server listening on"))
        let base = try #require(MockCommandTests.url(in: line))
        _ = try MockCommandTests.get(base + "/api/%1B%5B2Jcleared")
        _ = try MockCommandTests.get(base + "/health")
        let output = mock.stop()
        #expect(!output.unicodeScalars.contains("\u{1B}"))
        #expect(output.contains(#"/api/\u{1B}[2Jcleared"#))
    }

    @Test func theControlAPIListensOnLoopbackWhateverTheMockHost() throws {
        let mock = try MockCommandTests.RunningMock(["--control-port", "0", "--host", "0.0.0.0"])
        let line = try #require(mock.waitFor("Control API listening on"))
        _ = mock.stop()
        #expect(line.contains("http://127.0.0.1:"))
    }
}
