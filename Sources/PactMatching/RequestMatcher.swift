import PactModel

/// Matches requests and responses with the one engine: method, path, query, headers, status and body.
public enum RequestMatcher {
    /// Every mismatch between an expected request and a received one (empty when they match).
    public static func compare(expected: HTTPRequest, actual: HTTPRequest) -> [Mismatch] {
        var mismatches = RequestLineMatcher.compareMethod(expected: expected.method, actual: actual.method)
        mismatches += RequestLineMatcher.comparePath(expected: expected.path, actual: actual.path, rules: expected.matchingRules["path"])
        mismatches += QueryMatcher.compare(expected: expected, actual: actual)
        mismatches += HeaderMatcher.compare(expected: expected.headers, actual: actual.headers, rules: expected.matchingRules["header"])
        mismatches += BodyMatcher.compare(expected: expected.body, expectedType: expected.contentType, actual: actual.body,
                                          actualType: actual.contentType, rules: expected.matchingRules.body, allowUnexpectedKeys: false)
        return mismatches
    }

    /// True when a received request satisfies the expected one; it stops at the first difference, so it is the quick
    /// test for choosing among many interactions, with `compare` giving the full list for the closest one.
    public static func matches(expected: HTTPRequest, actual: HTTPRequest) -> Bool {
        guard expected.method.count == actual.method.count, RequestLineMatcher.compareMethod(expected: expected.method, actual: actual.method).isEmpty,
              RequestLineMatcher.comparePath(expected: expected.path, actual: actual.path, rules: expected.matchingRules["path"]).isEmpty,
              QueryMatcher.compare(expected: expected, actual: actual).isEmpty,
              HeaderMatcher.compare(expected: expected.headers, actual: actual.headers, rules: expected.matchingRules["header"]).isEmpty else {
            return false
        }
        return BodyMatcher.compare(expected: expected.body, expectedType: expected.contentType, actual: actual.body, actualType: actual.contentType,
                                   rules: expected.matchingRules.body, allowUnexpectedKeys: false, stopAtFirst: true).isEmpty
    }

    /// Every mismatch between an expected response and a received one (empty when they match).
    public static func compare(expected: HTTPResponse, actual: HTTPResponse) -> [Mismatch] {
        var mismatches = RequestLineMatcher.compareStatus(expected: expected.status, actual: actual.status, rules: expected.matchingRules["status"])
        mismatches += HeaderMatcher.compare(expected: expected.headers, actual: actual.headers, rules: expected.matchingRules["header"])
        mismatches += BodyMatcher.compare(expected: expected.body, expectedType: expected.contentType, actual: actual.body,
                                          actualType: actual.contentType, rules: expected.matchingRules.body, allowUnexpectedKeys: true)
        return mismatches
    }

    /// Every mismatch between an expected message and a received one: contents and metadata.
    public static func compare(expected: MessageContents, actual: MessageContents) -> [Mismatch] {
        var mismatches: [Mismatch] = []
        let metadataRules = RuleResolver(expected.matchingRules["metadata"])
        for (key, value) in expected.metadata {
            guard let received = actual.metadata[key] ?? (isContentTypeKey(key) ? contentTypeValue(actual.metadata) : nil) else {
                mismatches.append(Mismatch(kind: .metadata, path: key, expected: value.plainText, actual: nil,
                                           message: "Expected message metadata '\(key)' but was missing"))
                continue
            }
            if let resolved = metadataRules.bestRules(at: .named(key)) {
                let failures = resolved.list.rules.compactMap { ValueRules.check($0, expected: value, actual: received, cascaded: false, coerceStrings: true) }
                if JSONBodyMatcher.failed(failures, of: resolved.list) {
                    for message in failures {
                        mismatches.append(Mismatch(kind: .metadata, path: key, expected: value.plainText, actual: received.plainText, message: message))
                    }
                }
            } else if isContentTypeKey(key) {
                if !HeaderMatcher.parameterisedValuesMatch(value.plainText, received.plainText) {
                    mismatches.append(Mismatch(kind: .metadata, path: key, expected: value.plainText, actual: received.plainText,
                                               message: "Expected message metadata '\(key)' to have value '\(value.plainText)' but was '\(received.plainText)'"))
                }
            } else if value != received {
                mismatches.append(Mismatch(kind: .metadata, path: key, expected: value.plainText, actual: received.plainText,
                                           message: "Expected message metadata '\(key)' to have value \(ValueText.quoted(value)) but was \(ValueText.quoted(received))"))
            }
        }
        let expectedType = metadataContentType(expected)
        let actualType = metadataContentType(actual)
        mismatches += BodyMatcher.compare(expected: expected.contents, expectedType: expectedType, actual: actual.contents,
                                          actualType: actualType ?? expectedType, rules: expected.matchingRules.body, allowUnexpectedKeys: true)
        return mismatches
    }

    private static func metadataContentType(_ message: MessageContents) -> ContentType? {
        contentTypeValue(message.metadata)?.stringValue.flatMap(ContentType.init) ?? message.contents.contentType
    }

    /// `contentType` or `content-type` in any case: the metadata key that names the contents' media type.
    public static func isContentTypeKey(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return lowered == "contenttype" || lowered == "content-type"
    }

    private static func contentTypeValue(_ metadata: JSONObject) -> JSONValue? {
        metadata.first { isContentTypeKey($0.key) }?.value
    }
}
