import Foundation

/// Produces random strings that match a regular expression, for Pact's Regex generator.
///
/// The pattern is parsed once, in `init(pattern:)`, into a small tree that `generate(using:)` walks.
/// Supported syntax (Java/ICU flavoured, as found in Pact files):
/// - literals, escaped metacharacters (`\.`, `\\`, `\/`, `\-`, `\(` …) and `\Q…\E` quoting;
/// - `\d \D \w \W \s \S`, `\t \n \r \f \e \a`, `\uXXXX` (surrogate pairs combine), `\xHH`, `\x{H…}`, `\0ooo`;
/// - `.`, character classes with ranges, escapes and negation (`[^…]`);
/// - capturing, non-capturing `(?:…)`, atomic `(?>…)`, named `(?<name>…)` groups, comments `(?#…)`,
///   and inline flags such as `(?i)` (ignored, which is safe for generation), except comments mode `x`;
/// - alternation `|`; quantifiers `* + ? {n} {n,} {n,m}` including lazy and possessive forms (treated alike);
/// - anchors and boundaries `^ $ \b \B \A \z \Z \G`, which produce nothing.
///
/// Generated characters are deliberately conservative: `.` and every negated set (`[^…]`, `\D`, `\W`, `\S`)
/// draw from printable ASCII (U+0020–U+007E), `\w` from `[A-Za-z0-9_]`, `\d` from `[0-9]` and `\s` from space
/// and tab. Unbounded quantifiers (`*`, `+`, `{n,}`) repeat at most eight times more than their minimum.
/// Backreferences, lookarounds, Unicode properties (`\p{…}`), nested classes and class intersections are
/// rejected with a `RegexGenerationError`.
public struct RegexStringGenerator: Sendable {
    /// The regular expression this generator produces matching strings for.
    public let pattern: String
    private let root: RegexGenNode

    /// Parses `pattern` once, throwing if it is invalid or uses syntax this generator cannot honour.
    public init(pattern: String) throws(RegexGenerationError) {
        self.pattern = pattern
        var parser = RegexGenParser(pattern: pattern)
        self.root = try parser.parse()
    }

    /// Generates one random string matching the pattern, drawing all randomness from `rng`.
    public func generate<R: RandomNumberGenerator>(using rng: inout R) -> String {
        var output = String.UnicodeScalarView()
        root.emit(into: &output, using: &rng)
        return String(output)
    }

    /// Generates one random string matching the pattern using the system random number generator.
    public func generate() -> String {
        var rng = SystemRandomNumberGenerator()
        return generate(using: &rng)
    }
}

/// Explains why a regular expression could not be turned into a `RegexStringGenerator`.
public struct RegexGenerationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The pattern that was rejected.
    public let pattern: String
    /// What is invalid or unsupported, ending with the zero-based offset (in Unicode scalars) where it was found.
    public let reason: String

    /// Creates an error for `pattern` carrying a human-readable `reason`.
    public init(pattern: String, reason: String) {
        self.pattern = pattern
        self.reason = reason
    }

    /// A message naming the rejected pattern and the problem with it.
    public var description: String {
        "Cannot generate strings for regular expression \"\(pattern)\": \(reason)"
    }
}

// MARK: - Character sets

