import PactModel

/// How the verifier sets up (and optionally tears down) the provider states an interaction needs.
public enum StateChange: Sendable {
    /// No state set-up: interactions with provider states are replayed anyway, with a warning.
    case none
    /// POST each state to this URL: as JSON `{"state", "params", "action"}`, or with `asQuery` as query parameters
    /// (`?state=…&action=setup&<param>=<value>`) and no body. With `teardown`, a `teardown` call follows each interaction.
    case url(String, asQuery: Bool = false, teardown: Bool = false)
    /// Call Swift handlers in this process.
    case handlers(StateHandlers)

    /// True when states are torn down after each interaction.
    var tearsDown: Bool {
        switch self {
        case .none: return false
        case .url(_, _, let teardown): return teardown
        case .handlers(let handlers): return handlers.teardown
        }
    }
}

/// Whether a state change call sets a provider state up or tears it down.
public enum ProviderStateAction: String, Sendable, Hashable {
    /// Before the interaction's request is replayed.
    case setup
    /// After the interaction's response was checked.
    case teardown
}

/// In-process provider state handlers, looked up by the exact state name.
public struct StateHandlers: Sendable {
    /// Sets up or tears down one named state with its parameters; values returned from set-up feed
    /// `ProviderState` generators (`${name}` expressions) in the request.
    public typealias Handler = @Sendable (ProviderStateAction, JSONObject) async throws -> JSONObject?
    /// Handles any state that has no handler of its own; it is also given the state's name.
    public typealias FallbackHandler = @Sendable (String, ProviderStateAction, JSONObject) async throws -> JSONObject?

    /// Handlers by exact state name.
    public var handlers: [String: Handler]
    /// The handler for state names not in `handlers`; without one, such states get a warning and are skipped.
    public var fallback: FallbackHandler?
    /// Whether handlers are also called with ``ProviderStateAction/teardown`` after each interaction.
    public var teardown: Bool

    /// Creates a set of handlers.
    public init(_ handlers: [String: Handler] = [:], fallback: FallbackHandler? = nil, teardown: Bool = false) {
        self.handlers = handlers
        self.fallback = fallback
        self.teardown = teardown
    }
}
