import Foundation

// MARK: - Match steps (tokens prepared once per pattern)

/// The parsed field that a numeric or text field sets, if any.
enum FieldSlot: UInt8, Sendable {
    case none, era, yearOfEra, prolepticYear, month, day, dayOfYear, weekday, quarter, hour, hourOfAmPm, pm
}

extension ParsedFields {
    /// Sets the field for `slot` to `value`; false (changing nothing) when it already holds a different value.
    mutating func set(_ slot: FieldSlot, _ value: Int) -> Bool {
        func put(_ field: inout Int?) -> Bool {
            if let old = field, old != value { return false }
            field = value
            return true
        }
        switch slot {
        case .none: return true
        case .era: return put(&era)
        case .yearOfEra: return put(&yearOfEra)
        case .prolepticYear: return put(&prolepticYear)
        case .month: return put(&month)
        case .day: return put(&day)
        case .dayOfYear: return put(&dayOfYear)
        case .weekday: return put(&weekday)
        case .quarter: return put(&quarter)
        case .hour: return put(&hour)
        case .hourOfAmPm: return put(&hourOfAmPm)
        case .pm: return put(&pm)
        }
    }
}

/// A purely numeric field with everything the matcher needs worked out in advance.
struct NumberStep {
    enum Transform: UInt8 { case none, plus2000, mod24, mod12 }
    let letter: UInt8, count: Int
    let minDigits: Int, maxDigits: Int
    /// Digits needed by directly following numeric fields ("yyyyMMdd").
    let reserved: Int
    let allowsSign: Bool
    let range: ClosedRange<Int>?
    let slot: FieldSlot, transform: Transform
}

/// A text, zone or offset field.
struct TextStep {
    enum Kind {
        /// One of the candidates; the field's value is the candidate's index plus `base`.
        case pick(slot: FieldSlot, base: Int)
        case zoneName(long: Bool)
        /// "GMT" (the only candidate) optionally followed by an offset ("ZZZZ").
        case gmtOffset
        case offset(allowZ: Bool, colon: Bool, minutesOptional: Bool, seconds: Bool)
        case zoneId
        case unsupported
    }
    let letter: UInt8, count: Int
    let kind: Kind
    /// Where the lower-cased ASCII candidates of `.pick` and `.gmtOffset` lie in the program's byte table, each
    /// stored as a length byte followed by its bytes.
    let candidates: Range<Int>
}

/// One trivially copyable step of a `MatchProgram`.
enum MatchStep {
    /// `text` is the literal's UTF-8 (for messages); `units` has one byte per Character of it, or 0xFF (never in
    /// ASCII input) for a Character that is not a single ASCII byte. Both are ranges of the program's byte table.
    case literal(text: Range<Int>, units: Range<Int>)
    /// An optional section: the steps after this one, up to (not including) `end`.
    case optional(end: Int)
    case number(NumberStep)
    case text(TextStep)
}

/// A pattern compiled for `ASCIIMatcher`: a flat list of trivially copyable steps and the byte table they refer to.
struct MatchProgram: Sendable {
    private(set) var steps: [MatchStep] = []
    private(set) var table: [UInt8] = []

    init(_ tokens: [PatternToken]) { emit(tokens) }

    private mutating func emit(_ tokens: [PatternToken]) {
        for index in tokens.indices {
            switch tokens[index] {
            case .literal(let text):
                let textStart = table.count
                table += text.utf8
                let unitStart = table.count
                table += text.map { $0.utf8.count == 1 ? $0.utf8.first! : 0xFF }
                steps.append(.literal(text: textStart..<unitStart, units: unitStart..<table.count))
            case .optional(let inner):
                let at = steps.count
                steps.append(.optional(end: at))
                emit(inner)
                steps[at] = .optional(end: steps.count)
            case .field(let letter, let count):
                guard let width = PatternToken.numericWidth(letter, count) else {
                    steps.append(.text(textStep(letter, count)))
                    continue
                }
                var reserved = 0
                for next in tokens[(index + 1)...] {
                    guard case .field(let l, let n) = next, let w = PatternToken.numericWidth(l, n) else { break }
                    reserved += w.min
                }
                steps.append(.number(Self.numberStep(letter, count, width, reserved)))
            }
        }
    }

    private static func numberStep(_ l: Character, _ n: Int, _ width: (min: Int, max: Int), _ reserved: Int) -> NumberStep {
        let (slot, transform): (FieldSlot, NumberStep.Transform) = switch l {
        case "y": (.yearOfEra, n == 2 ? .plus2000 : .none)
        case "u": (.prolepticYear, n == 2 ? .plus2000 : .none)
        case "M", "L": (.month, .none)
        case "d": (.day, .none)
        case "D": (.dayOfYear, .none)
        case "H": (.hour, .none)
        case "k": (.hour, .mod24)
        case "K", "h": (.hourOfAmPm, .mod12)
        case "Q", "q": (.quarter, .none)
        case "e", "c": (.weekday, .none)
        default: (.none, .none)
        }
        return NumberStep(letter: l.asciiValue ?? 0, count: n, minDigits: width.min, maxDigits: width.max, reserved: reserved,
                          allowsSign: (l == "u" || l == "Y") && n != 2, range: PatternToken.valueRange(l, n),
                          slot: slot, transform: transform)
    }

