import PactModel

/// Compares query parameters: every expected parameter must be present with matching values, and no others may appear.
public enum QueryMatcher {
    /// Compares an expected request's query with an actual one under the `query` rules.
    public static func compare(expected: HTTPRequest, actual: HTTPRequest) -> [Mismatch] {
        if let raw = expected.rawQuery {
            // V1 pacts compare the query string exactly as written.
            let received = actual.rawQuery ?? actual.query.encoded
            return raw == received ? [] : [Mismatch(kind: .query, path: "", expected: raw, actual: received,
                                                     message: "Expected query string '\(raw)' but received '\(received)'")]
        }
        let resolver = RuleResolver(expected.matchingRules["query"])
        var mismatches: [Mismatch] = []
        for entry in expected.query {
            guard let values = actual.query[entry.name] else {
                mismatches.append(Mismatch(kind: .query, path: entry.name, expected: entry.values.compactMap { $0 }.joined(separator: ", "),
                                           actual: nil, message: "Expected query parameter '\(entry.name)' but was missing"))
                continue
            }
            ValueListMatcher.compare(entry.values, values, name: entry.name, noun: "query parameter", path: .named(entry.name),
                                     rules: resolver, kind: .query, into: &mismatches)
        }
        for entry in actual.query where expected.query[entry.name] == nil {
            mismatches.append(Mismatch(kind: .query, path: entry.name, expected: nil, actual: entry.values.compactMap { $0 }.joined(separator: ", "),
                                       message: "Unexpected query parameter '\(entry.name)' received"))
        }
        return mismatches
    }
}
