import Foundation

/// A failure injected in place of a response.
public enum FaultKind: Sendable, Equatable, CustomStringConvertible {
    /// The connection is reset (TCP RST) without a reply.
    case connectionReset
    /// The connection is closed without a reply.
    case emptyResponse
    /// A response head promising chunked encoding, then a chunk that is not valid, then the connection closes.
    case malformedChunk
    /// Random bytes that are not HTTP, then the connection closes.
    case randomData
    /// An HTTP error in place of the interaction's response, such as 503 with `Retry-After: 1`, or 429.
    case status(code: Int, retryAfterSeconds: Int?)

    /// The form `Fault(parsing:)` reads.
    public var description: String {
        switch self {
        case .connectionReset: return "connection-reset"
        case .emptyResponse: return "empty-response"
        case .malformedChunk: return "malformed-chunk"
        case .randomData: return "random-data"
        case .status(let code, let retryAfter): return "status:\(code)" + (retryAfter.map { ":\($0)" } ?? "")
        }
    }
}

/// A fault and how often it happens.
public struct Fault: Sendable, Equatable, CustomStringConvertible {
    /// What goes wrong.
    public var kind: FaultKind
    /// The share of responses it replaces, from 0 to 1.
    public var rate: Double

    /// Creates a fault that replaces the given share of responses.
    public init(_ kind: FaultKind, rate: Double = 1) {
        self.kind = kind
        self.rate = rate
    }

    /// Reads `KIND[@RATE]`: the kinds are `connection-reset` (`reset`), `empty-response` (`empty`), `malformed-chunk`
    /// (`malformed`), `random-data` (`garbage`) and `status:CODE[:RETRY_AFTER_SECONDS]`; the rate is `5%` or `0.05`
    /// (every response when left out). For example `status:503:2@5%` or `reset@0.1`.
    public init(parsing text: String) throws(SimulationError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let pieces = trimmed.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let name = pieces[0].lowercased()
        var rate = 1.0
        if pieces.count == 2 {
            let rateText = pieces[1].trimmingCharacters(in: .whitespaces)
            let parsed = rateText.hasSuffix("%") ? Double(rateText.dropLast()).map { $0 / 100 } : Double(rateText)
            guard let parsed, parsed >= 0, parsed <= 1 else {
                throw .invalidFault(text, "the rate after @ must be a share such as 5% or 0.05, from 0 to 100%")
            }
            rate = parsed
        }
        let kind: FaultKind
        switch name {
        case "connection-reset", "reset": kind = .connectionReset
        case "empty-response", "empty": kind = .emptyResponse
        case "malformed-chunk", "malformed": kind = .malformedChunk
        case "random-data", "garbage": kind = .randomData
        default:
            let parts = name.split(separator: ":").map(String.init)
            guard parts.first == "status", (2...3).contains(parts.count) else {
                throw .invalidFault(text, "the kinds are connection-reset, empty-response, malformed-chunk, random-data and status:CODE[:RETRY_AFTER]")
            }
            guard let code = Int(parts[1]), (100...599).contains(code) else {
                throw .invalidFault(text, "'\(parts[1])' is not an HTTP status from 100 to 599")
            }
            var retryAfter: Int?
            if parts.count == 3 {
                guard let seconds = Int(parts[2]), seconds >= 0 else { throw .invalidFault(text, "Retry-After must be a whole number of seconds") }
                retryAfter = seconds
            }
            kind = .status(code: code, retryAfterSeconds: retryAfter)
        }
        self.init(kind, rate: rate)
    }

    /// The form `init(parsing:)` reads.
    public var description: String {
        rate >= 1 ? kind.description : "\(kind.description)@\(rate)"
    }
}
