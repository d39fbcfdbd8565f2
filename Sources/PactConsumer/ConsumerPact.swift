import PactMockServer
import PactModel

/// A consumer's pact under construction: interactions are declared, then run against a mock server (PactMockServer adds `run`).
///
/// ```swift
/// let pact = ConsumerPact(consumer: "BankingApp", provider: "BankingAPI")
/// pact.uponReceiving("a request for the balance")
///     .given("account ACC001 exists", ["accountId": "ACC001"])
///     .withRequest(method: .get, path: .regex("/api/accounts/ACC\\d+", example: "/api/accounts/ACC001"))
///     .willRespondWith(status: 200, body: .json(["balance": .decimal(1000.5)]))
/// ```
///
/// Problems in a declaration (an invalid regex, an example that breaks its own rule, a feature the
/// specification version cannot hold) never crash: they are recorded as validation errors, which `takePending()`
/// returns with the interactions and `validate()` throws.
public final class ConsumerPact: Sendable {
    /// The consumer's name.
    public let consumer: String
    /// The provider's name.
    public let provider: String
    /// The specification version the pact is written in.
    public let specification: PactSpecification

    private struct Registry {
        var pending: [HTTPInteraction] = []
        var pendingProblems: [String] = []
        var allProblems: [String] = []
        var declared: [Interaction] = []
        var pendingRules: [SimulationRule] = []
        var pendingMessages: [(interaction: Interaction, problems: [String])] = []
    }

    private let registry = LockedState(Registry())

    /// Creates an empty pact between a consumer and a provider.
    public init(consumer: String, provider: String, specification: PactSpecification = .v4) {
        self.consumer = consumer
        self.provider = provider
        self.specification = specification
    }

    /// Starts a new interaction; returns a builder. The builder registers the interaction when `willRespondWith` is called.
    @discardableResult
    public func uponReceiving(_ description: String) -> InteractionBuilder {
        InteractionBuilder(pact: self, description: description)
    }

    /// Starts a message the consumer receives (V3 message pact, V4 `Asynchronous/Messages`); the builder registers
    /// it when `withContents` is called, and `verifyMessages` hands it to the consumer's handler.
    @discardableResult
    public func expectsToReceive(_ description: String) -> MessageBuilder {
        MessageBuilder(pact: self, description: description)
    }

    /// Starts a synchronous message interaction (V4 `Synchronous/Messages`); the builder registers it when
    /// `willRespondWith` is called, and `verifySynchronousMessages` hands it to the consumer's handler.
    @discardableResult
    public func synchronousMessage(_ description: String) -> SynchronousMessageBuilder {
        SynchronousMessageBuilder(pact: self, description: description)
    }

    /// Interactions declared since the last `takePendingInteractions()` or `takePending()`.
    ///
    /// Their validation errors stay available from `validationErrors()`; use `takePending()` to get both at once.
    public func takePendingInteractions() -> [HTTPInteraction] {
        takePending().interactions
    }

    /// Interactions declared since the last take, with the validation errors found in them, taken together.
    public func takePending() -> PendingInteractions {
        registry.withLock { registry in
            defer {
                registry.pending = []
                registry.pendingProblems = []
                registry.pendingRules = []
            }
            return PendingInteractions(interactions: registry.pending, validationErrors: registry.pendingProblems,
                                       simulationRules: registry.pendingRules)
        }
    }

    /// Every validation error recorded since the pact was created, each naming the interaction and the path.
    ///
    /// Taking pending interactions does not clear this list, so a problem can never be lost on the way to the pact file.
    public func validationErrors() -> [String] {
        registry.withLock { $0.allProblems }
    }

    /// Throws `PactConsumerError.invalidInteractions` when any validation error was recorded.
    public func validate() throws(PactConsumerError) {
        let problems = validationErrors()
        if !problems.isEmpty { throw .invalidInteractions(problems) }
    }

    /// Everything declared so far, as a Pact (for writing).
    ///
    /// Identical interactions (the same test run twice) appear once, in the order first given.
    public func pact(with interactions: [HTTPInteraction]) -> Pact {
        pact(with: interactions.map(Interaction.http))
    }

    /// Message interactions (one-way and synchronous) declared since the last take, with their validation errors.
    public func takePendingMessages() -> (interactions: [Interaction], validationErrors: [String]) {
        let taken = takePendingMessages { _ in true }
        return (taken.map(\.interaction), taken.flatMap(\.problems))
    }

    /// The pending messages that `include` selects, taken; the others stay pending.
    func takePendingMessages(where include: (Interaction) -> Bool) -> [(interaction: Interaction, problems: [String])] {
        registry.withLock { registry in
            let taken = registry.pendingMessages.filter { include($0.interaction) }
            registry.pendingMessages.removeAll { include($0.interaction) }
            return taken
        }
    }

    /// A pact of any interactions declared on this pact, such as messages (for writing); duplicates appear once.
    public func pact(with interactions: [Interaction]) -> Pact {
        var unique: [Interaction] = []
        for interaction in interactions where !unique.contains(interaction) { unique.append(interaction) }
        return Pact(consumer: consumer, provider: provider, interactions: unique, specification: specification)
    }

    /// Adds a compiled message interaction and its problems, as `register` does for HTTP interactions.
    func registerMessage(_ interaction: Interaction, problems: [String]) {
        registry.withLock { registry in
            let found = problems + Self.noteDeclared(interaction, in: &registry.declared, kind: "message")
            registry.pendingMessages.append((interaction, found))
            registry.allProblems += found
        }
    }

    /// Adds a compiled interaction and its problems; a second, different interaction with the same description and states is a problem too.
    func register(_ interaction: HTTPInteraction, problems: [String], simulation: SimulationRule? = nil) {
        registry.withLock { registry in
            if let simulation { registry.pendingRules.append(simulation) }
            let found = problems + Self.noteDeclared(.http(interaction), in: &registry.declared, kind: "interaction")
            registry.pending.append(interaction)
            registry.pendingProblems += found
            registry.allProblems += found
        }
    }

    /// Records a declared interaction; a different one of the same kind with the same description and provider states
    /// declared before is the returned problem.
    private static func noteDeclared(_ interaction: Interaction, in declared: inout [Interaction], kind: String) -> [String] {
        let info = interaction.info
        let clash = declared.contains {
            $0.typeName == interaction.typeName && $0.info.description == info.description && $0.info.providerStates == info.providerStates && $0 != interaction
        }
        if !declared.contains(interaction) { declared.append(interaction) }
        guard clash else { return [] }
        return ["\(kind) '\(info.description)': another \(kind) with the same description and provider states "
                + "was declared with different content; give each \(kind) its own description"]
    }
}

/// Interactions taken from a `ConsumerPact` together with the validation errors found in them.
public struct PendingInteractions: Sendable {
    /// The interactions, in the order they were declared.
    public let interactions: [HTTPInteraction]
    /// Problems in these interactions; a test should fail when this is not empty.
    public let validationErrors: [String]
    /// The delays and faults declared with `withDelay` and `withFault`, scoped to their interactions.
    public let simulationRules: [SimulationRule]
}
