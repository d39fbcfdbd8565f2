import PactModel

/// Declares a message the consumer receives (V3 message, V4 `Asynchronous/Messages`); `withContents` compiles it
/// and registers it with its `ConsumerPact`.
///
/// ```swift
/// pact.expectsToReceive("an account-opened event")
///     .given("account ACC001 is opened")
///     .withMetadata(["topic": "accounts"])
///     .withContents(.json(["accountId": .like("ACC001"), "balance": .decimal(0)]))
/// try await pact.verifyMessages { message in try handler.handle(message.contents) }
/// ```
///
/// The builder is a value: each call returns a changed copy, and each `withContents` call registers one message.
public struct MessageBuilder: Sendable {
    private let pact: ConsumerPact
    private var declaration: MessageDeclaration

    init(pact: ConsumerPact, description: String) {
        self.pact = pact
        declaration = MessageDeclaration(description: description)
    }

    /// Adds a provider state; its parameters are sent to the provider as plain JSON (matchers give only their examples).
    public func given(_ state: String, _ params: [String: PactValue] = [:]) -> MessageBuilder {
        changed { $0.states.append(InteractionDeclaration.State(name: state, params: InteractionDeclaration.ordered(params))) }
    }

    /// Marks the message as pending (V4): its verification is reported but does not fail the provider's build.
    public func pending(_ isPending: Bool = true) -> MessageBuilder {
        changed { $0.pending = isPending }
    }

    /// Sets the V4 interaction key.
    public func key(_ key: String) -> MessageBuilder {
        changed { $0.key = key }
    }

    /// Adds a V4 comment (`comments.text`).
    public func comment(_ text: String) -> MessageBuilder {
        changed { $0.comments.append(text) }
    }

    /// Records the name of the test that declares the message (V4 `comments.testname`).
    public func testName(_ name: String) -> MessageBuilder {
        changed { $0.testName = name }
    }

    /// Sets the message metadata (such as a topic or a key); values may be matchers or generators.
    public func withMetadata(_ metadata: [String: PactValue]) -> MessageBuilder {
        changed { $0.metadata = InteractionDeclaration.ordered(metadata) }
    }

    /// Sets the contents, then compiles the message and registers it with the pact.
    @discardableResult
    public func withContents(_ contents: PactBody?) -> MessageBuilder {
        let (interaction, problems) = MessageCompiler.compile(declaration, contents: MessagePayload(contents: contents), specification: pact.specification)
        pact.registerMessage(interaction, problems: problems)
        return self
    }

    private func changed(_ change: (inout MessageDeclaration) -> Void) -> MessageBuilder {
        var copy = self
        change(&copy.declaration)
        return copy
    }
}

/// Declares a synchronous message interaction (V4 `Synchronous/Messages`): a request message and the response
/// messages the provider answers with. `willRespondWith` compiles it and registers it with its `ConsumerPact`.
///
/// ```swift
/// pact.synchronousMessage("a quote request")
///     .withRequest(contents: .json(["amount": .integer(100)]))
///     .willRespondWith(MessagePayload(contents: .json(["quote": .decimal(1.5)])))
/// ```
public struct SynchronousMessageBuilder: Sendable {
    private let pact: ConsumerPact
    private var declaration: MessageDeclaration

    init(pact: ConsumerPact, description: String) {
        self.pact = pact
        declaration = MessageDeclaration(description: description)
    }

    /// Adds a provider state; its parameters are sent to the provider as plain JSON.
    public func given(_ state: String, _ params: [String: PactValue] = [:]) -> SynchronousMessageBuilder {
        changed { $0.states.append(InteractionDeclaration.State(name: state, params: InteractionDeclaration.ordered(params))) }
    }

    /// Marks the interaction as pending (V4).
    public func pending(_ isPending: Bool = true) -> SynchronousMessageBuilder {
        changed { $0.pending = isPending }
    }

    /// Sets the V4 interaction key.
    public func key(_ key: String) -> SynchronousMessageBuilder {
        changed { $0.key = key }
    }

    /// Adds a V4 comment (`comments.text`).
    public func comment(_ text: String) -> SynchronousMessageBuilder {
        changed { $0.comments.append(text) }
    }

    /// Records the name of the test that declares the interaction (V4 `comments.testname`).
    public func testName(_ name: String) -> SynchronousMessageBuilder {
        changed { $0.testName = name }
    }

    /// Sets the request message; without this call it has no contents and no metadata.
    public func withRequest(contents: PactBody?, metadata: [String: PactValue] = [:]) -> SynchronousMessageBuilder {
        changed { $0.request = MessagePayload(contents: contents, metadata: metadata) }
    }

    /// Sets the response messages (one or more), then compiles the interaction and registers it with the pact.
    @discardableResult
    public func willRespondWith(_ responses: MessagePayload...) -> SynchronousMessageBuilder {
        willRespondWith(responses)
    }

    /// Sets the response messages (one or more), then compiles the interaction and registers it with the pact.
    @discardableResult
    public func willRespondWith(_ responses: [MessagePayload]) -> SynchronousMessageBuilder {
        let (interaction, problems) = MessageCompiler.compile(declaration, responses: responses, specification: pact.specification)
        pact.registerMessage(interaction, problems: problems)
        return self
    }

    private func changed(_ change: (inout MessageDeclaration) -> Void) -> SynchronousMessageBuilder {
        var copy = self
        change(&copy.declaration)
        return copy
    }
}
