import Foundation
import PactModel

/// Where a simulation rule applies.
public enum SimulationScope: Sendable, Equatable, CustomStringConvertible {
    /// Every request.
    case everything
    /// Requests whose path matches a pattern: `*` stands for one path segment (or part of one), `**` for any number.
    case path(String)
    /// Requests that match the interaction with this description.
    case interaction(String)

    /// The scope as the command line writes it before `=`: a path pattern, or `interaction:DESCRIPTION`.
    public var description: String {
        switch self {
        case .everything: return "*"
        case .path(let pattern): return pattern
        case .interaction(let name): return "interaction:\(name)"
        }
    }

    /// More specific scopes win: an interaction over a path over everything.
    var rank: Int {
        switch self {
        case .everything: return 0
        case .path: return 1
        case .interaction: return 2
        }
    }
}

/// A delay and/or a fault for the requests of one scope.
public struct SimulationRule: Sendable, Equatable {
    public var scope: SimulationScope
    public var delay: Delay?
    public var fault: Fault?

    /// Creates a rule.
    public init(_ scope: SimulationScope = .everything, delay: Delay? = nil, fault: Fault? = nil) {
        self.scope = scope
        self.delay = delay
        self.fault = fault
    }

    /// Reads the command line's `[SCOPE=]SPEC` for a delay (`--delay`).
    public static func delay(_ text: String) throws(SimulationError) -> SimulationRule {
        let (scope, spec) = split(text)
        return SimulationRule(scope, delay: try Delay(parsing: spec))
    }

    /// Reads the command line's `[SCOPE=]SPEC` for a fault (`--fault`).
    public static func fault(_ text: String) throws(SimulationError) -> SimulationRule {
        let (scope, spec) = split(text)
        return SimulationRule(scope, fault: try Fault(parsing: spec))
    }

    /// `/path/pattern=SPEC`, `interaction:DESCRIPTION=SPEC` or just `SPEC`; the last `=` separates, since
    /// descriptions may contain one but specs never do.
    static func split(_ text: String) -> (SimulationScope, String) {
        guard let equals = text.lastIndex(of: "=") else { return (.everything, text) }
        let scope = String(text[..<equals]).trimmingCharacters(in: .whitespaces)
        let spec = String(text[text.index(after: equals)...])
        if scope.hasPrefix("interaction:") { return (.interaction(String(scope.dropFirst("interaction:".count))), spec) }
        if scope.isEmpty || scope == "*" || scope == "**" { return (.everything, spec) }
        return (.path(scope), spec)
    }

    func applies(path: String, interaction: String?) -> Bool {
        switch scope {
        case .everything: return true
        case .path(let pattern): return PathPattern.matches(pattern, path)
        case .interaction(let name): return interaction == name
        }
    }
}

/// Latency and faults for a mock server, with the seed that makes every run reproducible.
public struct Simulation: Sendable, Equatable {
    /// The rules; where several apply, the most specific scope wins, and among equals the later rule.
    public var rules: [SimulationRule]
    /// The seed of the random draws (delays, fault rates, random data).
    public var seed: UInt64

    /// Creates a simulation; without a seed one is drawn, and `seed` tells it so a run can be repeated.
    public init(rules: [SimulationRule] = [], seed: UInt64? = nil) {
        self.rules = rules
        self.seed = seed ?? UInt64.random(in: 1...UInt64(Int64.max))
    }

    /// True when nothing is delayed or injected.
    public var isEmpty: Bool { rules.allSatisfy { $0.delay == nil && $0.fault == nil } }

    /// What happens to one response.
    func plan(path: String, interaction: String?, sequence: UInt64) -> ResponsePlan {
        var random = SeededRandom(seed: seed, sequence: sequence)
        var delayRule: SimulationRule?
        var faultRule: SimulationRule?
        for rule in rules where rule.applies(path: path, interaction: interaction) {
            if rule.delay != nil, rule.scope.rank >= (delayRule?.scope.rank ?? -1) { delayRule = rule }
            if rule.fault != nil, rule.scope.rank >= (faultRule?.scope.rank ?? -1) { faultRule = rule }
        }
        var plan = ResponsePlan()
        if let delay = delayRule?.delay {
            plan.wait = delay.sample(&random)
            if case .chunked(let chunks, let ms) = delay { plan.chunks = (chunks, .microseconds(Int64(ms * 1000))) }
        }
        if let fault = faultRule?.fault, fault.rate > 0, random.nextUnit() < fault.rate {
            plan.fault = fault.kind
        }
        plan.random = random
        return plan
    }
}

/// How one response is delivered.
struct ResponsePlan: Sendable {
    /// The wait before anything is written.
    var wait: Duration = .zero
    /// The body in this many pieces spread over this long, after the head.
    var chunks: (count: Int, over: Duration)?
    /// A fault in place of the response.
    var fault: FaultKind?
    /// Further draws for this response (random data).
    var random = SeededRandom(seed: 0)

    var isPlain: Bool { wait == .zero && chunks == nil && fault == nil }
}

/// Path patterns for simulation scopes: `*` matches within one segment, `**` any number of segments.
enum PathPattern {
    static func matches(_ pattern: String, _ path: String) -> Bool {
        let patternParts = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let pathParts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        return match(patternParts[...], pathParts[...])
    }

    private static func match(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == "**" {
            let rest = pattern.dropFirst()
            var remaining = path
            while true {
                if match(rest, remaining) { return true }
                guard !remaining.isEmpty else { return false }
                remaining = remaining.dropFirst()
            }
        }
        guard let segment = path.first, wildcard(Array(first.utf8)[...], Array(segment.utf8)[...]) else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }

    private static func wildcard(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        guard let head = pattern.first else { return text.isEmpty }
        if head == UInt8(ascii: "*") {
            var rest = text
            while true {
                if wildcard(pattern.dropFirst(), rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        }
        guard let character = text.first, character == head else { return false }
        return wildcard(pattern.dropFirst(), text.dropFirst())
    }
}
