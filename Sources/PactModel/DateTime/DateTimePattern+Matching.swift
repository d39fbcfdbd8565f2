import Foundation

// MARK: - Character-based matching (reference and non-ASCII fallback)

struct PatternMismatch: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// Field values collected while matching, used for cross-field validation.
struct ParsedFields {
    var era: Int?, yearOfEra: Int?, prolepticYear: Int?, month: Int?, day: Int?, dayOfYear: Int?
    var weekday: Int?, quarter: Int?, hour: Int?, hourOfAmPm: Int?, pm: Int?

    func crossCheck() -> String? {
        var year = yearOfEra.map { era == 0 ? 1 - $0 : $0 }
        if let u = prolepticYear {
            if let y = year, y != u { return "year \(u) conflicts with year-of-era \(yearOfEra ?? 0)" }
            year = u
        }
        if let q = quarter, let m = month, (m - 1) / 3 + 1 != q { return "quarter \(q) does not match month \(m)" }
        var epochDay: Int?
        if let m = month, let d = day {
            guard d <= DateTimeCalendarMath.daysInMonth(m, year) else {
                return "day \(d) is not valid for \(DateTimeCalendarMath.monthNames[m - 1])" + (year.map { " \($0)" } ?? "")
            }
            if let y = year { epochDay = DateTimeCalendarMath.days(y, m, d) }
        }
        if let doy = dayOfYear, let y = year {
            guard doy <= (DateTimeCalendarMath.isLeap(y) ? 366 : 365) else { return "day-of-year \(doy) is not valid for year \(y)" }
            let fromDoy = DateTimeCalendarMath.days(y, 1, 1) + doy - 1
            if let e = epochDay, e != fromDoy {
                return "day-of-year \(doy) does not match \(DateTimeCalendarMath.text(y, month ?? 1, day ?? 1))"
            }
            epochDay = fromDoy
        }
        if let wd = weekday, let e = epochDay, DateTimeCalendarMath.weekday(e) != wd {
            let (y, m, d) = DateTimeCalendarMath.ymd(e)
            return "weekday \(DateTimeCalendarMath.weekdayNames[wd - 1]) does not match \(DateTimeCalendarMath.text(y, m, d)), "
                + "which is a \(DateTimeCalendarMath.weekdayNames[DateTimeCalendarMath.weekday(e) - 1])"
        }
        if let p = pm, let h = hour, (h >= 12) != (p == 1) { return "hour \(h) conflicts with \(p == 1 ? "PM" : "AM")" }
        if let h12 = hourOfAmPm, let h = hour, h % 12 != h12 { return "hour \(h) conflicts with clock hour \(h12)" }
        return nil
    }
}

/// Sequential, greedy matcher of an input string against pattern tokens, Character by Character.
///
/// This is the reference implementation; `ASCIIMatcher` must give the same result for all ASCII input without "\r".
struct PatternMatcher {
    let chars: [Character]
    var pos = 0
    var fields = ParsedFields()

    init(chars: [Character]) { self.chars = chars }

    /// nil when `string` matches `tokens` completely; otherwise the mismatch reason.
    static func mismatchReason(_ tokens: [PatternToken], _ string: String) -> String? {
        var matcher = PatternMatcher(chars: Array(string))
        do { try matcher.run(tokens) } catch { return error.reason }
        if matcher.pos < matcher.chars.count {
            let rest = String(matcher.chars[matcher.pos...].prefix(20))
            return "unexpected trailing text '\(rest)' at offset \(matcher.pos)"
        }
        return matcher.fields.crossCheck()
    }

    private func isDigit(_ i: Int) -> Bool { i < chars.count && chars[i].isASCII && chars[i].isNumber }
    private func isLetter(_ i: Int) -> Bool { i < chars.count && chars[i].isASCII && chars[i].isLetter }

    mutating func run(_ tokens: [PatternToken]) throws(PatternMismatch) {
        for (index, token) in tokens.enumerated() {
            switch token {
            case .literal(let text):
                for ch in text {
                    guard pos < chars.count, chars[pos] == ch else {
                        let found = pos < chars.count ? "'\(chars[pos])'" : "end of input"
                        throw PatternMismatch("expected '\(text)' at offset \(pos), found \(found)")
                    }
                    pos += 1
                }
            case .optional(let inner):
                let saved = self
                do { try run(inner) } catch { self = saved }
            case .field(let letter, let count):
                if let width = PatternToken.numericWidth(letter, count) {
                    var reserved = 0  // digits needed by directly adjacent numeric fields ("yyyyMMdd")
                    for next in tokens[(index + 1)...] {
                        guard case .field(let l, let n) = next, let w = PatternToken.numericWidth(l, n) else { break }
                        reserved += w.min
                    }
                    try number(letter, count, width, reserved: reserved)
                } else {
                    try text(letter, count)
                }
            }
        }
    }

