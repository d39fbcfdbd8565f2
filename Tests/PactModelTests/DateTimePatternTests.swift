import Foundation
import PactModel
import Testing

private let utc = TimeZone(identifier: "UTC")!

private func utcDate(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = utc
    return calendar.date(from: DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: s))!
}

private func pattern(_ text: String) throws -> DateTimePattern { try DateTimePattern(text) }

// MARK: - Matching

@Suite("DateTimePattern matching")
struct DateTimePatternMatchingTests {
    @Test("Pact default patterns accept typical values", arguments: [
        ("yyyy-MM-dd", "2023-07-19"),
        ("HH:mm:ss", "23:59:59"),
        ("yyyy-MM-dd'T'HH:mm:ssXXX", "2023-07-19T10:15:30+01:00"),
        ("yyyy-MM-dd'T'HH:mm:ssXXX", "2023-07-19T10:15:30Z"),
        ("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2023-07-19T10:15:30.123-05:00"),
        ("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX", "2023-07-19T10:15:30.123456Z"),
        ("EEE, dd MMM yyyy HH:mm:ss z", "Wed, 19 Jul 2023 10:15:30 GMT"),
        ("EEE, dd MMM yyyy HH:mm:ss z", "Wed, 19 Jul 2023 10:15:30 PST"),
        ("dd/MM/yyyy", "19/07/2023"),
        ("h:mm a", "3:07 PM"),
        ("h:mm a", "12:00 am"),
    ])
    func defaultPatternsMatch(_ args: (String, String)) throws {
        let p = try pattern(args.0)
        #expect(p.mismatchReason(for: args.1) == nil)
        #expect(p.matches(args.1))
    }

    @Test("yyyy-MM-dd rejects malformed dates with a precise reason", arguments: [
        ("23/07/19", "expected 4 digits for 'yyyy' at offset 0"),
        ("2023-13-01", "value 13 for 'MM' at offset 5 is out of range 1-12"),
        ("2023-00-01", "value 00 for 'MM' at offset 5 is out of range 1-12"),
        ("2023-02-30", "day 30 is not valid for February 2023"),
        ("2023-04-31", "day 31 is not valid for April 2023"),
        ("2023-07-19x", "unexpected trailing text 'x' at offset 10"),
        ("2023-7-19", "expected 2 digits for 'MM' at offset 5"),
        ("2023/07/19", "expected '-' at offset 4, found '/'"),
        ("2023-07", "expected '-' at offset 7, found end of input"),
        ("", "expected 4 digits for 'yyyy' at offset 0"),
    ])
    func strictDateRejection(_ args: (String, String)) throws {
        #expect(try pattern("yyyy-MM-dd").mismatchReason(for: args.0) == args.1)
        #expect(try !pattern("yyyy-MM-dd").matches(args.0))
    }

    @Test("Leap years are honoured for 29 February and day-of-year 366")
    func leapYears() throws {
        let ymd = try pattern("yyyy-MM-dd")
        #expect(ymd.matches("2024-02-29"))
        #expect(ymd.matches("2000-02-29"))
        #expect(ymd.mismatchReason(for: "2023-02-29") == "day 29 is not valid for February 2023")
        #expect(!ymd.matches("1900-02-29"))
        #expect(try pattern("yy-MM-dd").matches("00-02-29"))  // yy is 2000-2099
        #expect(try !pattern("yy-MM-dd").matches("01-02-29"))
        #expect(try pattern("dd/MM").matches("29/02"))  // no year: February may have 29 days
        #expect(try !pattern("dd/MM").matches("30/02"))
        let ordinal = try pattern("yyyy-DDD")
        #expect(ordinal.matches("2024-366"))
        #expect(ordinal.mismatchReason(for: "2023-366") == "day-of-year 366 is not valid for year 2023")
        #expect(try !pattern("DDD").matches("367"))
    }

