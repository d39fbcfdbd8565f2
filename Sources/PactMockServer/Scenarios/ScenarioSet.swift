import Foundation
import PactModel

/// WireMock-style state machines over the interactions of a pact, read from a small JSON file kept beside it.
///
/// ```json
/// {
///   "scenarios": [{
///     "name": "Banking day",
///     "startState": "Started",
///     "steps": [
///       {"interaction": "a request to open an account", "requiredState": "Started", "newState": "Open"},
///       {"interaction": "a request for the balance", "providerState": "account ACC001 exists with balance 1000",
///        "requiredState": "Open"}
///     ]
///   }]
/// }
/// ```
///
/// An interaction named by a step answers only while its scenario is in the step's `requiredState` (any state when
/// it is left out), and moves the scenario to `newState` when it answers. `providerState` picks one interaction among
/// several with the same description. Interactions no step names answer as usual. The pact file itself is untouched,
/// so it stays valid for every Pact tool.
public struct ScenarioSet: Sendable, Equatable {
    /// One transition of a scenario.
    public struct Step: Sendable, Equatable {
        public var interaction: String
        public var providerState: String?
        public var requiredState: String?
        public var newState: String?

        public init(interaction: String, providerState: String? = nil, requiredState: String? = nil, newState: String? = nil) {
            self.interaction = interaction
            self.providerState = providerState
            self.requiredState = requiredState
            self.newState = newState
        }
    }

    /// One state machine.
    public struct Scenario: Sendable, Equatable {
        public var name: String
        public var startState: String
        public var steps: [Step]

        public init(name: String, startState: String = "Started", steps: [Step]) {
            self.name = name
            self.startState = startState
            self.steps = steps
        }
    }

    public var scenarios: [Scenario]

    /// Creates a set of scenarios.
    public init(scenarios: [Scenario]) {
        self.scenarios = scenarios
    }

    /// Reads a scenario file; `source` names it in errors.
    public init(contentsOf path: String) throws(SimulationError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalidScenarios(path, "the file could not be read; check the path")
        }
        let json: JSONValue
        do { json = try JSONParser.parse(Array(data)) } catch {
            throw .invalidScenarios(path, "not valid JSON: \(error.description)")
        }
        do { try self.init(json: json) } catch {
            guard case .invalidScenarios(let location, let hint) = error else { throw error }
            throw .invalidScenarios("\(path) \(location)", hint)
        }
    }

    /// Reads the document shown above.
    public init(json: JSONValue) throws(SimulationError) {
        guard case .object(let root) = json, let items = root["scenarios"]?.arrayValue else {
            throw .invalidScenarios("$", "expected {\"scenarios\": [{\"name\": …, \"steps\": […]}]}")
        }
        for key in root.keys where !["scenarios", "description", "pact"].contains(key) {
            throw .invalidScenarios("$.\(key)", "unknown key; the file has \"scenarios\" (and optionally \"description\" and \"pact\")")
        }
        var scenarios: [Scenario] = []
        for (index, item) in items.enumerated() {
            let location = "$.scenarios[\(index)]"
            guard case .object(let object) = item else { throw .invalidScenarios(location, "a scenario is an object with \"name\" and \"steps\"") }
            for key in object.keys where !["name", "startState", "steps", "description"].contains(key) {
                throw .invalidScenarios("\(location).\(key)", "unknown key; a scenario has \"name\", \"startState\" and \"steps\"")
            }
            guard let name = object["name"]?.stringValue, !name.isEmpty else { throw .invalidScenarios("\(location).name", "a non-empty name is required") }
            if scenarios.contains(where: { $0.name == name }) { throw .invalidScenarios("\(location).name", "the name '\(name)' is used twice") }
            let start = object["startState"]?.stringValue ?? "Started"
            guard let stepItems = object["steps"]?.arrayValue, !stepItems.isEmpty else {
                throw .invalidScenarios("\(location).steps", "give at least one step")
            }
            var steps: [Step] = []
            for (stepIndex, stepItem) in stepItems.enumerated() {
                let stepLocation = "\(location).steps[\(stepIndex)]"
                guard case .object(let step) = stepItem else { throw .invalidScenarios(stepLocation, "a step is an object with \"interaction\"") }
                for key in step.keys where !["interaction", "providerState", "requiredState", "newState"].contains(key) {
                    throw .invalidScenarios("\(stepLocation).\(key)", "unknown key; a step has \"interaction\", \"providerState\", \"requiredState\" and \"newState\"")
                }
                for key in ["providerState", "requiredState", "newState"] where step[key] != nil && step[key]?.stringValue == nil && step[key]?.isNull != true {
                    throw .invalidScenarios("\(stepLocation).\(key)", "must be a string")
                }
                guard let interaction = step["interaction"]?.stringValue, !interaction.isEmpty else {
                    throw .invalidScenarios("\(stepLocation).interaction", "the description of an interaction of the pact is required")
                }
                steps.append(Step(interaction: interaction, providerState: step["providerState"]?.stringValue,
                                  requiredState: step["requiredState"]?.stringValue, newState: step["newState"]?.stringValue))
            }
            scenarios.append(Scenario(name: name, startState: start, steps: steps))
        }
        self.init(scenarios: scenarios)
    }

    /// The document `init(json:)` reads.
    public var json: JSONValue {
        ["scenarios": .array(scenarios.map { scenario in
            ["name": .string(scenario.name), "startState": .string(scenario.startState), "steps": .array(scenario.steps.map { step in
                var object: JSONObject = ["interaction": .string(step.interaction)]
                if let value = step.providerState { object["providerState"] = .string(value) }
                if let value = step.requiredState { object["requiredState"] = .string(value) }
                if let value = step.newState { object["newState"] = .string(value) }
                return .object(object)
            })]
        })]
    }

    /// The interaction indices each step names, checked against the pact: every step must name exactly one interaction.
    func resolve(_ interactions: [HTTPInteraction]) throws(SimulationError) -> [[Int]] {
        var resolved: [[Int]] = []
        for (scenarioIndex, scenario) in scenarios.enumerated() {
            var indices: [Int] = []
            for (stepIndex, step) in scenario.steps.enumerated() {
                let location = "$.scenarios[\(scenarioIndex)].steps[\(stepIndex)]"
                let named = interactions.indices.filter { interactions[$0].description == step.interaction }
                guard !named.isEmpty else {
                    let known = interactions.map { "'\($0.description)'" }.joined(separator: ", ")
                    throw .invalidScenarios(location, "the pact has no interaction '\(step.interaction)'; it has \(known)")
                }
                let chosen = step.providerState.map { state in named.filter { interactions[$0].info.providerStates.contains { $0.name == state } } } ?? named
                guard chosen.count == 1 else {
                    if chosen.isEmpty {
                        let states = named.flatMap { interactions[$0].info.providerStates.map { "'\($0.name)'" } }.joined(separator: ", ")
                        throw .invalidScenarios(location, "no interaction '\(step.interaction)' has the provider state '\(step.providerState ?? "")'; its states are \(states)")
                    }
                    throw .invalidScenarios(location, "\(chosen.count) interactions are called '\(step.interaction)'; add \"providerState\" to pick one")
                }
                indices.append(chosen[0])
            }
            resolved.append(indices)
        }
        return resolved
    }
}
