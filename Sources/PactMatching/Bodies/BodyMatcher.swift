import PactModel

/// Compares bodies of any content type: it checks the content type, then hands over to the matcher for that type.
public enum BodyMatcher {
    /// The JSON document inside a body: for the Kafka schema registry's wire format
    /// (`application/vnd.schemaregistry.v1+json`), the bytes after the magic byte 0 and the 4-byte schema ID.
    static func jsonPayload(_ bytes: [UInt8], type: ContentType) -> ArraySlice<UInt8> {
        if type.essence == "application/vnd.schemaregistry.v1+json", bytes.count > 5, bytes[0] == 0 {
            return bytes[5...]
        }
        return bytes[...]
    }

    /// Compares an expected body with an actual one.
    ///
    /// - Parameters:
    ///   - expectedType: the expected content type (from headers or the body); nil means detect it.
    ///   - actualType: the actual content type; nil means detect it.
    ///   - rules: the body rules.
    ///   - allowUnexpectedKeys: true for responses and messages, false for requests.
    ///   - stopAtFirst: stop at the first difference when only a yes or no is needed.
    public static func compare(expected: Body, expectedType: ContentType?, actual: Body, actualType: ContentType?,
                               rules: RuleCategory, allowUnexpectedKeys: Bool, stopAtFirst: Bool = false) -> [Mismatch] {
        let resolver = RuleResolver(rules)
        switch expected.state {
        case .missing:
            return []
        case .null:
            if actual.hasContent, actual.text?.trimmingCharacters(in: .whitespacesAndNewlines) != "null" {
                return [Mismatch(kind: .body, path: "$", expected: "null", actual: preview(actual), message: "Expected a null body but received \(preview(actual))")]
            }
            return []
        case .present:
            break
        }
        if !expected.hasContent {
            if actual.hasContent && !resolver.hasRules(at: .root) && !allowUnexpectedKeys {
                return [Mismatch(kind: .body, path: "$", expected: "", actual: preview(actual), message: "Expected an empty body but received \(preview(actual))")]
            }
            return []
        }
        if !actual.hasContent && !resolver.hasRules(at: .root) {
            return [Mismatch(kind: .body, path: "$", expected: preview(expected), actual: nil,
                             message: "Expected body \(preview(expected)) but the actual body was empty")]
        }
        // A wildcard type such as */* names no format, so the body is read by what it holds.
        let wanted = [expectedType, expected.contentType].compactMap { $0 }.first { !$0.isWildcard } ?? Body.detect(expected.bytes)
        let received = [actualType, actual.contentType].compactMap { $0 }.first { !$0.isWildcard }
            ?? (actual.hasContent ? Body.detect(actual.bytes) : wanted)
        let hasContentTypeRule = resolver.directRules(at: .root).contains { if case .contentType = $0 { return true } else { return false } }
        if !hasContentTypeRule, actual.hasContent, !compatible(wanted, received) {
            return [Mismatch(kind: .bodyType, path: "$", expected: wanted.essence, actual: received.essence,
                             message: "Expected a body of '\(wanted.essence)' but the actual content type was '\(received.essence)'")]
        }
        if wanted.isJSON, let expectedJSON = expected.json ?? parseJSON(jsonPayload(expected.bytes, type: wanted)) {
            guard let actualJSON = actual.json ?? parseJSON(jsonPayload(actual.bytes, type: received)) else {
                let reason = parseFailure(actual.bytes)
                return [Mismatch(kind: .body, path: "$", expected: preview(expected), actual: preview(actual),
                                 message: "Failed to parse the actual body as JSON: \(reason)")]
            }
            return JSONBodyMatcher(rules: resolver, allowUnexpectedKeys: allowUnexpectedKeys, stopAtFirst: stopAtFirst)
                .compare(expected: expectedJSON, actual: actualJSON)
        }
        if wanted.isXML {
            let expectedRoot: XMLElementNode
            do { expectedRoot = try XMLBodyParser.parse(expected.bytes) } catch {
                return [Mismatch(kind: .body, path: "$", message: "Failed to parse the expected body as XML: \(error.description)")]
            }
            let actualRoot: XMLElementNode
            do { actualRoot = try XMLBodyParser.parse(actual.bytes) } catch {
                return [Mismatch(kind: .body, path: "$", expected: preview(expected), actual: preview(actual),
                                 message: "Failed to parse the actual body as XML: \(error.description)")]
            }
            return XMLBodyMatcher(rules: resolver, allowUnexpectedKeys: allowUnexpectedKeys).compare(expected: expectedRoot, actual: actualRoot)
        }
        if wanted.isForm {
            return FormBodyMatcher(rules: resolver, allowUnexpectedKeys: allowUnexpectedKeys)
                .compare(expected: QueryParameters(parsing: expected.text ?? ""), actual: QueryParameters(parsing: actual.text ?? ""))
        }
        if wanted.isMultipart {
            return MultipartBodyMatcher(rules: resolver, allowUnexpectedKeys: allowUnexpectedKeys)
                .compare(expected: expected, expectedType: wanted, actual: actual, actualType: received)
        }
        if wanted.isText, let expectedText = expected.text {
            return compareText(expectedText, actual.text, rules: resolver, actual: actual)
        }
        return compareBinary(expected.bytes, actual.bytes, rules: resolver, expectedType: wanted, actualType: received)
    }

