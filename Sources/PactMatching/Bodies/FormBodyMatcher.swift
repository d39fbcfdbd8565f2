import PactModel

/// Compares `application/x-www-form-urlencoded` bodies field by field; body rules use paths such as `$.name`.
struct FormBodyMatcher {
    var rules: RuleResolver
    var allowUnexpectedKeys: Bool

    func compare(expected: QueryParameters, actual: QueryParameters) -> [Mismatch] {
        var mismatches: [Mismatch] = []
        for entry in expected {
            let path = DocumentPath.root.appending(field: entry.name)
            guard let values = actual[entry.name] else {
                mismatches.append(Mismatch(kind: .body, path: path.description, expected: entry.values.compactMap { $0 }.joined(separator: ", "),
                                           actual: nil, message: "Expected form post parameter '\(entry.name)' but was missing"))
                continue
            }
            ValueListMatcher.compare(entry.values, values, name: entry.name, noun: "form post parameter", path: path,
                                     rules: rules, kind: .body, into: &mismatches)
        }
        if !allowUnexpectedKeys {
            for entry in actual where expected[entry.name] == nil {
                mismatches.append(Mismatch(kind: .body, path: DocumentPath.root.appending(field: entry.name).description, expected: nil,
                                           actual: entry.values.compactMap { $0 }.joined(separator: ", "),
                                           message: "Unexpected form post parameter '\(entry.name)' received"))
            }
        }
        return mismatches
    }
}

/// Compares the values of one query parameter or form field, with rules or by equality.
enum ValueListMatcher {
    static func compare(_ expected: [String?], _ actual: [String?], name: String, noun: String, path: DocumentPath,
                        rules: RuleResolver, kind: Mismatch.Kind, into mismatches: inout [Mismatch]) {
        let shownPath = kind == .body ? path.description : name
        if let resolved = rules.bestRules(at: path) {
            for rule in resolved.list.rules where !resolved.cascaded {
                let count = actual.count
                switch rule {
                case .minType(let min) where count < min, .minMaxType(let min, _) where count < min:
                    mismatches.append(Mismatch(kind: kind, path: shownPath, expected: "\(expected.count)", actual: "\(count)",
                                               message: "Expected \(noun) '\(name)' to have at least \(min) value(s) but received \(count)"))
                case .maxType(let max) where count > max, .minMaxType(_, let max) where count > max:
                    mismatches.append(Mismatch(kind: kind, path: shownPath, expected: "\(expected.count)", actual: "\(count)",
                                               message: "Expected \(noun) '\(name)' to have at most \(max) value(s) but received \(count)"))
                default: break
                }
            }
            for (index, value) in actual.enumerated() {
                let example = index < expected.count ? expected[index] : expected.first ?? nil
                let failures = resolved.list.rules.compactMap {
                    ValueRules.check($0, expected: .string(example ?? ""), actual: .string(value ?? ""), cascaded: resolved.cascaded, coerceStrings: true)
                }
                if JSONBodyMatcher.failed(failures, of: resolved.list) {
                    for message in failures {
                        mismatches.append(Mismatch(kind: kind, path: shownPath, expected: example, actual: value, message: message))
                    }
                }
            }
            return
        }
        for (index, value) in expected.enumerated() {
            guard index < actual.count else {
                mismatches.append(Mismatch(kind: kind, path: shownPath, expected: value, actual: nil,
                                           message: "Expected \(noun) '\(name)' value '\(value ?? "")' but was missing"))
                continue
            }
            if value != actual[index] {
                let message = kind == .body
                    ? "Expected \(noun) '\(name)' with value '\(value ?? "")' but was '\(actual[index] ?? "")'"
                    : "Expected '\(value ?? "")' but received '\(actual[index] ?? "")' for \(noun) '\(name)'"
                mismatches.append(Mismatch(kind: kind, path: shownPath, expected: value, actual: actual[index], message: message))
            }
        }
        if actual.count > expected.count {
            let extra = actual[expected.count...].map { $0 ?? "" }
            mismatches.append(Mismatch(kind: kind, path: shownPath, expected: nil, actual: extra.joined(separator: ", "),
                                       message: "Unexpected value(s) '\(extra.joined(separator: "', '"))' for \(noun) '\(name)'"))
        }
    }
}
