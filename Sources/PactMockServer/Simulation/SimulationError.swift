/// Why a simulation setting or scenario file cannot be used.
public enum SimulationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A delay that cannot be read.
    case invalidDelay(String, String)
    /// A fault that cannot be read.
    case invalidFault(String, String)
    /// A simulation document (rules and seed) that cannot be read; the first value says where.
    case invalidDocument(String, String)
    /// A scenario file that cannot be read or does not fit the pact; the first value says where.
    case invalidScenarios(String, String)

    /// What is wrong and how to write it.
    public var description: String {
        switch self {
        case .invalidDelay(let text, let hint): return "invalid delay '\(text)': \(hint)"
        case .invalidFault(let text, let hint): return "invalid fault '\(text)': \(hint)"
        case .invalidDocument(let location, let hint): return "invalid simulation at \(location): \(hint)"
        case .invalidScenarios(let location, let hint): return "invalid scenarios at \(location): \(hint)"
        }
    }
}