    @Test("Year fields: y, yy, yyyy, u with sign, era G")
    func yearFields() throws {
        #expect(try pattern("y-M-d").matches("12345-1-2"))
        #expect(try pattern("y-M-d").matches("5-12-31"))
        #expect(try !pattern("y").matches("0"))
        #expect(try pattern("yyyy").mismatchReason(for: "12345") == "unexpected trailing text '5' at offset 4")
        #expect(try pattern("yy").mismatchReason(for: "2023") == "unexpected trailing text '23' at offset 2")
        #expect(try pattern("u-MM-dd").matches("-44-03-15"))
        #expect(try pattern("G yyyy").matches("AD 2023"))
        #expect(try pattern("G yyyy").matches("bc 0044"))
        #expect(try pattern("GGGG yyyy").matches("Anno Domini 2023"))
        #expect(try pattern("G").mismatchReason(for: "CE") == "expected an era for 'G' at offset 0")
        #expect(try pattern("yyyy uuuu").mismatchReason(for: "2023 2024") == "year 2024 conflicts with year-of-era 2023")
    }

    @Test("Adjacent numeric fields split by width, as in yyyyMMdd")
    func adjacentNumbers() throws {
        #expect(try pattern("yyyyMMdd").matches("20230719"))
        #expect(try pattern("yyyyMMddHHmmss").matches("20230719101530"))
        #expect(try pattern("yMMdd").matches("20230719"))
        #expect(try !pattern("yyyyMMdd").matches("2023719"))
        #expect(try pattern("yyyyMMdd").mismatchReason(for: "20231319") == "value 13 for 'MM' at offset 4 is out of range 1-12")
    }

    @Test("Month names are English and case-insensitive")
    func monthNames() throws {
        let short = try pattern("dd MMM yyyy")
        #expect(short.matches("19 Jul 2023"))
        #expect(short.matches("19 jul 2023"))
        #expect(short.matches("19 JUL 2023"))
        #expect(short.mismatchReason(for: "19 July 2023") == "expected ' ' at offset 6, found 'y'")
        #expect(short.mismatchReason(for: "19 Jly 2023") == "expected a month name for 'MMM' at offset 3")
        let full = try pattern("d MMMM yyyy")
        #expect(full.matches("1 September 2023"))
        #expect(full.mismatchReason(for: "31 April 2023") == "day 31 is not valid for April 2023")
        #expect(try pattern("M/d").matches("7/4"))
        #expect(try pattern("LLL").matches("Dec"))
        #expect(try pattern("MMMMM").matches("J"))
    }

