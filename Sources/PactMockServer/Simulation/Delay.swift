import Foundation

/// How long a response waits, or how slowly its body is sent.
public enum Delay: Sendable, Equatable, CustomStringConvertible {
    /// Always this many milliseconds.
    case fixed(milliseconds: Double)
    /// Evenly spread between the two bounds, in milliseconds.
    case uniform(min: Double, max: Double)
    /// Log-normal around a median in milliseconds with the given sigma: most responses near the median, a long tail
    /// of slow ones, as real services behave.
    case lognormal(median: Double, sigma: Double)
    /// The head at once, then the body in `chunks` pieces spread evenly over the duration in milliseconds.
    case chunked(chunks: Int, milliseconds: Double)

    /// Reads `fixed:MS`, `uniform:MIN,MAX`, `lognormal:MEDIAN,SIGMA` or `chunked:CHUNKS,MS` (also `dribble:`).
    public init(parsing text: String) throws(SimulationError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: ":", maxSplits: 1).map(String.init)
        let kind = parts.first?.lowercased() ?? ""
        let numbers = parts.count > 1 ? parts[1].split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) } : []
        func values(_ count: Int, _ form: String) throws(SimulationError) -> [Double] {
            guard numbers.count == count, numbers.allSatisfy({ $0 != nil && $0!.isFinite }) else {
                throw .invalidDelay(text, "write it as \(form)")
            }
            return numbers.compactMap { $0 }
        }
        switch kind {
        case "fixed":
            let value = try values(1, "fixed:MILLISECONDS, for example fixed:200")
            guard value[0] >= 0 else { throw .invalidDelay(text, "the delay cannot be negative") }
            self = .fixed(milliseconds: value[0])
        case "uniform":
            let value = try values(2, "uniform:MIN,MAX in milliseconds, for example uniform:50,250")
            guard value[0] >= 0, value[1] >= value[0] else { throw .invalidDelay(text, "give 0 ≤ MIN ≤ MAX") }
            self = .uniform(min: value[0], max: value[1])
        case "lognormal":
            let value = try values(2, "lognormal:MEDIAN,SIGMA, for example lognormal:150,0.4 (median 150 ms)")
            guard value[0] > 0, value[1] >= 0, value[1] <= 5 else { throw .invalidDelay(text, "the median must be above 0 and sigma between 0 and 5") }
            self = .lognormal(median: value[0], sigma: value[1])
        case "chunked", "dribble":
            let value = try values(2, "chunked:CHUNKS,MILLISECONDS, for example chunked:5,1000 (five pieces over a second)")
            guard value[0] >= 1, value[0] <= 10_000, value[0].rounded() == value[0], value[1] >= 0 else {
                throw .invalidDelay(text, "give a whole number of chunks from 1 to 10000 and a duration of 0 or more")
            }
            self = .chunked(chunks: Int(value[0]), milliseconds: value[1])
        default:
            throw .invalidDelay(text, "the kinds are fixed:MS, uniform:MIN,MAX, lognormal:MEDIAN,SIGMA and chunked:CHUNKS,MS")
        }
        if case .fixed(let ms) = self, ms > Delay.limit { throw .invalidDelay(text, "delays are limited to \(Int(Delay.limit)) ms") }
        if case .uniform(_, let ms) = self, ms > Delay.limit { throw .invalidDelay(text, "delays are limited to \(Int(Delay.limit)) ms") }
        if case .lognormal(let ms, _) = self, ms > Delay.limit { throw .invalidDelay(text, "delays are limited to \(Int(Delay.limit)) ms") }
        if case .chunked(_, let ms) = self, ms > Delay.limit { throw .invalidDelay(text, "delays are limited to \(Int(Delay.limit)) ms") }
    }

    /// The longest delay accepted, so a typo cannot hang a test for hours: ten minutes.
    static let limit: Double = 600_000

    /// The form `init(parsing:)` reads.
    public var description: String {
        switch self {
        case .fixed(let ms): return "fixed:\(Delay.format(ms))"
        case .uniform(let low, let high): return "uniform:\(Delay.format(low)),\(Delay.format(high))"
        case .lognormal(let median, let sigma): return "lognormal:\(Delay.format(median)),\(Delay.format(sigma))"
        case .chunked(let chunks, let ms): return "chunked:\(chunks),\(Delay.format(ms))"
        }
    }

    private static func format(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// The wait before the response starts, drawn from the distribution (zero for `chunked`, which spreads the body instead).
    func sample(_ random: inout SeededRandom) -> Duration {
        let milliseconds: Double
        switch self {
        case .fixed(let ms): milliseconds = ms
        case .uniform(let low, let high): milliseconds = low + random.nextUnit() * (high - low)
        case .lognormal(let median, let sigma): milliseconds = min(median * exp(sigma * random.nextGaussian()), Delay.limit)
        case .chunked: milliseconds = 0
        }
        return .microseconds(Int64((milliseconds * 1000).rounded()))
    }
}
