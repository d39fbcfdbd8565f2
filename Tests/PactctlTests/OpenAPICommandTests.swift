import Foundation
import PactHTTP
import PactModel
import Testing

/// `pactctl openapi-check` and `pactctl mock --openapi`.
@Suite struct OpenAPICommandTests {
    static let document = PactctlCommandTests.packageRoot.appendingPathComponent("Tests/Fixtures/openapi/banking.yaml").path
    static let contract = PactctlCommandTests.packageRoot.appendingPathComponent("Contracts/BankingApp-BankingAPI.json").path

    @Test func theCheckPassesAConformingPactAndFailsADriftedOne() async throws {
        let passing = try await PactctlCommandTests.runAsync(["openapi-check", "--openapi", Self.document, "--pact", Self.contract])
        #expect(passing.status == 0, "\(passing.output)\(passing.error)")
        #expect(passing.output.contains("✓ a transfer of 200 from ACC001 to ACC002 (POST /api/transfers)"))
        #expect(passing.output.contains("Every interaction conforms to the document"))

        let original = try String(contentsOfFile: Self.contract, encoding: .utf8)
        let drifted = try PactctlCommandTests.temporaryFile(original.replacingOccurrences(of: "\"/api/transfers\"", with: "\"/api/payments\""))
        let failing = try await PactctlCommandTests.runAsync(["openapi-check", "--openapi", Self.document, "--pact", drifted])
        #expect(failing.status == 1)
        #expect(failing.output.contains("✗ a transfer of 200 from ACC001 to ACC002") && failing.output.contains("POST /api/payments is not a path of the document"),
                "\(failing.output)")
        #expect(failing.output.contains("1 interaction(s) do not conform"))

        let json = try await PactctlCommandTests.runAsync(["openapi-check", "--openapi", Self.document, "--pact", drifted, "-o", "json"])
        let report = try JSONParser.parse(Array(json.output.utf8))
        #expect(report["conforms"] == false)
        #expect(report["pacts"]?.arrayValue?.first?["results"]?.arrayValue?.filter { $0["passed"] == false }.count == 1)
    }

    @Test func badDocumentsAndFlagsAreRefused() async throws {
        let broken = try PactctlCommandTests.temporaryFile("openapi: 3.0.0\ninfo: {title: x}\npaths: {}\n", name: "api.yaml")
        let check = try await PactctlCommandTests.runAsync(["openapi-check", "--openapi", broken, "--pact", Self.contract])
        #expect(check.status == 1 && check.error.contains("api.yaml: not a valid OpenAPI document") && check.error.contains("`version`"), "\(check.error)")
        let mock = try await PactctlCommandTests.runAsync(["mock", "--openapi", broken])
        #expect(mock.status == 1 && mock.error.contains("not a valid OpenAPI document"), "\(mock.error)")
        let both = try await PactctlCommandTests.runAsync(["mock", "--openapi", Self.document, "--pact", Self.contract])
        #expect(both.status == 2 && both.error.contains("--openapi serves a document on its own"))
        let noPact = try await PactctlCommandTests.runAsync(["openapi-check", "--openapi", Self.document])
        #expect(noPact.status == 2)
    }

    @Test func theMockServesTheDocumentAndRejectsInvalidRequestsWith422() async throws {
        let server = try OfficialCLIInteropTests.Server(["mock", "--openapi", Self.document, "--port", "0", "--quiet"], marker: "Mock server listening on")
        defer { server.stop() }
        #expect(server.startupOutput.contains("OpenAPI: BankingAPI 1.0.0, 6 operation(s)"))
        let client = HTTPClient()
        defer { client.shutdown() }
        let opened = try await client.send(HTTPClientRequest(method: "POST", url: server.url + "/api/accounts", headers: [("Content-Type", "application/json")],
                                                             body: Array(#"{"customerId": "CUST001"}"#.utf8)))
        #expect(opened.status == 201 && opened.bodyText?.contains("ACC001") == true)
        let invalid = try await client.send(HTTPClientRequest(method: "POST", url: server.url + "/api/accounts", headers: [("Content-Type", "application/json")],
                                                              body: Array(#"{"customer": "CUST001"}"#.utf8)))
        #expect(invalid.status == 422)
        #expect(invalid.bodyText?.contains("the required property 'customerId' is missing") == true, "\(invalid.bodyText ?? "")")
    }
}
