import Foundation
import PactModel

/// Which side of a pact test is preparing the data; some generators only apply on one side.
public enum GeneratorMode: Sendable, Hashable {
    /// The consumer's mock server: MockServerURL applies, ProviderState keeps its example.
    case consumer
    /// The provider's verifier: ProviderState applies, MockServerURL keeps its example.
    case provider
}

/// The values generators may draw on.
public struct GeneratorContext: Sendable {
    /// Values returned by provider state set-up (or given as state parameters), for ProviderState expressions.
    public var providerState: JSONObject
    /// The mock server's base URL, for MockServerURL.
    public var mockServerURL: String?
    /// The time used as "now" by date and time generators; nil means the current time.
    public var now: Date?
    /// The time zone for date and time output.
    public var timeZone: TimeZone

    /// Creates a context.
    public init(providerState: JSONObject = JSONObject(), mockServerURL: String? = nil, now: Date? = nil, timeZone: TimeZone = .current) {
        self.providerState = providerState
        self.mockServerURL = mockServerURL
        self.now = now
        self.timeZone = timeZone
    }
}

/// Why a generator could not produce a value; the example is kept in that case.
public struct GeneratorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the generator is defined, such as `body $.id`.
    public var location: String
    /// What went wrong.
    public var reason: String

    /// `location: reason`.
    public var description: String { "\(location): \(reason)" }
}
