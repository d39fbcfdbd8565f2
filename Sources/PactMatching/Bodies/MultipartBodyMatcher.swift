import PactModel

/// Compares multipart bodies part by part: form-data parts by name, other parts by position.
struct MultipartBodyMatcher {
    var rules: RuleResolver
    var allowUnexpectedKeys: Bool

    func compare(expected: Body, expectedType: ContentType, actual: Body, actualType: ContentType) -> [Mismatch] {
        guard let expectedBoundary = MultipartBodyParser.boundary(fromContentType: expectedType.description) else {
            return [Mismatch(kind: .body, path: "$", message: "The expected multipart content type has no boundary parameter")]
        }
        guard let actualBoundary = MultipartBodyParser.boundary(fromContentType: actualType.description) else {
            return [Mismatch(kind: .body, path: "$", message: "The actual multipart content type '\(actualType)' has no boundary parameter")]
        }
        let expectedParts: [MultipartPart]
        let actualParts: [MultipartPart]
        do { expectedParts = try MultipartBodyParser.parse(expected.bytes, boundary: expectedBoundary) } catch {
            return [Mismatch(kind: .body, path: "$", message: "Failed to parse the expected multipart body: \(error.description)")]
        }
        do { actualParts = try MultipartBodyParser.parse(actual.bytes, boundary: actualBoundary) } catch {
            return [Mismatch(kind: .body, path: "$", message: "Failed to parse the actual multipart body: \(error.description)")]
        }
        var mismatches: [Mismatch] = []
        for (index, part) in expectedParts.enumerated() {
            let label = part.name ?? "\(index)"
            let match: MultipartPart?
            if let name = part.name {
                match = actualParts.first { $0.name == name }
            } else {
                match = index < actualParts.count ? actualParts[index] : nil
            }
            guard let match else {
                mismatches.append(Mismatch(kind: .body, path: "$." + label, message: "Expected a multipart part '\(label)' but was missing"))
                continue
            }
            let partRules = RuleCategory(rules.category.entries.compactMap { entry -> (PathExpression, RuleList)? in
                // Rules for a part are written at `$.name`; inside the part they apply from the root.
                guard entry.path.tokens.count >= 2, case .field(let field) = entry.path.tokens[1], field == label else { return nil }
                return (PathExpression(tokens: [.root] + entry.path.tokens.dropFirst(2)), entry.rules)
            })
            let expectedPartType = part.contentType.flatMap(ContentType.init)
            let actualPartType = match.contentType.flatMap(ContentType.init)
            let partMismatches = BodyMatcher.compare(
                expected: Body(bytes: part.body, contentType: expectedPartType), expectedType: expectedPartType,
                actual: Body(bytes: match.body, contentType: actualPartType), actualType: actualPartType,
                rules: partRules, allowUnexpectedKeys: allowUnexpectedKeys)
            for var item in partMismatches {
                item.path = "$." + label + (item.path == "$" ? "" : String(item.path.dropFirst()))
                item.message = "Part '\(label)': " + item.message
                mismatches.append(item)
            }
        }
        if actualParts.count > expectedParts.count && !allowUnexpectedKeys {
            let names = actualParts.dropFirst(expectedParts.count).map { $0.name ?? "unnamed" }
            mismatches.append(Mismatch(kind: .body, path: "$", message: "Unexpected multipart part(s): \(names.joined(separator: ", "))"))
        }
        return mismatches
    }
}
