import PactMockServer
import PactModel

/// Everything an `InteractionBuilder` has collected, before it is compiled into an `HTTPInteraction`.
struct InteractionDeclaration: Sendable {
    /// A provider state with its parameters in name order.
    struct State: Sendable {
        var name: String
        var params: [(name: String, value: PactValue)]
    }

    /// The expected request.
    struct Request: Sendable {
        var method: HTTPMethod = .get
        var path: PactValue = "/"
        var query: [(name: String, value: PactValue)] = []
        var headers: [(name: String, value: PactValue)] = []
        var body: PactBody?
    }

    /// The response status: a code, or a class of codes with an example.
    enum Status: Sendable {
        case code(Int)
        case matcher(StatusMatcher)
    }

    /// The response the mock server sends.
    struct Response: Sendable {
        var status: Status
        var headers: [(name: String, value: PactValue)] = []
        var body: PactBody?
    }

    var description: String
    /// Latency for this interaction's responses on the mock server (never written to the pact).
    var delay: Delay?
    /// A fault for this interaction's responses on the mock server (never written to the pact).
    var fault: Fault?
    var states: [State] = []
    var pending = false
    var key: String?
    var comments: [String] = []
    var testName: String?
    var request = Request()

    /// Dictionary entries in name order, so that the compiled interaction is the same on every run.
    static func ordered(_ values: [String: PactValue]) -> [(name: String, value: PactValue)] {
        values.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
    }
}
