import PactVerifier

/// Prints verification results for people: a line per interaction, its differences, warnings and comments.
enum VerificationPrinter {
    /// Prints one result as soon as it is ready.
    @Sendable static func print(_ result: InteractionResult) {
        for line in lines(for: result) { Terminal.print(line) }
    }

    /// The lines for one result, without colour when standard output is not a terminal.
    static func lines(for result: InteractionResult) -> [String] {
        let pending = result.pending ? " (pending)" : ""
        let title = "\(result.consumer): \(result.description)"
        var lines: [String] = []
        switch result.outcome {
        case .passed:
            lines.append("  " + Terminal.green("✓") + " " + title + pending)
        case .skipped(let reason):
            lines.append("  - \(title)\(pending) (skipped: \(reason))")
        case .failed(let mismatches):
            lines.append("  " + Terminal.red("✗") + " " + title + pending)
            lines += mismatches.map { "      " + $0.description }
        case .error(let message):
            lines.append("  " + Terminal.red("✗") + " " + title + pending)
            lines.append("      " + message)
        }
        if let testName = result.testName { lines.append("      test: \(testName)") }
        lines += result.comments.map { "      # " + $0 }
        lines += result.warnings.map { "      warning: " + $0 }
        return lines
    }
}
