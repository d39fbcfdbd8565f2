import PactHTTP
import PactMatching
import PactModel

/// Verifies one interaction: provider states, the request (or the message the provider produces), the comparison
/// of the response (or message), and teardown.
struct InteractionVerifier: Sendable {
    let client: HTTPClient
    let requests: ProviderRequestBuilder
    let states: StateChangeRunner
    let options: VerifierOptions

    init(client: HTTPClient, requests: ProviderRequestBuilder, states: StateChangeRunner, options: VerifierOptions) {
        self.client = client
        self.requests = requests
        self.states = states
        self.options = options
        messages = MessageVerifier(client: client, requests: requests, options: options)
    }

    private let messages: MessageVerifier

    /// Everything verification concluded about the interaction.
    struct Verdict: Sendable {
        var outcome: InteractionOutcome
        var warnings: [String]
    }

    func verify(_ interaction: Interaction) async -> Verdict {
        var warnings: [String] = []
        var stateValues = JSONObject()
        var provided = interaction.info.providerStates
        if provided.isEmpty, options.stateChangeForInteractionsWithoutStates, !isNone(options.stateChange) {
            provided = [ProviderState("")]
        }
        for state in provided {
            for (key, value) in state.params { stateValues[key] = value }
        }

        var setUp: [ProviderState] = []
        var failure: String?
        for state in provided {
            switch await states.run(state, .setup) {
            case .applied(let values):
                setUp.append(state)
                for (key, value) in values { stateValues[key] = value }
            case .skipped(let warning):
                warnings.append(warning)
            case .failed(let reason):
                failure = "\(FailureCategory.stateChange): \(state.name): \(reason)"
            }
            if failure != nil { break }
        }

        var outcome: InteractionOutcome
        if let failure {
            outcome = .error(failure)
        } else if let http = interaction.http {
            outcome = await replay(http, stateValues: stateValues, warnings: &warnings)
        } else {
            outcome = await messages.verify(interaction, stateValues: stateValues, warnings: &warnings)
        }

        // Only states whose set-up succeeded are torn down, so a failed set-up is never "undone" by the provider.
        if options.stateChange.tearsDown {
            for state in setUp.reversed() {
                if case .failed(let reason) = await states.run(state, .teardown) {
                    warnings.append("teardown of provider state '\(state.name)' failed: \(reason)")
                }
            }
        }
        return Verdict(outcome: outcome, warnings: warnings)
    }

    private func replay(_ interaction: HTTPInteraction, stateValues: JSONObject, warnings: inout [String]) async -> InteractionOutcome {
        let generated = GeneratorApplier(mode: .provider, context: GeneratorContext(providerState: stateValues)).apply(to: interaction.request)
        warnings += generated.errors.map { "generator for \($0.location) kept the recorded example: \($0.reason)" }
        let request: HTTPRequest
        switch await options.prepare(generated.request) {
        case .success(let prepared): request = prepared
        case .failure(let error): return .error(error.message)
        }
        let sent = requests.clientRequest(for: request)
        let response: HTTPClientResponse
        do { response = try await client.send(sent) } catch {
            return .error("\(FailureCategory.providerRequest): \(error.description)")
        }
        let mismatches = RequestMatcher.compare(expected: interaction.response, actual: ProviderResponse.model(of: response))
        return mismatches.isEmpty ? .passed : .failed(mismatches)
    }

    private func isNone(_ stateChange: StateChange) -> Bool {
        if case .none = stateChange { return true }
        return false
    }
}

/// Why a request could not be prepared: the request filter threw.
struct PreparationFailure: Error {
    let message: String
}

extension VerifierOptions {
    /// The request as it is sent to the provider: `--header` overrides applied, then the request filter.
    func prepare(_ request: HTTPRequest) async -> Result<HTTPRequest, PreparationFailure> {
        var prepared = request
        for (name, value) in headerOverrides {
            prepared.headers.remove(name)
            prepared.headers.add(name, value)
        }
        if let requestFilter {
            do { prepared = try await requestFilter(prepared) } catch {
                return .failure(PreparationFailure(message: "\(FailureCategory.requestFilter): \(error)"))
            }
        }
        return .success(prepared)
    }
}
