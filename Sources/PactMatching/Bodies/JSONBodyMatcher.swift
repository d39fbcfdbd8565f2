import PactModel

/// Compares an expected JSON document with an actual one under matching rules, collecting body mismatches.
struct JSONBodyMatcher {
    /// The rules of the body category.
    var rules: RuleResolver
    /// Responses may carry keys the pact does not mention; requests may not.
    var allowUnexpectedKeys: Bool
    /// Stop at the first difference, for a quick yes or no.
    var stopAtFirst = false

    /// Compares two documents from the root.
    func compare(expected: JSONValue, actual: JSONValue) -> [Mismatch] {
        var mismatches: [Mismatch] = []
        var tracker = RuleTracker(rules)
        compare(expected, actual, &tracker, into: &mismatches)
        return mismatches
    }

    func compare(_ expected: JSONValue, _ actual: JSONValue, _ tracker: inout RuleTracker, into mismatches: inout [Mismatch]) {
        if stopAtFirst && !mismatches.isEmpty { return }
        switch (expected, actual) {
        case (.object(let expectedObject), .object(let actualObject)):
            compareObjects(expectedObject, actualObject, &tracker, into: &mismatches)
        case (.array(let expectedItems), .array(let actualItems)):
            compareArrays(expectedItems, actualItems, &tracker, into: &mismatches)
        case (.object, _), (.array, _):
            mismatches.append(mismatch(tracker.path, expected, actual,
                "Type mismatch: Expected \(ValueText.typed(actual)) to be the same type as \(ValueText.typed(expected))"))
        default:
            compareValues(expected, actual, &tracker, into: &mismatches)
        }
    }

    // MARK: Scalars

    private func compareValues(_ expected: JSONValue, _ actual: JSONValue, _ tracker: inout RuleTracker, into mismatches: inout [Mismatch]) {
        guard let resolved = tracker.bestRules() else {
            if expected != actual {
                mismatches.append(mismatch(tracker.path, expected, actual, "Expected \(ValueText.typed(actual)) to be equal to \(ValueText.typed(expected))"))
            }
            return
        }
        let failures = resolved.list.rules.compactMap {
            ValueRules.check($0, expected: expected, actual: actual, cascaded: resolved.cascaded)
        }
        if Self.failed(failures, of: resolved.list) {
            for message in failures { mismatches.append(mismatch(tracker.path, expected, actual, message)) }
        }
    }

    /// AND fails on any failure; OR fails only when every rule failed.
    static func failed(_ failures: [String], of list: RuleList) -> Bool {
        switch list.logic {
        case .and: return !failures.isEmpty
        case .or: return !list.rules.isEmpty && failures.count == list.rules.count
        }
    }

    // MARK: Objects

    private func compareObjects(_ expected: JSONObject, _ actual: JSONObject, _ tracker: inout RuleTracker, into mismatches: inout [Mismatch]) {
        let expectedJSON = JSONValue.object(expected)
        let actualJSON = JSONValue.object(actual)
        if let resolved = tracker.bestRules() {
            let valuesRule = resolved.cascaded ? nil : resolved.list.rules.first(where: \.isValuesRule)
            if let valuesRule {
                // Keys are free; each actual value is compared with the example of the same key, or the first example.
                var walker = tracker
                if case .eachValue(let definition) = valuesRule {
                    walker = RuleTracker(RuleResolver.children(of: tracker.path, rules: definition.rules), at: tracker.path)
                }
                checkEachKey(actual, &tracker, into: &mismatches)
                let firstExample = expected.keys.first.flatMap { expected[$0] }
                for key in actual.keys {
                    guard let value = actual[key], let example = expected[key] ?? firstExample else { continue }
                    walker.push(key: key)
                    compare(example, value, &walker, into: &mismatches)
                    walker.pop()
                }
                return
            }
            var failures: [String] = []
            for rule in resolved.list.rules {
                if let failure = checkCollectionSize(rule, count: actual.count, shown: ValueText.plain(actualJSON), cascaded: resolved.cascaded) {
                    failures.append(failure)
                } else if !rule.isTypeRule, let failure = ValueRules.check(rule, expected: expectedJSON, actual: actualJSON, cascaded: resolved.cascaded) {
                    failures.append(failure)
                }
            }
            if Self.failed(failures, of: resolved.list) {
                for message in failures { mismatches.append(mismatch(tracker.path, expectedJSON, actualJSON, message)) }
            }
        } else if expected.isEmpty && !actual.isEmpty && !allowUnexpectedKeys {
            mismatches.append(mismatch(tracker.path, expectedJSON, actualJSON, "Expected an empty Map but received \(ValueText.plain(actualJSON))"))
            return
        }
        checkKeys(expected, actual, &tracker, into: &mismatches)
        for key in expected.keys {
            guard let value = expected[key], let actualValue = actual[key] else { continue }
            tracker.push(key: key)
            compare(value, actualValue, &tracker, into: &mismatches)
            tracker.pop()
        }
    }

