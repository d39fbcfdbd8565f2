import PactModel

/// Compares the method, the path and the status code.
public enum RequestLineMatcher {
    /// Methods compare case-insensitively.
    public static func compareMethod(expected: String, actual: String) -> [Mismatch] {
        guard expected.uppercased() != actual.uppercased() else { return [] }
        return [Mismatch(kind: .method, expected: expected.uppercased(), actual: actual.uppercased(),
                         message: "Expected method '\(expected.uppercased())' but received '\(actual.uppercased())'")]
    }

    /// Paths compare exactly, or under the `path` rules.
    public static func comparePath(expected: String, actual: String, rules: RuleCategory) -> [Mismatch] {
        if let list = rules.entries.first?.rules {
            let failures = list.rules.compactMap {
                ValueRules.check($0, expected: .string(expected), actual: .string(actual), cascaded: false, coerceStrings: true)
            }
            guard JSONBodyMatcher.failed(failures, of: list) else { return [] }
            return failures.map { Mismatch(kind: .path, expected: expected, actual: actual, message: $0) }
        }
        guard expected != actual else { return [] }
        return [Mismatch(kind: .path, expected: expected, actual: actual, message: "Expected path '\(expected)' but received '\(actual)'")]
    }

    /// Status codes compare exactly, or under the `status` rules.
    public static func compareStatus(expected: Int, actual: Int, rules: RuleCategory) -> [Mismatch] {
        if let list = rules.entries.first?.rules {
            let failures = list.rules.compactMap { rule -> String? in
                if case .statusCode(let status) = rule {
                    return ValueRules.statusCodeFailure(actual, status)
                }
                return ValueRules.check(rule, expected: .number(JSONNumber(expected)), actual: .number(JSONNumber(actual)), cascaded: false)
            }
            guard JSONBodyMatcher.failed(failures, of: list) else { return [] }
            return failures.map { Mismatch(kind: .status, expected: "\(expected)", actual: "\(actual)", message: $0) }
        }
        guard expected != actual else { return [] }
        return [Mismatch(kind: .status, expected: "\(expected)", actual: "\(actual)", message: "Expected status code \(expected) but received \(actual)")]
    }
}
