import BankingAPI
import Foundation
import PactModel
import PactVerifier
import Testing

/// BankingAPI verified against the contract BankingApp's tests write, the way its own CI would.
@Suite("BankingAPI honours the BankingApp contract")
struct BankingContractTests {
    /// `Contracts/BankingApp-BankingAPI.json`, found from this file's place in the package.
    static let contract: String = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" && !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("Contracts/BankingApp-BankingAPI.json").path
    }()

    @Test func everyInteractionPassesWithInProcessStateHandlers() async throws {
        let server = try await BankingServer.start()
        defer { Task { await server.stop() } }
        let states = BankProviderStates(bank: server.bank)
        let verifier = try Verifier(options: VerifierOptions(
            providerBaseURL: server.url.absoluteString,
            stateChange: .handlers(StateHandlers(fallback: { name, action, params in
                let values = try await states.apply(name, action: action.rawValue, params: params.reduce(into: [:]) { $0[$1.key] = $1.value.plainText })
                return JSONObject(values.map { ($0.key, JSONValue.string($0.value)) })
            }))
        ))
        let report = try await verifier.verify([.file(Self.contract)])
        #expect(report.results.count == 8)
        #expect(report.isSuccess, "\(report)")
    }

    @Test func everyInteractionPassesThroughTheStateChangeURL() async throws {
        let server = try await BankingServer.start(providerStates: true)
        defer { Task { await server.stop() } }
        let verifier = try Verifier(options: VerifierOptions(
            providerBaseURL: server.url.absoluteString,
            stateChange: .url(server.url.absoluteString + "/_pact/provider-states")
        ))
        let report = try await verifier.verify([.file(Self.contract)])
        #expect(report.passedCount == 8, "\(report)")
    }

    @Test func aContractAskingForMoreThanTheServiceGivesFails() async throws {
        // The next version of the app reads an overdraft limit that BankingAPI does not return.
        var document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.contract))) as? [String: Any])
        let interactions = try #require(document["interactions"] as? [[String: Any]])
        var asking = try #require(interactions.first { $0["description"] as? String == "a request for the balance" })
        var response = try #require(asking["response"] as? [String: Any])
        var body = try #require(response["body"] as? [String: Any])
        var content = try #require(body["content"] as? [String: Any])
        content["overdraftLimit"] = 500
        body["content"] = content
        response["body"] = body
        asking["response"] = response
        asking["description"] = "a request for the overdraft limit"
        document["interactions"] = [asking]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("banking-next-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: document).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let server = try await BankingServer.start(providerStates: true)
        defer { Task { await server.stop() } }
        let verifier = try Verifier(options: VerifierOptions(
            providerBaseURL: server.url.absoluteString,
            stateChange: .url(server.url.absoluteString + "/_pact/provider-states")
        ))
        let report = try await verifier.verify([.file(file.path)])
        #expect(!report.isSuccess)
        #expect(report.results.first?.errorSummary.contains { $0.contains("overdraftLimit") } == true, "\(report)")
    }
}
