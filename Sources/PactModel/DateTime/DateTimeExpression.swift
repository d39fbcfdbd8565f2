import Foundation

/// Evaluates Pact generator date/time expressions relative to a base date.
///
/// Grammar (case-insensitive, whitespace-tolerant): `[date part] [@ time part]`.
/// - Date part: optional `now` | `today` | `yesterday` | `tomorrow`, then any number of `+ N unit`, `- N unit`,
///   `next unit` or `last unit`, where unit is day, week, fortnight, month, year, hour, minute, second,
///   millisecond (singular or plural), a weekday (`monday`, `mon`) or a month name (`june`, `jun`).
/// - Time part: optional `now` | `midnight` | `noon` | `N o'clock [am|pm]`, then `+ N`, `- N`, `next`
///   or `last` with hour, minute, second or millisecond units.
///
/// Days, weeks, months and years move the wall-clock date in the given time zone (months and years clamp the
/// day, so Jan 31 + 1 month is the last day of February); hours and smaller units add elapsed time.
/// `next monday` is the first Monday strictly after the date and `last monday` the last one strictly before;
/// `next june` is 1 June of the next June strictly after the current month and `last june` 1 June of the
/// previous one. `N o'clock` with `am`/`pm` is the usual 12-hour clock (12 am is midnight); without it, 0 and
/// 13-23 are 24-hour values, 12 is noon, and 1-11 is N:00 unless that is earlier than the time being
/// adjusted, in which case it is N+12:00.
public enum DateTimeExpression {
    /// Evaluates `expression` relative to `base`, doing calendar arithmetic in `timeZone`.
    public static func evaluate(_ expression: String, from base: Date, timeZone: TimeZone = .current)
        throws(DateTimeExpressionError) -> Date {
        var evaluator = Evaluator(expression: expression, timeZone: timeZone)
        return try evaluator.run(base)
    }
}

/// The error thrown when a date/time expression cannot be parsed or evaluated.
public struct DateTimeExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The offending expression text.
    public let expression: String
    /// A short human-readable explanation naming the offending token.
    public let reason: String

    /// Creates an error for `expression` with the given reason.
    public init(expression: String, reason: String) {
        self.expression = expression
        self.reason = reason
    }

    /// A message naming the expression and the reason.
    public var description: String { "invalid date/time expression '\(expression)': \(reason)" }
}

private struct ExpressionToken {
    enum Kind: Equatable { case plus, minus, at, number(Int), word(String) }
    let kind: Kind, text: String, offset: Int

    var word: String? { if case .word(let w) = kind { return w } else { return nil } }
    var quoted: String { "'\(text)' at offset \(offset)" }
}

private enum ExpressionUnit {
    case day, week, fortnight, month, year, hour, minute, second, millisecond
    case weekday(Int)  // ISO: Monday = 1
    case monthName(Int)

    var isTimeUnit: Bool {
        switch self {
        case .hour, .minute, .second, .millisecond: return true
        default: return false
        }
    }

    static func named(_ word: String) -> ExpressionUnit? {
        if let unit = exact(word) { return unit }
        if word.count > 2, word.hasSuffix("s"), let unit = exact(String(word.dropLast())) { return unit }
        return nil
    }

    private static func exact(_ w: String) -> ExpressionUnit? {
        switch w {
        case "day": return .day
        case "week": return .week
        case "fortnight": return .fortnight
        case "month": return .month
        case "year": return .year
        case "hour", "hr": return .hour
        case "minute", "min": return .minute
        case "second", "sec": return .second
        case "millisecond", "milli", "ms": return .millisecond
        case "sept": return .monthName(9)
        default: break
        }
        if let i = DateTimeCalendarMath.weekdayNames.firstIndex(where: { $0.lowercased() == w || $0.lowercased().prefix(3) == w }) {
            return .weekday(i + 1)
        }
        if let i = DateTimeCalendarMath.monthNames.firstIndex(where: { $0.lowercased() == w || $0.lowercased().prefix(3) == w }) {
            return .monthName(i + 1)
        }
        return nil
    }
}

private struct Evaluator {
    let expression: String
    var calendar: Calendar
    var tokens: [ExpressionToken] = []
    var index = 0