    @Test("Weekday names are checked against the date when it is complete")
    func weekdays() throws {
        let rfc = try pattern("EEE, dd MMM yyyy")
        #expect(rfc.matches("Wed, 19 Jul 2023"))
        #expect(rfc.matches("wed, 19 Jul 2023"))
        #expect(rfc.mismatchReason(for: "Mon, 19 Jul 2023")
            == "weekday Monday does not match 2023-07-19, which is a Wednesday")
        #expect(try pattern("EEEE").matches("thursday"))
        #expect(try pattern("E").matches("Sun"))
        #expect(try pattern("EEEE").mismatchReason(for: "Funday") == "expected a weekday name for 'EEEE' at offset 0")
        #expect(try pattern("e").matches("7"))
        #expect(try pattern("e").mismatchReason(for: "8") == "value 8 for 'e' at offset 0 is out of range 1-7")
        #expect(try pattern("yyyy-MM-dd e").matches("2023-07-19 3"))  // ISO numbering: Monday = 1
        #expect(try !pattern("yyyy-MM-dd e").matches("2023-07-19 4"))
        #expect(try pattern("ccc").matches("Fri"))
    }

    @Test("Hour families enforce their own ranges", arguments: [
        ("H", "0", true), ("H", "23", true), ("H", "24", false),
        ("k", "24", true), ("k", "0", false),
        ("K", "0", true), ("K", "11", true), ("K", "12", false),
        ("h", "12", true), ("h", "1", true), ("h", "0", false), ("h", "13", false),
        ("HH", "7", false), ("HH", "07", true), ("H", "7", true),
        ("mm", "59", true), ("mm", "60", false), ("ss", "60", false), ("m", "5", true),
    ])
    func hourRanges(_ args: (String, String, Bool)) throws {
        #expect(try pattern(args.0).matches(args.1) == args.2)
    }

    @Test("AM/PM marker is case-insensitive and must agree with a 24-hour field")
    func amPm() throws {
        let clock = try pattern("h:mm a")
        #expect(clock.matches("1:30 pm"))
        #expect(clock.mismatchReason(for: "1:30 XM") == "expected AM/PM for 'a' at offset 5")
        #expect(clock.mismatchReason(for: "1:3 PM") == "expected 2 digits for 'mm' at offset 2")
        #expect(try pattern("HH:mm a").matches("13:00 PM"))
        #expect(try pattern("HH:mm a").mismatchReason(for: "13:00 AM") == "hour 13 conflicts with AM")
        #expect(try pattern("HH:mm:ss").mismatchReason(for: "10:15:60") == "value 60 for 'ss' at offset 6 is out of range 0-59")
    }

    @Test("Fractions, nanos and milli-of-day need the right digit counts")
    func fractions() throws {
        let millis = try pattern("ss.SSS")
        #expect(millis.matches("05.123"))
        #expect(millis.mismatchReason(for: "05.12") == "expected 3 digits for 'SSS' at offset 3")
        #expect(millis.mismatchReason(for: "05.1234") == "unexpected trailing text '4' at offset 6")
        #expect(try pattern("SSSSSSSSS").matches("123456789"))
        #expect(try pattern("n").matches("123456789"))
        #expect(try pattern("A").matches("86399999"))
        #expect(try pattern("A").mismatchReason(for: "86400000") == "value 86400000 for 'A' at offset 0 is out of range 0-86399999")
    }

    @Test("Week-of-year, week-based year and quarter fields")
    func weekAndQuarter() throws {
        #expect(try pattern("YYYY-'W'ww-e").matches("2023-W29-3"))
        #expect(try pattern("w").mismatchReason(for: "54") == "value 54 for 'w' at offset 0 is out of range 1-53")
        #expect(try pattern("QQQ yyyy").matches("Q3 2023"))
        #expect(try pattern("QQQQ").matches("3rd quarter"))
        #expect(try pattern("Q").matches("4"))
        #expect(try pattern("Q/MM").mismatchReason(for: "2/07") == "quarter 2 does not match month 7")
        #expect(try !pattern("q").matches("5"))
    }

    @Test("Offset and zone fields", arguments: [
        ("XXX", "Z", true), ("XXX", "+05:30", true), ("XXX", "-08:00", true), ("XXX", "+0530", false),
        ("XXX", "+19:00", false), ("XXX", "+05:60", false), ("XXX", "z", false),
        ("XX", "+0530", true), ("XX", "Z", true), ("XX", "+05:30", false),
        ("X", "+05", true), ("X", "+0530", true), ("X", "Z", true),
        ("XXXXX", "+05:30:15", true), ("XXXX", "+053015", true),
        ("x", "Z", false), ("x", "+00", true), ("xxx", "-03:00", true),
        ("Z", "+0000", true), ("Z", "Z", false), ("ZZZ", "-0800", true),
        ("ZZZZ", "GMT", true), ("ZZZZ", "GMT+08:00", true), ("ZZZZ", "UTC", false),
        ("ZZZZZ", "Z", true), ("ZZZZZ", "+01:00", true),
        ("z", "UTC", true), ("z", "PST", true), ("z", "GMT+5:30", true), ("z", "+05", false),
        ("zzzz", "Pacific Standard Time", true), ("zzzz", "Coordinated Universal Time", true),
        ("VV", "Europe/London", true), ("VV", "America/Los_Angeles", true), ("VV", "UTC", true),
        ("VV", "Z", true), ("VV", "Mars/Olympus_Mons", false), ("VV", "+01:00", true),
    ])
    func zones(_ args: (String, String, Bool)) throws {
        #expect(try pattern(args.0).matches(args.1) == args.2)
    }

    @Test("Zone mismatches name the field and offset")
    func zoneReasons() throws {
        #expect(try pattern("HH:mmXXX").mismatchReason(for: "10:15+0100") == "expected a zone offset for 'XXX' at offset 5")
        #expect(try pattern("HH:mmXXX").mismatchReason(for: "10:15+20:00") == "offset hours 20 for 'XXX' at offset 5 exceed 18")
        #expect(try pattern("VV").mismatchReason(for: "Nowhere/City") == "expected a time-zone ID for 'VV' at offset 0")
        #expect(try pattern("'['VV']'").matches("[Europe/Paris]"))
    }

    @Test("Quoted literals, escaped quotes and optional sections")
    func literals() throws {
        let iso = try pattern("yyyy-MM-dd'T'HH:mm")
        #expect(iso.matches("2023-07-19T10:15"))
        #expect(iso.mismatchReason(for: "2023-07-19t10:15") == "expected 'T' at offset 10, found 't'")
        #expect(try pattern("hh 'o''clock' a").matches("10 o'clock AM"))
        #expect(try pattern("HH''mm").matches("10'30"))
        let optional = try pattern("HH:mm[:ss]")
        #expect(optional.matches("10:15"))
        #expect(optional.matches("10:15:30"))
        #expect(optional.mismatchReason(for: "10:15:3") == "unexpected trailing text ':3' at offset 5")
        #expect(try pattern("yyyy.MM.dd, HH/mm").matches("2023.07.19, 10/15"))
    }

    @Test("Invalid pattern syntax throws a descriptive error", arguments: [
        ("yyyy-bb", "unknown pattern letter 'b' at offset 5"),
        ("yyyy-MM-dd'T", "unterminated quoted literal starting at offset 10"),
        ("ddd", "'ddd' at offset 0 has an unsupported number of 'd' letters"),
        ("HH]", "']' at offset 2 has no matching '['"),
        ("yyyy#", "reserved character '#' at offset 4"),
        ("V", "'V' at offset 0 has an unsupported number of 'V' letters"),
        ("aa", "'aa' at offset 0 has an unsupported number of 'a' letters"),
    ])
    func patternErrors(_ args: (String, String)) {
        #expect(throws: DateTimePatternError(pattern: args.0, reason: args.1)) { try DateTimePattern(args.0) }
    }

    @Test("Pattern value semantics and descriptions")
    func valueSemantics() throws {
        #expect(try pattern("yyyy") == pattern("yyyy"))
        #expect(try pattern("yyyy") != pattern("yy"))
        #expect(try Set([pattern("yyyy"), pattern("yyyy"), pattern("MM")]).count == 2)
        #expect(try pattern("HH:mm").description == "HH:mm")
        #expect(try pattern("HH:mm").pattern == "HH:mm")
        let error = DateTimePatternError(pattern: "b", reason: "unknown pattern letter 'b' at offset 0")
        #expect(error.description == "invalid date/time pattern 'b': unknown pattern letter 'b' at offset 0")
    }
}

