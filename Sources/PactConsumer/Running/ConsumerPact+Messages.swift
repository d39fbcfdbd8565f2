import Foundation
import PactMatching
import PactMockServer
import PactModel

/// A message as the consumer's handler receives it: the contents with generators applied and matchers replaced by
/// their examples, and the metadata.
public struct ReceivedMessage: Sendable {
    /// The description of the interaction the message belongs to.
    public let description: String
    /// The provider states of the interaction.
    public let providerStates: [ProviderState]
    /// The message body, exactly as a provider would send it.
    public let contents: [UInt8]
    /// The media type of the contents (from the metadata's `contentType`, else the body's), if known.
    public let contentType: String?
    /// The metadata, with generators applied.
    public let metadata: JSONObject

    /// The contents as UTF-8 text, or nil when they are not valid UTF-8.
    public var text: String? {
        String(validating: contents, as: UTF8.self)
    }

    /// The contents parsed as JSON.
    public func json() throws -> JSONValue {
        try JSONParser.parse(contents)
    }

    /// The contents decoded as JSON into `type`.
    public func decode<T: Decodable>(_ type: T.Type, using decoder: JSONDecoder = JSONDecoder()) throws -> T {
        try decoder.decode(type, from: Data(contents))
    }

    init(description: String, providerStates: [ProviderState], message: MessageContents) {
        self.description = description
        self.providerStates = providerStates
        contents = message.contents.bytes
        let declared = message.metadata.first { ["contenttype", "content-type"].contains($0.key.lowercased()) }?.value.stringValue
        contentType = declared ?? message.contents.contentType?.description
        metadata = message.metadata
    }
}

/// A synchronous message interaction as the consumer's handler receives it: the request message and the responses.
public struct SynchronousMessageExchange: Sendable {
    /// The description of the interaction.
    public let description: String
    /// The provider states of the interaction.
    public let providerStates: [ProviderState]
    /// The request message the consumer sends.
    public let request: ReceivedMessage
    /// The response messages the provider answers with, in order.
    public let responses: [ReceivedMessage]
}

extension ConsumerPact {
    /// Hands each message declared with `expectsToReceive` since the last run to `handler`, in order, and writes the
    /// pact file when the handler accepted every one.
    ///
    /// The handler gets the contents and metadata as a provider would send them: matchers replaced by their examples,
    /// generators applied. It should do what the consumer does with a real message (parse it, act on it) and throw
    /// when it cannot. A handler that throws fails the test with its error, and nothing is written.
    public func verifyMessages(
        output: PactOutput = PactOutput(),
        sourceLocation: PactSourceLocation = PactSourceLocation(),
        _ handler: @Sendable (ReceivedMessage) async throws -> Void
    ) async throws {
        let taken = takePendingMessages { if case .asynchronousMessage = $0 { return true } else { return false } }
        try await deliver(taken, kind: "expectsToReceive(…).withContents(…)", output: output, sourceLocation: sourceLocation) { interaction in
            guard case .asynchronousMessage(let message) = interaction else { return }
            try await handler(try Self.received(message.message, of: message.info))
        }
    }

    /// Hands each synchronous message interaction declared with `synchronousMessage` since the last run to `handler`,
    /// in order, and writes the pact file when the handler accepted every one.
    ///
    /// The handler gets the request and the responses as they would travel; it should check that the consumer
    /// builds that request and handles those responses, and throw when it does not.
    public func verifySynchronousMessages(
        output: PactOutput = PactOutput(),
        sourceLocation: PactSourceLocation = PactSourceLocation(),
        _ handler: @Sendable (SynchronousMessageExchange) async throws -> Void
    ) async throws {
        let taken = takePendingMessages { if case .synchronousMessages = $0 { return true } else { return false } }
        try await deliver(taken, kind: "synchronousMessage(…).willRespondWith(…)", output: output, sourceLocation: sourceLocation) { interaction in
            guard case .synchronousMessages(let messages) = interaction else { return }
            let exchange = SynchronousMessageExchange(
                description: messages.info.description, providerStates: messages.info.providerStates,
                request: try Self.received(messages.request, of: messages.info),
                responses: try messages.responses.map { try Self.received($0, of: messages.info) })
            try await handler(exchange)
        }
    }

    private func deliver(
        _ taken: [(interaction: Interaction, problems: [String])], kind: String, output: PactOutput, sourceLocation: PactSourceLocation,
        _ each: (Interaction) async throws -> Void
    ) async throws {
        let problems = taken.flatMap(\.problems)
        if !problems.isEmpty {
            throw Self.fail(PactTestFailure(report: nil, message: PactConsumerError.invalidInteractions(problems).description), at: sourceLocation)
        }
        if taken.isEmpty {
            throw Self.fail(PactTestFailure(report: nil, message: "no messages were declared since the last run; declare them with \(kind) first"),
                            at: sourceLocation)
        }
        // The handler's own error fails the test as it is, so the consumer's failure reads as the consumer wrote it.
        for (interaction, _) in taken { try await each(interaction) }
        let writer = PactFileWriter(directory: output.directory ?? PactFileWriter.defaultDirectory(), specification: specification)
        do { try writer.write(pact(with: taken.map(\.interaction))) } catch {
            throw Self.fail(PactTestFailure(report: nil, message: error.description), at: sourceLocation)
        }
    }

    /// The message as it travels: consumer-side generators applied; a generator that cannot run is an error.
    private static func received(_ message: MessageContents, of info: InteractionInfo) throws -> ReceivedMessage {
        let generated = GeneratorApplier(mode: .consumer).apply(to: message)
        if let error = generated.errors.first {
            throw PactTestFailure(report: nil, message: "message '\(info.description)': the generator for \(error.location) failed: \(error.reason)")
        }
        return ReceivedMessage(description: info.description, providerStates: info.providerStates, message: generated.message)
    }
}