    init(expression: String, timeZone: TimeZone) {
        self.expression = expression
        calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
    }

    func fail(_ reason: String) -> DateTimeExpressionError {
        DateTimeExpressionError(expression: expression, reason: reason)
    }

    mutating func run(_ base: Date) throws(DateTimeExpressionError) -> Date {
        tokens = try lex()
        let at = tokens.firstIndex { $0.kind == .at }
        if let at, let second = tokens[(at + 1)...].first(where: { $0.kind == .at }) {
            throw fail("unexpected second '@' at offset \(second.offset)")
        }
        let all = tokens
        tokens = Array(all[..<(at ?? all.count)])
        var date = try datePart(base)
        if let at {
            tokens = Array(all[(at + 1)...])
            index = 0
            date = try timePart(date)
        }
        return date
    }

    private func lex() throws(DateTimeExpressionError) -> [ExpressionToken] {
        let chars = Array(expression)
        var result: [ExpressionToken] = []
        var i = 0
        while i < chars.count {
            let c = chars[i], start = i
            if c.isWhitespace { i += 1; continue }
            if c == "+" || c == "-" || c == "@" {
                result.append(ExpressionToken(kind: c == "+" ? .plus : c == "-" ? .minus : .at, text: String(c), offset: i))
                i += 1
            } else if c.isASCII && c.isNumber {
                while i < chars.count, chars[i].isASCII, chars[i].isNumber { i += 1 }
                let text = String(chars[start..<i])
                guard text.count <= 9, let value = Int(text) else {
                    throw fail("number '\(text)' at offset \(start) is too large")
                }
                result.append(ExpressionToken(kind: .number(value), text: text, offset: start))
            } else if c.isLetter {
                while i < chars.count, chars[i].isLetter || chars[i] == "'" || chars[i] == "\u{2019}" { i += 1 }
                let text = String(chars[start..<i])
                let word = text.lowercased().replacingOccurrences(of: "\u{2019}", with: "'")
                result.append(ExpressionToken(kind: .word(word), text: text, offset: start))
            } else {
                throw fail("unexpected character '\(c)' at offset \(i)")
            }
        }
        return result
    }

    private var current: ExpressionToken? { index < tokens.count ? tokens[index] : nil }

    private func found(_ token: ExpressionToken?) -> String {
        token.map { "found '\($0.text)'" } ?? "found end of expression"
    }

    private mutating func datePart(_ base: Date) throws(DateTimeExpressionError) -> Date {
        var date = base
        index = 0
        if let word = current?.word {
            switch word {
            case "now", "today": index += 1
            case "yesterday": date = try add(.day, -1, to: date); index += 1
            case "tomorrow": date = try add(.day, 1, to: date); index += 1
            default: break
            }
        }
        return try adjustments(date, timePart: false)
    }

    private mutating func timePart(_ date: Date) throws(DateTimeExpressionError) -> Date {
        var date = date
        switch current?.kind {
        case .word("now"): index += 1
        case .word("midnight"): date = try setHour(0, of: date); index += 1
        case .word("noon"): date = try setHour(12, of: date); index += 1
        case .number(let hour):
            let hourToken = tokens[index]
            index += 1
            guard let word = current?.word, word == "o'clock" || word == "oclock" else {
                throw fail("expected \"o'clock\" after \(hourToken.quoted), \(found(current))")
            }
            index += 1
            if let meridiem = current?.word, meridiem == "am" || meridiem == "pm" {
                index += 1
                guard (1...12).contains(hour) else {
                    throw fail("hour \(hourToken.quoted) is out of range 1-12 for '\(meridiem)'")
                }
                date = try setHour(hour % 12 + (meridiem == "pm" ? 12 : 0), of: date)
            } else {
                guard (0...23).contains(hour) else { throw fail("hour \(hourToken.quoted) is out of range 0-23") }
                var target = hour
                if (1...11).contains(hour) {
                    let c = calendar.dateComponents([.hour, .minute, .second, .nanosecond], from: date)
                    let seconds = ((c.hour ?? 0) * 60 + (c.minute ?? 0)) * 60 + (c.second ?? 0)
                    if hour * 3600 < seconds || (hour * 3600 == seconds && (c.nanosecond ?? 0) > 0) { target += 12 }
                }
                date = try setHour(target, of: date)
            }
        default: break
        }
        return try adjustments(date, timePart: true)
    }

