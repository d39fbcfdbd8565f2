import Foundation

/// Finds names that look like the same service under another spelling (`order-service`, `OrderService`,
/// `orders`), so that a typo in a consumer's pact configuration does not quietly create a second pacticipant.
///
/// Two names are similar when they have the same words once case, `-`, `_` and spaces are ignored, a trailing `s` is
/// dropped from each word, and the words `api`, `provider` and `service` are left out — the rule the Pact Broker
/// applies when it checks for potential duplicate pacticipant names.
enum SimilarNames {
    /// The existing names similar to `name`; empty when `name` itself exists.
    static func similar(to name: String, among existing: [String]) -> [String] {
        guard !existing.contains(name) else { return [] }
        let key = words(name)
        return existing.filter { words($0) == key }.sorted()
    }

    /// The significant words of a name, lower-cased, in order.
    static func words(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        let characters = Array(name)
        for (index, character) in characters.enumerated() {
            if character == "-" || character == "_" || character == ":" || character == "/" || character.isWhitespace {
                words.append(current)
                current = ""
                continue
            }
            if character.isUppercase, !current.isEmpty, let previous = current.last {
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                // A new word starts at an upper-case letter after a lower-case letter or digit ("orderService"), or at
                // the last capital of a run followed by a lower-case letter ("APIClient" is "API" and "Client").
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && next?.isLowercase == true) {
                    words.append(current)
                    current = ""
                }
            }
            current.append(character)
        }
        words.append(current)
        return words.filter { !$0.isEmpty }
            .map { word in
                let lower = word.lowercased()
                return lower.hasSuffix("s") ? String(lower.dropLast()) : lower
            }
            .filter { !["api", "provider", "service"].contains($0) }
    }
}
