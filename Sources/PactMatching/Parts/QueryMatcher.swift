import Foundation
import PactModel

/// Compares query parameters: every expected parameter must be present with matching values, and no others may appear.
public enum QueryMatcher {
    /// Compares an expected request's query with an actual one under the `query` rules.
    public static func compare(expected: HTTPRequest, actual: HTTPRequest) -> [Mismatch] {
        if let raw = expected.rawQuery {
            // V1 pacts compare the query string as written: the same parameters in the same order, each name and
            // value compared after percent-decoding (`a=b%3Dc` is `a=b=c`).
            let received = actual.rawQuery ?? actual.query.encoded
            return pieces(raw) == pieces(received) ? [] : [Mismatch(kind: .query, path: "", expected: raw, actual: received,
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

    /// The `&`-separated pieces of a query string in order (empty ones kept), each split at its first `=` and
    /// percent-decoded.
    private static func pieces(_ query: String) -> [[String]] {
        query.split(separator: "&", omittingEmptySubsequences: false).map { piece in
            piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { part in
                String(part).removingPercentEncoding ?? String(part)
            }
        }
    }
}