    /// Same essence, or both JSON, or both XML, counts as compatible.
    static func compatible(_ lhs: ContentType, _ rhs: ContentType) -> Bool {
        lhs.essence == rhs.essence || (lhs.isJSON && rhs.isJSON) || (lhs.isXML && rhs.isXML)
            || (lhs.essence == "text/plain" && rhs.isText) || (rhs.essence == "text/plain" && lhs.isText && !lhs.isJSON && !lhs.isXML)
    }

    private static func compareText(_ expected: String, _ actualText: String?, rules: RuleResolver, actual: Body) -> [Mismatch] {
        let text = actualText ?? ""
        if let resolved = rules.bestRules(at: .root) {
            let failures = resolved.list.rules.compactMap {
                ValueRules.check($0, expected: .string(expected), actual: .string(text), cascaded: false, coerceStrings: true)
            }
            guard JSONBodyMatcher.failed(failures, of: resolved.list) else { return [] }
            return failures.map { Mismatch(kind: .body, path: "$", expected: expected, actual: text, message: $0) }
        }
        guard actualText == expected else {
            return [Mismatch(kind: .body, path: "$", expected: expected, actual: text,
                             message: "Expected body '\(clip(expected))' to match '\(clip(text))' using equality but did not match")]
        }
        return []
    }

    static func compareBinary(_ expected: [UInt8], _ actual: [UInt8], rules: RuleResolver, expectedType: ContentType, actualType: ContentType) -> [Mismatch] {
        if let resolved = rules.bestRules(at: .root) {
            var failures: [String] = []
            for rule in resolved.list.rules {
                switch rule {
                case .notEmpty:
                    if actual.isEmpty { failures.append("Expected [] (0 bytes) to not be empty") }
                case .contentType(let type):
                    if let failure = ContentTypeRule.check(actual, expected: type) { failures.append(failure) }
                case .equality:
                    if expected != actual { failures.append("Expected binary contents of \(expected.count) bytes to be equal to the actual \(actual.count) bytes") }
                case .type, .minType, .maxType, .minMaxType, .values:
                    break
                default:
                    let text = String(decoding: actual, as: UTF8.self)
                    if let failure = ValueRules.check(rule, expected: .string(""), actual: .string(text), cascaded: false, coerceStrings: true) {
                        failures.append(failure)
                    }
                }
            }
            guard JSONBodyMatcher.failed(failures, of: resolved.list) else { return [] }
            return failures.map { Mismatch(kind: .body, path: "$", expected: "\(expected.count) bytes", actual: "\(actual.count) bytes", message: $0) }
        }
        guard expected == actual else {
            return [Mismatch(kind: .body, path: "$", expected: "\(expected.count) bytes", actual: "\(actual.count) bytes",
                             message: "Actual body \(binarySummary(actual, actualType)) is not equal to the expected body \(binarySummary(expected, expectedType))")]
        }
        return []
    }

    /// `[image/jpeg, 30922 bytes, starting with ffd8ffe0…]`: the type, the size and the first 32 bytes in hex.
    static func binarySummary(_ bytes: [UInt8], _ type: ContentType) -> String {
        let hex = bytes.prefix(32).map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
        return "[\(type.essence), \(bytes.count) bytes, starting with \(hex)]"
    }

    private static func parseJSON(_ bytes: ArraySlice<UInt8>) -> JSONValue? {
        try? JSONParser.parse(Array(bytes))
    }

    private static func parseFailure(_ bytes: [UInt8]) -> String {
        do {
            _ = try JSONParser.parse(bytes)
            return "unknown error"
        } catch {
            return error.description
        }
    }

    static func preview(_ body: Body) -> String {
        guard body.hasContent else { return "''" }
        if let text = body.text { return "'\(clip(text))'" }
        return "[\(body.bytes.count) bytes]"
    }

    static func clip(_ text: String) -> String {
        text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}

import Foundation
