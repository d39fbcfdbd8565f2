import PactMatching
import PactModel

/// Renders a verification report as JSON, for tools and CI dashboards.
public enum JSONReport {
    /// `{"summary": {...}, "results": [...]}` with one entry per interaction: who, what, the status, the mismatches
    /// (`type`, `path`, `expected`, `actual`, `message`), the error, the warnings and the duration in milliseconds.
    public static func render(_ report: VerificationReport) -> JSONValue {
        let summary: JSONObject = [
            "success": .bool(report.isSuccess),
            "interactions": .number(JSONNumber(report.results.count)),
            "passed": .number(JSONNumber(report.passedCount)),
            "failed": .number(JSONNumber(report.failedCount)),
            "pendingFailures": .number(JSONNumber(report.pendingFailures.count)),
            "skipped": .number(JSONNumber(report.skippedCount)),
            "excluded": .number(JSONNumber(report.excludedCount)),
        ]
        return ["summary": .object(summary), "results": .array(report.results.map(render))]
    }

    /// One interaction's entry.
    static func render(_ result: InteractionResult) -> JSONValue {
        var object: JSONObject = [
            "consumer": .string(result.consumer),
            "provider": .string(result.provider),
            "description": .string(result.description),
            "states": .array(result.providerStates.map(JSONValue.string)),
            "pending": .bool(result.pending),
            "status": .string(result.outcome.name),
        ]
        var mismatches: [JSONValue] = []
        var error = JSONValue.null
        switch result.outcome {
        case .passed:
            break
        case .failed(let list):
            mismatches = list.map(render)
        case .error(let message):
            error = .string(message)
        case .skipped(let reason):
            object["reason"] = .string(reason)
        }
        object["mismatches"] = .array(mismatches)
        object["error"] = error
        object["categories"] = .array(result.failureCategories.map(JSONValue.string))
        object["warnings"] = .array(result.warnings.map(JSONValue.string))
        if !result.comments.isEmpty { object["comments"] = .array(result.comments.map(JSONValue.string)) }
        if let testName = result.testName { object["testName"] = .string(testName) }
        let (seconds, attoseconds) = result.duration.components
        object["durationMs"] = .number(JSONNumber(seconds * 1000 + attoseconds / 1_000_000_000_000_000))
        return .object(object)
    }

    private static func render(_ mismatch: Mismatch) -> JSONValue {
        [
            "type": .string(mismatch.kind.rawValue),
            "path": .string(mismatch.path),
            "expected": mismatch.expected.map(JSONValue.string) ?? .null,
            "actual": mismatch.actual.map(JSONValue.string) ?? .null,
            "message": .string(mismatch.message),
        ]
    }
}
