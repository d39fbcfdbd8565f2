/// Which interactions to verify; an interaction is verified only when it passes every filter that is set.
///
/// Patterns are ICU (`NSRegularExpression`) regular expressions that may match any part of the text.
public struct InteractionFilters: Sendable, Hashable {
    /// Verify only interactions whose description matches this pattern.
    public var descriptionPattern: String?
    /// Verify only interactions with a provider state whose name matches this pattern; an empty pattern selects
    /// the interactions that have no provider state.
    public var providerStatePattern: String?
    /// Verify only the pacts whose consumer name matches this pattern.
    public var consumerPattern: String?
    /// Verify only interactions that have no provider state.
    public var onlyWithoutState: Bool

    /// Creates filters; with no arguments every interaction is verified.
    public init(descriptionPattern: String? = nil, providerStatePattern: String? = nil, consumerPattern: String? = nil, onlyWithoutState: Bool = false) {
        self.descriptionPattern = descriptionPattern
        self.providerStatePattern = providerStatePattern
        self.consumerPattern = consumerPattern
        self.onlyWithoutState = onlyWithoutState
    }
}