// MARK: - Formatting

@Suite("DateTimePattern formatting")
struct DateTimePatternFormattingTests {
    // 2023-07-19T10:15:30.125Z, a Wednesday (fraction exactly representable in binary).
    let instant = utcDate(2023, 7, 19, 10, 15, 30).addingTimeInterval(0.125)

    @Test("Formats Pact default patterns in UTC and in an offset zone")
    func defaults() throws {
        #expect(try pattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").format(instant, timeZone: utc) == "2023-07-19T10:15:30.125Z")
        let india = TimeZone(secondsFromGMT: 19_800)!
        #expect(try pattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").format(instant, timeZone: india) == "2023-07-19T15:45:30.125+05:30")
        #expect(try pattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX").format(instant, timeZone: utc) == "2023-07-19T10:15:30.125000Z")
        #expect(try pattern("dd/MM/yyyy").format(instant, timeZone: utc) == "19/07/2023")
        #expect(try pattern("h:mm a").format(instant, timeZone: utc) == "10:15 AM")
        #expect(try pattern("h:mm a").format(utcDate(2023, 7, 19, 0, 5), timeZone: utc) == "12:05 AM")
        let rfc = try pattern("EEE, dd MMM yyyy HH:mm:ss z").format(instant, timeZone: utc)
        #expect(rfc.hasPrefix("Wed, 19 Jul 2023 10:15:30 "))
    }

