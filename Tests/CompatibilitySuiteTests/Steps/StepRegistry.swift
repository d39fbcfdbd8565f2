import Foundation
import PactModel

/// A step definition failed: the scenario fails with this message.
struct StepFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One step definition: a Cucumber expression and what it does to the scenario's world.
struct StepDefinition: Sendable {
    let pattern: StepPattern
    let run: @Sendable (CompatibilityWorld, [String], GherkinStep) async throws -> Void

    init(_ expression: String, _ run: @escaping @Sendable (CompatibilityWorld, [String], GherkinStep) async throws -> Void) {
        pattern = StepPattern(expression)
        self.run = run
    }
}

/// How one scenario ended.
enum ScenarioOutcome: Equatable {
    case passed
    case failed(String)
    /// A step has no definition yet: it belongs to a later part of the toolkit.
    case pending(String)
}

/// Runs scenarios against the step definitions.
struct StepRegistry: Sendable {
    let definitions: [StepDefinition]

    /// A scenario is pending when any of its steps is undefined; it is never run partially.
    func run(_ scenario: GherkinScenario, background: [GherkinStep], fixtures: URL, specification: PactSpecification) async -> ScenarioOutcome {
        let steps = background + scenario.steps
        var plan: [(StepDefinition, [String], GherkinStep)] = []
        for step in steps {
            guard let (definition, arguments) = definitions.lazy.compactMap({ definition in
                definition.pattern.match(step.text).map { (definition, $0) }
            }).first else {
                return .pending("no step definition for '\(step.keyword) \(step.text)'")
            }
            plan.append((definition, arguments, step))
        }
        let world = CompatibilityWorld(fixtures: fixtures, specification: specification)
        defer { world.cleanUp() }
        for (definition, arguments, step) in plan {
            do {
                try await definition.run(world, arguments, step)
            } catch {
                await world.stopServer()
                return .failed("line \(step.line) '\(step.text)': \(error)")
            }
        }
        await world.stopServer()
        return .passed
    }
}
