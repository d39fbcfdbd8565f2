import Foundation
import PactModel

/// ``InteractionFilters`` with their patterns compiled once, when the verifier is created.
struct InteractionSelection: Sendable {
    private let description: PartialRegex?
    private let providerState: PartialRegex?
    private let consumer: PartialRegex?
    private let onlyWithoutState: Bool

    init(_ filters: InteractionFilters) throws(VerifierError) {
        description = try filters.descriptionPattern.map { pattern throws(VerifierError) in try PartialRegex(pattern, option: "description filter") }
        providerState = try filters.providerStatePattern.map { pattern throws(VerifierError) in try PartialRegex(pattern, option: "provider state filter") }
        consumer = try filters.consumerPattern.map { pattern throws(VerifierError) in try PartialRegex(pattern, option: "consumer filter") }
        onlyWithoutState = filters.onlyWithoutState
    }

    /// True when the pact's consumer passes the consumer filter.
    func includes(consumer name: String) -> Bool {
        consumer?.matches(name) ?? true
    }

    /// True when the interaction passes the description and state filters.
    func includes(_ info: InteractionInfo) -> Bool {
        if onlyWithoutState, !info.providerStates.isEmpty { return false }
        if let description, !description.matches(info.description) { return false }
        if let providerState {
            if providerState.pattern.isEmpty { return info.providerStates.isEmpty }
            return info.providerStates.contains { providerState.matches($0.name) }
        }
        return true
    }
}

/// A regular expression that may match anywhere in the text; the empty pattern matches everything.
struct PartialRegex: @unchecked Sendable {
    // NSRegularExpression is immutable once created and safe to share between threads.
    let pattern: String
    private let regex: NSRegularExpression?

    init(_ pattern: String, option: String) throws(VerifierError) {
        self.pattern = pattern
        // ICU rejects an empty pattern, though it plainly means "anything".
        guard !pattern.isEmpty else {
            regex = nil
            return
        }
        do { regex = try NSRegularExpression(pattern: pattern) } catch {
            throw .invalidOption(name: option, value: pattern, reason: "is not a valid regular expression (ICU syntax; escape characters such as ( [ { with a backslash)")
        }
    }

    func matches(_ text: String) -> Bool {
        guard let regex else { return true }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..<text.endIndex, in: text)) != nil
    }
}
