import Foundation
import NIOConcurrencyHelpers
import PactMatching
import PactModel

/// A mock provider: a real HTTP server that answers with the interactions of a pact and records what it receives.
///
/// Many servers can run side by side in one process; each has its own port, interactions and journal.
public final class MockServer: Sendable {
    /// The pact being served (its interactions answer requests).
    public let pact: Pact
    /// How the server listens.
    public let configuration: MockServerConfiguration
    /// Every request received, with its outcome.
    public let journal: RequestJournal
    private let selector: InteractionSelector
    /// Responses encoded once, for interactions without response generators (nil where generators apply).
    private let prepared: [PreparedResponse?]
    private let server: NIOLockedValueBox<HTTPServer?> = NIOLockedValueBox(nil)
    /// The simulation in force (nil for none) and how many simulated responses it has planned.
    private let simulationState: NIOLockedValueBox<(simulation: Simulation?, sequence: UInt64)>
    /// Scenarios and active provider states, which restrict the interactions that may answer.
    private let routing = NIOLockedValueBox(Routing())
    private let baseURL: NIOLockedValueBox<String> = NIOLockedValueBox("")

    /// Creates a server for the HTTP interactions of a pact; call `start()` to listen.
    public init(pact: Pact, configuration: MockServerConfiguration = MockServerConfiguration()) {
        self.pact = pact
        self.configuration = configuration
        selector = InteractionSelector(pact.httpInteractions)
        prepared = pact.httpInteractions.map { $0.response.generators.isEmpty && !configuration.cors ? PreparedResponse($0.response) : nil }
        journal = RequestJournal(interactionCount: pact.httpInteractions.count, capacity: configuration.journalCapacity)
        simulationState = NIOLockedValueBox((configuration.simulation.flatMap { $0.isEmpty ? nil : $0 }, 0))
    }

    /// The latency and faults in force; setting it applies to the next request and restarts the sequence its seed
    /// draws along, so the same requests in the same order meet the same delays and faults again.
    public var simulation: Simulation? {
        get { simulationState.withLockedValue { $0.simulation } }
        set { simulationState.withLockedValue { $0 = (newValue.flatMap { $0.isEmpty ? nil : $0 }, 0) } }
    }

    /// Starts listening and returns the base URL, such as `http://127.0.0.1:53122`.
    @discardableResult
    public func start() async throws(MockServerError) -> URL {
        if let scenarios = configuration.scenarios, scenarioStates.isEmpty {
            do { try loadScenarios(scenarios) } catch { throw .invalidScenarios(error) }
        }
        let limits = HTTPLimits(maxBodyBytes: configuration.maxBodyBytes, maxHeaderBytes: configuration.maxHeaderBytes,
                                idleTimeout: configuration.idleTimeout)
        let started = try await HTTPServer.start(host: configuration.host, port: configuration.port, limits: limits, tls: configuration.tls,
                                                 responder: .immediate { [self] request in serve(request) })
        server.withLockedValue { $0 = started }
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        let url = "\(configuration.tls == nil ? "http" : "https")://\(host):\(started.port)"
        baseURL.withLockedValue { $0 = url }
        return URL(string: url) ?? URL(fileURLWithPath: "/")
    }

    /// The base URL once started.
    public var url: URL? {
        let text = baseURL.withLockedValue { $0 }
        return text.isEmpty ? nil : URL(string: text)
    }

    /// The port once started.
    public var port: Int? {
        server.withLockedValue { $0?.port }
    }

    /// Stops the server.
    public func stop() async {
        let running = server.withLockedValue { value -> HTTPServer? in
            defer { value = nil }
            return value
        }
        await running?.stop()
    }

    /// What the server saw: interactions never requested, and requests that did not match.
    public func report() -> MockServerReport {
        let interactions = pact.httpInteractions
        let counts = journal.matchCounts
        let missing = interactions.indices.filter { counts[$0] == 0 }.map { interactions[$0].description }
        let problems = journal.problems
        var unexpected: [HTTPRequest] = []
        var mismatched: [MockServerReport.Mismatched] = []
        for entry in problems.entries {
            switch entry.outcome {
            case .mismatched(let index, let mismatches):
                mismatched.append(MockServerReport.Mismatched(request: entry.request, interaction: interactions[index].description, mismatches: mismatches))
            case .unexpected:
                unexpected.append(entry.request)
            default:
                break
            }
        }
        return MockServerReport(missing: missing, unexpected: unexpected, mismatched: mismatched,
                                problemCount: problems.count, totalRequests: journal.totalRequests)
    }