    private func checkKeys(_ expected: JSONObject, _ actual: JSONObject, _ tracker: inout RuleTracker, into mismatches: inout [Mismatch]) {
        let direct = tracker.directRules()
        if !direct.contains(where: { $0.isValuesRule || { if case .eachKey = $0 { return true } else { return false } }($0) }) {
            let missing = expected.keys.filter { !actual.contains($0) }
            if allowUnexpectedKeys {
                if !missing.isEmpty {
                    mismatches.append(mismatch(tracker.path, .object(expected), .object(actual),
                        "Actual map is missing the following keys: \(missing.joined(separator: ", "))"))
                }
            } else if !missing.isEmpty || expected.count != actual.count {
                let expectedKeys = expected.sortedKeys
                let actualKeys = actual.sortedKeys
                do {
                    let unexpected = actual.keys.filter { !expected.contains($0) }
                    var message = "Expected a Map with keys [\(expectedKeys.joined(separator: ", "))] but received one with keys [\(actualKeys.joined(separator: ", "))]"
                    if !unexpected.isEmpty { message += "; unexpected: \(unexpected.joined(separator: ", "))" }
                    if !missing.isEmpty { message += "; missing: \(missing.joined(separator: ", "))" }
                    mismatches.append(mismatch(tracker.path, .object(expected), .object(actual), message))
                }
            }
        }
        checkEachKey(actual, &tracker, into: &mismatches)
    }

    private func checkEachKey(_ actual: JSONObject, _ tracker: inout RuleTracker, into mismatches: inout [Mismatch]) {
        for rule in tracker.directRules() {
            guard case .eachKey(let definition) = rule else { continue }
            for key in actual.sortedKeys {
                for keyRule in definition.rules {
                    if let failure = ValueRules.check(keyRule, expected: .string(""), actual: .string(key), cascaded: false) {
                        mismatches.append(Mismatch(kind: .body, path: tracker.path.appending(key: key).description, expected: nil, actual: key, message: failure))
                    }
                }
            }
        }
    }

    // MARK: Arrays

    private func compareArrays(_ expected: [JSONValue], _ actual: [JSONValue], _ tracker: inout RuleTracker, into mismatches: inout [Mismatch]) {
        let expectedJSON = JSONValue.array(expected)
        let actualJSON = JSONValue.array(actual)
        guard let resolved = tracker.bestRules() else {
            if expected.isEmpty && !actual.isEmpty {
                mismatches.append(mismatch(tracker.path, expectedJSON, actualJSON, "Expected an empty List but received \(ValueText.plain(actualJSON))"))
                return
            }
            for (index, item) in expected.enumerated() {
                if index < actual.count {
                    tracker.push(.index(index))
                    compare(item, actual[index], &tracker, into: &mismatches)
                    tracker.pop()
                } else if !tracker.hasRules(atChild: .index(index)) {
                    mismatches.append(mismatch(tracker.path, expectedJSON, actualJSON, "Expected \(ValueText.plain(item)) but was missing"))
                }
            }
            if expected.count != actual.count {
                mismatches.append(mismatch(tracker.path, expectedJSON, actualJSON,
                    "Expected a List with \(expected.count) elements but received \(actual.count) elements"))
            }
            return
        }
        guard !expected.isEmpty else {
            // An empty example gives nothing to compare items with; only size and emptiness rules apply.
            let failures = resolved.list.rules.compactMap { rule in
                checkCollectionSize(rule, count: actual.count, shown: ValueText.list(actual), cascaded: resolved.cascaded)
                    ?? (rule == .notEmpty && actual.isEmpty ? "Expected [] (Array) to not be empty" : nil)
            }
            if Self.failed(failures, of: resolved.list) {
                for message in failures { mismatches.append(mismatch(tracker.path, expectedJSON, actualJSON, message)) }
            }
            return
        }
        var failures: [[Mismatch]] = []
        for rule in resolved.list.rules {
            var ruleMismatches: [Mismatch] = []
            switch rule {
            case .arrayContains(let variants):
                checkArrayContains(variants, expected: expected, actual: actual, &tracker, into: &ruleMismatches)
            case .eachValue(let definition) where !resolved.cascaded:
                var eachTracker = RuleTracker(RuleResolver.children(of: tracker.path, rules: definition.rules), at: tracker.path)
                compareItems(expected, actual, &eachTracker, into: &ruleMismatches)
            default:
                if let failure = checkCollectionSize(rule, count: actual.count, shown: ValueText.list(actual), cascaded: resolved.cascaded) {
                    ruleMismatches.append(mismatch(tracker.path, expectedJSON, actualJSON, failure))
                } else if !rule.isTypeRule, !rule.isValuesRule, let failure = arrayRuleFailure(rule, expected: expected, actual: actual, cascaded: resolved.cascaded) {
                    ruleMismatches.append(mismatch(tracker.path, expectedJSON, actualJSON, failure))
                }
            }
            failures.append(ruleMismatches)
        }
        let usesContainment = resolved.list.rules.contains { if case .arrayContains = $0 { return true } else { return false } }
        let usesEachValue = !resolved.cascaded && resolved.list.rules.contains { if case .eachValue = $0 { return true } else { return false } }
        if !usesContainment && !usesEachValue {
            var itemMismatches: [Mismatch] = []
            compareItems(expected, actual, &tracker, into: &itemMismatches)
            failures = failures.map { $0 + itemMismatches }
            if failures.isEmpty { failures = [itemMismatches] }
        }
        let reported: [[Mismatch]]
        switch resolved.list.logic {
        case .and: reported = failures
        case .or: reported = failures.allSatisfy({ !$0.isEmpty }) ? failures : []
        }
        if reported.count == 1 {
            mismatches += reported[0]
        } else if reported.contains(where: { !$0.isEmpty }) {
            // Several rules may report the same item mismatch; each is listed once.
            var seen = Set<Mismatch>()
            for group in reported { for item in group where seen.insert(item).inserted { mismatches.append(item) } }
        }
    }

