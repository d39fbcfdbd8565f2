import PactModel
import PactVerifier
import Testing

/// Choosing interactions by description, provider state and consumer.
@Suite struct FilterTests {
    typealias Support = VerifierTestSupport

    /// Verifies the banking pact (and a second consumer's pact) with filters against a provider that serves them all.
    static func verified(_ filters: InteractionFilters) async throws -> VerificationReport {
        let banking = try Support.bankingPact()
        let other = try Support.pact(consumer: "ReportingApp", interactions: "[\(Support.interaction("a health check", path: "/health"))]")
        var served = banking
        served.interactions += other.interactions
        let provider = try await Support.provider(served)
        defer { Task { await provider.stop() } }
        var options = Support.options(provider)
        options.filters = filters
        return try await Verifier(options: options).verify([banking, other])
    }

    @Test func withoutFiltersEveryInteractionIsVerified() async throws {
        let report = try await Self.verified(InteractionFilters())
        #expect(report.results.count == 6)
        #expect(report.excludedCount == 0)
    }

    @Test func theDescriptionFilterMatchesAnyPartOfTheDescription() async throws {
        let report = try await Self.verified(InteractionFilters(descriptionPattern: "balance|deposit"))
        #expect(report.results.map(\.description) == ["a deposit of 1000", "a request for the balance"])
        #expect(report.excludedCount == 4)
    }

    @Test func theStateFilterMatchesAnyOfTheProviderStates() async throws {
        let report = try await Self.verified(InteractionFilters(providerStatePattern: "balance (0|700)$"))
        #expect(report.results.map(\.description) == ["a deposit of 1000", "a withdrawal that overdraws the account"])
    }

    @Test func anEmptyStateFilterSelectsInteractionsWithoutStates() async throws {
        let report = try await Self.verified(InteractionFilters(providerStatePattern: ""))
        #expect(report.results.map(\.description) == ["a health check"])
    }

    @Test func theConsumerFilterSelectsWholePacts() async throws {
        let report = try await Self.verified(InteractionFilters(consumerPattern: "^Reporting"))
        #expect(report.results.map(\.consumer) == ["ReportingApp"])
        #expect(report.excludedCount == 5)
    }

    @Test func onlyWithoutStateSkipsStatefulInteractions() async throws {
        let report = try await Self.verified(InteractionFilters(onlyWithoutState: true))
        #expect(report.results.map(\.description) == ["a health check"])
        #expect(report.summary == "1 interaction, 1 passed, 0 failed, 0 pending failures (5 excluded by filters)")
    }

    @Test func filtersCombine() async throws {
        let report = try await Self.verified(InteractionFilters(descriptionPattern: "request", providerStatePattern: "1000", consumerPattern: "Banking"))
        #expect(report.results.map(\.description) == ["a request for the balance"])
    }

    @Test func anInvalidPatternIsRejectedWhenTheVerifierIsCreated() throws {
        #expect(throws: VerifierError.self) {
            try Verifier(options: VerifierOptions(providerBaseURL: "http://localhost:1", filters: InteractionFilters(descriptionPattern: "([")))
        }
        do {
            _ = try Verifier(options: VerifierOptions(providerBaseURL: "http://localhost:1", filters: InteractionFilters(providerStatePattern: "a[")))
            Issue.record("an invalid provider state pattern was accepted")
        } catch {
            #expect(error.description.hasPrefix("provider state filter 'a[': is not a valid regular expression"))
        }
    }
}
