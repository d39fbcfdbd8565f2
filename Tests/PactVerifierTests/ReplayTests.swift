import Foundation
import PactMatching
import PactMockServer
import PactModel
import PactVerifier
import Testing

/// Requests replayed against a stand-in provider, and how its responses are compared.
@Suite struct ReplayTests {
    typealias Support = VerifierTestSupport

    @Test func everyBankingInteractionPassesAgainstAProviderThatAnswersAsRecorded() async throws {
        let pact = try Support.bankingPact()
        let provider = try await Support.provider(pact)
        defer { Task { await provider.stop() } }
        let report = try await Verifier(options: Support.options(provider)).verify([pact])
        #expect(report.results.count == 5)
        #expect(report.passedCount == 5, "\(report)")
        #expect(report.isSuccess)
        #expect(report.summary == "5 interactions, 5 passed, 0 failed, 0 pending failures")
        // Every recorded request (bodies, headers and the limit=10 query) reached the provider and matched.
        #expect(provider.journal.matchCounts == [1, 1, 1, 1, 1])
    }

    @Test func aDifferentStatusIsReportedAsResponseStatusDidNotMatch() async throws {
        let provider = try await Support.provider(try Support.pact(interactions: "[\(Support.interaction("x", path: "/a", status: 404))]"))
        defer { Task { await provider.stop() } }
        let expected = try Support.pact(interactions: "[\(Support.interaction("the thing", path: "/a", status: 200))]")
        let report = try await Verifier(options: Support.options(provider)).verify([expected])
        let result = try #require(report.results.first)
        #expect(!report.isSuccess)
        #expect(report.failedCount == 1)
        #expect(result.errorSummary.first == "Response status did not match")
        #expect(result.errorSummary == ["Response status did not match", "status: Expected status code 200 but received 404"])
    }

