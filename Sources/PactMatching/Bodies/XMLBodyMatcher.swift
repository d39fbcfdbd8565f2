import PactModel

/// Compares XML bodies element by element: names, attributes (`@name`), text (`#text`) and children, under body rules.
///
/// Paths follow Pact's XML convention: `$.root.child` for elements, `$.root['@id']` for attributes and
/// `$.root.child['#text']` for text. A type rule on an element path makes every actual element of that name
/// match the first example, like `eachLike` for JSON. Rule paths carry no index (as in pact-reference), so
/// `$.root.item['@id']` applies to every `<item>`; mismatch paths show the index of repeated elements.
struct XMLBodyMatcher {
    var rules: RuleResolver
    var allowUnexpectedKeys: Bool

    func compare(expected: XMLElementNode, actual: XMLElementNode) -> [Mismatch] {
        var mismatches: [Mismatch] = []
        let path = DocumentPath.root.appending(field: expected.name)
        if expected.name != actual.name {
            mismatches.append(Mismatch(kind: .body, path: "$", expected: expected.name, actual: actual.name,
                                       message: "Expected element <\(expected.name)> but received <\(actual.name)>"))
            return mismatches
        }
        compareElement(expected, actual, at: path, into: &mismatches)
        return mismatches
    }

    private func compareElement(_ expected: XMLElementNode, _ actual: XMLElementNode, at path: DocumentPath, into mismatches: inout [Mismatch]) {
        compareAttributes(expected, actual, at: path, into: &mismatches)
        compareText(expected, actual, at: path, into: &mismatches)
        compareChildren(expected, actual, at: path, into: &mismatches)
    }

    private func compareAttributes(_ expected: XMLElementNode, _ actual: XMLElementNode, at path: DocumentPath, into mismatches: inout [Mismatch]) {
        let expectedAttributes = expected.attributes.filter { !Self.isNamespaceDeclaration($0.name) }
        let actualAttributes = actual.attributes.filter { !Self.isNamespaceDeclaration($0.name) }
        for attribute in expectedAttributes {
            let attributePath = path.appending(field: "@" + attribute.name)
            guard let value = actualAttributes.first(where: { $0.name == attribute.name })?.value else {
                mismatches.append(Mismatch(kind: .body, path: attributePath.description, expected: attribute.value, actual: nil,
                                           message: "Expected attribute '\(attribute.name)' but was missing"))
                continue
            }
            compareString(attribute.value, value, at: attributePath, what: "attribute '\(attribute.name)'", into: &mismatches)
        }
        if !allowUnexpectedKeys {
            for attribute in actualAttributes where !expectedAttributes.contains(where: { $0.name == attribute.name }) {
                mismatches.append(Mismatch(kind: .body, path: path.appending(field: "@" + attribute.name).description, expected: nil,
                                           actual: attribute.value, message: "Did not expect attribute '\(attribute.name)' on <\(actual.name)>"))
            }
        }
    }

    private func compareText(_ expected: XMLElementNode, _ actual: XMLElementNode, at path: DocumentPath, into mismatches: inout [Mismatch]) {
        let expectedText = expected.text
        let actualText = actual.text
        let textPath = path.appending(field: "#text")
        if expectedText.isEmpty && actualText.isEmpty { return }
        if expectedText.isEmpty && !rules.hasRules(at: Self.rulePath(textPath)) {
            // The example has no text; actual text is only a problem when children were expected instead.
            if !expected.elements.isEmpty { return }
        }
        compareString(expectedText, actualText, at: textPath, what: "text", into: &mismatches)
    }

    private func compareString(_ expected: String, _ actual: String, at path: DocumentPath, what: String, into mismatches: inout [Mismatch]) {
        if let resolved = rules.bestRules(at: Self.rulePath(path)) {
            let failures = resolved.list.rules.compactMap {
                ValueRules.check($0, expected: .string(expected), actual: .string(actual), cascaded: resolved.cascaded, coerceStrings: true)
            }
            if JSONBodyMatcher.failed(failures, of: resolved.list) {
                for message in failures {
                    mismatches.append(Mismatch(kind: .body, path: path.description, expected: expected, actual: actual, message: message))
                }
            }
        } else if expected != actual {
            mismatches.append(Mismatch(kind: .body, path: path.description, expected: expected, actual: actual,
                                       message: "Expected \(what) '\(expected)' but received '\(actual)'"))
        }
    }

