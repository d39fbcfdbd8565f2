import PactModel

/// Finds the values a matcher path of `PactBody.encodable` points at, and explains a path that points at nothing.
enum EncodedDocumentPaths {
    /// The number of values the path matches in the document, or why it matches none.
    static func resolve(_ path: PathExpression, in document: JSONValue) -> Result<Int, Unresolved> {
        guard path.tokens.first == .root else {
            return .failure(Unresolved(reason: "it must start at the document root $"))
        }
        var current: [(location: String, value: JSONValue)] = [("$", document)]
        for token in path.tokens.dropFirst() {
            var next: [(location: String, value: JSONValue)] = []
            for (location, value) in current {
                next += step(token, from: location, value)
            }
            if next.isEmpty {
                return .failure(Unresolved(reason: explain(token, current)))
            }
            current = next
        }
        return .success(current.count)
    }

    /// Why a path resolves to nothing.
    struct Unresolved: Error {
        var reason: String
    }

    private static func step(_ token: PathExpression.Token, from location: String, _ value: JSONValue) -> [(location: String, value: JSONValue)] {
        switch (token, value) {
        case (.field(let name), .object(let object)):
            return object[name].map { [(location + PathExpression.renderField(name), $0)] } ?? []
        case (.index(let position), .array(let items)):
            return items.indices.contains(position) ? [(location + "[\(position)]", items[position])] : []
        case (.starIndex, .array(let items)):
            return items.enumerated().map { (location + "[\($0.offset)]", $0.element) }
        case (.star, .array(let items)):
            return items.enumerated().map { (location + "[\($0.offset)]", $0.element) }
        case (.star, .object(let object)):
            return object.entries.map { (location + PathExpression.renderField($0.key), $0.value) }
        default:
            return []
        }
    }

    private static func explain(_ token: PathExpression.Token, _ parents: [(location: String, value: JSONValue)]) -> String {
        guard let (location, value) = parents.first else { return "nothing was found" }
        switch (token, value) {
        case (.field(let name), .object(let object)):
            let keys = object.keys.isEmpty ? "no keys" : "the keys " + object.keys.joined(separator: ", ")
            return "\(location) has no key '\(name)'; it has \(keys)"
        case (.index(let position), .array(let items)):
            return "\(location) has \(items.count) items, so there is no item \(position)"
        case (.starIndex, .array), (.star, .array), (.star, .object):
            return "\(location) is empty"
        default:
            return "\(location) is \(value.typeName == "Object" ? "an" : "a") \(value.typeName), which has no \(describe(token))"
        }
    }

    private static func describe(_ token: PathExpression.Token) -> String {
        switch token {
        case .field(let name): return "key '\(name)'"
        case .index(let position): return "item \(position)"
        case .star, .starIndex: return "items"
        case .root: return "root"
        }
    }
}
