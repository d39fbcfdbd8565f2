import PactModel

/// Follows a walk through a document and keeps, for every rule path, how well it matches the current location.
///
/// Each step down costs one token comparison per rule path, instead of re-weighting every path from the root at
/// every node. The weights and the choice of rules are exactly those of `RuleResolver`.
struct RuleTracker {
    private enum Kind: UInt8 { case root, field, index, star, starIndex }

    /// The resolver whose rules are tracked.
    let resolver: RuleResolver
    /// The current location.
    private(set) var path: DocumentPath
    // The rule paths' tokens, flattened: entry e's token t is at `offsets[e] + t`.
    private let kinds: [Kind]
    private let names: [String]
    private let positions: [Int]
    private let offsets: [Int]
    private let lengths: [Int]
    /// Scores by level: `scores[level * count + entry]`; level n is the location with n segments.
    private var scores: [Int]
    private let count: Int

    /// Starts tracking at a location (usually the root).
    init(_ resolver: RuleResolver, at start: DocumentPath = .root) {
        self.resolver = resolver
        let entries = resolver.category.entries
        count = entries.count
        var kinds: [Kind] = []
        var names: [String] = []
        var positions: [Int] = []
        var offsets: [Int] = []
        var lengths: [Int] = []
        offsets.reserveCapacity(count)
        lengths.reserveCapacity(count)
        for entry in entries {
            offsets.append(kinds.count)
            lengths.append(entry.path.tokens.count)
            for token in entry.path.tokens {
                switch token {
                case .root: kinds.append(.root); names.append(""); positions.append(0)
                case .field(let name): kinds.append(.field); names.append(name); positions.append(Int(name).flatMap { String($0) == name ? $0 : nil } ?? -1)
                case .index(let position): kinds.append(.index); names.append(""); positions.append(position)
                case .star: kinds.append(.star); names.append(""); positions.append(0)
                case .starIndex: kinds.append(.starIndex); names.append(""); positions.append(0)
                }
            }
        }
        self.kinds = kinds
        self.names = names
        self.positions = positions
        self.offsets = offsets
        self.lengths = lengths
        // Level 0 is the empty path: every rule path is still possible.
        scores = Array(repeating: 1, count: count)
        scores.reserveCapacity(count * 8)
        path = DocumentPath(segments: [])
        for segment in start.segments { push(segment) }
    }

    /// True when no rules are tracked.
    var isEmpty: Bool { count == 0 }

    private var level: Int { path.segments.count }

    /// Steps down to a child location.
    mutating func push(_ segment: DocumentPath.Segment) {
        let depth = level
        path.push(segment)
        guard count > 0 else { return }
        let base = depth * count
        if scores.count < base + 2 * count { scores.append(contentsOf: repeatElement(0, count: count)) }
        let segmentName: String
        let segmentIndex: Int
        let isRoot: Bool
        // `[*]` accepts any key that reads as a number, as the reference does; `[7]` only the canonical `7`.
        let numeric: Bool
        switch segment {
        case .root: segmentName = ""; segmentIndex = -1; isRoot = true; numeric = false
        case .field(let name):
            segmentName = name; isRoot = false
            let parsed = Int(name)
            numeric = parsed != nil
            segmentIndex = parsed.flatMap { String($0) == name ? $0 : nil } ?? -1
        case .index(let position): segmentName = ""; segmentIndex = position; isRoot = false; numeric = true
        }
        for entry in 0..<count {
            let previous = scores[base + entry]
            var next = previous
            if previous > 0 && lengths[entry] > depth {
                let factor: Int
                let token = offsets[entry] + depth
                switch kinds[token] {
                case .root: factor = isRoot ? 2 : 0
                case .field:
                    if isRoot { factor = 0 } else if segmentIndex >= 0, case .index = segment { factor = positions[token] == segmentIndex ? 2 : 0 } else { factor = names[token] == segmentName ? 2 : 0 }
                case .index: factor = !isRoot && segmentIndex >= 0 && positions[token] == segmentIndex ? 2 : 0
                case .star: factor = isRoot ? 0 : 1
                case .starIndex: factor = numeric ? 1 : 0
                }
                let (product, overflow) = previous.multipliedReportingOverflow(by: factor)
                next = overflow ? Int.max / 1024 : product
            }
            scores[base + count + entry] = next
        }
    }

    /// Steps down to a map key (digit-only keys count as indices, as in `DocumentPath.push(key:)`).
    mutating func push(key: String) {
        if !key.isEmpty, key.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let position = Int(key), String(position) == key {
            push(.index(position))
        } else {
            push(.field(key))
        }
    }

    /// Steps back up.
    mutating func pop() {
        path.pop()
    }

    /// The most specific rules for the current location, as `RuleResolver.bestRules(at:)` chooses them.
    func bestRules() -> ResolvedRules? {
        guard count > 0 else { return nil }
        let depth = level
        let base = depth * count
        var best: (entry: Int, score: Int, length: Int)?
        for entry in 0..<count where lengths[entry] <= depth {
            let weight = scores[base + entry]
            guard weight > 0 else { continue }
            let (product, overflow) = weight.multipliedReportingOverflow(by: lengths[entry])
            let score = overflow ? Int.max : product
            if let current = best, current.score > score || (current.score == score && current.length >= lengths[entry]) { continue }
            best = (entry, score, lengths[entry])
        }
        guard let best else { return nil }
        return ResolvedRules(list: resolver.category.entries[best.entry].rules, cascaded: best.length != depth)
    }

    /// True when some rule path matches the current location or one of its ancestors.
    func hasRules() -> Bool {
        guard count > 0 else { return false }
        let depth = level
        let base = depth * count
        for entry in 0..<count where lengths[entry] <= depth && scores[base + entry] > 0 { return true }
        return false
    }

    /// True when rules apply at a child of the current location.
    mutating func hasRules(atChild segment: DocumentPath.Segment) -> Bool {
        guard count > 0 else { return false }
        push(segment)
        defer { pop() }
        return hasRules()
    }

    /// The rules defined exactly for the current location.
    func directRules() -> [MatchingRule] {
        guard count > 0 else { return [] }
        let depth = level
        let base = depth * count
        var rules: [MatchingRule] = []
        for entry in 0..<count where lengths[entry] == depth && scores[base + entry] > 0 {
            rules += resolver.category.entries[entry].rules.rules
        }
        return rules
    }
}
