import Crypto
import NIOConcurrencyHelpers
import Foundation
import PactModel

/// A pact as the broker stores it: the JSON text, its parsed form and the content SHA that deduplicates it.
struct PactContent: Sendable {
    let json: JSONObject
    let consumer: String
    let provider: String
    let sha: String

    /// Reads and checks a published pact. The SHA covers what identifies a contract (consumer, provider,
    /// interactions or messages in a stable order, and the spec version), not metadata or key order, so
    /// the same contract published twice, or by another tool, is stored once.
    init(bytes: [UInt8], source: String) throws {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw BrokerError.invalid(source, "is not valid JSON: \(error.reason) at line \(error.line), column \(error.column)")
        }
        guard case .object(let object) = value else { throw BrokerError.invalid(source, "must be a JSON object (a pact)") }
        let sha = PactContent.sha(of: object)
        // Reading a pact fully (rules, regexes, generators) is the costly part of a publish; content already read
        // once is the same content, so it is not read again.
        if !PactContent.validated.contains(sha) {
            do {
                _ = try PactReader().read(value, source: source)
            } catch {
                throw BrokerError.invalid(source, "is not a valid pact: \(error)")
            }
            PactContent.validated.insert(sha)
        }
        guard let consumer = object["consumer"]?["name"]?.stringValue, !consumer.isEmpty else {
            throw BrokerError.invalid(source, "has no consumer name (consumer.name)")
        }
        guard let provider = object["provider"]?["name"]?.stringValue, !provider.isEmpty else {
            throw BrokerError.invalid(source, "has no provider name (provider.name)")
        }
        self.json = object
        self.consumer = consumer
        self.provider = provider
        self.sha = sha
    }

    /// SHAs of contents that passed the full read, most recent last; bounded.
    static let validated = RecentSet(capacity: 4096)

    init(json: JSONObject) {
        self.json = json
        consumer = json["consumer"]?["name"]?.stringValue ?? ""
        provider = json["provider"]?["name"]?.stringValue ?? ""
        sha = PactContent.sha(of: json)
    }

    /// The stored text: compact, keys in the order the publisher wrote them.
    var text: String { JSONWriter.string(.object(json), style: .compact) }

    static func sha(of object: JSONObject) -> String {
        var identity = JSONObject()
        identity["consumer"] = object["consumer"]?["name"] ?? .null
        identity["provider"] = object["provider"]?["name"] ?? .null
        for key in ["interactions", "messages"] {
            if let items = object[key]?.arrayValue {
                identity[key] = .array(items.map { JSONWriter.string($0, style: .compactSorted) }.sorted().map(JSONValue.string))
            }
        }
        let metadata = object["metadata"]
        let version = metadata?["pactSpecification"]?["version"] ?? metadata?["pact-specification"]?["version"] ?? metadata?["pactSpecificationVersion"] ?? .null
        identity["specification"] = version
        let digest = Insecure.SHA1.hash(data: JSONWriter.bytes(.object(identity), style: .compactSorted))
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    /// This pact with the other's interactions (and messages) added; one with the same description and provider
    /// states is replaced by the newer one.
    func merged(into existing: PactContent) -> PactContent {
        var result = existing.json
        for key in ["interactions", "messages"] {
            guard let incoming = json[key]?.arrayValue else { continue }
            var items = existing.json[key]?.arrayValue ?? []
            for item in incoming {
                let identity = PactContent.interactionIdentity(item)
                if let index = items.firstIndex(where: { PactContent.interactionIdentity($0) == identity }) {
                    items[index] = item
                } else {
                    items.append(item)
                }
            }
            result[key] = .array(items)
        }
        return PactContent(json: result)
    }

    private static func interactionIdentity(_ item: JSONValue) -> String {
        let description = item["description"]?.stringValue ?? ""
        let states = item["providerStates"] ?? item["providerState"] ?? .null
        return description + "\u{1F}" + JSONWriter.string(states, style: .compactSorted)
    }
}

/// A bounded, thread-safe set that forgets its oldest entries.
final class RecentSet: Sendable {
    private let state: NIOLockedValueBox<(set: Set<String>, order: [String])>
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        state = NIOLockedValueBox((Set(), []))
    }

    func contains(_ value: String) -> Bool {
        state.withLockedValue { $0.set.contains(value) }
    }

    func insert(_ value: String) {
        state.withLockedValue { state in
            guard state.set.insert(value).inserted else { return }
            state.order.append(value)
            if state.order.count > capacity {
                let dropped = state.order.removeFirst(capacity / 4)
                for old in dropped { state.set.remove(old) }
            }
        }
    }
}

extension Array {
    /// Removes and returns the first `count` elements.
    fileprivate mutating func removeFirst(_ count: Int) -> ArraySlice<Element> {
        let taken = self[..<Swift.min(count, self.count)]
        removeSubrange(..<Swift.min(count, self.count))
        return taken
    }
}
