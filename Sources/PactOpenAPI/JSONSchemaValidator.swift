import Foundation
import PactModel

/// Checks JSON values against the JSON Schema subset OpenAPI 3.0 and 3.1 documents use, on dereferenced schemas.
///
/// Supported: `type` (one or a list, with `nullable`), `enum`, `const`, `properties`, `required`,
/// `additionalProperties`, `items`, `minItems`/`maxItems`, `uniqueItems`, `minLength`/`maxLength`, `pattern`,
/// `minimum`/`maximum` (with both forms of `exclusiveMinimum`/`exclusiveMaximum`), `multipleOf`, the formats
/// `date-time`, `date`, `uuid` and `email`, and `allOf`, `anyOf`, `oneOf` and `not`. Other keywords are ignored.
struct JSONSchemaValidator: Sendable {
    /// The problems, each starting with the JSON path of the value (`$.accounts[0].id`).
    func validate(_ value: JSONValue, against schema: JSONValue, at path: String = "$") -> [String] {
        guard case .object(let rules) = schema else { return schema == .bool(false) ? ["\(path): no value is allowed here"] : [] }
        var problems: [String] = []
        let nullable = rules["nullable"]?.boolValue == true
        if value.isNull && nullable { return [] }

        if let types = Self.types(rules["type"]) {
            let allowed = nullable ? types + ["null"] : types
            if !allowed.contains(where: { Self.value(value, is: $0) }) {
                return ["\(path): expected \(allowed.joined(separator: " or ")) but got \(Self.kind(of: value))"]
            }
        }
        if let options = rules["enum"]?.arrayValue, !options.contains(where: { Self.same($0, value) }) {
            problems.append("\(path): \(Self.preview(value)) is not one of \(options.map(Self.preview).joined(separator: ", "))")
        }
        if let constant = rules["const"], !Self.same(constant, value) {
            problems.append("\(path): expected \(Self.preview(constant)) but got \(Self.preview(value))")
        }
        switch value {
        case .object(let object):
            problems += validateObject(object, rules, path)
        case .array(let items):
            problems += validateArray(items, rules, path)
        case .string(let text):
            problems += validateString(text, rules, path)
        case .number(let number):
            problems += validateNumber(number, rules, path)
        default:
            break
        }
        for (index, part) in (rules["allOf"]?.arrayValue ?? []).enumerated() {
            problems += validate(value, against: part, at: path).map { $0 + " (allOf[\(index)])" }
        }
        if let options = rules["anyOf"]?.arrayValue, !options.isEmpty, !options.contains(where: { validate(value, against: $0, at: path).isEmpty }) {
            problems.append("\(path): matches none of the anyOf schemas")
        }
        if let options = rules["oneOf"]?.arrayValue, !options.isEmpty {
            let matching = options.filter { validate(value, against: $0, at: path).isEmpty }.count
            if matching != 1 { problems.append("\(path): matches \(matching) of the oneOf schemas; exactly one must match") }
        }
        if let forbidden = rules["not"], validate(value, against: forbidden, at: path).isEmpty {
            problems.append("\(path): matches the schema under not")
        }
        return problems
    }

    private func validateObject(_ object: JSONObject, _ rules: JSONObject, _ path: String) -> [String] {
        var problems: [String] = []
        let properties = rules["properties"]?.objectValue ?? JSONObject()
        for name in rules["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[name] == nil {
            problems.append("\(path): the required property '\(name)' is missing")
        }
        for (name, value) in object {
            let childPath = Self.child(path, name)
            if let schema = properties[name] {
                problems += validate(value, against: schema, at: childPath)
            } else if let additional = rules["additionalProperties"] {
                if additional == .bool(false) {
                    problems.append("\(childPath): the property is not allowed (additionalProperties is false)")
                } else {
                    problems += validate(value, against: additional, at: childPath)
                }
            }
        }
        return problems
    }

    private func validateArray(_ items: [JSONValue], _ rules: JSONObject, _ path: String) -> [String] {
        var problems: [String] = []
        if let minimum = rules["minItems"]?.intValue, items.count < minimum { problems.append("\(path): \(items.count) items, at least \(minimum) required") }
        if let maximum = rules["maxItems"]?.intValue, items.count > maximum { problems.append("\(path): \(items.count) items, at most \(maximum) allowed") }
        if rules["uniqueItems"]?.boolValue == true {
            let texts = items.map { JSONWriter.string($0, style: .compactSorted) }
            if Set(texts).count != texts.count { problems.append("\(path): the items must be unique") }
        }
        if let schema = rules["items"] {
            for (index, item) in items.enumerated() { problems += validate(item, against: schema, at: "\(path)[\(index)]") }
        }
        return problems
    }

