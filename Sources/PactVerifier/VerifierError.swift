import PactModel

/// Why verification could not start: an invalid option or a pact that could not be loaded.
///
/// Failures of the provider itself are never thrown; they are results (``InteractionOutcome``).
public enum VerifierError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An option has a value the verifier cannot use, such as a malformed URL or regular expression.
    case invalidOption(name: String, value: String, reason: String)
    /// A pact source could not be read: a missing file or folder, or a URL that did not answer with a pact.
    case unreadableSource(source: String, reason: String)
    /// A pact was read but is not a valid pact document.
    case invalidPact(PactLoadError)

    /// A message naming what is wrong, where, and how to fix it.
    public var description: String {
        switch self {
        case .invalidOption(let name, let value, let reason):
            return "\(name) '\(value)': \(reason)"
        case .unreadableSource(let source, let reason):
            return "\(source): \(reason)"
        case .invalidPact(let error):
            return error.description
        }
    }
}