    private func compareChildren(_ expected: XMLElementNode, _ actual: XMLElementNode, at path: DocumentPath, into mismatches: inout [Mismatch]) {
        var names: [String] = []
        for child in expected.elements where !names.contains(child.name) { names.append(child.name) }
        for name in names {
            let examples = expected.elements.filter { $0.name == name }
            let received = actual.elements.filter { $0.name == name }
            let childPath = path.appending(field: name)
            let resolved = rules.bestRules(at: Self.rulePath(childPath))
            let typeRules = resolved?.list.rules.filter(\.isTypeRule) ?? []
            if !typeRules.isEmpty, let first = examples.first {
                if resolved?.cascaded == false {
                    for rule in typeRules {
                        if let failure = sizeFailure(rule, count: received.count, name: name) {
                            mismatches.append(Mismatch(kind: .body, path: childPath.description, expected: "\(examples.count)",
                                                       actual: "\(received.count)", message: failure))
                        }
                    }
                }
                let sizeChecked = typeRules.contains { rule in
                    switch rule {
                    // A direct minimum is checked (and reported) by the size check above.
                    case .minType, .minMaxType: return resolved?.cascaded == false
                    default: return false
                    }
                }
                if received.isEmpty && !sizeChecked {
                    mismatches.append(Mismatch(kind: .body, path: childPath.description, expected: "<\(name)/>", actual: nil,
                                               message: "Expected child <\(name)/> but was missing"))
                }
                for (index, element) in received.enumerated() {
                    let example = index < examples.count ? examples[index] : first
                    compareElement(example, element, at: received.count > 1 ? childPath.appending(index: index) : childPath, into: &mismatches)
                }
                continue
            }
            for (index, example) in examples.enumerated() {
                let elementPath = examples.count > 1 ? childPath.appending(index: index) : childPath
                guard index < received.count else {
                    mismatches.append(Mismatch(kind: .body, path: elementPath.description, expected: "<\(name)/>", actual: nil,
                                               message: "Expected child <\(name)/> but was missing"))
                    continue
                }
                compareElement(example, received[index], at: elementPath, into: &mismatches)
            }
            // More repeated elements than the example are unexpected items: refused in requests, allowed in
            // responses, like unexpected keys.
            if received.count > examples.count && !allowUnexpectedKeys {
                mismatches.append(Mismatch(kind: .body, path: childPath.description, expected: "\(examples.count)", actual: "\(received.count)",
                                           message: "Expected \(examples.count) <\(name)> child element(s) but received \(received.count)"))
            }
        }
        if !allowUnexpectedKeys {
            for child in actual.elements where !names.contains(child.name) {
                mismatches.append(Mismatch(kind: .body, path: path.appending(field: child.name).description, expected: nil, actual: "<\(child.name)/>",
                                           message: "Unexpected child <\(child.name)/> in <\(actual.name)>"))
            }
        }
    }

    private func sizeFailure(_ rule: MatchingRule, count: Int, name: String) -> String? {
        switch rule {
        case .minType(let min) where count < min, .minMaxType(let min, _) where count < min:
            return "Expected at least \(min) <\(name)> element(s) but received \(count)"
        case .maxType(let max) where count > max, .minMaxType(_, let max) where count > max:
            return "Expected at most \(max) <\(name)> element(s) but received \(count)"
        default:
            return nil
        }
    }

    /// The path rules are looked up at: the element path without the indices of repeated elements.
    private static func rulePath(_ path: DocumentPath) -> DocumentPath {
        DocumentPath(segments: path.segments.filter { if case .index = $0 { return false } else { return true } })
    }

    private static func isNamespaceDeclaration(_ name: String) -> Bool {
        name == "xmlns" || name.hasPrefix("xmlns:")
    }
}
