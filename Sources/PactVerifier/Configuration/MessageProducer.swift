import Foundation
import PactModel

/// How the verifier has the provider produce the messages of message interactions (V3 message pacts, V4
/// `Asynchronous/Messages` and `Synchronous/Messages`).
public enum MessageProducer: Sendable {
    /// POST to this path below the provider URL (and base path), as other Pact verifiers do, with the JSON body
    /// `{"description": …, "providerStates": [{"name": …, "params": {…}}]}` (and `"request": {…}`, the request
    /// message in its V4 form, for a synchronous message). The provider answers 2xx with the message: the body is the
    /// contents, `Content-Type` their media type, and an optional `Pact-Message-Metadata` header carries the metadata
    /// as base64-encoded JSON.
    case http(path: String)
    /// The same POST to this absolute URL, for a producer that runs apart from the HTTP provider.
    case url(String)
    /// Call Swift closures in this process.
    case handlers(MessageHandlers)

    /// POST to the provider URL itself.
    public static let providerURL = MessageProducer.http(path: "/")
}

/// What the verifier asks a provider for: the message of one interaction.
public struct MessageRequest: Sendable {
    /// The interaction's description, which names the message.
    public var description: String
    /// The interaction's provider states.
    public var providerStates: [ProviderState]
    /// For a synchronous message interaction, the request message the provider answers.
    public var request: MessageContents?

    /// Creates a request.
    public init(description: String, providerStates: [ProviderState] = [], request: MessageContents? = nil) {
        self.description = description
        self.providerStates = providerStates
        self.request = request
    }
}

/// A message a provider produced: its contents, their media type and the metadata.
public struct ProducedMessage: Sendable {
    /// The body bytes.
    public var contents: [UInt8]
    /// The media type of the contents, such as `application/json`.
    public var contentType: String?
    /// The metadata, such as a topic or a key.
    public var metadata: JSONObject

    /// A message of raw bytes.
    public init(contents: [UInt8], contentType: String?, metadata: JSONObject = JSONObject()) {
        self.contents = contents
        self.contentType = contentType
        self.metadata = metadata
    }

    /// A JSON message.
    public init(json: JSONValue, metadata: JSONObject = JSONObject()) {
        self.init(contents: JSONWriter.bytes(json, style: .compact), contentType: "application/json", metadata: metadata)
    }

    /// A message of a value encoded as JSON, such as the event a provider publishes.
    public init<T: Encodable>(encoding value: T, using encoder: JSONEncoder = JSONEncoder(), metadata: JSONObject = JSONObject()) throws {
        self.init(contents: [UInt8](try encoder.encode(value)), contentType: "application/json", metadata: metadata)
    }
}

/// In-process message producers, looked up by the exact description of the interaction.
public struct MessageHandlers: Sendable {
    /// Produces the message for one interaction.
    public typealias Handler = @Sendable (MessageRequest) async throws -> ProducedMessage

    /// Handlers by exact description.
    public var handlers: [String: Handler]
    /// The handler for descriptions not in `handlers`; without one, such messages fail verification.
    public var fallback: Handler?

    /// Creates a set of handlers.
    public init(_ handlers: [String: Handler] = [:], fallback: Handler? = nil) {
        self.handlers = handlers
        self.fallback = fallback
    }
}