    /// Answers one request, using the pre-encoded response when the matched interaction has one.
    func serve(_ request: HTTPRequest) -> ServedResponse {
        let simulated = simulationState.withLockedValue { state -> (Simulation, UInt64)? in
            guard let simulation = state.simulation else { return nil }
            state.sequence += 1
            return (simulation, state.sequence)
        }
        if let (simulation, sequence) = simulated {
            // The plan is drawn under the scenario lock, so a response replaced by a fault does not move a scenario on:
            // the provider would not have done what the failed call asked.
            var matchedPlan: ResponsePlan?
            let outcome = select(request) { index in
                let plan = simulation.plan(path: request.path, interaction: self.selector.interactions[index].description, sequence: sequence)
                matchedPlan = plan
                return plan.fault == nil
            }
            var plan = matchedPlan ?? simulation.plan(path: request.path, interaction: nil, sequence: sequence)
            let delivery = plan.isPlain ? nil : SimulatedDelivery(addedDelay: plan.wait, chunks: plan.chunks?.count, fault: plan.fault)
            var response = respond(to: request, outcome: outcome, simulated: delivery)
            if case .status(let code, let retryAfter)? = plan.fault {
                response = MockServer.injectedError(code, retryAfter: retryAfter)
                plan.fault = nil
            }
            return plan.isPlain ? .model(response) : .planned(PreparedResponse(response), plan)
        }
        if configuration.requestLog == nil, !configuration.cors {
            let outcome = select(request)
            if case .matched(let index) = outcome, let ready = prepared[index] {
                journal.record(JournalEntry(request: request, outcome: outcome))
                return .prepared(ready)
            }
            return .model(respond(to: request, outcome: outcome))
        }
        return .model(respond(to: request))
    }

    /// Answers one request: the matching interaction's response (with generators applied), or a 500 that explains the mismatch.
    func respond(to request: HTTPRequest, outcome known: RequestOutcome? = nil, simulated: SimulatedDelivery? = nil) -> HTTPResponse {
        if configuration.cors, request.method == "OPTIONS", request.headers.contains("Access-Control-Request-Method") {
            journal.record(JournalEntry(request: request, outcome: .preflight, simulated: simulated))
            return corsPreflight(request)
        }
        let outcome = known ?? select(request)
        journal.record(JournalEntry(request: request, outcome: outcome, simulated: simulated))
        var response: HTTPResponse
        switch outcome {
        case .matched(let index):
            let context = GeneratorContext(mockServerURL: baseURL.withLockedValue { $0 })
            response = GeneratorApplier(mode: .consumer, context: context).apply(to: selector.interactions[index].response).response
        case .mismatched(let index, let mismatches):
            response = MockServer.mismatchResponse(request, interaction: selector.interactions[index].description, mismatches: mismatches)
        case .unexpected:
            response = MockServer.mismatchResponse(request, interaction: nil, mismatches: [])
        case .preflight:
            response = HTTPResponse(status: 204)
        }
        if configuration.cors { response.headers.set("Access-Control-Allow-Origin", [request.headers.first("Origin") ?? "*"]) }
        configuration.requestLog?(request, outcome, response)
        return response
    }

    private func corsPreflight(_ request: HTTPRequest) -> HTTPResponse {
        var headers = PactModel.HTTPHeaders()
        headers.add("Access-Control-Allow-Origin", request.headers.first("Origin") ?? "*")
        headers.add("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS")
        headers.add("Access-Control-Allow-Headers", request.headers.first("Access-Control-Request-Headers") ?? "*")
        headers.add("Access-Control-Allow-Credentials", "true")
        headers.add("Access-Control-Max-Age", "3600")
        return HTTPResponse(status: 204, headers: headers)
    }

