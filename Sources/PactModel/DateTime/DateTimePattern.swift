import Foundation

/// A date/time format pattern in the Java DateTimeFormatter / SimpleDateFormat style used by Pact matchers and generators.
///
/// Supported letters: `G y u Y M L d D E e c a H k K h m s S n A w Q q z Z X x VV`, quoted literals
/// (`'T'`, `''`), optional sections (`[...]`) and any other non-letter character as a literal.
/// Week fields (`w`, `Y`, `e`, `c`) use ISO-8601 rules (weeks start on Monday, Monday is day 1).
public struct DateTimePattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern text exactly as it was supplied.
    public let pattern: String
    private let tokens: [PatternToken]
    /// The tokens compiled for the byte-level ASCII matcher.
    private let program: MatchProgram

    /// Creates a pattern, validating its syntax once and throwing when it is invalid.
    public init(_ pattern: String) throws(DateTimePatternError) {
        self.pattern = pattern
        self.tokens = try PatternToken.parse(pattern)
        self.program = MatchProgram(tokens)
    }

    /// The pattern text.
    public var description: String { pattern }

    /// Two patterns are equal when their pattern text is equal.
    public static func == (lhs: DateTimePattern, rhs: DateTimePattern) -> Bool { lhs.pattern == rhs.pattern }

    /// Hashes the pattern text.
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }

    /// nil when `string` matches the pattern completely; otherwise a short human reason, e.g. "expected 2 digits for 'MM' at offset 5".
    ///
    /// ASCII input (nearly every real timestamp) is matched byte by byte by a program compiled at init; any other
    /// input falls back to a Character-based matcher with exactly the same rules and messages.
    public func mismatchReason(for string: String) -> String? {
        let fast = string.utf8.withContiguousStorageIfAvailable { bytes -> ASCIIMatcher.Outcome in
            ASCIIMatcher.match(program, bytes)
        }
        if case .decided(let reason)? = fast { return reason }
        return PatternMatcher.mismatchReason(tokens, string)
    }

    /// Whether `string` matches the pattern completely (its mismatch reason is nil).
    public func matches(_ string: String) -> Bool { mismatchReason(for: string) == nil }

    /// Formats a date with this pattern in the given time zone.
    public func format(_ date: Date, timeZone: TimeZone = .current) -> String {
        let parts = DateParts(date, timeZone)
        var out = ""
        Self.append(tokens, parts, into: &out)
        return out
    }

    private static func append(_ tokens: [PatternToken], _ p: DateParts, into out: inout String) {
        for token in tokens {
            switch token {
            case .literal(let text): out += text
            case .optional(let inner): append(inner, p, into: &out)
            case .field(let letter, let count): out += p.text(letter, count)
            }
        }
    }
}

/// The error thrown when a date/time pattern has invalid syntax.
public struct DateTimePatternError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The offending pattern text.
    public let pattern: String
    /// A short human-readable explanation of what is wrong.
    public let reason: String

    /// Creates an error for `pattern` with the given reason.
    public init(pattern: String, reason: String) {
        self.pattern = pattern
        self.reason = reason
    }

    /// A message naming the pattern and the reason.
    public var description: String { "invalid date/time pattern '\(pattern)': \(reason)" }
}

// MARK: - Pattern tokens