    @Test("Formats every letter family")
    func letterFamilies() throws {
        let text = try pattern("G yyyy yy y uuuu MMMM MMM MM M D w e EEEE E QQQ QQQQ k K A n SS").format(instant, timeZone: utc)
        #expect(text == "AD 2023 23 2023 2023 July Jul 07 7 200 29 3 Wednesday Wed Q3 3rd quarter 10 10 36930125 125000000 12")
        let la = TimeZone(identifier: "America/Los_Angeles")!
        #expect(try pattern("HH Z ZZZZ ZZZZZ X XX XXX x VV").format(instant, timeZone: la)
            == "03 -0700 GMT-07:00 -07:00 -07 -0700 -07:00 -07 America/Los_Angeles")
        #expect(try pattern("Z ZZZZ ZZZZZ X x").format(instant, timeZone: utc) == "+0000 GMT Z Z +00")
        #expect(try pattern("X").format(instant, timeZone: TimeZone(secondsFromGMT: 19_800)!) == "+0530")
        #expect(try pattern("YYYY-'W'ww-e").format(utcDate(2021, 1, 1), timeZone: utc) == "2020-W53-5")
        #expect(try pattern("GGGG yyyy").format(Date(timeIntervalSince1970: -63_000_000_000), timeZone: utc) == "Before Christ 0028")
    }

    static let roundTripPatterns = [
        "yyyy-MM-dd", "HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ssXXX", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
        "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX", "EEE, dd MMM yyyy HH:mm:ss z", "dd/MM/yyyy", "h:mm a",
        "G yyyy y u uuuu YYYY MM M MMM MMMM MMMMM L d dd D DDD E EEEE EEEEE e ee c ccc cccc",
        "a H HH k kk K KK h hh m mm s ss S SSSSSSSSS n nnnnnnnnn A w ww Q QQ QQQ QQQQ q",
        "z Z ZZZZ ZZZZZ X XX XXX XXXX XXXXX x xx xxx xxxx xxxxx VV", "zzzz",
        "yyyyMMddHHmmssSSS", "yy-MM-dd", "yyyy-DDD'T'HH[:mm]", "hh 'o''clock' a, EEEE d MMMM u",
    ]
    static let roundTripZones = ["UTC", "America/Los_Angeles", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe"]

    @Test("format output always matches its own pattern", arguments: roundTripPatterns)
    func roundTrip(_ text: String) throws {
        let p = try pattern(text)
        let dates = [
            utcDate(2023, 7, 19, 10, 15, 30), utcDate(2024, 2, 29, 23, 59, 59), utcDate(2000, 1, 1),
            utcDate(2021, 1, 1, 12), utcDate(1999, 12, 31, 23, 30), utcDate(2024, 12, 30, 0, 0, 1),
            utcDate(1970, 1, 1).addingTimeInterval(0.999_999), Date(timeIntervalSince1970: 1_700_000_000.5),
            utcDate(1582, 10, 10, 6),
        ]
        // Years before 1 AD only round-trip when the pattern carries the era (G) or a signed year (u).
        + (text.contains("G") || text.contains("u") ? [Date(timeIntervalSince1970: -63_000_000_000)] : [])
        for zone in Self.roundTripZones.compactMap(TimeZone.init(identifier:)) {
            for date in dates {
                let formatted = p.format(date, timeZone: zone)
                #expect(p.mismatchReason(for: formatted) == nil, "\(text) -> \(formatted) in \(zone.identifier)")
            }
        }
    }
}

// MARK: - Expressions

@Suite("DateTimeExpression evaluation")
struct DateTimeExpressionTests {
    // 2000-01-01T10:00:00Z is a Saturday.
    let base = utcDate(2000, 1, 1, 10)

    private func evaluate(_ expression: String, from start: Date? = nil) throws -> Date {
        try DateTimeExpression.evaluate(expression, from: start ?? base, timeZone: utc)
    }

    @Test("Date part forms resolve relative to the base", arguments: [
        ("", utcDate(2000, 1, 1, 10)),
        ("   ", utcDate(2000, 1, 1, 10)),
        ("now", utcDate(2000, 1, 1, 10)),
        ("today", utcDate(2000, 1, 1, 10)),
        ("yesterday", utcDate(1999, 12, 31, 10)),
        ("tomorrow", utcDate(2000, 1, 2, 10)),
        ("+ 1 day", utcDate(2000, 1, 2, 10)),
        ("+ 1 week", utcDate(2000, 1, 8, 10)),
        ("- 2 weeks", utcDate(1999, 12, 18, 10)),
        ("+ 4 years", utcDate(2004, 1, 1, 10)),
        ("tomorrow+ 4 years", utcDate(2004, 1, 2, 10)),
        ("today + 1 week - 2 days", utcDate(2000, 1, 6, 10)),
        ("+ 1 day - 2 weeks", utcDate(1999, 12, 19, 10)),
        ("now + 2 hours", utcDate(2000, 1, 1, 12)),
        ("now - 90 minutes + 30 seconds", utcDate(2000, 1, 1, 8, 30, 30)),
        ("+ 3 months", utcDate(2000, 4, 1, 10)),
        ("next week", utcDate(2000, 1, 8, 10)),
        ("last month", utcDate(1999, 12, 1, 10)),
        ("next year", utcDate(2001, 1, 1, 10)),
        ("next fortnight", utcDate(2000, 1, 15, 10)),
        ("next monday", utcDate(2000, 1, 3, 10)),
        ("next mon", utcDate(2000, 1, 3, 10)),
        ("last wednesday", utcDate(1999, 12, 29, 10)),
        ("next saturday", utcDate(2000, 1, 8, 10)),
        ("last saturday", utcDate(1999, 12, 25, 10)),
        ("+ 2 mondays", utcDate(2000, 1, 10, 10)),
        ("last december", utcDate(1999, 12, 1, 10)),
        ("next jan", utcDate(2001, 1, 1, 10)),
        ("next june + 2 weeks", utcDate(2000, 6, 15, 10)),
        ("last mon + 2 weeks", utcDate(2000, 1, 10, 10)),
        ("last december + 2 weeks + 4 days", utcDate(1999, 12, 19, 10)),
        ("  TODAY+1DAY  ", utcDate(2000, 1, 2, 10)),
        ("Next Monday", utcDate(2000, 1, 3, 10)),
    ])
    func dateForms(_ args: (String, Date)) throws {
        #expect(try evaluate(args.0) == args.1, "\(args.0)")
    }

