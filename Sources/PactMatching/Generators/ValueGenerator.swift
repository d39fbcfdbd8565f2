import Foundation
import PactModel

/// Produces the value of one generator.
public enum ValueGenerator {
    /// A generated value, nil when the generator does not apply in this mode, or an error.
    public static func generate<R: RandomNumberGenerator>(
        _ generator: Generator, example: JSONValue, mode: GeneratorMode, context: GeneratorContext, using rng: inout R
    ) throws(GeneratorError) -> JSONValue? {
        switch generator {
        case .randomInt(let min, let max):
            return .number(JSONNumber(Int.random(in: min...max, using: &rng)))
        case .randomDecimal(let digits):
            return .number(randomDecimal(digits: digits, using: &rng))
        case .randomHexadecimal(let digits):
            return .string(String((0..<digits).map { _ in "0123456789abcdef".randomElement(using: &rng) ?? "0" }))
        case .randomString(let size):
            let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
            return .string(String((0..<size).map { _ in alphabet.randomElement(using: &rng) ?? "a" }))
        case .regex(let pattern):
            do { return .string(try RegexStringGenerator(pattern: pattern).generate(using: &rng)) } catch {
                throw GeneratorError(location: "Regex", reason: error.description)
            }
        case .uuid(let format):
            return .string(formatUUID(randomUUID(using: &rng), format: format))
        case .date(let format, let expression):
            return .string(try dateTime(format: format ?? "yyyy-MM-dd", expression: expression, context: context))
        case .time(let format, let expression):
            return .string(try dateTime(format: format ?? "HH:mm:ss", expression: expression, context: context))
        case .dateTime(let format, let expression):
            return .string(try dateTime(format: format ?? "yyyy-MM-dd'T'HH:mm:ss.SSSXXX", expression: expression, context: context))
        case .randomBoolean:
            return .bool(Bool.random(using: &rng))
        case .providerState(let expression, let dataType):
            guard mode == .provider else { return nil }
            return try ProviderStateExpression.evaluate(expression, values: context.providerState, dataType: dataType)
        case .mockServerURL(let example, let regex):
            guard mode == .consumer, let base = context.mockServerURL else { return nil }
            return .string(mockServerURL(example: example, regex: regex, base: base))
        }
    }

    static func randomDecimal<R: RandomNumberGenerator>(digits: Int, using rng: inout R) -> JSONNumber {
        let count = max(digits, 2)
        var characters = (0..<count).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) }
        // No leading zero, and a last digit that keeps the fraction significant.
        characters[0] = Character(String(Int.random(in: 1...9, using: &rng)))
        characters[count - 1] = Character(String(Int.random(in: 1...9, using: &rng)))
        let point = Int.random(in: 1..<count, using: &rng)
        var text = String(characters)
        text.insert(".", at: text.index(text.startIndex, offsetBy: point))
        return JSONNumber(literal: text) ?? JSONNumber(1.5)
    }

    static func randomUUID<R: RandomNumberGenerator>(using rng: inout R) -> UUID {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    /// Renders a UUID in one of Pact's formats.
    public static func formatUUID(_ uuid: UUID, format: UUIDFormat) -> String {
        let lower = uuid.uuidString.lowercased()
        switch format {
        case .simple: return lower.replacingOccurrences(of: "-", with: "")
        case .lowerCaseHyphenated: return lower
        case .upperCaseHyphenated: return lower.uppercased()
        case .urn: return "urn:uuid:" + lower
        }
    }

    private static func dateTime(format: String, expression: String?, context: GeneratorContext) throws(GeneratorError) -> String {
        let base = context.now ?? Date()
        var date = base
        if let expression, !expression.trimmingCharacters(in: .whitespaces).isEmpty {
            do { date = try DateTimeExpression.evaluate(expression, from: base, timeZone: context.timeZone) } catch {
                throw GeneratorError(location: "expression '\(expression)'", reason: error.reason)
            }
        }
        do { return try DateTimePattern(format).format(date, timeZone: context.timeZone) } catch {
            throw GeneratorError(location: "format '\(format)'", reason: error.reason)
        }
    }

    /// Replaces the part of the example before the regex's groups with the mock server's base URL.
    static func mockServerURL(example: String, regex: String, base: String) -> String {
        let trimmedBase = base.hasSuffix("/") ? String(base.dropLast()) : base
        guard let compiled = try? NSRegularExpression(pattern: regex),
              let match = compiled.firstMatch(in: example, range: NSRange(example.startIndex..<example.endIndex, in: example)),
              match.numberOfRanges > 1 else {
            return trimmedBase
        }
        var suffix = ""
        for group in 1..<match.numberOfRanges {
            if let range = Range(match.range(at: group), in: example) { suffix += example[range] }
        }
        return trimmedBase + suffix
    }
}

/// Evaluates `${name}` expressions against provider state values.
public enum ProviderStateExpression {
    /// A whole-value expression (`${id}`) keeps the value's JSON type; otherwise the values are substituted into text.
    public static func evaluate(_ expression: String, values: JSONObject, dataType: GeneratorDataType?) throws(GeneratorError) -> JSONValue {
        let names = placeholders(in: expression)
        var result: JSONValue
        if names.count == 1, expression.trimmingCharacters(in: .whitespaces) == "${\(names[0])}" {
            guard let value = lookup(names[0], in: values) else {
                throw GeneratorError(location: "ProviderState '\(expression)'", reason: "the provider state gave no value for '\(names[0])'")
            }
            result = value
        } else {
            var text = expression
            for name in names {
                guard let value = lookup(name, in: values) else {
                    throw GeneratorError(location: "ProviderState '\(expression)'", reason: "the provider state gave no value for '\(name)'")
                }
                text = text.replacingOccurrences(of: "${\(name)}", with: value.plainText)
            }
            result = .string(text)
        }
        return convert(result, to: dataType)
    }

    static func placeholders(in expression: String) -> [String] {
        var names: [String] = []
        var rest = Substring(expression)
        while let start = rest.range(of: "${") {
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            names.append(String(rest[start.upperBound..<end]).trimmingCharacters(in: .whitespaces))
            rest = rest[rest.index(after: end)...]
        }
        return names
    }

    static func lookup(_ name: String, in values: JSONObject) -> JSONValue? {
        if let direct = values[name] { return direct }
        var current: JSONValue = .object(values)
        for part in name.split(separator: ".") {
            guard let next = current[String(part)] else { return nil }
            current = next
        }
        return current
    }

    static func convert(_ value: JSONValue, to dataType: GeneratorDataType?) -> JSONValue {
        switch dataType {
        case .string?: return .string(value.plainText)
        case .integer?: return JSONNumber(literal: value.plainText).map(JSONValue.number) ?? value
        case .decimal?, .float?: return Double(value.plainText).map { .number(JSONNumber($0)) } ?? value
        case .boolean?: return value.plainText == "true" ? .bool(true) : value.plainText == "false" ? .bool(false) : value
        case .raw?, nil: return value
        }
    }
}
