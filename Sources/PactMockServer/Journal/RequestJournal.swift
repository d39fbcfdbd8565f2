import NIOConcurrencyHelpers
import PactMatching
import PactModel

/// What happened to one received request.
public enum RequestOutcome: Sendable {
    /// It matched the interaction at this index.
    case matched(interaction: Int)
    /// It came close to the interaction at this index but differs from it.
    case mismatched(interaction: Int, mismatches: [Mismatch])
    /// No interaction has its method and path.
    case unexpected
    /// A CORS preflight answered by the server itself.
    case preflight
}

/// What the simulation did to one response.
public struct SimulatedDelivery: Sendable, Equatable {
    /// The wait added before the response started (zero when none).
    public var addedDelay: Duration
    /// The body went out in this many pieces spread over this long, when a `chunked` delay applied.
    public var chunks: Int?
    /// The fault sent in place of the response, if one was drawn.
    public var fault: FaultKind?

    /// `addedDelay` in milliseconds.
    public var addedDelayMilliseconds: Double {
        Double(addedDelay.components.seconds) * 1000 + Double(addedDelay.components.attoseconds) / 1e15
    }
}

/// One received request and its outcome.
public struct JournalEntry: Sendable {
    /// The request as received.
    public var request: HTTPRequest
    /// What the server did with it.
    public var outcome: RequestOutcome
    /// The delay and fault the simulation drew for it; nil when no simulation is loaded or it changed nothing.
    public var simulated: SimulatedDelivery?

    init(request: HTTPRequest, outcome: RequestOutcome, simulated: SimulatedDelivery? = nil) {
        self.request = request
        self.outcome = outcome
        self.simulated = simulated
    }
}

/// Records every request: counters for all of them, and the last N in full, so memory stays flat under load.
public final class RequestJournal: Sendable {
    private struct State {
        var recent: [JournalEntry] = []
        var next = 0
        var total = 0
        var matchCounts: [Int]
        var problems: [JournalEntry] = []
        var problemCount = 0
    }

    private let capacity: Int
    private let problemCapacity = 100
    private let state: NIOLockedValueBox<State>

    /// Creates a journal for a number of interactions.
    init(interactionCount: Int, capacity: Int) {
        self.capacity = max(1, capacity)
        state = NIOLockedValueBox(State(matchCounts: Array(repeating: 0, count: interactionCount)))
    }

    /// Records a request.
    func record(_ entry: JournalEntry) {
        state.withLockedValue { state in
            state.total += 1
            if state.recent.count < capacity {
                state.recent.append(entry)
            } else {
                state.recent[state.next] = entry
            }
            state.next = (state.next + 1) % capacity
            switch entry.outcome {
            case .matched(let index):
                if index < state.matchCounts.count { state.matchCounts[index] += 1 }
            case .mismatched, .unexpected:
                state.problemCount += 1
                if state.problems.count < problemCapacity { state.problems.append(entry) }
            case .preflight:
                break
            }
        }
    }

    /// The total number of requests received.
    public var totalRequests: Int { state.withLockedValue { $0.total } }

    /// How many times each interaction was matched, by index.
    public var matchCounts: [Int] { state.withLockedValue { $0.matchCounts } }

    /// The most recent requests, oldest first (at most the journal's capacity).
    public var recentEntries: [JournalEntry] {
        state.withLockedValue { state in
            guard state.recent.count == capacity else { return state.recent }
            return Array(state.recent[state.next...] + state.recent[..<state.next])
        }
    }

    /// The first requests that did not match (up to 100) and how many there were in all.
    public var problems: (entries: [JournalEntry], count: Int) {
        state.withLockedValue { ($0.problems, $0.problemCount) }
    }

    /// Forgets everything recorded so far.
    public func reset() {
        state.withLockedValue { state in
            let count = state.matchCounts.count
            state = State(matchCounts: Array(repeating: 0, count: count))
        }
    }
}
