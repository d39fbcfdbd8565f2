import PactModel

/// Compares the headers an interaction expects with those received; extra received headers are allowed.
///
/// Values are split at commas (except for headers such as `Date` whose values contain commas), and headers
/// with parameters (`Content-Type`, `Accept`, ...) match when the media types are equal and every expected
/// parameter is present with the same value (`charset` ignoring case).
public enum HeaderMatcher {
    /// Headers whose values are compared by media type and parameters.
    static let parameterised: Set<String> = ["accept", "content-type", "accept-charset", "accept-encoding", "accept-language", "content-disposition"]
    /// Headers whose single value legitimately contains commas.
    static let singleValued: Set<String> = ["date", "expires", "last-modified", "if-modified-since", "if-unmodified-since",
                                            "set-cookie", "cookie", "user-agent", "retry-after", "www-authenticate", "authorization"]

    /// Compares expected headers with actual ones under the `header` rules.
    public static func compare(expected: HTTPHeaders, actual: HTTPHeaders, rules: RuleCategory) -> [Mismatch] {
        var mismatches: [Mismatch] = []
        for entry in expected {
            let name = entry.name
            guard let actualValues = actual[name] else {
                mismatches.append(Mismatch(kind: .header, path: name, expected: entry.values.joined(separator: ", "), actual: nil,
                                           message: "Expected a header '\(name)' but was missing"))
                continue
            }
            let resolvedRules = rulesFor(name, in: rules)
            // Identical values need no splitting or parameter parsing.
            if resolvedRules == nil && actualValues == entry.values { continue }
            let lowered = name.lowercased()
            if let resolved = resolvedRules {
                let values = split(actualValues, header: lowered)
                let examples = split(entry.values, header: lowered)
                for (index, value) in values.enumerated() {
                    let example = index < examples.count ? examples[index] : examples.first ?? ""
                    let failures = resolved.rules.compactMap {
                        ValueRules.check($0, expected: .string(example), actual: .string(value), cascaded: false, coerceStrings: true)
                    }
                    if JSONBodyMatcher.failed(failures, of: resolved) {
                        for message in failures {
                            mismatches.append(Mismatch(kind: .header, path: name, expected: example, actual: value,
                                                       message: "Mismatch with header '\(name)': \(message)"))
                        }
                    }
                }
                continue
            }
            let expectedValues = split(entry.values, header: lowered)
            let receivedValues = split(actualValues, header: lowered)
            var matches = expectedValues.count == receivedValues.count
            if matches {
                for (wanted, got) in zip(expectedValues, receivedValues) {
                    let same = parameterised.contains(lowered)
                        ? parameterisedValuesMatch(wanted, got, ignoringCase: lowered == "content-type") : wanted == got
                    if !same { matches = false; break }
                }
            }
            if !matches {
                let expectedText = entry.values.joined(separator: ", ")
                let actualText = actualValues.joined(separator: ", ")
                mismatches.append(Mismatch(kind: .header, path: name, expected: expectedText, actual: actualText,
                                           message: "Expected header '\(name)' to have value '\(expectedText)' but was '\(actualText)'"))
            }
        }
        return mismatches
    }

    /// Splits values at commas, trimming whitespace, unless the header's values contain commas.
    static func split(_ values: [String], header: String) -> [String] {
        if singleValued.contains(header) { return values.map { String($0.trimmedASCIIWhitespace) } }
        var result: [String] = []
        for value in values {
            if !value.utf8.contains(UInt8(ascii: ",")) {
                let trimmed = value.trimmedASCIIWhitespace
                if !trimmed.isEmpty { result.append(String(trimmed)) }
                continue
            }
            for piece in value.split(separator: ",", omittingEmptySubsequences: true) {
                let trimmed = piece.trimmedASCIIWhitespace
                if !trimmed.isEmpty { result.append(String(trimmed)) }
            }
        }
        return result
    }

    /// Same value before the first `;`, and every expected parameter present in the actual value (parameter names and
    /// values ignore case, as charsets do). Header values are case-sensitive, so the value before `;` is compared
    /// exactly, except a media type (`ignoringCase`), which HTTP defines as case-insensitive.
    static func parameterisedValuesMatch(_ expected: String, _ actual: String, ignoringCase: Bool = true) -> Bool {
        let expectedParts = expected.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let actualParts = actual.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let same = ignoringCase ? expectedParts.first?.lowercased() == actualParts.first?.lowercased() : expectedParts.first == actualParts.first
        guard same else { return false }
        let actualParameters = parameters(actualParts.dropFirst())
        for (name, value) in parameters(expectedParts.dropFirst()) {
            guard let other = actualParameters[name], other.lowercased() == value.lowercased() else { return false }
        }
        return true
    }

    private static func parameters(_ parts: ArraySlice<String>) -> [String: String] {
        var result: [String: String] = [:]
        for part in parts {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            guard let name = pair.first, !name.isEmpty else { continue }
            result[name.lowercased()] = pair.count > 1 ? pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) : ""
        }
        return result
    }

    private static func rulesFor(_ name: String, in rules: RuleCategory) -> RuleList? {
        guard !rules.isEmpty else { return nil }
        return rules.entries.first { entry in
            guard let field = entry.path.firstField else { return false }
            return HTTPHeaders.sameName(field, name)
        }?.rules
    }
}

import Foundation
