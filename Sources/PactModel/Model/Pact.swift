/// A contract between a consumer and a provider: the interactions the consumer relies on.
public struct Pact: Sendable, Hashable {
    /// The consumer's name.
    public var consumer: String
    /// The provider's name.
    public var provider: String
    /// The interactions, in order.
    public var interactions: [Interaction]
    /// Metadata other than the specification version (for example `pactRust`, `pactctl`, `plugins`).
    public var metadata: JSONObject
    /// The version the pact was read as (or will be written as by default).
    public var specification: PactSpecification
    /// Top-level attributes this toolkit does not know, kept for round trips.
    public var unknownAttributes: JSONObject

    /// Creates a pact.
    public init(
        consumer: String, provider: String, interactions: [Interaction] = [], metadata: JSONObject = JSONObject(),
        specification: PactSpecification = .v4, unknownAttributes: JSONObject = JSONObject()
    ) {
        self.consumer = consumer
        self.provider = provider
        self.interactions = interactions
        self.metadata = metadata
        self.specification = specification
        self.unknownAttributes = unknownAttributes
    }

    /// The HTTP interactions only.
    public var httpInteractions: [HTTPInteraction] {
        interactions.compactMap(\.http)
    }
}