    @Test func aDifferentHeaderIsReportedAsHeadersHadDifferences() async throws {
        let served = Support.interaction("x", path: "/a", responseHeaders: #"{"X-Test": ["Something"]}"#)
        let provider = try await Support.provider(try Support.pact(interactions: "[\(served)]"))
        defer { Task { await provider.stop() } }
        let expected = Support.interaction("x", path: "/a", responseHeaders: #"{"X-Test": ["Compatibility"]}"#)
        let report = try await Verifier(options: Support.options(provider)).verify([try Support.pact(interactions: "[\(expected)]")])
        let result = try #require(report.results.first)
        guard case .failed(let mismatches) = result.outcome else { Issue.record("expected a failure, got \(result.outcome)"); return }
        #expect(mismatches.map(\.kind) == [.header])
        #expect(mismatches.first?.path == "X-Test")
        #expect(result.errorSummary.first == "Headers had differences")
    }

    @Test func aDifferentBodyIsReportedAsBodyHadDifferencesWithThePath() async throws {
        let served = Support.interaction("x", path: "/a", responseHeaders: #"{"Content-Type": ["application/json"]}"#, responseBody: #"{"balance": 0}"#)
        let provider = try await Support.provider(try Support.pact(interactions: "[\(served)]"))
        defer { Task { await provider.stop() } }
        let expected = Support.interaction("x", path: "/a", responseHeaders: #"{"Content-Type": ["application/json"]}"#, responseBody: #"{"balance": 1000}"#)
        let report = try await Verifier(options: Support.options(provider)).verify([try Support.pact(interactions: "[\(expected)]")])
        let result = try #require(report.results.first)
        #expect(result.errorSummary.first == "Body had differences")
        #expect(result.errorSummary.contains { $0.hasPrefix("body $.balance: ") && $0.contains("1000") })
    }

    @Test func invalidJSONFromTheProviderIsABodyMismatchNotACrash() async throws {
        let served = #"""
        {"type": "Synchronous/HTTP", "description": "x", "request": {"method": "GET", "path": "/a"},
         "response": {"status": 200, "headers": {"Content-Type": ["application/json"]},
                      "body": {"content": "{\"balance\": 10", "contentType": "text/plain"}}}
        """#
        let provider = try await Support.provider(try Support.pact(interactions: "[\(served)]"))
        defer { Task { await provider.stop() } }
        let expected = Support.interaction("x", path: "/a", responseHeaders: #"{"Content-Type": ["application/json"]}"#, responseBody: #"{"balance": 10}"#)
        let report = try await Verifier(options: Support.options(provider)).verify([try Support.pact(interactions: "[\(expected)]")])
        let result = try #require(report.results.first)
        guard case .failed(let mismatches) = result.outcome else { Issue.record("expected a body mismatch, got \(result.outcome)"); return }
        #expect(mismatches.first?.kind == .body)
        #expect(mismatches.first?.message.contains("Failed to parse the actual body as JSON") == true)
    }

    @Test func headerOverridesReplaceARecordedHeaderAndAddAnAbsentOne() async throws {
        let served = Support.interaction("x", path: "/a", requestHeaders: #"{"X-Token": ["fresh"], "X-Extra": ["yes"]}"#)
        let provider = try await Support.provider(try Support.pact(interactions: "[\(served)]"))
        defer { Task { await provider.stop() } }
        let expected = try Support.pact(interactions: "[\(Support.interaction("x", path: "/a", requestHeaders: #"{"x-token": ["stale"]}"#))]")

        let plain = try await Verifier(options: Support.options(provider)).verify([expected])
        #expect(!plain.isSuccess, "without overrides the stand-in sees the stale token")

        var options = Support.options(provider)
        options.headerOverrides = [("X-Token", "fresh"), ("X-Extra", "yes")]
        let overridden = try await Verifier(options: options).verify([expected])
        #expect(overridden.isSuccess, "\(overridden)")
        let sent = try #require(provider.journal.recentEntries.last?.request)
        #expect(sent.headers["X-Token"] == ["fresh"])
    }

    @Test func aRequestFilterCanAddAnAuthorizationHeader() async throws {
        let served = Support.interaction("x", path: "/secure", requestHeaders: #"{"Authorization": ["Bearer t0k3n"]}"#)
        let provider = try await Support.provider(try Support.pact(interactions: "[\(served)]"))
        defer { Task { await provider.stop() } }
        let expected = try Support.pact(interactions: "[\(Support.interaction("x", path: "/secure"))]")
        var options = Support.options(provider)
        options.requestFilter = { request in
            var signed = request
            signed.headers.set("Authorization", ["Bearer t0k3n"])
            return signed
        }
        let report = try await Verifier(options: options).verify([expected])
        #expect(report.isSuccess, "\(report)")
        #expect(provider.journal.matchCounts == [1])
    }

    @Test func aRequestFilterThatThrowsIsAnErrorAndNothingIsSent() async throws {
        struct NoToken: Error, CustomStringConvertible { var description: String { "the token service is down" } }
        let provider = try await Support.provider(try Support.pact(interactions: "[\(Support.interaction("x", path: "/a"))]"))
        defer { Task { await provider.stop() } }
        var options = Support.options(provider)
        options.requestFilter = { _ in throw NoToken() }
        let report = try await Verifier(options: options).verify([try Support.pact(interactions: "[\(Support.interaction("x", path: "/a"))]")])
        #expect(report.results.first?.outcome == .error("Request filter failed: the token service is down"))
        #expect(provider.journal.totalRequests == 0)
    }

    @Test func theBasePathIsPutBeforeEveryPathAndIllegalPathCharactersAreEncoded() async throws {
        let provider = try await Support.provider(try Support.pact(interactions: "[\(Support.interaction("x", path: "/api/v2/files/my report.txt"))]"))
        defer { Task { await provider.stop() } }
        var options = Support.options(provider)
        options.providerBaseURL += "/"
        options.basePath = "api/v2/"
        let report = try await Verifier(options: options).verify([try Support.pact(interactions: "[\(Support.interaction("x", path: "/files/my report.txt"))]")])
        #expect(report.isSuccess, "\(report)")
        #expect(provider.journal.recentEntries.first?.request.path == "/api/v2/files/my report.txt")
    }

    @Test func aV1RawQueryIsSentAsWritten() async throws {
        let served = try PactReader().read(Array("""
        {"consumer": {"name": "c"}, "provider": {"name": "p"}, "metadata": {"pactSpecification": {"version": "1.0.0"}},
         "interactions": [{"description": "x", "request": {"method": "GET", "path": "/q", "query": "b=2&a=1&a=3"}, "response": {"status": 204}}]}
        """.utf8), source: "v1").pact
        let provider = try await Support.provider(served)
        defer { Task { await provider.stop() } }
        let report = try await Verifier(options: Support.options(provider)).verify([served])
        #expect(report.isSuccess, "\(report)")
        #expect(provider.journal.recentEntries.first?.request.rawQuery == "b=2&a=1&a=3")
    }

    @Test func messageInteractionsAreVerifiedNotSkipped() async throws {
        let pact = try Support.pact(interactions: """
        [{"type": "Asynchronous/Messages", "description": "an event", "contents": {"content": {"a": 1}, "contentType": "application/json"}}]
        """)
        // Nothing listens, so the message cannot be fetched: an error naming the request, never a silent skip.
        let report = try await Verifier(options: VerifierOptions(providerBaseURL: "http://127.0.0.1:\(SilentServer.closedPort())")).verify([pact])
        let result = try #require(report.results.first)
        guard case .error(let message) = result.outcome else { Issue.record("expected an error, got \(result.outcome)"); return }
        #expect(message.hasPrefix("Request to the provider failed"))
        #expect(!report.isSuccess)
        #expect(report.skippedCount == 0)
    }

    @Test func commentsAndTestNameAreCarriedIntoTheResult() async throws {
        let interaction = Support.interaction("x", path: "/a", extra: #", "comments": {"text": ["comment one", "comment two"], "testname": "compatibility-suite"}"#)
        let provider = try await Support.provider(try Support.pact(interactions: "[\(interaction)]"))
        defer { Task { await provider.stop() } }
        let report = try await Verifier(options: Support.options(provider)).verify([try Support.pact(interactions: "[\(interaction)]")])
        let result = try #require(report.results.first)
        #expect(result.comments == ["comment one", "comment two"])
        #expect(result.testName == "compatibility-suite")
    }

    @Test func progressIsReportedForEachInteractionInPactOrder() async throws {
        let pact = try Support.bankingPact()
        let provider = try await Support.provider(pact)
        defer { Task { await provider.stop() } }
        let seen = Recorder<String>()
        _ = try await Verifier(options: Support.options(provider)).verify([pact]) { seen.append($0.description) }
        #expect(seen.values == pact.interactions.map(\.description))
    }
}
