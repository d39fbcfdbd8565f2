import PactMatching
import PactModel

/// Chooses the interaction that answers a request, the way Pact does: the first interaction that matches in full;
/// otherwise the closest one with the same method and path, whose mismatches explain the failure.
///
/// Candidates are looked up by method and path first, so the cost per request does not grow with the size of the
/// pact. Interactions whose path is matched by a rule (a regex or a provider-state expression) are always candidates.
struct InteractionSelector: Sendable {
    let interactions: [HTTPInteraction]
    private let exact: [String: [Int]]
    private let byMethodWithPathRules: [String: [Int]]

    init(_ interactions: [HTTPInteraction]) {
        self.interactions = interactions
        var exact: [String: [Int]] = [:]
        var ruled: [String: [Int]] = [:]
        for (index, interaction) in interactions.enumerated() {
            let method = interaction.request.method.uppercased()
            if interaction.request.matchingRules["path"].isEmpty {
                exact[method + " " + interaction.request.path, default: []].append(index)
            } else {
                ruled[method, default: []].append(index)
            }
        }
        self.exact = exact
        byMethodWithPathRules = ruled
    }

    /// The interaction answering a request, and the outcome to record. When `allows` is given, only the interactions
    /// it allows may answer; a request that matches only others is a mismatch whose message `explain` gives.
    func select(for request: HTTPRequest, allows: ((Int) -> Bool)? = nil, explain: ((Int) -> String)? = nil) -> RequestOutcome {
        let method = request.method.uppercased()
        var candidates = exact[method + " " + request.path] ?? []
        if let ruled = byMethodWithPathRules[method] {
            candidates = (candidates + ruled).sorted()
        }
        var heldBack: Int?
        for index in candidates where RequestMatcher.matches(expected: interactions[index].request, actual: request) {
            if let allows, !allows(index) {
                if heldBack == nil { heldBack = index }
                continue
            }
            return .matched(interaction: index)
        }
        if let heldBack {
            let reason = explain?(heldBack) ?? "it may not answer now"
            return .mismatched(interaction: heldBack, mismatches: [
                Mismatch(kind: .state, message: "The request matches '\(interactions[heldBack].description)', but \(reason)"),
            ])
        }
        var closest: (index: Int, mismatches: [Mismatch])?
        for index in candidates {
            let mismatches = RequestMatcher.compare(expected: interactions[index].request, actual: request)
            // A candidate whose path rule fails is not about this request at all.
            if mismatches.contains(where: { $0.kind == .path || $0.kind == .method }) { continue }
            if closest == nil || mismatches.count < (closest?.mismatches.count ?? .max) { closest = (index, mismatches) }
        }
        if let closest { return .mismatched(interaction: closest.index, mismatches: closest.mismatches) }
        return .unexpected
    }
}