    private mutating func textStep(_ l: Character, _ n: Int) -> TextStep {
        func names(_ full: [String], _ short: [String]) -> [String] {
            n == 4 ? full : n == 5 ? full.map { String($0.prefix(1)) } : short
        }
        let kind: TextStep.Kind, candidates: [String]
        switch l {
        case "G":
            kind = .pick(slot: .era, base: 0)
            candidates = n == 4 ? ["Before Christ", "Anno Domini"] : n == 5 ? ["B", "A"] : ["BC", "AD"]
        case "M", "L":
            kind = .pick(slot: n == 5 ? .none : .month, base: 1)
            candidates = names(DateTimeCalendarMath.monthNames, DateTimeCalendarMath.monthShort)
        case "E", "e", "c":
            kind = .pick(slot: n == 5 ? .none : .weekday, base: 1)
            candidates = names(DateTimeCalendarMath.weekdayNames, DateTimeCalendarMath.weekdayShort)
        case "a": kind = .pick(slot: .pm, base: 0); candidates = ["AM", "PM"]
        case "Q", "q":
            kind = .pick(slot: .quarter, base: 1)
            candidates = n == 4 ? DateTimeCalendarMath.quarterNames : ["Q1", "Q2", "Q3", "Q4"]
        case "z": kind = .zoneName(long: n == 4); candidates = []
        case "Z" where n == 4: kind = .gmtOffset; candidates = ["GMT"]
        case "Z": kind = .offset(allowZ: n == 5, colon: n == 5, minutesOptional: false, seconds: n == 5); candidates = []
        case "X", "x":
            kind = .offset(allowZ: l == "X", colon: n == 3 || n == 5, minutesOptional: n == 1, seconds: n >= 4)
            candidates = []
        case "V": kind = .zoneId; candidates = []
        default: kind = .unsupported; candidates = []
        }
        let start = table.count
        for candidate in candidates {  // all ASCII and far shorter than 256 bytes
            table.append(UInt8(candidate.utf8.count))
            table += candidate.lowercased().utf8
        }
        return TextStep(letter: l.asciiValue ?? 0, count: n, kind: kind, candidates: start..<table.count)
    }
}

// MARK: - Byte-level matching of ASCII input

/// Sequential, greedy matcher of ASCII input bytes against a compiled program.
///
/// It mirrors `PatternMatcher` rule for rule and message for message. For ASCII input without carriage returns every
/// byte is one Character, so byte offsets equal the Character offsets that messages report; any other input is left
/// to `PatternMatcher` (`Outcome.notASCII`).
struct ASCIIMatcher {
    enum Outcome { case decided(String?), notASCII }

    let input: UnsafeBufferPointer<UInt8>
    let steps: UnsafeBufferPointer<MatchStep>
    let table: UnsafeBufferPointer<UInt8>
    var pos = 0
    var fields = ParsedFields()
    /// How many optional sections the matcher is inside; failures there are discarded, so they carry no text.
    var quiet = 0

    static func match(_ program: MatchProgram, _ input: UnsafeBufferPointer<UInt8>) -> Outcome {
        // "\r\n" is a single Character, so carriage returns go to the Character-based matcher too.
        for byte in input where byte >= 0x80 || byte == 0x0D { return .notASCII }
        return program.steps.withUnsafeBufferPointer { steps in
            program.table.withUnsafeBufferPointer { table in
                var matcher = ASCIIMatcher(input: input, steps: steps, table: table)
                do throws(PatternMismatch) { try matcher.run(0..<steps.count) } catch { return .decided(error.reason) }
                if matcher.pos < input.count {
                    let rest = matcher.string(input, matcher.pos..<Swift.min(input.count, matcher.pos + 20))
                    return .decided("unexpected trailing text '\(rest)' at offset \(matcher.pos)")
                }
                return .decided(matcher.fields.crossCheck())
            }
        }
    }

    // MARK: Helpers