    private mutating func assign(_ key: WritableKeyPath<ParsedFields, Int?>, _ value: Int, _ name: String, _ at: Int)
        throws(PatternMismatch) {
        if let old = fields[keyPath: key], old != value {
            throw PatternMismatch("value for '\(name)' at offset \(at) conflicts with an earlier field")
        }
        fields[keyPath: key] = value
    }

    private mutating func number(_ l: Character, _ n: Int, _ width: (min: Int, max: Int), reserved: Int)
        throws(PatternMismatch) {
        let name = String(repeating: l, count: n), start = pos
        var negative = false
        if (l == "u" || l == "Y") && n != 2 && pos < chars.count && chars[pos] == "-" { negative = true; pos += 1 }
        var available = 0
        while isDigit(pos + available) { available += 1 }
        guard available >= width.min else {
            let expected = width.min == width.max ? "\(width.min) digit\(width.min == 1 ? "" : "s")"
                : "\(width.min)-\(width.max) digits"
            throw PatternMismatch("expected \(expected) for '\(name)' at offset \(start)")
        }
        let take = Swift.max(width.min, Swift.min(width.max, available - reserved))
        let digits = String(chars[pos..<(pos + take)])
        pos += take
        var value = Int(digits) ?? 0
        if negative { value = -value }
        if let range = PatternToken.valueRange(l, n), !range.contains(value) {
            throw PatternMismatch("value \(digits) for '\(name)' at offset \(start) is out of range "
                + "\(range.lowerBound)-\(range.upperBound)")
        }
        switch l {
        case "y": try assign(\.yearOfEra, n == 2 ? 2000 + value : value, name, start)
        case "u": try assign(\.prolepticYear, n == 2 ? 2000 + value : value, name, start)
        case "M", "L": try assign(\.month, value, name, start)
        case "d": try assign(\.day, value, name, start)
        case "D": try assign(\.dayOfYear, value, name, start)
        case "H": try assign(\.hour, value, name, start)
        case "k": try assign(\.hour, value % 24, name, start)
        case "K", "h": try assign(\.hourOfAmPm, value % 12, name, start)
        case "Q", "q": try assign(\.quarter, value, name, start)
        case "e", "c": try assign(\.weekday, value, name, start)
        default: break
        }
    }

    /// Matches the longest candidate (case-insensitively) and returns its index.
    private mutating func choose(_ candidates: [String]) -> Int? {
        var best: (index: Int, length: Int)?
        for (index, candidate) in candidates.enumerated() {
            let cc = Array(candidate)
            guard pos + cc.count <= chars.count, cc.count > (best?.length ?? 0) else { continue }
            if cc.indices.allSatisfy({ chars[pos + $0].lowercased() == cc[$0].lowercased() }) {
                best = (index, cc.count)
            }
        }
        if let best { pos += best.length }
        return best?.index
    }

    private mutating func text(_ l: Character, _ n: Int) throws(PatternMismatch) {
        let name = String(repeating: l, count: n), start = pos
        func pick(_ candidates: [String], _ what: String) throws(PatternMismatch) -> Int {
            guard let index = choose(candidates) else {
                throw PatternMismatch("expected \(what) for '\(name)' at offset \(start)")
            }
            return index
        }
        func names(_ full: [String], _ short: [String]) -> [String] {
            n == 4 ? full : n == 5 ? full.map { String($0.prefix(1)) } : short
        }
        switch l {
        case "G":
            let era = try pick(n == 4 ? ["Before Christ", "Anno Domini"] : n == 5 ? ["B", "A"] : ["BC", "AD"], "an era")
            try assign(\.era, era, name, start)
        case "M", "L":
            let index = try pick(names(DateTimeCalendarMath.monthNames, DateTimeCalendarMath.monthShort), "a month name")
            if n != 5 { try assign(\.month, index + 1, name, start) }
        case "E", "e", "c":
            let index = try pick(names(DateTimeCalendarMath.weekdayNames, DateTimeCalendarMath.weekdayShort), "a weekday name")
            if n != 5 { try assign(\.weekday, index + 1, name, start) }
        case "a": try assign(\.pm, try pick(["AM", "PM"], "AM/PM"), name, start)
        case "Q", "q":
            let index = try pick(n == 4 ? DateTimeCalendarMath.quarterNames : ["Q1", "Q2", "Q3", "Q4"], "a quarter")
            try assign(\.quarter, index + 1, name, start)
        case "z": try zoneName(long: n == 4, name)
        case "Z" where n == 4:
            _ = try pick(["GMT"], "a GMT offset")
            if pos < chars.count, chars[pos] == "+" || chars[pos] == "-" {
                try offset(name, allowZ: false, colon: true, minutesOptional: false, seconds: true)
            }
        case "Z": try offset(name, allowZ: n == 5, colon: n == 5, minutesOptional: false, seconds: n == 5)
        case "X", "x":
            try offset(name, allowZ: l == "X", colon: n == 3 || n == 5, minutesOptional: n == 1, seconds: n >= 4)
        case "V": try zoneId(name)
        default: throw PatternMismatch("unsupported field '\(name)'")
        }
    }

