/// A matching-rule or generator path such as `$.a.b[*].c`, `$['x y']` or `$.*`.
public struct PathExpression: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path expression.
    public enum Token: Sendable, Hashable {
        /// The document root, `$`.
        case root
        /// A named field.
        case field(String)
        /// An array index.
        case index(Int)
        /// `*`: any field or index.
        case star
        /// `[*]`: any array index.
        case starIndex
    }

    /// The steps of the path.
    public let tokens: [Token]

    /// Creates a path from tokens.
    public init(tokens: [Token]) {
        self.tokens = tokens
    }

    /// The root path `$`.
    public static let root = PathExpression(tokens: [.root])

    /// Parses an expression; a bare name without `$` (as used for headers and query parameters) becomes one field.
    public init(parsing text: String) throws(PathExpressionError) {
        tokens = try PathExpressionParser.parse(text)
    }

    /// The canonical text of the path.
    public var description: String {
        var text = ""
        for token in tokens {
            switch token {
            case .root: text += "$"
            case .field(let name): text += text.isEmpty ? name : PathExpression.renderField(name)
            case .index(let position): text += "[\(position)]"
            case .star: text += ".*"
            case .starIndex: text += "[*]"
            }
        }
        return text
    }

    /// The first field name in the path, used for header and query rule keys.
    public var firstField: String? {
        for token in tokens { if case .field(let name) = token { return name } }
        return nil
    }

    /// Appends a field.
    public func appending(field name: String) -> PathExpression {
        PathExpression(tokens: tokens + [.field(name)])
    }

    /// Appends an index.
    public func appending(index: Int) -> PathExpression {
        PathExpression(tokens: tokens + [.index(index)])
    }

    /// Appends `*`.
    public func appendingStar() -> PathExpression {
        PathExpression(tokens: tokens + [.star])
    }

    /// Renders a field name the way Pact paths write it: `.name` for identifiers, `['x y']` otherwise.
    public static func renderField(_ name: String) -> String {
        if isIdentifier(name) { return "." + name }
        var escaped = ""
        for scalar in name.unicodeScalars {
            if scalar == "'" || scalar == "\\" { escaped.unicodeScalars.append("\\") }
            escaped.unicodeScalars.append(scalar)
        }
        return "['" + escaped + "']"
    }

    static func isIdentifier(_ name: String) -> Bool {
        var ascii = true
        var valid = !name.isEmpty
        for (offset, byte) in name.utf8.enumerated() {
            if byte >= 0x80 { ascii = false; break }
            let letter = (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95
            let digit = byte >= 48 && byte <= 57
            if !(letter || (digit && offset > 0)) { valid = false }
        }
        if ascii { return valid }
        guard let first = name.unicodeScalars.first else { return false }
        guard first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    /// How well this expression matches a concrete path: zero for no match, higher for a more specific match.
    ///
    /// Exact steps score 2 and wildcards 1; the scores multiply. The second value is the expression's
    /// length, so a rule for a parent still applies to its children (it cascades) but loses to a deeper rule.
    public func weight(for path: DocumentPath) -> (score: Int, length: Int) {
        let segments = path.segments
        guard segments.count >= tokens.count else { return (0, tokens.count) }
        var score = 1
        var index = 0
        while index < tokens.count {
            // Saturate instead of overflowing: paths deeper than 62 steps all weigh the same.
            let factor = PathExpression.score(tokens[index], segments[index])
            if factor == 0 { return (0, tokens.count) }
            let (product, overflow) = score.multipliedReportingOverflow(by: factor)
            score = overflow ? Int.max / 1024 : product
            index += 1
        }
        return (score, tokens.count)
    }

    /// True when the expression matches the path or one of its ancestors.
    public func matches(_ path: DocumentPath) -> Bool {
        weight(for: path).score > 0
    }

    /// True when the expression matches exactly this path (not an ancestor).
    public func matchesExactly(_ path: DocumentPath) -> Bool {
        tokens.count == path.segments.count && matches(path)
    }

    private static func score(_ token: Token, _ segment: DocumentPath.Segment) -> Int {
        switch (token, segment) {
        case (.root, .root): return 2
        case (.field(let name), .field(let key)): return name == key ? 2 : 0
        case (.field(let name), .index(let position)): return name == String(position) ? 2 : 0
        case (.index(let position), .index(let other)): return position == other ? 2 : 0
        case (.index(let position), .field(let key)): return key == String(position) ? 2 : 0
        case (.starIndex, .index): return 1
        case (.starIndex, .field(let key)): return Int(key) != nil ? 1 : 0
        case (.star, .root): return 0
        case (.star, _): return 1
        default: return 0
        }
    }
}

/// Why a path expression could not be parsed.
public struct PathExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The expression as given.
    public let expression: String
    /// What is wrong and where.
    public let reason: String

    /// A one-line message.
    public var description: String { "invalid path expression '\(expression)': \(reason)" }
}