    @Test("Time part forms after '@'", arguments: [
        ("@ now", utcDate(2000, 1, 1, 10)),
        ("@ midnight", utcDate(2000, 1, 1, 0)),
        ("@ noon", utcDate(2000, 1, 1, 12)),
        ("@ 2 o'clock", utcDate(2000, 1, 1, 14)),
        ("@ 11 o'clock", utcDate(2000, 1, 1, 11)),
        ("@ 10 o'clock", utcDate(2000, 1, 1, 10)),
        ("@ 9 o'clock", utcDate(2000, 1, 1, 21)),
        ("@ 12 o'clock", utcDate(2000, 1, 1, 12)),
        ("@ 14 o'clock", utcDate(2000, 1, 1, 14)),
        ("@ 0 o'clock", utcDate(2000, 1, 1, 0)),
        ("@ 3 o'clock pm", utcDate(2000, 1, 1, 15)),
        ("@ 3 o'clock am", utcDate(2000, 1, 1, 3)),
        ("@ 12 o'clock am", utcDate(2000, 1, 1, 0)),
        ("@ 12 o'clock pm", utcDate(2000, 1, 1, 12)),
        ("@ 1 oclock PM", utcDate(2000, 1, 1, 13)),
        ("@ + 1 hour", utcDate(2000, 1, 1, 11)),
        ("@ - 2 minutes", utcDate(2000, 1, 1, 9, 58)),
        ("@ + 4 seconds", utcDate(2000, 1, 1, 10, 0, 4)),
        ("@ midnight+ 4 minutes", utcDate(2000, 1, 1, 0, 4)),
        ("@ next hour", utcDate(2000, 1, 1, 11)),
        ("@ last minute", utcDate(2000, 1, 1, 9, 59)),
        ("@ now + 2 hours - 4 minutes", utcDate(2000, 1, 1, 11, 56)),
        ("@  + 2 hours - 4 minutes", utcDate(2000, 1, 1, 11, 56)),
        ("@", utcDate(2000, 1, 1, 10)),
    ])
    func timeForms(_ args: (String, Date)) throws {
        #expect(try evaluate(args.0) == args.1, "\(args.0)")
    }

    @Test("Combined date and time expressions", arguments: [
        ("today @ 1 o'clock", utcDate(2000, 1, 1, 13)),
        ("tomorrow @ 10 o'clock", utcDate(2000, 1, 2, 10)),
        ("yesterday @ midnight", utcDate(1999, 12, 31)),
        ("yesterday @ midnight - 1 hour", utcDate(1999, 12, 30, 23)),
        ("yesterday @ noon + 30 minutes", utcDate(1999, 12, 31, 12, 30)),
        ("tomorrow @ now", utcDate(2000, 1, 2, 10)),
        ("+ 1 day @ noon", utcDate(2000, 1, 2, 12)),
        ("+ 1 week @ +1 hour", utcDate(2000, 1, 8, 11)),
        ("- 2 weeks @ now + 1 hour", utcDate(1999, 12, 18, 11)),
        ("+ 4 years @ midnight", utcDate(2004, 1, 1)),
        ("next week @ next hour", utcDate(2000, 1, 8, 11)),
        ("last month @ last hour", utcDate(1999, 12, 1, 9)),
    ])
    func combinedForms(_ args: (String, Date)) throws {
        #expect(try evaluate(args.0) == args.1, "\(args.0)")
    }