/// A normalised set of Unicode scalar values stored as sorted, merged, surrogate-free ranges.
private struct RegexGenScalarSet: Sendable {
    static let printableASCII: ClosedRange<UInt32> = 0x20...0x7E
    static let digits = RegexGenScalarSet([0x30...0x39])
    static let word = RegexGenScalarSet([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    static let space = RegexGenScalarSet([0x09...0x09, 0x20...0x20])
    static let dot = RegexGenScalarSet([printableASCII])

    let ranges: [ClosedRange<UInt32>]
    let count: Int

    init(_ raw: [ClosedRange<UInt32>]) {
        var cleaned: [ClosedRange<UInt32>] = []
        for range in raw {
            if range.upperBound < 0xD800 || range.lowerBound > 0xDFFF {
                cleaned.append(range)
                continue
            }
            if range.lowerBound < 0xD800 { cleaned.append(range.lowerBound...0xD7FF) }
            if range.upperBound > 0xDFFF { cleaned.append(0xE000...range.upperBound) }
        }
        cleaned.sort { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        for range in cleaned {
            if let last = merged.last, range.lowerBound <= last.upperBound + 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        ranges = merged
        count = merged.reduce(0) { $0 + Int($1.upperBound - $1.lowerBound) + 1 }
    }

    /// The values of `universe` that are not in this set.
    func complement(within universe: ClosedRange<UInt32> = printableASCII) -> RegexGenScalarSet {
        var result: [ClosedRange<UInt32>] = []
        var next = universe.lowerBound
        for range in ranges where range.upperBound >= next {
            if range.lowerBound > universe.upperBound { break }
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = range.upperBound + 1
            if next > universe.upperBound { return RegexGenScalarSet(result) }
        }
        if next <= universe.upperBound { result.append(next...universe.upperBound) }
        return RegexGenScalarSet(result)
    }

    func randomScalar<R: RandomNumberGenerator>(using rng: inout R) -> Unicode.Scalar {
        var index = Int.random(in: 0..<count, using: &rng)
        for range in ranges {
            let size = Int(range.upperBound - range.lowerBound) + 1
            if index < size { return Unicode.Scalar(range.lowerBound + UInt32(index)) ?? " " }
            index -= size
        }
        return " "
    }
}

// MARK: - Syntax tree

/// A parsed regular expression reduced to what is needed to generate matching text.
private indirect enum RegexGenNode: Sendable {
    case literal(Unicode.Scalar)
    case set(RegexGenScalarSet)
    case sequence([RegexGenNode])
    case alternation([RegexGenNode])
    case repetition(RegexGenNode, min: Int, max: Int)

    static let empty = RegexGenNode.sequence([])

    func emit<R: RandomNumberGenerator>(into output: inout String.UnicodeScalarView, using rng: inout R) {
        switch self {
        case .literal(let scalar):
            output.append(scalar)
        case .set(let set):
            output.append(set.randomScalar(using: &rng))
        case .sequence(let nodes):
            for node in nodes { node.emit(into: &output, using: &rng) }
        case .alternation(let branches):
            branches[Int.random(in: 0..<branches.count, using: &rng)].emit(into: &output, using: &rng)
        case .repetition(let node, let min, let max):
            for _ in 0..<Int.random(in: min...max, using: &rng) { node.emit(into: &output, using: &rng) }
        }
    }
}

/// One element of a character class: a single scalar (usable as a range end) or a whole set.
private enum RegexGenClassItem {
    case scalar(UInt32)
    case set(RegexGenScalarSet)
}

// MARK: - Parser

/// A recursive-descent parser turning a pattern into a `RegexGenNode`, reporting errors with offsets.
private struct RegexGenParser {
    static let unboundedExtra = 8
    static let maxRepetition = 10_000
    static let maxDepth = 200
    static let controlEscapes: [Unicode.Scalar: UInt32] = [
        "t": 0x09, "n": 0x0A, "r": 0x0D, "f": 0x0C, "e": 0x1B, "a": 0x07,
    ]
    static let shorthandSets: [Unicode.Scalar: RegexGenScalarSet] = [
        "d": .digits, "D": .digits.complement(), "w": .word, "W": .word.complement(),
        "s": .space, "S": .space.complement(),
    ]

    let pattern: String
    let scalars: [Unicode.Scalar]
    var position = 0
    var depth = 0

    init(pattern: String) {
        self.pattern = pattern
        self.scalars = Array(pattern.unicodeScalars)
    }

    mutating func parse() throws(RegexGenerationError) -> RegexGenNode {
        let node = try parseAlternation()
        if position < scalars.count { throw fail("unmatched ')'", at: position) }
        return node
    }

    func fail(_ what: String, at offset: Int) -> RegexGenerationError {
        RegexGenerationError(pattern: pattern, reason: "\(what) at offset \(offset)")
    }

    func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        position + ahead < scalars.count ? scalars[position + ahead] : nil
    }

    mutating func parseAlternation() throws(RegexGenerationError) -> RegexGenNode {
        var branches = [try parseSequence()]
        while peek() == "|" {
            position += 1
            branches.append(try parseSequence())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    mutating func parseSequence() throws(RegexGenerationError) -> RegexGenNode {
        var items: [RegexGenNode] = []
        while let scalar = peek(), scalar != "|", scalar != ")" {
            let atom: RegexGenNode
            if scalar == "\\", peek(1) == "Q" {
                // A quantifier after \Q…\E applies only to the last quoted character.
                var quoted = readQuoted()
                guard let last = quoted.popLast() else { continue }
                items += quoted.map(RegexGenNode.literal)
                atom = .literal(last)
            } else {
                atom = try parseAtom()
            }
            items.append(try parseQuantifier(applyingTo: atom))
        }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    /// Consumes `\Q…\E` (or `\Q…` to the end of the pattern) and returns the quoted scalars.
    mutating func readQuoted() -> [Unicode.Scalar] {
        position += 2
        var quoted: [Unicode.Scalar] = []
        while let scalar = peek() {
            if scalar == "\\", peek(1) == "E" {
                position += 2
                break
            }
            quoted.append(scalar)
            position += 1
        }
        return quoted
    }

    mutating func parseAtom() throws(RegexGenerationError) -> RegexGenNode {
        let start = position
        let scalar = scalars[position]
        switch scalar {
        case "(":
            return try parseGroup()
        case "[":
            return .set(try parseClass())
        case ".":
            position += 1
            return .set(RegexGenScalarSet.dot)
        case "^", "$":
            position += 1
            return .empty
        case "\\":
            return try parseEscape()
        case "*", "+", "?":
            throw fail("quantifier '\(scalar)' has nothing to repeat", at: start)
        case "{" where braceQuantifier(at: start) != nil:
            throw fail("quantifier '{' has nothing to repeat", at: start)
        default:
            position += 1
            return .literal(scalar)
        }
    }

    /// Recognises `{n}`, `{n,}` or `{n,m}` at `offset` without consuming it; counts saturate at 1,000,000.
    func braceQuantifier(at offset: Int) -> (min: Int, max: Int?, end: Int)? {
        var index = offset + 1
        func number() -> Int? {
            var value: Int?
            while index < scalars.count, ("0"..."9").contains(scalars[index]) {
                let digit = Int(scalars[index].value) - 0x30
                value = Swift.min((value ?? 0) * 10 + digit, 1_000_000)
                index += 1
            }
            return value
        }
        guard offset < scalars.count, scalars[offset] == "{", let minimum = number() else { return nil }
        var maximum: Int? = minimum
        if index < scalars.count, scalars[index] == "," {
            index += 1
            maximum = number()
        }
        guard index < scalars.count, scalars[index] == "}" else { return nil }
        return (minimum, maximum, index + 1)
    }

    mutating func parseQuantifier(applyingTo atom: RegexGenNode) throws(RegexGenerationError) -> RegexGenNode {
        guard let scalar = peek() else { return atom }
        let start = position
        let minimum: Int
        let maximum: Int
        switch scalar {
        case "*":
            (minimum, maximum) = (0, Self.unboundedExtra)
        case "+":
            (minimum, maximum) = (1, 1 + Self.unboundedExtra)
        case "?":
            (minimum, maximum) = (0, 1)
        case "{":
            guard let brace = braceQuantifier(at: position) else { return atom }
            guard brace.min <= Self.maxRepetition, (brace.max ?? 0) <= Self.maxRepetition else {
                throw fail("repetition count exceeds \(Self.maxRepetition)", at: start)
            }
            if let upper = brace.max, upper < brace.min {
                throw fail("quantifier {\(brace.min),\(upper)} has a minimum greater than its maximum", at: start)
            }
            minimum = brace.min
            maximum = brace.max ?? brace.min + Self.unboundedExtra
            position = brace.end - 1
        default:
            return atom
        }
        position += 1
        if let modifier = peek(), modifier == "?" || modifier == "+" { position += 1 }  // lazy / possessive
        if let next = peek(), next == "*" || next == "+" || next == "?"
            || (next == "{" && braceQuantifier(at: position) != nil) {
            throw fail("quantifier '\(next)' follows another quantifier", at: position)
        }
        return .repetition(atom, min: minimum, max: maximum)
    }

    mutating func parseGroup() throws(RegexGenerationError) -> RegexGenNode {
        let open = position
        position += 1
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth { throw fail("groups are nested more than \(Self.maxDepth) deep", at: open) }
        if peek() == "?" {
            position += 1
            switch peek() {
            case ":", ">":
                position += 1  // non-capturing or atomic group
            case "=", "!":
                throw fail("lookahead assertions are not supported", at: open)
            case "<" where peek(1) == "=" || peek(1) == "!":
                throw fail("lookbehind assertions are not supported", at: open)
            case "<":
                position += 1
                try skipGroupName(groupStart: open)
            case "#":
                while let scalar = peek(), scalar != ")" { position += 1 }
                guard peek() == ")" else { throw fail("unterminated comment group", at: open) }
                position += 1
                return .empty
            default:
                if try parseInlineFlags(groupStart: open) { return .empty }
            }
        }
        let body = try parseAlternation()
        guard peek() == ")" else { throw fail("unbalanced '(' with no matching ')'", at: open) }
        position += 1
        return body
    }

    mutating func skipGroupName(groupStart: Int) throws(RegexGenerationError) {
        var name = ""
        while let scalar = peek(), scalar != ">" {
            let isLetter = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
            guard isLetter || (!name.isEmpty && ("0"..."9").contains(scalar)) else {
                throw fail("invalid character in group name", at: position)
            }
            name.unicodeScalars.append(scalar)
            position += 1
        }
        guard peek() == ">", !name.isEmpty else { throw fail("missing or unterminated group name", at: groupStart) }
        position += 1
    }

    /// Parses `(?flags)` (returns true) or the `flags:` head of `(?flags:…)` (returns false); flags are ignored.
    mutating func parseInlineFlags(groupStart: Int) throws(RegexGenerationError) -> Bool {
        var sawFlag = false
        while let scalar = peek(), "imsuUdw-".unicodeScalars.contains(scalar) || scalar == "x" {
            if scalar == "x" { throw fail("comments-mode flag 'x' is not supported", at: position) }
            sawFlag = true
            position += 1
        }
        guard sawFlag, let terminator = peek(), terminator == ")" || terminator == ":" else {
            throw fail("unsupported group construct '(?'", at: groupStart)
        }
        position += 1
        return terminator == ")"
    }

    mutating func parseEscape() throws(RegexGenerationError) -> RegexGenNode {
        let start = position
        position += 1
        switch peek() {
        case "b", "B", "A", "z", "Z", "G":
            position += 1
            return .empty
        case let digit? where ("1"..."9").contains(digit):
            throw fail("backreferences (\\\(digit)) are not supported", at: start)
        case "k":
            throw fail("named backreferences (\\k) are not supported", at: start)
        default:
            switch try parseEscapedItem(escapeStart: start) {
            case .scalar(let value): return .literal(Unicode.Scalar(value) ?? " ")
            case .set(let set): return .set(set)
            }
        }
    }

    /// Parses the part of an escape after the backslash (at `position`) that means the same in and out of classes.
    mutating func parseEscapedItem(escapeStart: Int) throws(RegexGenerationError) -> RegexGenClassItem {
        guard let scalar = peek() else { throw fail("pattern ends with a dangling backslash", at: escapeStart) }
        position += 1
        if let set = Self.shorthandSets[scalar] { return .set(set) }
        if let value = Self.controlEscapes[scalar] { return .scalar(value) }
        switch scalar {
        case "0":
            let value = readDigits(radix: 8, maxCount: 3, limit: 0o377)
            guard let value else { throw fail("'\\0' must be followed by octal digits", at: escapeStart) }
            return .scalar(value)
        case "x":
            if peek() == "{" {
                position += 1
                let value = readDigits(radix: 16, maxCount: 6, limit: 0x10FFFF)
                guard let value, peek() == "}" else { throw fail("malformed '\\x{…}' escape", at: escapeStart) }
                position += 1
                return try validatedScalar(value, escapeStart: escapeStart)
            }
            guard let value = readDigits(radix: 16, exactCount: 2) else {
                throw fail("'\\x' must be followed by two hex digits", at: escapeStart)
            }
            return .scalar(value)
        case "u":
            guard let value = readDigits(radix: 16, exactCount: 4) else {
                throw fail("'\\u' must be followed by four hex digits", at: escapeStart)
            }
            if (0xD800...0xDBFF).contains(value), peek() == "\\", peek(1) == "u" {
                let saved = position
                position += 2
                if let low = readDigits(radix: 16, exactCount: 4), (0xDC00...0xDFFF).contains(low) {
                    return .scalar(0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00))
                }
                position = saved
            }
            return try validatedScalar(value, escapeStart: escapeStart)
        case "p", "P":
            throw fail("Unicode property escapes (\\\(scalar)) are not supported", at: escapeStart)
        default:
            let isAlphanumeric = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || ("0"..."9").contains(scalar)
            guard !isAlphanumeric else { throw fail("unsupported escape '\\\(scalar)'", at: escapeStart) }
            return .scalar(scalar.value)
        }
    }

    func validatedScalar(_ value: UInt32, escapeStart: Int) throws(RegexGenerationError) -> RegexGenClassItem {
        guard Unicode.Scalar(value) != nil else {
            throw fail("escape denotes a lone surrogate or invalid code point", at: escapeStart)
        }
        return .scalar(value)
    }

    /// Reads up to `maxCount` digits (or exactly `exactCount`) in `radix`, stopping before exceeding `limit`.
    mutating func readDigits(
        radix: UInt32, maxCount: Int = 8, exactCount: Int? = nil, limit: UInt32 = .max
    ) -> UInt32? {
        var value: UInt32 = 0
        var count = 0
        let wanted = exactCount ?? maxCount
        while count < wanted, let scalar = peek(), scalar.isASCII,
              let digit = UInt32(String(scalar), radix: Int(radix)) {
            let next = value * radix + digit
            if next > limit { break }
            value = next
            count += 1
            position += 1
        }
        if let exactCount, count != exactCount { return nil }
        return count == 0 ? nil : value
    }

    mutating func parseClass() throws(RegexGenerationError) -> RegexGenScalarSet {
        let open = position
        position += 1
        let negated = peek() == "^"
        if negated { position += 1 }
        var ranges: [ClosedRange<UInt32>] = []
        var isFirst = true
        while true {
            guard let scalar = peek() else { throw fail("unterminated character class", at: open) }
            if scalar == "]" && !isFirst {
                position += 1
                break
            }
            if scalar == "[" { throw fail("nested character classes are not supported", at: position) }
            if scalar == "&" && peek(1) == "&" {
                throw fail("character class intersections are not supported", at: position)
            }
            isFirst = false
            let itemStart = position
            let item = try parseClassAtom(classStart: open)
            switch item {
            case .set(let set):
                ranges += set.ranges
            case .scalar(let low):
                guard peek() == "-", let after = peek(1), after != "]" else {
                    ranges.append(low...low)
                    continue
                }
                position += 1
                let highStart = position
                if after == "[" { throw fail("nested character classes are not supported", at: highStart) }
                guard case .scalar(let high) = try parseClassAtom(classStart: open) else {
                    throw fail("range end must be a single character", at: highStart)
                }
                guard low <= high else { throw fail("invalid range (start is after end)", at: itemStart) }
                ranges.append(low...high)
            }
        }
        let set = RegexGenScalarSet(ranges)
        if negated {
            let complement = set.complement()
            if complement.count == 0 {
                throw fail("negated character class excludes every printable ASCII character", at: open)
            }
            return complement
        }
        if set.count == 0 { throw fail("character class matches no characters", at: open) }
        return set
    }

    mutating func parseClassAtom(classStart: Int) throws(RegexGenerationError) -> RegexGenClassItem {
        let start = position
        let scalar = scalars[position]
        position += 1
        guard scalar == "\\" else { return .scalar(scalar.value) }
        if peek() == nil { throw fail("unterminated character class", at: classStart) }
        if peek() == "b" {
            position += 1
            return .scalar(0x08)  // backspace inside a class
        }
        return try parseEscapedItem(escapeStart: start)
    }
}