    /// Reads exactly `count` ASCII digits, or returns nil without consuming anything.
    private mutating func digits(_ count: Int) -> Int? {
        guard (0..<count).allSatisfy({ isDigit(pos + $0) }) else { return nil }
        defer { pos += count }
        return Int(String(chars[pos..<(pos + count)]))
    }

    /// Matches offsets such as "Z", "+01", "+0130", "+01:30" and "+01:30:15".
    private mutating func offset(_ name: String, allowZ: Bool, colon: Bool, minutesOptional: Bool, seconds: Bool)
        throws(PatternMismatch) {
        let start = pos
        let failure = PatternMismatch("expected a zone offset for '\(name)' at offset \(start)")
        if allowZ, pos < chars.count, chars[pos] == "Z" { pos += 1; return }
        guard pos < chars.count, chars[pos] == "+" || chars[pos] == "-" else { throw failure }
        pos += 1
        guard let hours = digits(2) else { throw failure }
        guard hours <= 18 else { throw PatternMismatch("offset hours \(hours) for '\(name)' at offset \(start) exceed 18") }
        func part(_ m: inout PatternMatcher) -> Int? {
            let saved = m.pos
            if colon { guard m.pos < m.chars.count, m.chars[m.pos] == ":" else { return nil }; m.pos += 1 }
            guard let value = m.digits(2) else { m.pos = saved; return nil }
            return value
        }
        if let minutes = part(&self) {
            guard minutes <= 59 else { throw PatternMismatch("offset minutes \(minutes) for '\(name)' at offset \(start) exceed 59") }
            if seconds, let secs = part(&self), secs > 59 {
                throw PatternMismatch("offset seconds \(secs) for '\(name)' at offset \(start) exceed 59")
            }
        } else if !minutesOptional {
            throw failure
        }
    }

    /// Matches a zone name ("UTC", "PST", "GMT+5:30", or with `long` "Pacific Standard Time").
    mutating func zoneName(long: Bool, _ name: String) throws(PatternMismatch) {
        let start = pos
        var end = pos
        while isLetter(end) || (long && end > start && end < chars.count && " .'-".contains(chars[end])) { end += 1 }
        while end > start && !isLetter(end - 1) { end -= 1 }
        guard end > start else { throw PatternMismatch("expected a time-zone name for '\(name)' at offset \(start)") }
        pos = end
        looseOffset()
    }

    /// Optionally consumes "+H", "+HH", "+HHMM", "+H:MM" or "+HH:MM" after a zone name.
    private mutating func looseOffset() {
        let saved = pos
        guard pos < chars.count, chars[pos] == "+" || chars[pos] == "-" else { return }
        pos += 1
        var count = 0
        while count < 2 && isDigit(pos) { pos += 1; count += 1 }
        guard count > 0 else { pos = saved; return }
        let afterHours = pos
        if pos < chars.count, chars[pos] == ":" { pos += 1 }
        if digits(2) == nil { pos = afterHours }
    }

    /// Matches a region-based zone id ("Europe/London") or an offset-style id ("UTC", "Z", "GMT+01:00").
    private mutating func zoneId(_ name: String) throws(PatternMismatch) {
        var end = pos
        while end < chars.count, chars[end].isASCII,
              chars[end].isLetter || chars[end].isNumber || "/_+-:".contains(chars[end]) { end += 1 }
        while end > pos {
            let candidate = String(chars[pos..<end])
            if Self.isOffsetZoneId(candidate) || TimeZone(identifier: candidate) != nil { pos = end; return }
            end -= 1
        }
        throw PatternMismatch("expected a time-zone ID for '\(name)' at offset \(pos)")
    }

    static func isOffsetZoneId(_ id: String) -> Bool {
        if id == "Z" { return true }
        var rest = Substring(id)
        for prefix in ["UTC", "GMT", "UT"] where rest.hasPrefix(prefix) { rest = rest.dropFirst(prefix.count); break }
        if rest.isEmpty { return id != "" }
        guard let sign = rest.first, sign == "+" || sign == "-" else { return false }
        let body = rest.dropFirst().filter { $0 != ":" }
        return (1...6).contains(body.count) && body.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
