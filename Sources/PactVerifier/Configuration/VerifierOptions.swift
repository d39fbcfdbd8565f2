import PactModel

/// How the verifier reaches the provider, which interactions it verifies and how it sets up provider states.
public struct VerifierOptions: Sendable {
    /// The provider's base URL, such as `http://localhost:8080`; request paths are appended to it.
    public var providerBaseURL: String
    /// A path prefixed to every request path, such as `/api/v2`, for providers mounted below the root.
    public var basePath: String?
    /// The longest one request (provider, state change or pact URL) may take, connection included.
    public var requestTimeout: Duration
    /// Whether TLS certificates are checked; turn off only for providers with self-signed certificates.
    public var verifyTLS: Bool
    /// Headers set on every request to the provider, replacing a recorded header of the same name (ignoring case).
    public var headerOverrides: [(name: String, value: String)]
    /// A hook that rewrites each request just before it is sent, for example to add a fresh token or a signature.
    public var requestFilter: (@Sendable (HTTPRequest) async throws -> HTTPRequest)?
    /// Which interactions are verified.
    public var filters: InteractionFilters
    /// How provider states are set up and torn down.
    public var stateChange: StateChange
    /// Whether an interaction without provider states still gets one state change call with an empty state name,
    /// as some Pact implementations do, so the provider can reset itself before every interaction.
    public var stateChangeForInteractionsWithoutStates: Bool
    /// How the provider produces the messages of message interactions; by default a POST to the provider URL.
    public var messages: MessageProducer

    /// Creates options; only the provider's base URL is required.
    public init(
        providerBaseURL: String,
        basePath: String? = nil,
        requestTimeout: Duration = .seconds(30),
        verifyTLS: Bool = true,
        headerOverrides: [(name: String, value: String)] = [],
        requestFilter: (@Sendable (HTTPRequest) async throws -> HTTPRequest)? = nil,
        filters: InteractionFilters = InteractionFilters(),
        stateChange: StateChange = .none,
        stateChangeForInteractionsWithoutStates: Bool = false,
        messages: MessageProducer = .providerURL
    ) {
        self.providerBaseURL = providerBaseURL
        self.basePath = basePath
        self.requestTimeout = requestTimeout
        self.verifyTLS = verifyTLS
        self.headerOverrides = headerOverrides
        self.requestFilter = requestFilter
        self.filters = filters
        self.stateChange = stateChange
        self.stateChangeForInteractionsWithoutStates = stateChangeForInteractionsWithoutStates
        self.messages = messages
    }
}
