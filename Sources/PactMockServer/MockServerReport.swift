import PactMatching
import PactModel

/// What a mock server saw during a test: whether every interaction was exercised and every request matched.
public struct MockServerReport: Sendable, CustomStringConvertible {
    /// A request that did not match, with the closest interaction and the differences.
    public struct Mismatched: Sendable {
        /// The request as received.
        public var request: HTTPRequest
        /// The description of the closest interaction.
        public var interaction: String
        /// How the request differs from it.
        public var mismatches: [Mismatch]
    }

    /// Interactions that were expected but never requested, by description.
    public var missing: [String]
    /// Requests that matched no interaction's method and path.
    public var unexpected: [HTTPRequest]
    /// Requests that came close to an interaction but differ from it.
    public var mismatched: [Mismatched]
    /// How many requests did not match, including any beyond those kept in `unexpected` and `mismatched`.
    public var problemCount: Int
    /// How many requests were received in all.
    public var totalRequests: Int

    /// True when every interaction was requested and every request matched.
    public var isOK: Bool { missing.isEmpty && problemCount == 0 }

    /// A readable account of what went wrong, with a line per problem and the differences.
    public var description: String {
        if isOK { return "mock server: all \(totalRequests) request(s) matched the pact" }
        var lines = ["mock server: the client did not do what the pact expects"]
        for description in missing {
            lines.append("  - expected but not received: '\(description)'")
        }
        for request in unexpected {
            lines.append("  - unexpected request: \(MockServerReport.summary(request)) matches no interaction")
        }
        for item in mismatched {
            lines.append("  - \(MockServerReport.summary(item.request)) does not match '\(item.interaction)':")
            for mismatch in item.mismatches {
                let location = mismatch.path.isEmpty ? mismatch.kind.rawValue : "\(mismatch.kind.rawValue) \(mismatch.path)"
                lines.append("      \(location): \(mismatch.message)")
                if let expected = mismatch.expected, let actual = mismatch.actual, mismatch.kind == .body {
                    lines.append("        - expected: \(expected)")
                    lines.append("        + actual:   \(actual)")
                }
            }
        }
        let shown = unexpected.count + mismatched.count
        if problemCount > shown { lines.append("  … and \(problemCount - shown) more request(s) that did not match") }
        return lines.joined(separator: "\n")
    }

    /// `METHOD /path?query`.
    static func summary(_ request: HTTPRequest) -> String {
        let query = request.rawQuery ?? request.query.encoded
        return "\(request.method) \(request.path)" + (query.isEmpty ? "" : "?\(query)")
    }

    /// The report as JSON, for the control API.
    public var json: JSONValue {
        func mismatchJSON(_ mismatch: Mismatch) -> JSONValue {
            var object: JSONObject = ["type": .string(mismatch.kind.rawValue), "path": .string(mismatch.path), "message": .string(mismatch.message)]
            if let expected = mismatch.expected { object["expected"] = .string(expected) }
            if let actual = mismatch.actual { object["actual"] = .string(actual) }
            return .object(object)
        }
        return [
            "ok": .bool(isOK),
            "totalRequests": .number(JSONNumber(totalRequests)),
            "missing": .array(missing.map(JSONValue.string)),
            "unexpected": .array(unexpected.map { .string(MockServerReport.summary($0)) }),
            "mismatched": .array(mismatched.map { item in
                ["request": .string(MockServerReport.summary(item.request)), "interaction": .string(item.interaction),
                 "mismatches": .array(item.mismatches.map(mismatchJSON))]
            }),
        ]
    }
}
