import Foundation
import PactModel

extension PactBody {
    /// A JSON body made from an `Encodable` value, with matchers placed at JSON paths such as `$.accountId` or `$.items[*].id`.
    ///
    /// The value is encoded with `JSONEncoder` (sorted keys) and the encoded document is always the example: a
    /// matcher placed at a path adds its rules and generator there, and its own example is ignored. So
    /// `.regex("ACC\\d+")` needs no example here, and `.eachLike(...)` at `$.items` keeps every encoded item.
    /// Rules inside a matcher are placed relative to its path (`"$.items": .eachLike(["id": .integer()])` puts an
    /// integer rule at `$.items[*].id`).
    ///
    /// - Throws: `PactConsumerError.encodingFailed` when the value cannot be encoded, `.invalidMatcherPath` for a
    ///   path that is not a JSON path, and `.unknownMatcherPath` for one that matches nothing in the encoded value.
    public static func encodable<T: Encodable>(
        _ value: T, matchers: [String: PactValue] = [:], contentType: String = "application/json"
    ) throws(PactConsumerError) -> PactBody {
        let typeName = String(describing: T.self)
        let document: JSONValue
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = try encoder.encode(value)
            document = try JSONParser.parse(Array(data))
        } catch let error as EncodingError {
            throw .encodingFailed(type: typeName, reason: describe(error))
        } catch {
            throw .encodingFailed(type: typeName, reason: String(describing: error))
        }
        var placed: [(path: PathExpression, matcher: PactValue)] = []
        // Sorted so that the rules come out in the same order on every run, whatever the dictionary's order.
        for (text, matcher) in matchers.sorted(by: { $0.key < $1.key }) {
            let path: PathExpression
            do { path = try PathExpression(parsing: text) } catch {
                throw .invalidMatcherPath(path: text, reason: error.reason)
            }
            guard path.tokens.first == .root else {
                throw .invalidMatcherPath(path: text, reason: "it must start at the document root $")
            }
            if case .failure(let unresolved) = EncodedDocumentPaths.resolve(path, in: document) {
                throw .unknownMatcherPath(path: text, type: typeName, reason: unresolved.reason)
            }
            placed.append((path, matcher))
        }
        return PactBody(content: .encoded(document, matchers: placed), contentType: contentType)
    }

    private static func describe(_ error: EncodingError) -> String {
        switch error {
        case .invalidValue(let value, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "invalid value \(value)\(path.isEmpty ? "" : " at \(path)"): \(context.debugDescription)"
        @unknown default:
            return String(describing: error)
        }
    }
}
