/// A provider state: the precondition an interaction needs, with optional parameters.
public struct ProviderState: Sendable, Hashable {
    /// The state's description, such as `account ACC001 exists with balance 700`.
    public var name: String
    /// Parameters for the state, in order.
    public var params: JSONObject

    /// Creates a provider state.
    public init(_ name: String, params: JSONObject = JSONObject()) {
        self.name = name
        self.params = params
    }
}
