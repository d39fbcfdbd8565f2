import PactModel

/// The running state of a mock server's scenarios and active provider states; the mock server keeps it behind one
/// lock, so choosing an interaction and moving a scenario on happen together for concurrent requests.
struct ScenarioMachine: Sendable {
    let set: ScenarioSet
    /// For each scenario, the interaction index of each step.
    private let stepInteractions: [[Int]]
    /// For each interaction, the (scenario, step) pairs that name it.
    private let governing: [Int: [(scenario: Int, step: Int)]]
    /// Each scenario's current state.
    private(set) var states: [String]

    init(set: ScenarioSet, interactions: [HTTPInteraction]) throws(SimulationError) {
        self.set = set
        stepInteractions = try set.resolve(interactions)
        var governing: [Int: [(scenario: Int, step: Int)]] = [:]
        for (scenario, indices) in stepInteractions.enumerated() {
            for (step, interaction) in indices.enumerated() { governing[interaction, default: []].append((scenario, step)) }
        }
        self.governing = governing
        states = set.scenarios.map(\.startState)
    }

    /// True when the interaction may answer now.
    func isEligible(_ interaction: Int) -> Bool {
        guard let steps = governing[interaction] else { return true }
        return steps.contains { entry in
            let required = set.scenarios[entry.scenario].steps[entry.step].requiredState
            return required == nil || required == states[entry.scenario]
        }
    }

    /// Why an interaction may not answer now, for the mismatch message.
    func whyNot(_ interaction: Int) -> String {
        let steps = governing[interaction] ?? []
        let wanted = steps.compactMap { entry -> String? in
            set.scenarios[entry.scenario].steps[entry.step].requiredState.map { "'\($0)'" }
        }
        let scenarioNames = Set(steps.map { set.scenarios[$0.scenario].name }).sorted()
        let current = scenarioNames.compactMap { name in
            set.scenarios.firstIndex { $0.name == name }.map { "scenario '\(name)' is in state '\(states[$0])'" }
        }
        return "it answers only in state \(wanted.joined(separator: " or ")), and \(current.joined(separator: ", "))"
    }

    /// Moves the scenarios on after the interaction answered.
    mutating func advance(after interaction: Int) {
        guard let steps = governing[interaction] else { return }
        var moved = Set<Int>()
        for entry in steps where !moved.contains(entry.scenario) {
            let step = set.scenarios[entry.scenario].steps[entry.step]
            guard step.requiredState == nil || step.requiredState == states[entry.scenario] else { continue }
            if let next = step.newState { states[entry.scenario] = next }
            moved.insert(entry.scenario)
        }
    }

    /// Puts every scenario back in its start state.
    mutating func reset() {
        states = set.scenarios.map(\.startState)
    }

    /// Sets one scenario's state; false when there is no such scenario.
    mutating func setState(_ state: String, of name: String) -> Bool {
        guard let index = set.scenarios.firstIndex(where: { $0.name == name }) else { return false }
        states[index] = state
        return true
    }

    /// The scenarios and their states, for the control API.
    var json: JSONValue {
        .array(set.scenarios.enumerated().map { index, scenario in
            ["name": .string(scenario.name), "state": .string(states[index]), "startState": .string(scenario.startState)]
        })
    }
}
