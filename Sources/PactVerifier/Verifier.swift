import Foundation
import PactHTTP
import PactModel

/// Verifies a provider against pacts: for each interaction it sets up the provider states, replays the request
/// against the running provider and compares the response with the pact. For a message interaction it has the
/// provider produce the message (see ``MessageProducer``) and compares its contents and metadata.
///
/// Interactions are verified one at a time, in pact order, because a provider's state changes are rarely safe to
/// run concurrently. A provider that is down, slow or answers nonsense produces failed results, never a hang or a crash.
public final class Verifier: Sendable {
    /// The options this verifier was created with.
    public let options: VerifierOptions
    private let client: HTTPClient
    private let selection: InteractionSelection
    private let interactions: InteractionVerifier

    /// Checks the options (URLs and filter patterns) and prepares the HTTP client.
    public init(options: VerifierOptions) throws(VerifierError) {
        self.options = options
        let requests = try ProviderRequestBuilder(baseURL: options.providerBaseURL, basePath: options.basePath)
        selection = try InteractionSelection(options.filters)
        if case .url(let url, _, _) = options.stateChange {
            let lowered = url.lowercased()
            guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
                throw .invalidOption(name: "state change URL", value: url, reason: "is not an absolute http:// or https:// URL; use a form such as http://localhost:8080/provider-states")
            }
        }
        switch options.messages {
        case .http(let path):
            guard path.hasPrefix("/"), !path.contains("?"), !path.contains("#") else {
                throw .invalidOption(name: "message path", value: path, reason: "must be a path starting with '/', without a query or fragment, such as /messages")
            }
        case .url(let url):
            let lowered = url.lowercased()
            guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"), URLComponents(string: url)?.host?.isEmpty == false else {
                throw .invalidOption(name: "message URL", value: url, reason: "is not an absolute http:// or https:// URL; use a form such as http://localhost:9000/messages")
            }
        case .handlers:
            break
        }
        guard options.requestTimeout > .zero else {
            throw .invalidOption(name: "request timeout", value: "\(options.requestTimeout)", reason: "must be longer than zero")
        }
        let configuration = HTTPClientConfiguration(requestTimeout: options.requestTimeout, connectTimeout: min(options.requestTimeout, .seconds(10)),
                                                    verifyTLS: options.verifyTLS)
        client = HTTPClient(configuration: configuration)
        interactions = InteractionVerifier(client: client, requests: requests, states: StateChangeRunner(stateChange: options.stateChange, client: client),
                                           options: options)
    }

    deinit {
        client.shutdown()
    }

    /// Reads the pacts of the sources (fetching URLs with this verifier's timeout and TLS settings).
    public func load(_ sources: [PactSource]) async throws(VerifierError) -> [LoadedPact] {
        try await PactLoader(client: client).load(sources)
    }

    /// Loads every source first, so an unreadable pact stops the run before any request, then verifies them all.
    public func verify(_ sources: [PactSource], progress: (@Sendable (InteractionResult) -> Void)? = nil) async throws(VerifierError) -> VerificationReport {
        let loaded = try await load(sources)
        return await verify(loaded.map(\.pact), progress: progress)
    }

    /// Verifies the interactions of the pacts in order; `progress` is called as each result is ready.
    public func verify(_ pacts: [Pact], progress: (@Sendable (InteractionResult) -> Void)? = nil) async -> VerificationReport {
        await verify(pacts.map { (pact: $0, pending: false) }, progress: progress)
    }

    /// Verifies pacts, some of which may be pending as a whole (as a broker marks them): a pending pact's failures
    /// are reported but do not fail the run.
    public func verify(_ pacts: [(pact: Pact, pending: Bool)], progress: (@Sendable (InteractionResult) -> Void)?) async -> VerificationReport {
        var results: [InteractionResult] = []
        var excluded = 0
        for (pact, pending) in pacts {
            guard selection.includes(consumer: pact.consumer) else {
                excluded += pact.interactions.count
                continue
            }
            for interaction in pact.interactions {
                guard selection.includes(interaction.info) else {
                    excluded += 1
                    continue
                }
                let result = await verify(interaction, of: pact, pactPending: pending)
                results.append(result)
                progress?(result)
            }
        }
        return VerificationReport(results: results, excludedCount: excluded)
    }

    private func verify(_ interaction: Interaction, of pact: Pact, pactPending: Bool) async -> InteractionResult {
        let info = interaction.info
        var result = InteractionResult(
            consumer: pact.consumer, provider: pact.provider, description: info.description,
            providerStates: info.providerStates.map(\.name), pending: info.pending || pactPending,
            comments: info.comments["text"]?.arrayValue?.compactMap(\.stringValue) ?? info.comments["text"]?.stringValue.map { [$0] } ?? [],
            testName: info.comments["testname"]?.stringValue, outcome: .passed
        )
        let clock = ContinuousClock()
        let start = clock.now
        let verdict = await interactions.verify(interaction)
        result.duration = clock.now - start
        result.outcome = verdict.outcome
        result.warnings = verdict.warnings
        return result
    }
}
