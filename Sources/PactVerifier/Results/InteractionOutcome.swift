import PactMatching

/// What verifying one interaction concluded.
public enum InteractionOutcome: Sendable, Hashable {
    /// The provider's response satisfied the pact.
    case passed
    /// The provider answered, but differently from the pact.
    case failed([Mismatch])
    /// The interaction could not be checked: a state change failed, the provider could not be reached, or its
    /// response could not be read. The message starts with its category, such as "State change request failed".
    case error(String)
    /// The interaction was not verified, for the given reason.
    case skipped(String)

    /// `passed`, `failed`, `error` or `skipped`, as written in reports.
    public var name: String {
        switch self {
        case .passed: return "passed"
        case .failed: return "failed"
        case .error: return "error"
        case .skipped: return "skipped"
        }
    }
}

/// The categories of verification failure, worded as other Pact implementations word them.
public enum FailureCategory {
    /// The response status differs.
    public static let status = "Response status did not match"
    /// A response header differs.
    public static let headers = "Headers had differences"
    /// The response body or its content type differs.
    public static let body = "Body had differences"
    /// Setting up a provider state failed.
    public static let stateChange = "State change request failed"
    /// No response came from the provider.
    public static let providerRequest = "Request to the provider failed"
    /// The request filter threw.
    public static let requestFilter = "Request filter failed"
    /// An in-process message handler was missing or threw.
    public static let messageProducer = "Message handler failed"

    /// The category of a mismatch.
    public static func of(_ mismatch: Mismatch) -> String {
        switch mismatch.kind {
        case .status: return status
        case .header: return headers
        case .body, .bodyType: return body
        case .method, .path, .query: return "Request had differences"
        case .metadata: return "Metadata had differences"
        case .state: return "State had differences"
        }
    }

    /// The category an error message starts with, if any.
    static func of(errorMessage message: String) -> String? {
        [stateChange, providerRequest, requestFilter, messageProducer].first { message.hasPrefix($0) }
    }
}
