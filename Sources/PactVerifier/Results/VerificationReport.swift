/// The results of a verification run, with the counts that decide whether it succeeded.
public struct VerificationReport: Sendable, Hashable, CustomStringConvertible {
    /// One result per verified interaction, in the order verified.
    public var results: [InteractionResult]
    /// How many interactions the filters left out (they have no result).
    public var excludedCount: Int

    /// Creates a report.
    public init(results: [InteractionResult], excludedCount: Int = 0) {
        self.results = results
        self.excludedCount = excludedCount
    }

    /// How many interactions passed.
    public var passedCount: Int { results.count(where: { $0.outcome == .passed }) }
    /// How many interactions failed or could not be checked, not counting pending ones.
    public var failedCount: Int { results.count(where: \.failsVerification) }
    /// The failures of pending interactions, which do not fail verification.
    public var pendingFailures: [InteractionResult] { results.filter { $0.isFailure && $0.pending } }
    /// How many interactions were skipped.
    public var skippedCount: Int { results.count(where: { if case .skipped = $0.outcome { return true } else { return false } }) }
    /// True when no interaction failed other than pending ones.
    public var isSuccess: Bool { failedCount == 0 }

    /// `N interactions, P passed, F failed, K pending failures` (and skipped or excluded counts when there are any).
    public var summary: String {
        var text = "\(results.count) interaction\(results.count == 1 ? "" : "s"), \(passedCount) passed, \(failedCount) failed, "
            + "\(pendingFailures.count) pending failure\(pendingFailures.count == 1 ? "" : "s")"
        if skippedCount > 0 { text += ", \(skippedCount) skipped" }
        if excludedCount > 0 { text += " (\(excludedCount) excluded by filters)" }
        return text
    }

    /// Every failure with its differences, then the summary line.
    public var description: String {
        var lines: [String] = []
        for result in results where result.isFailure {
            lines.append("\(result.pending ? "pending failure" : "failure"): \(result.consumer): \(result.description)")
            lines += result.errorSummary.map { "  " + $0 }
        }
        lines.append(summary)
        return lines.joined(separator: "\n")
    }
}