indirect enum PatternToken: Sendable, Hashable {
    case literal(String)
    case field(Character, Int)
    case optional([PatternToken])

    static func parse(_ pattern: String) throws(DateTimePatternError) -> [PatternToken] {
        let chars = Array(pattern)
        var stack: [[PatternToken]] = [[]]
        var i = 0
        func fail(_ reason: String) -> DateTimePatternError { DateTimePatternError(pattern: pattern, reason: reason) }
        func add(_ token: PatternToken) {
            if case .literal(let new) = token, case .literal(let old)? = stack[stack.count - 1].last {
                stack[stack.count - 1][stack[stack.count - 1].count - 1] = .literal(old + new)
            } else {
                stack[stack.count - 1].append(token)
            }
        }
        while i < chars.count {
            let c = chars[i]
            if c == "'" {
                if i + 1 < chars.count, chars[i + 1] == "'" { add(.literal("'")); i += 2; continue }
                var text = "", j = i + 1, closed = false
                while j < chars.count {
                    if chars[j] == "'" {
                        if j + 1 < chars.count, chars[j + 1] == "'" { text.append("'"); j += 2; continue }
                        closed = true
                        break
                    }
                    text.append(chars[j])
                    j += 1
                }
                guard closed else { throw fail("unterminated quoted literal starting at offset \(i)") }
                add(.literal(text))
                i = j + 1
            } else if c == "[" {
                stack.append([]); i += 1
            } else if c == "]" {
                guard stack.count > 1 else { throw fail("']' at offset \(i) has no matching '['") }
                let inner = stack.removeLast()
                stack[stack.count - 1].append(.optional(inner)); i += 1
            } else if c == "#" || c == "{" || c == "}" {
                throw fail("reserved character '\(c)' at offset \(i)")
            } else if c.isASCII && c.isLetter {
                var j = i
                while j < chars.count, chars[j] == c { j += 1 }
                let count = j - i, run = String(repeating: c, count: count)
                guard let allowed = allowedCounts(c) else { throw fail("unknown pattern letter '\(c)' at offset \(i)") }
                guard allowed.contains(count) else {
                    throw fail("'\(run)' at offset \(i) has an unsupported number of '\(c)' letters")
                }
                add(.field(c, count)); i = j
            } else {
                add(.literal(String(c))); i += 1
            }
        }
        while stack.count > 1 {  // like Java, an unclosed '[' ends at the end of the pattern
            let inner = stack.removeLast()
            stack[stack.count - 1].append(.optional(inner))
        }
        return stack[0]
    }

    static func allowedCounts(_ c: Character) -> Set<Int>? {
        switch c {
        case "G", "M", "L", "E", "e", "Z", "X", "x": return [1, 2, 3, 4, 5]
        case "y", "u", "Y", "S", "n": return Set(1...9)
        case "d", "H", "k", "K", "h", "m", "s", "w": return [1, 2]
        case "D": return [1, 2, 3]
        case "c": return [1, 3, 4, 5]
        case "a": return [1]
        case "A": return Set(1...8)
        case "Q", "q", "z": return [1, 2, 3, 4]
        case "V": return [2]
        default: return nil
        }
    }

    /// Minimum and maximum digit counts of a purely numeric field, or nil for text/zone fields.
    static func numericWidth(_ l: Character, _ n: Int) -> (min: Int, max: Int)? {
        switch l {
        case "y", "u", "Y": return n == 1 ? (1, 9) : (n, n)
        case "M", "L": return n > 2 ? nil : (n, 2)
        case "d", "H", "k", "K", "h", "m", "s", "w": return (n, 2)
        case "D": return (n, 3)
        case "S": return (n, n)
        case "n": return (n, 9)
        case "A": return (n, 8)
        case "Q", "q", "e": return n > 2 ? nil : (n, n)
        case "c": return n == 1 ? (1, 1) : nil
        default: return nil
        }
    }

    static func valueRange(_ l: Character, _ n: Int) -> ClosedRange<Int>? {
        switch l {
        case "y": return n == 2 ? nil : 1...999_999_999
        case "M", "L": return 1...12
        case "d": return 1...31
        case "D": return 1...366
        case "H": return 0...23
        case "k": return 1...24
        case "K": return 0...11
        case "h": return 1...12
        case "m", "s": return 0...59
        case "w": return 1...53
        case "Q", "q": return 1...4
        case "e", "c": return 1...7
        case "A": return 0...86_399_999
        default: return nil
        }
    }
}

// MARK: - Calendar helpers (proleptic Gregorian)

