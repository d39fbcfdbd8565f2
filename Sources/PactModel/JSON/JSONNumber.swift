import Foundation

/// A JSON number kept exactly as written, so integers beyond 64 bits and decimals never lose digits.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number's text in JSON syntax, as read or as produced.
    public let literal: String
    /// True when the literal has no fraction and no exponent.
    public let isInteger: Bool

    /// Wraps a literal that the caller has already checked against the JSON number grammar.
    init(validatedLiteral literal: String, isInteger: Bool) {
        self.literal = literal
        self.isInteger = isInteger
    }

    /// Creates a number from a literal, or nil when the text is not a JSON number.
    public init?(literal: String) {
        guard let isInteger = JSONNumber.grammarCheck(Array(literal.utf8)) else { return nil }
        self.literal = literal
        self.isInteger = isInteger
    }

    /// Creates an integer number.
    public init(_ value: Int) {
        literal = String(value)
        isInteger = true
    }

    /// Creates an integer number.
    public init(_ value: Int64) {
        literal = String(value)
        isInteger = true
    }

    /// Creates a decimal number; whole values keep a ".0" so they stay decimals.
    public init(_ value: Double) {
        if value.isNaN || value.isInfinite {
            literal = "0"
            isInteger = true
            return
        }
        var text = "\(value)"
        if text.contains("e") || text.contains("E") {
            text = text.replacingOccurrences(of: "e+", with: "e")
        } else if !text.contains(".") {
            text += ".0"
        }
        literal = text
        isInteger = false
    }

    /// The value as a 64-bit integer, or nil when it is a decimal or out of range.
    public var int64Value: Int64? {
        isInteger ? Int64(literal) : nil
    }

    /// The value as an `Int`, or nil when it is a decimal or out of range.
    public var intValue: Int? {
        isInteger ? Int(literal) : nil
    }

    /// The nearest double to this number.
    public var doubleValue: Double {
        Double(literal) ?? 0
    }

    /// The literal.
    public var description: String { literal }

    /// Integers compare by their digits and decimals by value; an integer never equals a decimal, as in Pact.
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        guard lhs.isInteger == rhs.isInteger else { return false }
        if lhs.isInteger { return lhs.normalizedInteger == rhs.normalizedInteger }
        return lhs.doubleValue == rhs.doubleValue
    }

    /// Hashes consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(isInteger)
        if isInteger { hasher.combine(normalizedInteger) } else { hasher.combine(doubleValue) }
    }

    private var normalizedInteger: String {
        literal == "-0" ? "0" : literal
    }

    /// Returns whether `bytes` is a JSON number (and whether it is an integer), or nil when it is not one.
    static func grammarCheck(_ bytes: [UInt8]) -> Bool? {
        var index = 0
        let count = bytes.count
        if index < count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < count else { return nil }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(bytes[index]) {
            while index < count, isDigit(bytes[index]) { index += 1 }
        } else {
            return nil
        }
        var integer = true
        if index < count, bytes[index] == UInt8(ascii: ".") {
            integer = false
            index += 1
            let start = index
            while index < count, isDigit(bytes[index]) { index += 1 }
            if index == start { return nil }
        }
        if index < count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            integer = false
            index += 1
            if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let start = index
            while index < count, isDigit(bytes[index]) { index += 1 }
            if index == start { return nil }
        }
        return index == count ? integer : nil
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