    private func fail(_ reason: @autoclosure () -> String) -> PatternMismatch { PatternMismatch(quiet > 0 ? "" : reason()) }
    private func isDigit(_ i: Int) -> Bool { i < input.count && input[i] &- 0x30 < 10 }
    private func isLetter(_ i: Int) -> Bool { i < input.count && (input[i] | 0x20) &- 0x61 < 26 }
    private func isByte(_ i: Int, _ a: UInt8, _ b: UInt8) -> Bool { i < input.count && (input[i] == a || input[i] == b) }
    private func string(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)
    }
    private func name(_ letter: UInt8, _ count: Int) -> String {
        String(repeating: Character(Unicode.Scalar(letter)), count: count)
    }

    // MARK: Steps

    mutating func run(_ range: Range<Int>) throws(PatternMismatch) {
        var index = range.lowerBound
        while index < range.upperBound {
            switch steps[index] {
            case .literal(let text, let units):
                for unit in units {
                    guard pos < input.count, input[pos] == table[unit] else {
                        throw fail("expected '\(string(table, text))' at offset \(pos), found "
                            + (pos < input.count ? "'\(Character(Unicode.Scalar(input[pos])))'" : "end of input"))
                    }
                    pos += 1
                }
            case .optional(let end):
                let savedPos = pos, savedFields = fields
                quiet += 1
                do { try run((index + 1)..<end) } catch { pos = savedPos; fields = savedFields }
                quiet -= 1
                index = end
                continue
            case .number(let step): try number(step)
            case .text(let step): try text(step)
            }
            index += 1
        }
    }

    private mutating func assign(_ slot: FieldSlot, _ value: Int, _ letter: UInt8, _ count: Int, _ at: Int)
        throws(PatternMismatch) {
        guard fields.set(slot, value) else {
            throw fail("value for '\(name(letter, count))' at offset \(at) conflicts with an earlier field")
        }
    }

    private mutating func number(_ s: NumberStep) throws(PatternMismatch) {
        let start = pos
        var negative = false
        if s.allowsSign && pos < input.count && input[pos] == UInt8(ascii: "-") { negative = true; pos += 1 }
        var available = 0
        while isDigit(pos + available) { available += 1 }
        guard available >= s.minDigits else {
            let expected = s.minDigits == s.maxDigits ? "\(s.minDigits) digit\(s.minDigits == 1 ? "" : "s")"
                : "\(s.minDigits)-\(s.maxDigits) digits"
            throw fail("expected \(expected) for '\(name(s.letter, s.count))' at offset \(start)")
        }
        let take = Swift.max(s.minDigits, Swift.min(s.maxDigits, available - s.reserved))
        let digits = pos..<(pos + take)
        var value = 0
        for i in digits { value = value &* 10 &+ Int(input[i] &- 0x30) }
        pos += take
        if negative { value = -value }
        if let range = s.range, !range.contains(value) {
            throw fail("""
                value \(string(input, digits)) for '\(name(s.letter, s.count))' at offset \(start) \
                is out of range \(range.lowerBound)-\(range.upperBound)
                """)
        }
        switch s.transform {
        case .none: break
        case .plus2000: value += 2000
        case .mod24: value %= 24
        case .mod12: value %= 12
        }
        try assign(s.slot, value, s.letter, s.count, start)
    }

    /// Matches the longest candidate (ASCII case-insensitively; ties go to the first) and returns its index.
    private mutating func choose(_ candidates: Range<Int>) -> Int? {
        var bestIndex = -1, bestLength = 0
        var index = 0, at = candidates.lowerBound
        while at < candidates.upperBound {
            let length = Int(table[at]), first = at + 1
            defer { index += 1; at = first + length }
            guard pos + length <= input.count, length > bestLength else { continue }
            var k = 0
            while k < length {
                var b = input[pos + k]
                if b &- 0x41 < 26 { b |= 0x20 }
                if b != table[first + k] { break }
                k += 1
            }
            if k == length { bestIndex = index; bestLength = length }
        }
        guard bestIndex >= 0 else { return nil }
        pos += bestLength
        return bestIndex
    }

    private mutating func text(_ s: TextStep) throws(PatternMismatch) {
        let start = pos
        switch s.kind {
        case .pick(let slot, let base):
            guard let index = choose(s.candidates) else {
                let what = switch s.letter {
                case UInt8(ascii: "G"): "an era"
                case UInt8(ascii: "M"), UInt8(ascii: "L"): "a month name"
                case UInt8(ascii: "a"): "AM/PM"
                case UInt8(ascii: "Q"), UInt8(ascii: "q"): "a quarter"
                default: "a weekday name"
                }
                throw fail("expected \(what) for '\(name(s.letter, s.count))' at offset \(start)")
            }
            try assign(slot, index + base, s.letter, s.count, start)
        case .zoneName(let long): try zoneName(long: long, s)
        case .gmtOffset:
            guard choose(s.candidates) != nil else {
                throw fail("expected a GMT offset for '\(name(s.letter, s.count))' at offset \(start)")
            }
            if isByte(pos, UInt8(ascii: "+"), UInt8(ascii: "-")) {
                try offset(s, allowZ: false, colon: true, minutesOptional: false, seconds: true)
            }
        case .offset(let allowZ, let colon, let minutesOptional, let seconds):
            try offset(s, allowZ: allowZ, colon: colon, minutesOptional: minutesOptional, seconds: seconds)
        case .zoneId: try zoneId(s)
        case .unsupported: throw fail("unsupported field '\(name(s.letter, s.count))'")
        }
    }

    /// Reads exactly `count` ASCII digits, or returns nil without consuming anything.
    private mutating func digits(_ count: Int) -> Int? {
        var value = 0
        for i in pos..<(pos + count) {
            guard isDigit(i) else { return nil }
            value = value * 10 + Int(input[i] &- 0x30)
        }
        pos += count
        return value
    }

    /// A ":" (when `colon`) and two digits, or nil without consuming anything.
    private mutating func offsetPart(colon: Bool) -> Int? {
        let saved = pos
        if colon {
            guard pos < input.count, input[pos] == UInt8(ascii: ":") else { return nil }
            pos += 1
        }
        guard let value = digits(2) else { pos = saved; return nil }
        return value
    }

    /// Matches offsets such as "Z", "+01", "+0130", "+01:30" and "+01:30:15".
    private mutating func offset(_ s: TextStep, allowZ: Bool, colon: Bool, minutesOptional: Bool, seconds: Bool)
        throws(PatternMismatch) {
        let start = pos
        if allowZ, pos < input.count, input[pos] == UInt8(ascii: "Z") { pos += 1; return }
        guard isByte(pos, UInt8(ascii: "+"), UInt8(ascii: "-")) else {
            throw fail("expected a zone offset for '\(name(s.letter, s.count))' at offset \(start)")
        }
        pos += 1
        guard let hours = digits(2) else {
            throw fail("expected a zone offset for '\(name(s.letter, s.count))' at offset \(start)")
        }
        guard hours <= 18 else {
            throw fail("offset hours \(hours) for '\(name(s.letter, s.count))' at offset \(start) exceed 18")
        }
        if let minutes = offsetPart(colon: colon) {
            guard minutes <= 59 else {
                throw fail("offset minutes \(minutes) for '\(name(s.letter, s.count))' at offset \(start) exceed 59")
            }
            if seconds, let secs = offsetPart(colon: colon), secs > 59 {
                throw fail("offset seconds \(secs) for '\(name(s.letter, s.count))' at offset \(start) exceed 59")
            }
        } else if !minutesOptional {
            throw fail("expected a zone offset for '\(name(s.letter, s.count))' at offset \(start)")
        }
    }

    /// Matches a zone name ("UTC", "PST", "GMT+5:30", or with `long` "Pacific Standard Time").
    private mutating func zoneName(long: Bool, _ s: TextStep) throws(PatternMismatch) {
        func isPunctuation(_ b: UInt8) -> Bool {
            b == UInt8(ascii: " ") || b == UInt8(ascii: ".") || b == UInt8(ascii: "'") || b == UInt8(ascii: "-")
        }
        let start = pos
        var end = pos
        while isLetter(end) || (long && end > start && end < input.count && isPunctuation(input[end])) { end += 1 }
        while end > start && !isLetter(end - 1) { end -= 1 }
        guard end > start else {
            throw fail("expected a time-zone name for '\(name(s.letter, s.count))' at offset \(start)")
        }
        pos = end
        looseOffset()
    }

    /// Optionally consumes "+H", "+HH", "+HHMM", "+H:MM" or "+HH:MM" after a zone name.
    private mutating func looseOffset() {
        let saved = pos
        guard isByte(pos, UInt8(ascii: "+"), UInt8(ascii: "-")) else { return }
        pos += 1
        var count = 0
        while count < 2 && isDigit(pos) { pos += 1; count += 1 }
        guard count > 0 else { pos = saved; return }
        let afterHours = pos
        if pos < input.count, input[pos] == UInt8(ascii: ":") { pos += 1 }
        if digits(2) == nil { pos = afterHours }
    }

    /// Matches a region-based zone id ("Europe/London") or an offset-style id ("UTC", "Z", "GMT+01:00").
    private mutating func zoneId(_ s: TextStep) throws(PatternMismatch) {
        func isIdByte(_ b: UInt8) -> Bool {
            (b | 0x20) &- 0x61 < 26 || b &- 0x30 < 10 || b == UInt8(ascii: "/") || b == UInt8(ascii: "_")
                || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: ":")
        }
        var end = pos
        while end < input.count, isIdByte(input[end]) { end += 1 }
        while end > pos {
            let candidate = string(input, pos..<end)
            if PatternMatcher.isOffsetZoneId(candidate) || TimeZone(identifier: candidate) != nil { pos = end; return }
            end -= 1
        }
        throw fail("expected a time-zone ID for '\(name(s.letter, s.count))' at offset \(pos)")
    }
}
