import Foundation

/// A regular expression from a pact, compiled once when the pact is read.
///
/// Values must match the whole expression, as in the Pact specification and Pact-JVM.
public struct PactRegex: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written in the pact.
    public let pattern: String
    private let compiled: CompiledRegex

    /// Compiles an expression; an invalid one throws with the compiler's reason.
    public init(_ pattern: String) throws(PactRegexError) {
        self.pattern = pattern
        do {
            compiled = CompiledRegex(try NSRegularExpression(pattern: "^(?:" + pattern + ")$", options: []))
        } catch {
            throw PactRegexError(pattern: pattern, reason: "is not a valid regular expression")
        }
    }

    /// True when the whole text matches.
    public func matches(_ text: String) -> Bool {
        // The range alone: no match object is made for a yes-or-no answer.
        let range = NSRange(location: 0, length: text.utf16.count)
        return compiled.regex.rangeOfFirstMatch(in: text, options: [], range: range).location != NSNotFound
    }

    /// The first capture group of a whole-text match, if any.
    public func firstGroup(in text: String) -> String? {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        guard let match = compiled.regex.firstMatch(in: text, options: [], range: range), match.numberOfRanges > 1,
              let groupRange = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[groupRange])
    }

    /// The pattern.
    public var description: String { pattern }

    /// Regexes are equal when their patterns are.
    public static func == (lhs: PactRegex, rhs: PactRegex) -> Bool { lhs.pattern == rhs.pattern }

    /// Hashes the pattern.
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }
}

/// Why a regular expression in a pact could not be compiled.
public struct PactRegexError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The expression.
    public let pattern: String
    /// The reason.
    public let reason: String

    /// A one-line message.
    public var description: String { "'\(pattern)' \(reason)" }
}

// NSRegularExpression is immutable after creation and documented as safe to share between threads.
private final class CompiledRegex: @unchecked Sendable {
    let regex: NSRegularExpression
    init(_ regex: NSRegularExpression) { self.regex = regex }
}
