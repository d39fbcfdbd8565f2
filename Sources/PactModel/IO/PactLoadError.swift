/// Why a pact could not be read: the source, the JSON path, the problem and how to fix it.
public struct PactLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file or URL the pact came from.
    public var source: String
    /// The JSON path of the offending value, such as `$.interactions[0].request.method`.
    public var path: String
    /// What is wrong.
    public var problem: String
    /// How to fix it, when there is a useful hint.
    public var hint: String?

    /// Creates an error.
    public init(source: String, path: String, problem: String, hint: String? = nil) {
        self.source = source
        self.path = path
        self.problem = problem
        self.hint = hint
    }

    /// `source: path: problem (hint)`.
    public var description: String {
        var text = "\(source): \(path): \(problem)"
        if let hint { text += " (\(hint))" }
        return text
    }
}

/// Something in a pact that was ignored or adjusted while reading or writing it.
public struct PactWarning: Sendable, Equatable, CustomStringConvertible {
    /// The JSON path concerned.
    public var path: String
    /// What happened.
    public var message: String

    /// Creates a warning.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}
