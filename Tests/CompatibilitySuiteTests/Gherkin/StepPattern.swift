// A tiny Cucumber-expression matcher for test step definitions.

import Foundation

/// A step pattern in Cucumber-expression style: {string} matches "..." (double-quoted, with \" escapes) or '...' and yields the unescaped content; {int} matches an optionally signed integer; {word} a non-space run; "a(n)" style optional text in parentheses; everything else literal. The whole step text must match.
///
/// Also supported: {float} (a decimal number), {} (any text, possibly empty) and `\` to escape `(`, `{` or `\` in the
/// expression; an unknown `{name}` is matched literally.
struct StepPattern: Sendable {
    /// One piece of a compiled expression.
    private enum Token: Sendable {
        case literal([Character])
        case optional([Character])
        case string, int, float, word, any
    }

    /// The expression text this pattern was built from.
    let expression: String
    private let tokens: [Token]

    /// Compiles a Cucumber-style expression.
    init(_ expression: String) {
        self.expression = expression
        var tokens: [Token] = []
        var literal: [Character] = []
        var characters = Array(expression)[...]
        /// Moves any pending literal text into the token list.
        func flush() {
            if !literal.isEmpty { tokens.append(.literal(literal)); literal = [] }
        }
        while let character = characters.popFirst() {
            switch character {
            case "\\":
                literal.append(characters.popFirst() ?? "\\")
            case "(" where characters.contains(")"):
                let end = characters.firstIndex(of: ")")!
                flush()
                tokens.append(.optional(Array(characters[..<end])))
                characters = characters[(end + 1)...]
            case "{" where characters.contains("}"):
                let end = characters.firstIndex(of: "}")!
                let kinds: [String: Token] = ["string": .string, "int": .int, "float": .float, "word": .word, "": .any]
                guard let kind = kinds[String(characters[..<end])] else { literal.append(character); continue }
                flush()
                tokens.append(kind)
                characters = characters[(end + 1)...]
            default:
                literal.append(character)
            }
        }
        flush()
        self.tokens = tokens
    }

    /// Matches the whole of `text`, returning the captured argument strings in order, or nil when it does not match.
    func match(_ text: String) -> [String]? {
        match(tokens[...], Array(text)[...])
    }

    /// Matches the remaining tokens against the remaining text, backtracking over variable-length captures.
    private func match(_ tokens: ArraySlice<Token>, _ text: ArraySlice<Character>) -> [String]? {
        guard let token = tokens.first else { return text.isEmpty ? [] : nil }
        let rest = tokens.dropFirst()
        /// Tries each candidate capture length in order and returns the first complete match.
        func attempt(_ lengths: [Int], capture: (ArraySlice<Character>) -> String? = { String($0) }) -> [String]? {
            for length in lengths {
                let piece = text.prefix(length)
                guard let value = capture(piece), let tail = match(rest, text.dropFirst(length)) else { continue }
                return [value] + tail
            }
            return nil
        }
        switch token {
        case .literal(let literal):
            return text.starts(with: literal) ? match(rest, text.dropFirst(literal.count)) : nil
        case .optional(let optional):
            if text.starts(with: optional), let result = match(rest, text.dropFirst(optional.count)) { return result }
            return match(rest, text)
        case .string:
            guard let quote = text.first, quote == "\"" || quote == "'" else { return nil }
            var index = text.index(after: text.startIndex)
            while index < text.endIndex, text[index] != quote {
                index += text[index] == "\\" ? 2 : 1
            }
            guard index < text.endIndex else { return nil }
            let body = String(text[(text.startIndex + 1)..<index])
            let value = body.replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\'", with: "'")
            return match(rest, text[(index + 1)...]).map { [value] + $0 }
        case .int:
            let sign = text.first == "-" || text.first == "+" ? 1 : 0
            let digits = text.dropFirst(sign).prefix { $0.isASCII && $0.isNumber }.count
            guard digits > 0 else { return nil }
            return attempt(Array(stride(from: sign + digits, to: sign, by: -1)))
        case .float:
            let run = text.prefix { $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }.count
            return attempt(Array(stride(from: run, to: 0, by: -1))) { Double(String($0)) == nil ? nil : String($0) }
        case .word:
            let run = text.prefix { !$0.isWhitespace }.count
            return attempt(Array(stride(from: run, to: 0, by: -1)))
        case .any:
            return attempt(Array(stride(from: text.count, through: 0, by: -1)))
        }
    }
}
