import Foundation
import PactMatching
import PactModel

/// Examples made up for matchers called without one; they are deterministic so that pact files do not change between runs.
enum DefaultExamples {
    /// 2024-01-15 10:30:45 UTC, the instant formatted for date and time matchers without an example.
    static let instant = Date(timeIntervalSince1970: 1_705_314_645)

    /// The UUID used when none is given.
    static let uuid = "e2490de5-5bd3-43d5-b7c4-526e33f71304"

    /// The fixed instant in a Java-style format, or nil when the format is invalid (the rule then reports it).
    static func dateTime(format: String) -> String? {
        guard let pattern = try? DateTimePattern(format) else { return nil }
        return pattern.format(instant, timeZone: TimeZone(identifier: "UTC") ?? .current)
    }

    /// The example for a regex matcher: the given one, or one generated from the expression, with a problem when neither exists.
    static func regexExample(_ pattern: String, given: String?) -> (text: String, problems: [String]) {
        if let given { return (given, []) }
        if let generated = string(matching: pattern) { return (generated, []) }
        // An invalid expression is reported by its rule; only a valid one we cannot generate from needs its own message.
        guard (try? PactRegex(pattern)) != nil else { return ("", []) }
        return ("", ["no example was given and none could be generated from the regex '\(pattern)'; pass example:"])
    }

    /// A string generated from the expression with a fixed seed, or nil when the expression cannot be generated from.
    static func string(matching pattern: String) -> String? {
        guard let generator = try? RegexStringGenerator(pattern: pattern) else { return nil }
        // Seeded from the pattern (FNV-1a), so each expression gets its own stable example.
        var seed: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in pattern.utf8 { seed = (seed ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        var random = SeededRandomNumberGenerator(seed: seed)
        let text = generator.generate(using: &random)
        guard let regex = try? PactRegex(pattern), regex.matches(text) else { return nil }
        return text
    }

    /// A regex for the values of a provider-state expression with text around its placeholders (`/accounts/${id}` gives
    /// `/accounts/.+`), or nil when the expression is a single placeholder or has none.
    static func pattern(forExpression expression: String) -> String? {
        var pattern = ""
        var placeholders = 0
        var rest = Substring(expression)
        while let start = rest.range(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}") {
            pattern += escaped(rest[..<start.lowerBound]) + ".+"
            placeholders += 1
            rest = rest[rest.index(after: end)...]
        }
        pattern += escaped(rest)
        guard placeholders > 0, pattern != ".+" else { return nil }
        return pattern
    }

    /// The text with regex metacharacters escaped.
    private static func escaped(_ text: Substring) -> String {
        var result = ""
        for character in text {
            if "\\^$.|?*+()[]{}".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }

    /// `count` characters cycling through `alphabet`.
    static func cycling(_ alphabet: String, count: Int) -> String {
        let characters = Array(alphabet)
        guard !characters.isEmpty, count > 0 else { return "" }
        return String((0..<min(count, 10_000)).map { characters[$0 % characters.count] })
    }

    /// The fixed UUID in a generator format.
    static func uuid(in format: UUIDFormat) -> String {
        switch format {
        case .simple: return uuid.replacingOccurrences(of: "-", with: "")
        case .lowerCaseHyphenated: return uuid
        case .upperCaseHyphenated: return uuid.uppercased()
        case .urn: return "urn:uuid:" + uuid
        }
    }

    /// A regular expression every UUID in the format matches.
    static func uuidPattern(for format: UUIDFormat) -> String {
        let hyphenated = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
        switch format {
        case .simple: return "[0-9a-f]{32}"
        case .lowerCaseHyphenated: return hyphenated
        case .upperCaseHyphenated: return hyphenated.uppercased()
        case .urn: return "urn:uuid:" + hyphenated
        }
    }
}