    @Test("Millisecond offsets are applied exactly")
    func milliseconds() throws {
        let result = try evaluate("tomorrow+ 4 years @ 3 o'clock + 40 milliseconds")
        #expect(abs(result.timeIntervalSince(utcDate(2004, 1, 2, 15)) - 0.040) < 1e-6)
        #expect(abs(try evaluate("@ + 4 milliseconds").timeIntervalSince(base) - 0.004) < 1e-6)
        #expect(abs(try evaluate("now + 1500 ms").timeIntervalSince(base) - 1.5) < 1e-6)
    }

    @Test("Month and year arithmetic clamps the day of month")
    func monthClamping() throws {
        #expect(try evaluate("+ 1 month", from: utcDate(2023, 1, 31, 8)) == utcDate(2023, 2, 28, 8))
        #expect(try evaluate("+ 1 month", from: utcDate(2024, 1, 31, 8)) == utcDate(2024, 2, 29, 8))
        #expect(try evaluate("- 1 month", from: utcDate(2023, 3, 31)) == utcDate(2023, 2, 28))
        #expect(try evaluate("+ 1 year", from: utcDate(2024, 2, 29)) == utcDate(2025, 2, 28))
        #expect(try evaluate("next month", from: utcDate(2023, 12, 31)) == utcDate(2024, 1, 31))
    }

    @Test("Calendar units keep wall-clock time across a DST change in the given zone")
    func timeZoneAware() throws {
        let newYork = TimeZone(identifier: "America/New_York")!
        // 2023-03-11 12:00 EST (17:00Z); DST starts on 2023-03-12.
        let start = utcDate(2023, 3, 11, 17)
        #expect(try DateTimeExpression.evaluate("+ 1 day", from: start, timeZone: newYork) == utcDate(2023, 3, 12, 16))
        #expect(try DateTimeExpression.evaluate("+ 24 hours", from: start, timeZone: newYork) == utcDate(2023, 3, 12, 17))
        // 2000-01-01T03:00Z is 1999-12-31 22:00 in New York; midnight there is 05:00Z.
        #expect(try DateTimeExpression.evaluate("@ midnight", from: utcDate(2000, 1, 1, 3), timeZone: newYork)
            == utcDate(1999, 12, 31, 5))
    }

    @Test("Invalid expressions throw with a reason naming the offending token", arguments: [
        ("+ day", "expected a number after '+' at offset 0, found 'day'"),
        ("+ 1 fortnite", "unknown unit 'fortnite' at offset 4"),
        ("+ 1", "expected a unit after '1' at offset 2, found end of expression"),
        ("today today", "'today' at offset 6 can only appear at the start of the date part"),
        ("soon", "unexpected 'soon' at offset 0; expected '+', '-', 'next' or 'last'"),
        ("next 2 weeks", "expected a unit after 'next' at offset 0, found '2'"),
        ("+ 1 day #", "unexpected character '#' at offset 8"),
        ("+ 99999999999 days", "number '99999999999' at offset 2 is too large"),
        ("@ 13 o'clock pm", "hour '13' at offset 2 is out of range 1-12 for 'pm'"),
        ("@ 25 o'clock", "hour '25' at offset 2 is out of range 0-23"),
        ("@ 10", "expected \"o'clock\" after '10' at offset 2, found end of expression"),
        ("@ + 1 day", "unit 'day' at offset 6 cannot be used in the time part (after '@')"),
        ("@ noon midnight", "'midnight' at offset 7 can only appear at the start of the time part"),
        ("now @ noon @ midnight", "unexpected second '@' at offset 11"),
        ("1 day", "unexpected '1' at offset 0; expected '+', '-', 'next' or 'last'"),
    ])
    func invalidExpressions(_ args: (String, String)) {
        let error = #expect(throws: DateTimeExpressionError.self) { try evaluate(args.0) }
        #expect(error?.reason == args.1)
        #expect(error?.expression == args.0)
    }

    @Test("Expression error description names the expression")
    func errorDescription() {
        let error = DateTimeExpressionError(expression: "soon", reason: "unexpected 'soon' at offset 0")
        #expect(error.description == "invalid date/time expression 'soon': unexpected 'soon' at offset 0")
    }
}
