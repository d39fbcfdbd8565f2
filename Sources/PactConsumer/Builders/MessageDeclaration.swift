import PactModel

/// The contents and metadata of one message, as declared: a message the consumer receives, or the request or a
/// response of a synchronous message interaction.
///
/// Metadata values may carry matchers and generators (`"ID": .randomInt(0, 1000, example: 7)`); a matcher applies to
/// the whole value of its key. When the metadata has no `contentType`, the contents' content type is added as one,
/// as other Pact implementations do.
public struct MessagePayload: Sendable {
    /// The message body; nil for a message without contents.
    public var contents: PactBody?
    /// The metadata, in key order.
    var metadata: [(name: String, value: PactValue)]

    /// Creates a payload.
    public init(contents: PactBody?, metadata: [String: PactValue] = [:]) {
        self.contents = contents
        self.metadata = InteractionDeclaration.ordered(metadata)
    }
}

/// Everything a message builder has collected, before it is compiled into an interaction.
struct MessageDeclaration: Sendable {
    var description: String
    var states: [InteractionDeclaration.State] = []
    var pending = false
    var key: String?
    var comments: [String] = []
    var testName: String?
    /// The metadata of a one-way message (its contents are given when it is registered).
    var metadata: [(name: String, value: PactValue)] = []
    /// The request of a synchronous message interaction.
    var request = MessagePayload(contents: nil)

    init(description: String) {
        self.description = description
    }

    /// The common part of an interaction declaration, for the parts of the compiler both kinds share.
    var common: InteractionDeclaration {
        var declaration = InteractionDeclaration(description: description)
        declaration.states = states
        declaration.pending = pending
        declaration.key = key
        declaration.comments = comments
        declaration.testName = testName
        return declaration
    }
}
