import PactMockServer
import PactModel

/// Declares one interaction step by step; `willRespondWith` compiles it and registers it with its `ConsumerPact`.
///
/// The builder is a value: each call returns a changed copy. An interaction is registered only when
/// `willRespondWith` is called, once per call.
public struct InteractionBuilder: Sendable {
    private let pact: ConsumerPact
    private var declaration: InteractionDeclaration

    init(pact: ConsumerPact, description: String) {
        self.pact = pact
        declaration = InteractionDeclaration(description: description)
    }

    /// Adds a provider state; its parameters are sent to the provider as plain JSON (matchers give only their examples).
    public func given(_ state: String, _ params: [String: PactValue] = [:]) -> InteractionBuilder {
        changed { $0.states.append(InteractionDeclaration.State(name: state, params: InteractionDeclaration.ordered(params))) }
    }

    /// Marks the interaction as pending (V4): its verification is reported but does not fail the provider's build.
    public func pending(_ isPending: Bool = true) -> InteractionBuilder {
        changed { $0.pending = isPending }
    }

    /// Sets the V4 interaction key, which identifies the interaction across versions of the pact.
    public func key(_ key: String) -> InteractionBuilder {
        changed { $0.key = key }
    }

    /// Adds a V4 comment (`comments.text`).
    public func comment(_ text: String) -> InteractionBuilder {
        changed { $0.comments.append(text) }
    }

    /// Records the name of the test that declares the interaction (V4 `comments.testname`).
    public func testName(_ name: String) -> InteractionBuilder {
        changed { $0.testName = name }
    }

    /// Delays this interaction's responses on the mock server, such as `.lognormal(median: 150, sigma: 0.4)`; the
    /// pact file is not affected.
    public func withDelay(_ delay: Delay) -> InteractionBuilder {
        changed { $0.delay = delay }
    }

    /// Injects a fault into this interaction's responses on the mock server, such as
    /// `Fault(.status(code: 503, retryAfterSeconds: 1), rate: 0.05)`; the pact file is not affected.
    public func withFault(_ fault: Fault) -> InteractionBuilder {
        changed { $0.fault = fault }
    }

    /// Describes the expected request; without this call the request is `GET /`.
    ///
    /// `path`, query values and header values may be matchers (`.regex("/accounts/\\d+", example: "/accounts/7")`);
    /// an array gives a query parameter or header several values. Names are kept in sorted order.
    public func withRequest(method: HTTPMethod, path: PactValue, query: [String: PactValue] = [:],
                            headers: [String: PactValue] = [:], body: PactBody? = nil) -> InteractionBuilder {
        changed {
            $0.request = InteractionDeclaration.Request(method: method, path: path, query: InteractionDeclaration.ordered(query),
                                                        headers: InteractionDeclaration.ordered(headers), body: body)
        }
    }

    /// Describes the response with an exact status, then compiles the interaction and registers it with the pact.
    @discardableResult
    public func willRespondWith(status: Int, headers: [String: PactValue] = [:], body: PactBody? = nil) -> InteractionBuilder {
        register(InteractionDeclaration.Response(status: .code(status), headers: InteractionDeclaration.ordered(headers), body: body))
    }

    /// Describes the response with a status class (such as `.clientError(example: 400)`), then registers the interaction.
    @discardableResult
    public func willRespondWith(status: StatusMatcher, headers: [String: PactValue] = [:], body: PactBody? = nil) -> InteractionBuilder {
        register(InteractionDeclaration.Response(status: .matcher(status), headers: InteractionDeclaration.ordered(headers), body: body))
    }

    private func register(_ response: InteractionDeclaration.Response) -> InteractionBuilder {
        let (interaction, problems) = InteractionCompiler.compile(declaration, response: response, specification: pact.specification)
        let rule = declaration.delay == nil && declaration.fault == nil ? nil
            : SimulationRule(.interaction(declaration.description), delay: declaration.delay, fault: declaration.fault)
        pact.register(interaction, problems: problems, simulation: rule)
        return self
    }

    private func changed(_ change: (inout InteractionDeclaration) -> Void) -> InteractionBuilder {
        var copy = self
        change(&copy.declaration)
        return copy
    }
}
