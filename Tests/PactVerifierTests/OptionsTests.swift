import PactVerifier
import Testing

/// Options checked when the verifier is created.
@Suite struct OptionsTests {
    @Test func theProviderURLMustBeAnAbsoluteHTTPURL() {
        for bad in ["localhost:8080", "ftp://host/", "http://", "http://host:1/?a=1"] {
            #expect(throws: VerifierError.self, "\(bad)") { try Verifier(options: VerifierOptions(providerBaseURL: bad)) }
        }
        #expect(throws: Never.self) { try Verifier(options: VerifierOptions(providerBaseURL: "https://provider.example:8443/root/")) }
    }

    @Test func theStateChangeURLMustBeAnAbsoluteHTTPURL() {
        do {
            _ = try Verifier(options: VerifierOptions(providerBaseURL: "http://localhost:1", stateChange: .url("/provider-states")))
            Issue.record("a relative state change URL was accepted")
        } catch {
            #expect(error.description.hasPrefix("state change URL '/provider-states': is not an absolute http:// or https:// URL"))
        }
    }

    @Test func theRequestTimeoutMustBePositive() {
        #expect(throws: VerifierError.self) { try Verifier(options: VerifierOptions(providerBaseURL: "http://localhost:1", requestTimeout: .zero)) }
    }
}
