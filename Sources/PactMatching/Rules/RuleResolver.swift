import PactModel

/// The rules that apply at one location, and whether they were inherited from an ancestor.
struct ResolvedRules {
    /// The rules of the best-matching path.
    var list: RuleList
    /// True when the rules were defined for an ancestor of the location (they cascade down to it).
    var cascaded: Bool
}

/// Finds the rules for a location in a body, header or query, weighting path expressions as the Pact specification describes.
struct RuleResolver: Sendable {
    /// The rules of the category being matched.
    let category: RuleCategory

    /// Bit n is set when some rule path has n steps, so lookups for other depths return at once.
    private let lengthMask: UInt64

    /// Creates a resolver over one category.
    init(_ category: RuleCategory) {
        self.category = category
        var mask: UInt64 = 0
        for entry in category.entries { mask |= entry.path.tokens.count < 64 ? 1 << UInt64(entry.path.tokens.count) : 1 << 63 }
        lengthMask = mask
    }

    /// True when no rules are defined.
    var isEmpty: Bool { category.isEmpty }

    /// True when some rule path matches the location or one of its ancestors.
    func hasRules(at path: DocumentPath) -> Bool {
        guard !category.isEmpty else { return false }
        return category.entries.contains { $0.path.matches(path) }
    }

    /// The most specific rules for a location: the highest weight times length wins, ties go to the deeper path.
    func bestRules(at path: DocumentPath) -> ResolvedRules? {
        guard !category.isEmpty else { return nil }
        var best: (entry: RuleList, score: Int, length: Int)?
        for entry in category.entries {
            let weight = entry.path.weight(for: path)
            guard weight.score > 0 else { continue }
            let (product, overflow) = weight.score.multipliedReportingOverflow(by: weight.length)
            let score = overflow ? Int.max : product
            if let current = best, current.score > score || (current.score == score && current.length >= weight.length) { continue }
            best = (entry.rules, score, weight.length)
        }
        guard let best else { return nil }
        return ResolvedRules(list: best.entry, cascaded: best.length != path.segments.count)
    }

    /// The rules defined exactly for this location (not inherited).
    func directRules(at path: DocumentPath) -> [MatchingRule] {
        let depth = path.segments.count
        guard !category.isEmpty, depth >= 63 || lengthMask & (1 << UInt64(depth)) != 0 else { return [] }
        return category.entries.filter { $0.path.matchesExactly(path) }.flatMap(\.rules.rules)
    }

    /// A resolver whose only rules are `rules`, defined for every child of `path` (used by eachValue).
    static func children(of path: DocumentPath, rules: [MatchingRule]) -> RuleResolver {
        var tokens: [PathExpression.Token] = []
        for segment in path.segments {
            switch segment {
            case .root: tokens.append(.root)
            case .field(let name): tokens.append(.field(name))
            case .index(let position): tokens.append(.index(position))
            }
        }
        tokens.append(.star)
        return RuleResolver(RuleCategory([(PathExpression(tokens: tokens), RuleList(rules))]))
    }
}