enum DateTimeCalendarMath {
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                             "August", "September", "October", "November", "December"]
    static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let monthShort = monthNames.map { String($0.prefix(3)) }
    static let weekdayShort = weekdayNames.map { String($0.prefix(3)) }
    static let quarterNames = ["1st quarter", "2nd quarter", "3rd quarter", "4th quarter"]

    static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
    static func daysInMonth(_ m: Int, _ y: Int?) -> Int {
        switch m {
        case 2: return y.map { isLeap($0) ? 29 : 28 } ?? 29
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (March-based 400-year cycles).
    static func days(_ y: Int, _ m: Int, _ d: Int) -> Int {
        let yy = m <= 2 ? y - 1 : y
        let cycle = floorDiv(yy, 400)
        let yearInCycle = yy - cycle * 400
        let dayInYear = (153 * ((m + 9) % 12) + 2) / 5 + d - 1
        let dayInCycle = yearInCycle * 365 + yearInCycle / 4 - yearInCycle / 100 + dayInYear
        return cycle * 146_097 + dayInCycle - 719_468
    }

    /// Inverse of `days`: year, month and day for a count of days since 1970-01-01.
    static func ymd(_ epochDays: Int) -> (Int, Int, Int) {
        let z = epochDays + 719_468
        let cycle = floorDiv(z, 146_097)
        let dayInCycle = z - cycle * 146_097
        let yearInCycle = (dayInCycle - dayInCycle / 1460 + dayInCycle / 36524 - dayInCycle / 146_096) / 365
        let dayInYear = dayInCycle - (365 * yearInCycle + yearInCycle / 4 - yearInCycle / 100)
        let mp = (5 * dayInYear + 2) / 153
        let d = dayInYear - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yearInCycle + cycle * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// ISO weekday (Monday = 1 ... Sunday = 7) of a count of days since 1970-01-01.
    static func weekday(_ epochDays: Int) -> Int { ((epochDays % 7 + 7 + 3) % 7) + 1 }

    /// ISO-8601 week-based year and week number.
    static func isoWeek(_ y: Int, _ dayOfYear: Int, _ wd: Int) -> (year: Int, week: Int) {
        func weeks(_ year: Int) -> Int {
            let jan1 = weekday(days(year, 1, 1))
            return jan1 == 4 || (jan1 == 3 && isLeap(year)) ? 53 : 52
        }
        let w = (dayOfYear - wd + 10) / 7
        if w < 1 { return (y - 1, weeks(y - 1)) }
        if w > weeks(y) { return (y + 1, 1) }
        return (y, w)
    }

    static func text(_ y: Int, _ m: Int, _ d: Int) -> String {
        (y < 0 ? "-" : "") + pad(abs(y), 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

// MARK: - Formatting

private struct DateParts {
    let date: Date, timeZone: TimeZone
    let year: Int, month: Int, day: Int, dayOfYear: Int, weekday: Int
    let hour: Int, minute: Int, second: Int, nanos: Int, milliOfDay: Int, offset: Int

    init(_ date: Date, _ timeZone: TimeZone) {
        self.date = date
        self.timeZone = timeZone
        var t = date.timeIntervalSince1970
        if !t.isFinite { t = 0 }
        t = Swift.min(Swift.max(t, -1e14), 1e14)
        let whole = t.rounded(.down)
        var secs = Int(whole), ns = Int(((t - whole) * 1e9).rounded())
        if ns >= 1_000_000_000 { secs += 1; ns -= 1_000_000_000 }
        offset = timeZone.secondsFromGMT(for: date)
        let local = secs + offset
        let days = DateTimeCalendarMath.floorDiv(local, 86_400)
        let secondOfDay = local - days * 86_400
        (year, month, day) = DateTimeCalendarMath.ymd(days)
        dayOfYear = days - DateTimeCalendarMath.days(year, 1, 1) + 1
        weekday = DateTimeCalendarMath.weekday(days)
        hour = secondOfDay / 3600
        minute = secondOfDay / 60 % 60
        second = secondOfDay % 60
        nanos = ns
        milliOfDay = secondOfDay * 1000 + ns / 1_000_000
    }

    func text(_ l: Character, _ n: Int) -> String {
        let pad = DateTimeCalendarMath.pad
        let quarter = (month - 1) / 3 + 1
        switch l {
        case "G":
            let ad = year > 0
            return n == 4 ? (ad ? "Anno Domini" : "Before Christ") : n == 5 ? (ad ? "A" : "B") : (ad ? "AD" : "BC")
        case "y": return n == 2 ? pad((year > 0 ? year : 1 - year) % 100, 2) : pad(year > 0 ? year : 1 - year, n)
        case "u": return signedYear(year, n)
        case "Y": return signedYear(DateTimeCalendarMath.isoWeek(year, dayOfYear, weekday).year, n)
        case "M", "L":
            switch n {
            case 3: return DateTimeCalendarMath.monthShort[month - 1]
            case 4: return DateTimeCalendarMath.monthNames[month - 1]
            case 5: return String(DateTimeCalendarMath.monthNames[month - 1].prefix(1))
            default: return pad(month, n)
            }
        case "d": return pad(day, n)
        case "D": return pad(dayOfYear, n)
        case "E", "e", "c":
            if l != "E" && n <= 2 { return pad(weekday, n) }
            return n == 4 ? DateTimeCalendarMath.weekdayNames[weekday - 1]
                : n == 5 ? String(DateTimeCalendarMath.weekdayNames[weekday - 1].prefix(1)) : DateTimeCalendarMath.weekdayShort[weekday - 1]
        case "a": return hour < 12 ? "AM" : "PM"
        case "H": return pad(hour, n)
        case "k": return pad(hour == 0 ? 24 : hour, n)
        case "K": return pad(hour % 12, n)
        case "h": return pad(hour % 12 == 0 ? 12 : hour % 12, n)
        case "m": return pad(minute, n)
        case "s": return pad(second, n)
        case "S": return String(pad(nanos, 9).prefix(n))
        case "n": return pad(nanos, n)
        case "A": return pad(milliOfDay, n)
        case "w": return pad(DateTimeCalendarMath.isoWeek(year, dayOfYear, weekday).week, n)
        case "Q", "q": return n == 3 ? "Q\(quarter)" : n == 4 ? DateTimeCalendarMath.quarterNames[quarter - 1] : pad(quarter, n)
        case "z": return zoneName(long: n == 4)
        case "Z":
            if n == 4 { return offset == 0 ? "GMT" : "GMT" + offsetText(colon: true, minutes: true, seconds: true) }
            if n == 5 { return offset == 0 ? "Z" : offsetText(colon: true, minutes: true, seconds: true) }
            return offsetText(colon: false, minutes: true, seconds: false)
        case "X", "x":
            if l == "X" && offset == 0 { return "Z" }
            let minutesNeeded = n > 1 || (abs(offset) / 60) % 60 != 0
            return offsetText(colon: n == 3 || n == 5, minutes: minutesNeeded, seconds: n >= 4)
        case "V": return timeZone.identifier
        default: return ""
        }
    }

    private func signedYear(_ y: Int, _ n: Int) -> String {
        n == 2 ? DateTimeCalendarMath.pad(((y % 100) + 100) % 100, 2) : (y < 0 ? "-" : "") + DateTimeCalendarMath.pad(abs(y), n)
    }

    /// "+HH", "+HHMM", "+HH:MM" and so on; seconds are written only when `seconds` is set and they are non-zero.
    private func offsetText(colon: Bool, minutes: Bool, seconds: Bool) -> String {
        let a = abs(offset), sep = colon ? ":" : ""
        var s = (offset < 0 ? "-" : "+") + DateTimeCalendarMath.pad(a / 3600, 2)
        if minutes { s += sep + DateTimeCalendarMath.pad(a / 60 % 60, 2) }
        if seconds && a % 60 != 0 { s += sep + DateTimeCalendarMath.pad(a % 60, 2) }
        return s
    }

    private func zoneName(long: Bool) -> String {
        func parses(_ s: String) -> Bool {
            var m = PatternMatcher(chars: Array(s))
            return (try? m.zoneName(long: long, "z")) != nil && m.pos == m.chars.count
        }
        if long {
            let style: TimeZone.NameStyle = timeZone.isDaylightSavingTime(for: date) ? .daylightSaving : .standard
            if let name = timeZone.localizedName(for: style, locale: Locale(identifier: "en_US")), parses(name) {
                return name
            }
        }
        if let abbreviation = timeZone.abbreviation(for: date), parses(abbreviation) { return abbreviation }
        return offset == 0 ? "GMT" : "GMT" + offsetText(colon: true, minutes: true, seconds: false)
    }
}
