import PactModel

/// Applies one matching rule to a single value and says why it does not match.
enum ValueRules {
    /// Returns nil when `actual` satisfies `rule` (with `expected` as the example), or a Pact-style message.
    ///
    /// `coerceStrings` lets header and query values, which are always strings, satisfy number and boolean rules.
    static func check(_ rule: MatchingRule, expected: JSONValue, actual: JSONValue, cascaded: Bool, coerceStrings: Bool = false) -> String? {
        switch rule {
        case .equality:
            return expected == actual ? nil : "Expected \(ValueText.typed(actual)) to be equal to \(ValueText.typed(expected))"
        case .regex(let regex):
            let text = ValueText.plain(actual)
            return regex.matches(text) ? nil : "Expected '\(text)' to match '\(regex.pattern)'"
        case .type, .minType, .maxType, .minMaxType:
            if coerceStrings { return nil }
            return sameType(expected, actual) ? nil : "Expected \(ValueText.typed(actual)) to be the same type as \(ValueText.typed(expected))"
        case .include(let fragment):
            let text = ValueText.plain(actual)
            return text.contains(fragment) ? nil : "Expected '\(text)' to include '\(fragment)'"
        case .integer:
            if case .number(let number) = actual, number.isInteger { return nil }
            if coerceStrings, case .string(let text) = actual, JSONNumber(literal: text)?.isInteger == true { return nil }
            return "Expected \(ValueText.typed(actual)) to be an integer"
        case .decimal:
            if case .number(let number) = actual, !number.isInteger { return nil }
            if coerceStrings, case .string(let text) = actual, JSONNumber(literal: text)?.isInteger == false { return nil }
            return "Expected \(ValueText.typed(actual)) to be a decimal number"
        case .number:
            if case .number = actual { return nil }
            if coerceStrings, case .string(let text) = actual, JSONNumber(literal: text) != nil { return nil }
            return "Expected \(ValueText.typed(actual)) to be a number"
        case .null:
            if case .null = actual { return nil }
            if coerceStrings, case .string(let text) = actual, text.isEmpty || text == "null" { return nil }
            return "Expected \(ValueText.typed(actual)) to be a null value"
        case .boolean:
            switch actual {
            case .bool: return nil
            case .string(let text) where text == "true" || text == "false": return nil
            default: return "Expected \(ValueText.typed(actual)) to match a boolean"
            }
        case .date(let pattern):
            return checkDateTime(actual, pattern: pattern, kind: "date")
        case .time(let pattern):
            return checkDateTime(actual, pattern: pattern, kind: "time")
        case .timestamp(let pattern):
            return checkDateTime(actual, pattern: pattern, kind: "timestamp")
        case .contentType(let expectedType):
            let bytes = Array(ValueText.plain(actual).utf8)
            return ContentTypeRule.check(bytes, expected: expectedType)
        case .notEmpty:
            switch actual {
            case .null: return "Expected null (Null) to not be empty"
            case .string(let text) where text.isEmpty: return "Expected '' (String) to not be empty"
            case .array(let items) where items.isEmpty: return "Expected [] (Array) to not be empty"
            case .object(let object) where object.isEmpty: return "Expected {} (Object) to not be empty"
            default: return nil
            }
        case .semver:
            guard case .string(let text) = actual else {
                return "Expected \(ValueText.typed(actual)) to be a semantic version"
            }
            if let reason = SemanticVersion.problem(with: text) { return "'\(text)' is not a valid semantic version - \(reason)" }
            return nil
        case .statusCode(let status):
            guard let code = actual.numberValue?.intValue ?? Int(actual.plainText) else {
                return "Expected \(ValueText.typed(actual)) to be a status code"
            }
            return statusCodeFailure(code, status)
        case .values:
            // Inherited by a single value from its map or list, `values` compares like equality, as in pact-reference.
            if case .array = actual { return nil }
            if case .object = actual { return nil }
            return check(.equality, expected: expected, actual: actual, cascaded: cascaded)
        case .arrayContains, .eachKey, .eachValue:
            // These apply to collections; on a single value they have nothing to check.
            return nil
        }
    }

    /// Nil when the code is in the class or list, or a message such as "Expected status code 404 to be a Client error (400–499)".
    static func statusCodeFailure(_ code: Int, _ status: StatusCodeClass) -> String? {
        guard !status.contains(code) else { return nil }
        if case .codes = status { return "Expected status code \(code) to be \(status)" }
        return "Expected status code \(code) to be a \(status)"
    }

    /// Numbers of any kind share a type, as do all strings, booleans, arrays, objects and nulls.
    static func sameType(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null), (.bool, .bool), (.number, .number), (.string, .string), (.array, .array), (.object, .object): return true
        default: return false
        }
    }

    private static func checkDateTime(_ actual: JSONValue, pattern: DateTimePattern, kind: String) -> String? {
        let text = ValueText.plain(actual)
        guard let reason = pattern.mismatchReason(for: text) else { return nil }
        return "Expected '\(text)' to match a \(kind) pattern of '\(pattern.pattern)': \(reason)"
    }
}

/// Checks binary content against a `contentType` rule by looking at its bytes.
enum ContentTypeRule {
    /// Nil when the detected type of the bytes is the expected one, or a message naming both.
    static func check(_ bytes: [UInt8], expected: String) -> String? {
        let detected = Body.detect(bytes)
        guard let wanted = ContentType(expected) else {
            return "'\(expected)' is not a valid content type"
        }
        if detected.essence == wanted.essence { return nil }
        // Text, JSON and XML detection is heuristic, so any text-like expectation accepts text content.
        if wanted.isText && detected.isText && (wanted.type == "text" || detected.essence == wanted.essence) { return nil }
        return "Expected binary contents to have content type '\(wanted.essence)' but detected contents was '\(detected.essence)'"
    }
}

/// Validates semantic versions (semver.org 2.0.0).
enum SemanticVersion {
    /// Nil when the text is a valid semantic version, or the reason it is not.
    static func problem(with text: String) -> String? {
        var core = Substring(text)
        if let plus = core.firstIndex(of: "+") {
            let build = core[core.index(after: plus)...]
            if build.isEmpty || build.split(separator: ".", omittingEmptySubsequences: false).contains(where: { !isIdentifier($0) }) {
                return "invalid build metadata"
            }
            core = core[..<plus]
        }
        if let dash = core.firstIndex(of: "-") {
            let pre = core[core.index(after: dash)...]
            let parts = pre.split(separator: ".", omittingEmptySubsequences: false)
            if pre.isEmpty || parts.contains(where: { !isIdentifier($0) || (isNumeric($0) && $0.count > 1 && $0.first == "0") }) {
                return "invalid pre-release identifier"
            }
            core = core[..<dash]
        }
        let numbers = core.split(separator: ".", omittingEmptySubsequences: false)
        guard numbers.count == 3 else { return "expected major.minor.patch" }
        for number in numbers {
            guard !number.isEmpty, isNumeric(number) else { return "'\(number)' is not a number" }
            if number.count > 1 && number.first == "0" { return "'\(number)' has a leading zero" }
        }
        return nil
    }

    private static func isNumeric(_ text: Substring) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    private static func isIdentifier(_ text: Substring) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }
}
