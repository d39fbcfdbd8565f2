import PactMatching
import PactModel

/// The result of verifying one interaction of a pact.
public struct InteractionResult: Sendable, Hashable {
    /// The consumer's name.
    public var consumer: String
    /// The provider's name.
    public var provider: String
    /// The interaction's description.
    public var description: String
    /// The names of the interaction's provider states, in order.
    public var providerStates: [String]
    /// True when a failure must not fail verification: a V4 pending interaction, or a pact the broker marked pending.
    public var pending: Bool
    /// The V4 comments' `text` lines.
    public var comments: [String]
    /// The V4 comments' `testname`: the consumer test that wrote the interaction.
    public var testName: String?
    /// What verification concluded.
    public var outcome: InteractionOutcome
    /// How long the interaction took, state changes included.
    public var duration: Duration
    /// Things that did not stop verification but deserve attention, such as a provider state nobody set up.
    public var warnings: [String]

    /// Creates a result.
    public init(
        consumer: String, provider: String, description: String, providerStates: [String] = [], pending: Bool = false,
        comments: [String] = [], testName: String? = nil, outcome: InteractionOutcome, duration: Duration = .zero, warnings: [String] = []
    ) {
        self.consumer = consumer
        self.provider = provider
        self.description = description
        self.providerStates = providerStates
        self.pending = pending
        self.comments = comments
        self.testName = testName
        self.outcome = outcome
        self.duration = duration
        self.warnings = warnings
    }

    /// True when the interaction failed or could not be checked, pending or not.
    public var isFailure: Bool {
        switch outcome {
        case .failed, .error: return true
        case .passed, .skipped: return false
        }
    }

    /// True when the interaction failed and that fails verification (it is not pending).
    public var failsVerification: Bool { isFailure && !pending }

    /// The failure categories, such as "Body had differences", each once, in the order first met.
    public var failureCategories: [String] {
        switch outcome {
        case .passed, .skipped:
            return []
        case .failed(let mismatches):
            var categories: [String] = []
            for category in mismatches.map(FailureCategory.of) where !categories.contains(category) {
                categories.append(category)
            }
            return categories
        case .error(let message):
            return FailureCategory.of(errorMessage: message).map { [$0] } ?? []
        }
    }

    /// The failure categories followed by every mismatch (`body $.balance: Expected ...`) or the error message.
    public var errorSummary: [String] {
        switch outcome {
        case .passed, .skipped: return []
        case .failed(let mismatches): return failureCategories + mismatches.map(\.description)
        case .error(let message): return failureCategories + [message]
        }
    }
}
