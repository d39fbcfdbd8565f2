import Foundation
import PactHTTP
import PactModel
import Testing

/// `pactctl record` in front of a provider, then `pactctl mock` replaying what it wrote.
@Suite struct RecordCommandTests {
    @Test func aRecordedSessionBecomesAPactThatReplaysAndVerifies() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-record-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("recorded.json").path
        let contract = PactctlCommandTests.packageRoot.appendingPathComponent("Contracts/BankingApp-BankingAPI.json").path
        // The banking contract's mock stands in for the real provider.
        let provider = try OfficialCLIInteropTests.Server(["mock", "--pact", contract, "--port", "0", "--quiet"], marker: "Mock server listening on")
        defer { provider.stop() }
        let recorder = try OfficialCLIInteropTests.Server(["record", "--target", provider.url, "--consumer", "Web", "--provider", "Bank",
                                                           "--out", out, "--port", "0", "--matchers"], marker: "Recording proxy listening on")
        let client = HTTPClient()
        defer { client.shutdown() }
        let balance = try await client.send(HTTPClientRequest(url: recorder.url + "/api/accounts/ACC001",
                                                              headers: [("Authorization", "Bearer secret"), ("Accept", "application/json")]))
        #expect(balance.status == 200 && balance.bodyText?.contains("\"balance\"") == true)
        let deposit = try await client.send(HTTPClientRequest(method: "POST", url: recorder.url + "/api/accounts/ACC001/deposit",
                                                              headers: [("Content-Type", "application/json")], body: Array(#"{"amount": 1000}"#.utf8)))
        #expect(deposit.status == 200)
        _ = try await client.send(HTTPClientRequest(url: recorder.url + "/api/accounts/ACC001", headers: [("Authorization", "Bearer secret"), ("Accept", "application/json")]))
        recorder.stop()

        let text = try String(contentsOfFile: out, encoding: .utf8)
        let pact = try JSONParser.parse(Array(text.utf8))
        #expect(pact["consumer"]?["name"] == "Web" && pact["provider"]?["name"] == "Bank")
        let interactions = try #require(pact["interactions"]?.arrayValue)
        #expect(interactions.compactMap { $0["description"]?.stringValue } == ["GET /api/accounts/ACC001", "POST /api/accounts/ACC001/deposit"],
                "one interaction per distinct exchange: \(text)")
        #expect(!text.contains("secret"), "credentials are never recorded")
        #expect(interactions.first?["response"]?["matchingRules"]?["body"]?["$"] != nil, "--matchers adds a type rule for the body")

        // The recording replays, and verifies against the provider it came from.
        let replay = try OfficialCLIInteropTests.Server(["mock", "--pact", out, "--port", "0", "--quiet"], marker: "Mock server listening on")
        defer { replay.stop() }
        let replayed = try await client.send(HTTPClientRequest(url: replay.url + "/api/accounts/ACC001", headers: [("Accept", "application/json")]))
        #expect(replayed.status == 200 && replayed.bodyText == balance.bodyText)
        let verify = try await PactctlCommandTests.runAsync(["verify", "--pact", out, "--provider-url", provider.url])
        #expect(verify.status == 0, "\(verify.output)\(verify.error)")
    }

    @Test func anUnreachableProviderIsAnsweredWith502AndNothingIsRecorded() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-record-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("none.json").path
        let recorder = try OfficialCLIInteropTests.Server(["record", "--target", "http://127.0.0.1:9", "--consumer", "Web", "--provider", "Bank",
                                                           "--out", out, "--port", "0"], marker: "Recording proxy listening on")
        let client = HTTPClient()
        defer { client.shutdown() }
        let answer = try await client.send(HTTPClientRequest(url: recorder.url + "/anything"))
        #expect(answer.status == 502 && answer.bodyText?.contains("did not answer") == true, "\(answer.bodyText ?? "")")
        recorder.stop()
        #expect(!FileManager.default.fileExists(atPath: out))

        let bad = try await PactctlCommandTests.runAsync(["record", "--target", "localhost:8080", "--consumer", "Web", "--provider", "Bank"])
        #expect(bad.status == 2 && bad.error.contains("not an http(s) URL"), "\(bad.error)")
    }
}