    /// Compares every actual item with the example at the same index, or with the first example past the end.
    private func compareItems(_ expected: [JSONValue], _ actual: [JSONValue], _ tracker: inout RuleTracker, into mismatches: inout [Mismatch]) {
        guard let first = expected.first else { return }
        let count = max(expected.count, actual.count)
        for index in 0..<count {
            if stopAtFirst && !mismatches.isEmpty { return }
            let example = index < expected.count ? expected[index] : first
            if index < actual.count {
                tracker.push(.index(index))
                compare(example, actual[index], &tracker, into: &mismatches)
                tracker.pop()
            } else if !tracker.hasRules(atChild: .index(index)) {
                mismatches.append(mismatch(tracker.path, .array(expected), .array(actual), "Expected \(ValueText.plain(example)) (\(index)) but was missing"))
            }
        }
    }

    private func checkArrayContains(_ variants: [ArrayContainsVariant], expected: [JSONValue], actual: [JSONValue], _ tracker: inout RuleTracker, into mismatches: inout [Mismatch]) {
        let effective = variants.isEmpty ? expected.indices.map { ArrayContainsVariant(index: $0, rules: RuleCategory()) } : variants
        for variant in effective {
            guard variant.index < expected.count else {
                mismatches.append(mismatch(tracker.path, .array(expected), .array(actual),
                    "ArrayContains: variant \(variant.index) is missing from the expected list, which has \(expected.count) items"))
                continue
            }
            let example = expected[variant.index]
            let variantMatcher = JSONBodyMatcher(rules: RuleResolver(variant.rules), allowUnexpectedKeys: true)
            let found = actual.contains { candidate in variantMatcher.compare(expected: example, actual: candidate).isEmpty }
            if !found {
                mismatches.append(mismatch(tracker.path, example, .array(actual),
                    "Variant at index \(variant.index) (\(JSONWriter.string(example, style: .compactSorted))) was not found in the actual list"))
            }
        }
    }

    /// Size bounds of type rules, checked only where the rule is defined (not where it cascades).
    private func checkCollectionSize(_ rule: MatchingRule, count: Int, shown: @autoclosure () -> String, cascaded: Bool) -> String? {
        guard !cascaded else { return nil }
        switch rule {
        case .minType(let min) where count < min, .minMaxType(let min, _) where count < min:
            return "Expected \(shown()) (size \(count)) to have minimum size of \(min)"
        case .maxType(let max) where count > max, .minMaxType(_, let max) where count > max:
            return "Expected \(shown()) (size \(count)) to have maximum size of \(max)"
        default:
            return nil
        }
    }

    private func arrayRuleFailure(_ rule: MatchingRule, expected: [JSONValue], actual: [JSONValue], cascaded: Bool) -> String? {
        switch rule {
        case .notEmpty:
            return actual.isEmpty ? "Expected [] (Array) to not be empty" : nil
        case .equality:
            return expected == actual ? nil : "Expected \(ValueText.list(actual)) to be equal to \(ValueText.list(expected))"
        case .regex, .include, .integer, .decimal, .number, .boolean, .null, .date, .time, .timestamp, .semver, .contentType, .statusCode:
            // Scalar rules on an array apply to its items, which the item comparison checks.
            return nil
        default:
            return ValueRules.check(rule, expected: .array(expected), actual: .array(actual), cascaded: cascaded)
        }
    }

    private func mismatch(_ path: DocumentPath, _ expected: JSONValue, _ actual: JSONValue, _ message: String) -> Mismatch {
        Mismatch(kind: .body, path: path.description, expected: ValueText.plain(expected), actual: ValueText.plain(actual), message: message)
    }
}