    private mutating func adjustments(_ start: Date, timePart: Bool) throws(DateTimeExpressionError) -> Date {
        var date = start
        while let token = current {
            index += 1
            let sign: Int, amount: Int
            switch token.kind {
            case .plus, .minus:
                guard case .number(let n)? = current?.kind else {
                    throw fail("expected a number after \(token.quoted), \(found(current))")
                }
                sign = token.kind == .plus ? 1 : -1
                amount = n
                index += 1
            case .word("next"), .word("last"):
                sign = token.word == "next" ? 1 : -1
                amount = 1
            case .word(let w) where ["now", "today", "yesterday", "tomorrow", "midnight", "noon"].contains(w):
                throw fail("\(token.quoted) can only appear at the start of the \(timePart ? "time" : "date") part")
            default:
                throw fail("unexpected \(token.quoted); expected '+', '-', 'next' or 'last'")
            }
            guard let unitToken = current, let word = unitToken.word else {
                throw fail("expected a unit after '\(tokens[index - 1].text)' at offset \(tokens[index - 1].offset), \(found(current))")
            }
            guard let unit = ExpressionUnit.named(word) else { throw fail("unknown unit \(unitToken.quoted)") }
            if timePart && !unit.isTimeUnit {
                throw fail("unit \(unitToken.quoted) cannot be used in the time part (after '@')")
            }
            index += 1
            date = try add(unit, sign * amount, to: date)
        }
        return date
    }

    private func add(_ unit: ExpressionUnit, _ n: Int, to date: Date) throws(DateTimeExpressionError) -> Date {
        let result: Date?
        switch unit {
        case .day: result = calendar.date(byAdding: .day, value: n, to: date)
        case .week: result = calendar.date(byAdding: .day, value: 7 * n, to: date)
        case .fortnight: result = calendar.date(byAdding: .day, value: 14 * n, to: date)
        case .month: result = calendar.date(byAdding: .month, value: n, to: date)
        case .year: result = calendar.date(byAdding: .year, value: n, to: date)
        case .hour: result = date.addingTimeInterval(3600 * Double(n))
        case .minute: result = date.addingTimeInterval(60 * Double(n))
        case .second: result = date.addingTimeInterval(Double(n))
        case .millisecond: result = date.addingTimeInterval(Double(n) / 1000)
        case .weekday(let target):
            guard n != 0 else { return date }
            let iso = (calendar.component(.weekday, from: date) + 5) % 7 + 1
            let first = n > 0 ? (target - iso + 6) % 7 + 1 : -((iso - target + 6) % 7 + 1)
            result = calendar.date(byAdding: .day, value: first + 7 * (n - n.signum()), to: date)
        case .monthName(let target):
            guard n != 0 else { return date }
            let c = calendar.dateComponents([.year, .month, .day], from: date)
            let (y, m, d) = (c.year ?? 1970, c.month ?? 1, c.day ?? 1)
            let step = n > 0 ? (target - m + 11) % 12 + 1 : -((m - target + 11) % 12 + 1)
            let months = (m - 1) + step + 12 * (n - n.signum())
            let newYear = y + DateTimeCalendarMath.floorDiv(months, 12), newMonth = months - DateTimeCalendarMath.floorDiv(months, 12) * 12 + 1
            let delta = DateTimeCalendarMath.days(newYear, newMonth, 1) - DateTimeCalendarMath.days(y, m, d)
            result = calendar.date(byAdding: .day, value: delta, to: date)
        }
        guard let result, result.timeIntervalSince1970.isFinite else { throw fail("the resulting date is out of range") }
        return result
    }

    private func setHour(_ hour: Int, of date: Date) throws(DateTimeExpressionError) -> Date {
        var c = calendar.dateComponents([.era, .year, .month, .day], from: date)
        (c.hour, c.minute, c.second, c.nanosecond) = (hour, 0, 0, 0)
        guard let result = calendar.date(from: c) else { throw fail("the resulting date is out of range") }
        return result
    }
}
