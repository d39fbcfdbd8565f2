import Foundation
import PactModel
import PactVerifier
import Testing

/// Providers that are down, hang or fail pending interactions: results, never hangs or crashes.
@Suite struct FaultTests {
    typealias Support = VerifierTestSupport

    @Test func aProviderThatIsDownGivesAnErrorResultQuickly() async throws {
        let options = VerifierOptions(providerBaseURL: "http://127.0.0.1:\(SilentServer.closedPort())")
        let pact = try Support.pact(interactions: "[\(Support.interaction("x", path: "/a")), \(Support.interaction("y", path: "/b"))]")
        let clock = ContinuousClock()
        let start = clock.now
        let report = try await Verifier(options: options).verify([pact])
        // A bound for "no hang", not a speed figure: a loaded CI machine can be slow.
        #expect(clock.now - start < .seconds(30))
        #expect(report.results.count == 2)
        #expect(report.failedCount == 2)
        let result = try #require(report.results.first)
        guard case .error(let message) = result.outcome else { Issue.record("expected an error, got \(result.outcome)"); return }
        #expect(message.hasPrefix("Request to the provider failed: could not connect to http://127.0.0.1:"))
        #expect(result.errorSummary.first == "Request to the provider failed")
    }

    @Test func aProviderThatNeverAnswersTimesOutWithoutHanging() async throws {
        let silent = try SilentServer()
        let options = VerifierOptions(providerBaseURL: "http://127.0.0.1:\(silent.port)", requestTimeout: .milliseconds(300))
        let pact = try Support.pact(interactions: "[\(Support.interaction("x", path: "/a"))]")
        let clock = ContinuousClock()
        let start = clock.now
        let report = try await Verifier(options: options).verify([pact])
        let elapsed = clock.now - start
        #expect(elapsed >= .milliseconds(250))
        #expect(elapsed < .seconds(30), "a 300 ms timeout must not turn into a hang")
        let result = try #require(report.results.first)
        guard case .error(let message) = result.outcome else { Issue.record("expected an error, got \(result.outcome)"); return }
        #expect(message.contains("no response from"))
        #expect(message.contains("300 ms"))
        withExtendedLifetime(silent) {}
    }

    @Test func aFailingPendingInteractionDoesNotFailTheReport() async throws {
        let provider = try await Support.provider(try Support.pact(interactions: "[\(Support.interaction("x", path: "/a", status: 500)), \(Support.interaction("y", path: "/b"))]"))
        defer { Task { await provider.stop() } }
        let pact = try Support.pact(interactions: """
        [\(Support.interaction("new feature", path: "/a", extra: #", "pending": true"#)), \(Support.interaction("y", path: "/b"))]
        """)
        let report = try await Verifier(options: Support.options(provider)).verify([pact])
        #expect(report.isSuccess)
        #expect(report.failedCount == 0)
        #expect(report.passedCount == 1)
        #expect(report.pendingFailures.map(\.description) == ["new feature"])
        #expect(report.pendingFailures.first?.errorSummary.first == "Response status did not match")
        #expect(report.summary == "2 interactions, 1 passed, 0 failed, 1 pending failure")
    }

    @Test func aFailingInteractionThatIsNotPendingFailsTheReport() async throws {
        let provider = try await Support.provider(try Support.pact(interactions: "[\(Support.interaction("x", path: "/a", status: 500))]"))
        defer { Task { await provider.stop() } }
        let report = try await Verifier(options: Support.options(provider)).verify([try Support.pact(interactions: "[\(Support.interaction("x", path: "/a"))]")])
        #expect(!report.isSuccess)
        #expect(report.failedCount == 1)
        #expect(report.description.contains("failure: Consumer: x"))
    }
}
