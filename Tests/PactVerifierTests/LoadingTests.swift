import Foundation
import PactModel
import PactVerifier
import Testing

/// Pacts from files, folders and URLs, and errors that name the source.
@Suite struct LoadingTests {
    typealias Support = VerifierTestSupport

    static func verifier() throws -> Verifier {
        try Verifier(options: VerifierOptions(providerBaseURL: "http://127.0.0.1:1", requestTimeout: .seconds(5)))
    }

    @Test func aFileSourceLoadsOnePact() async throws {
        let loaded = try await Self.verifier().load([.file(Support.bankingPactPath)])
        #expect(loaded.map(\.pact.consumer) == ["BankingApp"])
        #expect(loaded.first?.pact.interactions.count == 5)
    }

    @Test func aDirectorySourceLoadsEveryJSONFileInNameOrder() async throws {
        let folder = try Support.temporaryDirectory()
        let text = try String(contentsOfFile: Support.bankingPactPath, encoding: .utf8)
        try text.replacingOccurrences(of: "BankingApp", with: "Zeta").write(to: folder.appendingPathComponent("b.json"), atomically: true, encoding: .utf8)
        try text.replacingOccurrences(of: "BankingApp", with: "Alpha").write(to: folder.appendingPathComponent("a.json"), atomically: true, encoding: .utf8)
        try "not a pact".write(to: folder.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let loaded = try await Self.verifier().load([.directory(folder.path)])
        #expect(loaded.map(\.pact.consumer) == ["Alpha", "Zeta"])
    }

    @Test func aURLSourceIsFetchedWithTheHTTPClient() async throws {
        let document = try String(contentsOfFile: Support.bankingPactPath, encoding: .utf8)
        let escaped = JSONWriter.string(.string(document), style: .compact)
        let server = try await Support.provider(try Support.pact(interactions: """
        [{"type": "Synchronous/HTTP", "description": "the pact", "request": {"method": "GET", "path": "/pacts/banking"},
          "response": {"status": 200, "headers": {"Content-Type": ["application/json"]}, "body": {"content": \(escaped), "contentType": "text/plain"}}}]
        """))
        defer { Task { await server.stop() } }
        let loaded = try await Self.verifier().load([.url(Support.baseURL(server) + "/pacts/banking")])
        #expect(loaded.first?.pact.provider == "BankingAPI")
        #expect(loaded.first?.pact.interactions.count == 5)
    }

    @Test func verifyingSourcesLoadsThemAllBeforeAnyRequest() async throws {
        let pact = try Support.bankingPact()
        let provider = try await Support.provider(pact)
        defer { Task { await provider.stop() } }
        let verifier = try Verifier(options: Support.options(provider))
        await #expect(throws: VerifierError.self) {
            try await verifier.verify([.file(Support.bankingPactPath), .file("/nonexistent/pact.json")])
        }
        #expect(provider.journal.totalRequests == 0)
        let report = try await verifier.verify([.file(Support.bankingPactPath)])
        #expect(report.passedCount == 5)
    }

    @Test func aMissingFileNamesThePath() async throws {
        let error = await Self.loadError(.file("/nonexistent/pact.json"))
        #expect(error == .unreadableSource(source: "/nonexistent/pact.json", reason: "no such file; check the path"))
    }

    @Test func anInvalidPactNamesTheFileAndTheJSONPath() async throws {
        let folder = try Support.temporaryDirectory()
        let file = folder.appendingPathComponent("broken.json")
        try #"{"consumer": {"name": "a"}, "provider": {"name": "b"}, "interactions": [{"description": "x", "request": {"method": 7}}]}"#
            .write(to: file, atomically: true, encoding: .utf8)
        let error = try #require(await Self.loadError(.file(file.path)))
        guard case .invalidPact(let loadError) = error else { Issue.record("expected an invalid pact, got \(error)"); return }
        #expect(loadError.source == file.path)
        #expect(error.description.contains("$.interactions[0]"))
    }

    @Test func anEmptyFolderIsAnError() async throws {
        let error = await Self.loadError(.directory(try Support.temporaryDirectory().path))
        #expect(error?.description.contains("holds no .json pact files") == true)
    }

    @Test func anUnreachableOrMissingPactURLIsAnErrorNamingTheURL() async throws {
        let unreachable = "http://127.0.0.1:\(SilentServer.closedPort())/pacts/x"
        let error = await Self.loadError(.url(unreachable))
        #expect(error?.description.hasPrefix("\(unreachable): the pact could not be fetched: could not connect") == true)

        let server = try await Support.provider(try Support.pact(interactions: "[\(Support.interaction("gone", path: "/pacts/missing", status: 404))]"))
        defer { Task { await server.stop() } }
        let missing = Support.baseURL(server) + "/pacts/missing"
        let notFound = await Self.loadError(.url(missing))
        #expect(notFound?.description == "\(missing): the pact could not be fetched: the server answered HTTP 404; check the URL")
    }

    static func loadError(_ source: PactSource) async -> VerifierError? {
        do {
            _ = try await verifier().load([source])
            return nil
        } catch {
            return error as? VerifierError
        }
    }
}
