import Foundation
import PactModel

/// Builds an example value from a schema, for responses whose document gives no example: the schema's own
/// `example`, `default`, `const` or first `enum` value where there is one, otherwise a value of the right type that
/// respects the bounds and formats.
struct ExampleGenerator: Sendable {
    func example(for schema: JSONValue, depth: Int = 0) -> JSONValue {
        guard case .object(let rules) = schema, depth < 12 else { return .null }
        if let value = rules["example"] ?? rules["default"] ?? rules["const"] { return value }
        if let examples = rules["examples"]?.arrayValue, let first = examples.first { return first }
        if let first = rules["enum"]?.arrayValue?.first { return first }
        if let parts = rules["allOf"]?.arrayValue {
            var merged = JSONObject()
            for part in parts { if case .object(let object) = example(for: part, depth: depth + 1) { for (key, value) in object { merged[key] = value } } }
            return .object(merged)
        }
        if let first = (rules["oneOf"] ?? rules["anyOf"])?.arrayValue?.first { return example(for: first, depth: depth + 1) }
        let type = JSONSchemaValidator.types(rules["type"])?.first { $0 != "null" } ?? (rules["properties"] != nil ? "object" : nil)
        switch type {
        case "object":
            var object = JSONObject()
            for (name, property) in rules["properties"]?.objectValue ?? JSONObject() { object[name] = example(for: property, depth: depth + 1) }
            return .object(object)
        case "array":
            let count = max(1, rules["minItems"]?.intValue ?? 1)
            let item = rules["items"].map { example(for: $0, depth: depth + 1) } ?? .string("string")
            return .array(Array(repeating: item, count: min(count, 10)))
        case "integer", "number":
            // The smallest whole number the bounds allow (both forms of exclusiveMinimum), else 0.
            var low = rules["minimum"]?.doubleValue ?? 0
            if rules["exclusiveMinimum"]?.boolValue == true { low += 1 }
            if let bound = rules["exclusiveMinimum"]?.doubleValue { low = max(low, bound + 1) }
            if let high = rules["maximum"]?.doubleValue, low > high { low = high }
            return .number(JSONNumber(Int(low.rounded(.up))))
        case "boolean":
            return .bool(true)
        case "string":
            switch rules["format"]?.stringValue {
            case "date-time": return "2026-01-01T00:00:00Z"
            case "date": return "2026-01-01"
            case "uuid": return "3fa85f64-5717-4562-b3fc-2c963f66afa6"
            case "email": return "user@example.com"
            case "uri", "url": return "https://example.com"
            default:
                let minimum = rules["minLength"]?.intValue ?? 0
                let maximum = rules["maxLength"]?.intValue ?? Int.max
                var text = String("string".prefix(max(0, maximum)))
                if text.count < minimum { text += String(repeating: "x", count: minimum - text.count) }
                return .string(text)
            }
        case "null":
            return .null
        default:
            return .null
        }
    }
}
