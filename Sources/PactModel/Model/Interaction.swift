/// What every kind of interaction has: a description, provider states and V4 attributes.
public struct InteractionInfo: Sendable, Hashable {
    /// The description, unique within a pact together with the provider states.
    public var description: String
    /// The provider states.
    public var providerStates: [ProviderState]
    /// The V4 interaction key, if any.
    public var key: String?
    /// A V4 pending interaction is verified but does not fail verification.
    public var pending: Bool
    /// V4 comments (`text`, `testname`, ...), kept as written.
    public var comments: JSONObject
    /// Attributes this toolkit does not know, kept so that rewriting a pact does not lose them.
    public var unknownAttributes: JSONObject

    /// Creates interaction information.
    public init(
        description: String, providerStates: [ProviderState] = [], key: String? = nil, pending: Bool = false,
        comments: JSONObject = JSONObject(), unknownAttributes: JSONObject = JSONObject()
    ) {
        self.description = description
        self.providerStates = providerStates
        self.key = key
        self.pending = pending
        self.comments = comments
        self.unknownAttributes = unknownAttributes
    }
}

/// A request-response interaction over HTTP.
public struct HTTPInteraction: Sendable, Hashable {
    /// Description, states and V4 attributes.
    public var info: InteractionInfo
    /// The expected request.
    public var request: HTTPRequest
    /// The response to send or expect.
    public var response: HTTPResponse

    /// Creates an HTTP interaction.
    public init(info: InteractionInfo, request: HTTPRequest, response: HTTPResponse) {
        self.info = info
        self.request = request
        self.response = response
    }

    /// The description.
    public var description: String { info.description }
}

/// The contents of a message with its metadata, rules and generators.
public struct MessageContents: Sendable, Hashable {
    /// The message body.
    public var contents: Body
    /// Message metadata, such as a content type or a topic.
    public var metadata: JSONObject
    /// Rules for `body` (or `content`) and `metadata`.
    public var matchingRules: MatchingRules
    /// Generators.
    public var generators: Generators

    /// Creates message contents.
    public init(contents: Body = .missing, metadata: JSONObject = JSONObject(), matchingRules: MatchingRules = MatchingRules(), generators: Generators = Generators()) {
        self.contents = contents
        self.metadata = metadata
        self.matchingRules = matchingRules
        self.generators = generators
    }
}

/// A one-way message (V3 message pact, V4 `Asynchronous/Messages`).
public struct AsynchronousMessage: Sendable, Hashable {
    /// Description, states and V4 attributes.
    public var info: InteractionInfo
    /// The message.
    public var message: MessageContents

    /// Creates a message interaction.
    public init(info: InteractionInfo, message: MessageContents) {
        self.info = info
        self.message = message
    }
}

/// A request message with one or more response messages (V4 `Synchronous/Messages`).
public struct SynchronousMessages: Sendable, Hashable {
    /// Description, states and V4 attributes.
    public var info: InteractionInfo
    /// The request message.
    public var request: MessageContents
    /// The response messages.
    public var responses: [MessageContents]

    /// Creates a synchronous message interaction.
    public init(info: InteractionInfo, request: MessageContents, responses: [MessageContents]) {
        self.info = info
        self.request = request
        self.responses = responses
    }
}

/// An interaction of any kind.
public enum Interaction: Sendable, Hashable {
    /// HTTP request and response.
    case http(HTTPInteraction)
    /// A one-way message.
    case asynchronousMessage(AsynchronousMessage)
    /// A request message with responses.
    case synchronousMessages(SynchronousMessages)

    /// Common information.
    public var info: InteractionInfo {
        get {
            switch self {
            case .http(let interaction): return interaction.info
            case .asynchronousMessage(let message): return message.info
            case .synchronousMessages(let messages): return messages.info
            }
        }
        set {
            switch self {
            case .http(var interaction): interaction.info = newValue; self = .http(interaction)
            case .asynchronousMessage(var message): message.info = newValue; self = .asynchronousMessage(message)
            case .synchronousMessages(var messages): messages.info = newValue; self = .synchronousMessages(messages)
            }
        }
    }

    /// The description.
    public var description: String { info.description }

    /// The V4 type name (`Synchronous/HTTP`, `Asynchronous/Messages`, `Synchronous/Messages`).
    public var typeName: String {
        switch self {
        case .http: return "Synchronous/HTTP"
        case .asynchronousMessage: return "Asynchronous/Messages"
        case .synchronousMessages: return "Synchronous/Messages"
        }
    }

    /// The HTTP interaction, when this is one.
    public var http: HTTPInteraction? {
        if case .http(let interaction) = self { return interaction }
        return nil
    }
}
