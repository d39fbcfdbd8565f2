/// A JSON value together with its path, giving typed access that fails with a `PactLoadError` naming that path.
struct JSONCursor {
    /// Where a cursor is, kept as steps and turned into text only when an error needs it.
    private final class Location {
        let parent: Location?
        let step: String
        init(parent: Location?, step: String) {
            self.parent = parent
            self.step = step
        }
        var text: String {
            var steps: [String] = []
            var current: Location? = self
            while let location = current {
                steps.append(location.step)
                current = location.parent
            }
            return steps.reversed().joined()
        }
    }

    let value: JSONValue
    let source: String
    private let location: Location

    init(_ value: JSONValue, path: String = "$", source: String) {
        self.value = value
        self.source = source
        location = Location(parent: nil, step: path)
    }

    private init(_ value: JSONValue, location: Location, source: String) {
        self.value = value
        self.location = location
        self.source = source
    }

    /// The JSON path of the value, such as `$.interactions[0].request`.
    var path: String { location.text }

    func error(_ problem: String, hint: String? = nil) -> PactLoadError {
        PactLoadError(source: source, path: path, problem: problem, hint: hint)
    }

    func child(_ key: String) -> JSONCursor? {
        guard let child = value[key] else { return nil }
        return JSONCursor(child, location: Location(parent: location, step: PathExpression.renderField(key)), source: source)
    }

    func element(_ position: Int, of items: [JSONValue]) -> JSONCursor {
        JSONCursor(items[position], location: Location(parent: location, step: "[\(position)]"), source: source)
    }

    func object() throws(PactLoadError) -> JSONObject {
        guard case .object(let object) = value else {
            throw error("expected an object but found \(article(value.typeName))")
        }
        return object
    }

    func array() throws(PactLoadError) -> [JSONCursor] {
        guard case .array(let items) = value else {
            throw error("expected an array but found \(article(value.typeName))")
        }
        return items.indices.map { element($0, of: items) }
    }

    func string() throws(PactLoadError) -> String {
        guard case .string(let text) = value else {
            throw error("expected a string but found \(article(value.typeName))")
        }
        return text
    }

    func bool() throws(PactLoadError) -> Bool {
        guard case .bool(let flag) = value else {
            throw error("expected true or false but found \(article(value.typeName))")
        }
        return flag
    }

    /// An integer that fits in `Int`; numbers beyond 64 bits are reported, not truncated.
    func int() throws(PactLoadError) -> Int {
        switch value {
        case .number(let number):
            guard number.isInteger else { throw error("expected an integer but found the decimal \(number.literal)") }
            guard let integer = number.intValue else {
                throw error("the number \(number.literal) does not fit in 64 bits", hint: "use a value between \(Int.min) and \(Int.max)")
            }
            return integer
        case .string(let text):
            // Some tools write numbers as strings; accept them when they are plain integers.
            guard let integer = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw error("expected an integer but found the string '\(text)'")
            }
            return integer
        default:
            throw error("expected an integer but found \(article(value.typeName))")
        }
    }

    func optionalString(_ key: String) throws(PactLoadError) -> String? {
        guard let child = child(key), !child.value.isNull else { return nil }
        return try child.string()
    }

    func optionalInt(_ key: String) throws(PactLoadError) -> Int? {
        guard let child = child(key), !child.value.isNull else { return nil }
        return try child.int()
    }

    func requiredString(_ key: String, hint: String? = nil) throws(PactLoadError) -> String {
        guard let child = child(key), !child.value.isNull else {
            throw error("the required attribute '\(key)' is missing", hint: hint)
        }
        return try child.string()
    }

    private func article(_ typeName: String) -> String {
        switch typeName {
        case "Null": return "null"
        case "Array", "Object", "Integer": return "an \(typeName.lowercased())"
        default: return "a \(typeName.lowercased())"
        }
    }
}

import Foundation
