/// Why a consumer declaration could not be built or used.
public enum PactConsumerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `JSONEncoder` could not encode the value, or produced something that is not JSON.
    case encodingFailed(type: String, reason: String)
    /// A matcher path of `PactBody.encodable` is not a JSON path expression.
    case invalidMatcherPath(path: String, reason: String)
    /// A matcher path of `PactBody.encodable` matches no value in the encoded document.
    case unknownMatcherPath(path: String, type: String, reason: String)
    /// Interactions were declared with problems (invalid regex, examples that break their own rules, ...).
    case invalidInteractions([String])

    /// What is wrong, where, and how to fix it.
    public var description: String {
        switch self {
        case .encodingFailed(let type, let reason):
            return "could not encode \(type) as JSON: \(reason)"
        case .invalidMatcherPath(let path, let reason):
            return "the matcher path '\(path)' is invalid: \(reason) (write JSON paths such as $.accountId or $.items[*].id)"
        case .unknownMatcherPath(let path, let type, let reason):
            return "the matcher path '\(path)' matches nothing in the encoded \(type): \(reason) "
                + "(check the spelling and the encoder's key strategy)"
        case .invalidInteractions(let problems):
            let noun = problems.count == 1 ? "problem" : "problems"
            return "the pact's interactions have \(problems.count) \(noun):\n" + problems.map { "  - " + $0 }.joined(separator: "\n")
        }
    }
}