    /// Chooses the interaction; with scenarios or provider states active, under their lock, moving scenarios on
    /// as the interaction answers, so concurrent requests see one consistent sequence of states.
    private func select(_ request: HTTPRequest, advancing: ((Int) -> Bool)? = nil) -> RequestOutcome {
        routing.withLockedValue { routing in
            guard routing.isActive else {
                let outcome = selector.select(for: request)
                if case .matched(let index) = outcome { _ = advancing?(index) }
                return outcome
            }
            let interactions = selector.interactions
            let current = routing
            let outcome = selector.select(for: request, allows: { current.allows($0, interactions) },
                                          explain: { current.whyNot($0, interactions) })
            if case .matched(let index) = outcome, advancing?(index) ?? true { routing.scenarios?.advance(after: index) }
            return outcome
        }
    }

    /// Loads scenarios (nil removes them) and starts each in its start state.
    public func loadScenarios(_ scenarios: ScenarioSet?) throws(SimulationError) {
        let machine = try scenarios.map { set throws(SimulationError) in try ScenarioMachine(set: set, interactions: selector.interactions) }
        routing.withLockedValue { $0.scenarios = machine }
    }

    /// Puts every scenario back in its start state.
    public func resetScenarios() {
        routing.withLockedValue { $0.scenarios?.reset() }
    }

    /// Sets a scenario's state; false when there is no scenario of that name.
    @discardableResult
    public func setScenarioState(_ state: String, of scenario: String) -> Bool {
        routing.withLockedValue { $0.scenarios?.setState(state, of: scenario) ?? false }
    }

    /// Each scenario's name and current state.
    public var scenarioStates: [(name: String, state: String)] {
        routing.withLockedValue { routing in
            guard let machine = routing.scenarios else { return [] }
            return zip(machine.set.scenarios, machine.states).map { ($0.name, $1) }
        }
    }

    /// The scenarios and their states as the control API shows them.
    var scenariosJSON: JSONValue {
        routing.withLockedValue { routing in
            ["scenarios": routing.scenarios?.json ?? .array([]),
             "providerStates": routing.providerStates.map { .array($0.sorted().map(JSONValue.string)) } ?? .null]
        }
    }

    /// When set, an interaction with provider states answers only if every one of its states is in this set, so the
    /// states a test declares choose among interactions with the same request. Nil (the default) lets all answer.
    public var activeProviderStates: Set<String>? {
        get { routing.withLockedValue { $0.providerStates } }
        set { routing.withLockedValue { $0.providerStates = newValue } }
    }

    /// An injected HTTP error, marked so a reader of the traffic can tell it from the provider's own answers.
    static func injectedError(_ status: Int, retryAfter: Int?) -> HTTPResponse {
        var headers = PactModel.HTTPHeaders()
        headers.add("Content-Type", "application/json")
        headers.add("x-pactctl-fault", "status")
        if let retryAfter { headers.add("Retry-After", String(retryAfter)) }
        return HTTPResponse(status: status, headers: headers,
                            body: Body(json: ["error": .string("fault injected by the pactctl mock server: status \(status)")]))
    }

    /// A 500 with `x-pact: Request-Mismatch` and a JSON body naming the closest interaction and the mismatches.
    static func mismatchResponse(_ request: HTTPRequest, interaction: String?, mismatches: [Mismatch]) -> HTTPResponse {
        var body: JSONObject = [
            "error": .string(interaction == nil
                ? "Unexpected request: \(MockServerReport.summary(request)) matches no interaction"
                : "Request mismatch: \(MockServerReport.summary(request)) does not match '\(interaction ?? "")'"),
            "request": ["method": .string(request.method), "path": .string(request.path)],
        ]
        if let interaction { body["interaction"] = .string(interaction) }
        body["mismatches"] = .array(mismatches.map { mismatch in
            var object: JSONObject = ["type": .string(mismatch.kind.rawValue), "path": .string(mismatch.path), "message": .string(mismatch.message)]
            if let expected = mismatch.expected { object["expected"] = .string(expected) }
            if let actual = mismatch.actual { object["actual"] = .string(actual) }
            return .object(object)
        })
        var headers = PactModel.HTTPHeaders()
        headers.add("Content-Type", "application/json")
        headers.add("x-pact", "Request-Mismatch")
        return HTTPResponse(status: 500, headers: headers, body: Body(json: .object(body)))
    }
}