enum PathExpressionParser {
    static func parse(_ text: String) throws(PathExpressionError) -> [PathExpression.Token] {
        // Scalars, not Characters: a quote or dot followed by a combining mark must stay a delimiter.
        let characters = Array(text.unicodeScalars)
        guard !characters.isEmpty else { throw PathExpressionError(expression: text, reason: "it is empty") }
        if characters[0] != "$" {
            // Header and query rules are keyed by plain names, which may contain any character.
            return [.field(text)]
        }
        var tokens: [PathExpression.Token] = [.root]
        var index = 1
        func fail(_ reason: String) -> PathExpressionError {
            PathExpressionError(expression: text, reason: "\(reason) at index \(index)")
        }
        while index < characters.count {
            let character = characters[index]
            if character == "." {
                index += 1
                guard index < characters.count else { throw fail("expected a name or '*' after '.'") }
                if characters[index] == "*" {
                    tokens.append(.star)
                    index += 1
                    continue
                }
                var name = ""
                while index < characters.count, characters[index] != ".", characters[index] != "[" {
                    let part = characters[index]
                    guard isNameCharacter(part) else { throw fail("'\(part)' is not allowed in a name") }
                    name.unicodeScalars.append(part)
                    index += 1
                }
                guard !name.isEmpty else { throw fail("expected a name or '*' after '.'") }
                tokens.append(.field(name))
            } else if character == "[" {
                index += 1
                guard index < characters.count else { throw fail("unterminated '['") }
                if characters[index] == "'" || characters[index] == "\"" {
                    let quote = characters[index]
                    index += 1
                    var name = ""
                    var closed = false
                    while index < characters.count {
                        let part = characters[index]
                        if part == "\\", index + 1 < characters.count {
                            name.unicodeScalars.append(characters[index + 1])
                            index += 2
                            continue
                        }
                        if part == quote {
                            closed = true
                            index += 1
                            break
                        }
                        name.unicodeScalars.append(part)
                        index += 1
                    }
                    guard closed else { throw fail("unterminated quoted name") }
                    guard index < characters.count, characters[index] == "]" else { throw fail("expected ']' after a quoted name") }
                    index += 1
                    tokens.append(.field(name))
                } else if characters[index] == "*" {
                    index += 1
                    guard index < characters.count, characters[index] == "]" else { throw fail("expected ']' after '[*'") }
                    index += 1
                    tokens.append(.starIndex)
                } else {
                    var digits = ""
                    while index < characters.count, ("0"..."9").contains(characters[index]) {
                        digits.unicodeScalars.append(characters[index])
                        index += 1
                    }
                    guard !digits.isEmpty, let position = Int(digits) else { throw fail("expected an index, '*' or a quoted name inside '[]'") }
                    guard index < characters.count, characters[index] == "]" else { throw fail("expected ']' after an index") }
                    index += 1
                    tokens.append(.index(position))
                }
            } else {
                throw fail("expected '.' or '['")
            }
        }
        return tokens
    }

    static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: break
        }
        let character = Character(scalar)
        return character.isLetter || character.isNumber || "_-:#@$".unicodeScalars.contains(scalar)
    }
}