    private func validateString(_ text: String, _ rules: JSONObject, _ path: String) -> [String] {
        var problems: [String] = []
        if let minimum = rules["minLength"]?.intValue, text.count < minimum { problems.append("\(path): shorter than \(minimum) characters") }
        if let maximum = rules["maxLength"]?.intValue, text.count > maximum { problems.append("\(path): longer than \(maximum) characters") }
        if let pattern = rules["pattern"]?.stringValue, let regex = try? NSRegularExpression(pattern: pattern),
           regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
            problems.append("\(path): '\(text)' does not match the pattern \(pattern)")
        }
        if let format = rules["format"]?.stringValue, let check = Self.formats[format], !check(text) {
            problems.append("\(path): '\(text)' is not a valid \(format)")
        }
        return problems
    }

    private func validateNumber(_ number: JSONNumber, _ rules: JSONObject, _ path: String) -> [String] {
        guard let value = Double(number.literal) else { return [] }
        var problems: [String] = []
        let exclusiveMinimum = rules["exclusiveMinimum"], exclusiveMaximum = rules["exclusiveMaximum"]
        if let minimum = rules["minimum"]?.doubleValue {
            let exclusive = exclusiveMinimum?.boolValue == true
            if exclusive && value <= minimum { problems.append("\(path): \(number.literal) must be above \(Self.format(minimum))") }
            if !exclusive && value < minimum { problems.append("\(path): \(number.literal) is below the minimum \(Self.format(minimum))") }
        }
        if let bound = exclusiveMinimum?.doubleValue, value <= bound { problems.append("\(path): \(number.literal) must be above \(Self.format(bound))") }
        if let maximum = rules["maximum"]?.doubleValue {
            let exclusive = exclusiveMaximum?.boolValue == true
            if exclusive && value >= maximum { problems.append("\(path): \(number.literal) must be below \(Self.format(maximum))") }
            if !exclusive && value > maximum { problems.append("\(path): \(number.literal) is above the maximum \(Self.format(maximum))") }
        }
        if let bound = exclusiveMaximum?.doubleValue, value >= bound { problems.append("\(path): \(number.literal) must be below \(Self.format(bound))") }
        if let divisor = rules["multipleOf"]?.doubleValue, divisor > 0 {
            let ratio = value / divisor
            if abs(ratio - ratio.rounded()) > 1e-9 { problems.append("\(path): \(number.literal) is not a multiple of \(Self.format(divisor))") }
        }
        return problems
    }

    static func types(_ value: JSONValue?) -> [String]? {
        if let text = value?.stringValue { return [text] }
        return value?.arrayValue?.compactMap(\.stringValue)
    }

    static func value(_ value: JSONValue, is type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object), ("number", .number): return true
        case ("integer", .number(let number)):
            return number.isInteger || Double(number.literal).map { $0.rounded() == $0 } == true
        default: return false
        }
    }

    static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        case .number(let number): return number.isInteger ? "integer" : "number"
        }
    }

    static func same(_ left: JSONValue, _ right: JSONValue) -> Bool {
        if case .number(let a) = left, case .number(let b) = right, let x = Double(a.literal), let y = Double(b.literal) { return x == y }
        return JSONWriter.string(left, style: .compactSorted) == JSONWriter.string(right, style: .compactSorted)
    }

    static func preview(_ value: JSONValue) -> String {
        let text = JSONWriter.string(value, style: .compactSorted)
        return text.count > 60 ? String(text.prefix(57)) + "..." : text
    }

    static func child(_ path: String, _ name: String) -> String {
        name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && !name.isEmpty ? "\(path).\(name)" : "\(path)['\(name)']"
    }

    static func format(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    static let formats: [String: @Sendable (String) -> Bool] = [
        "date-time": { ISO8601DateFormatter.withFractions.date(from: $0) != nil || ISO8601DateFormatter.plain.date(from: $0) != nil },
        "date": { text in
            let parts = text.split(separator: "-")
            guard parts.count == 3, parts[0].count == 4, let month = Int(parts[1]), let day = Int(parts[2]) else { return false }
            return (1...12).contains(month) && (1...31).contains(day)
        },
        "uuid": { UUID(uuidString: $0) != nil },
        "email": { text in
            let pieces = text.split(separator: "@")
            return pieces.count == 2 && !pieces[0].isEmpty && pieces[1].contains(".") && !text.contains(" ")
        },
    ]
}

extension ISO8601DateFormatter {
    nonisolated(unsafe) static let plain: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter
    }()

    nonisolated(unsafe) static let withFractions: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}
