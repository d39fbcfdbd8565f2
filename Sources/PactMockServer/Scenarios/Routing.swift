import PactModel

/// What restricts the interactions that may answer: scenarios and the active provider states.
struct Routing: Sendable {
    var scenarios: ScenarioMachine?
    var providerStates: Set<String>?

    var isActive: Bool { scenarios != nil || providerStates != nil }

    func allows(_ index: Int, _ interactions: [HTTPInteraction]) -> Bool {
        if let providerStates, !interactions[index].info.providerStates.allSatisfy({ providerStates.contains($0.name) }) { return false }
        return scenarios?.isEligible(index) ?? true
    }

    func whyNot(_ index: Int, _ interactions: [HTTPInteraction]) -> String {
        if let providerStates {
            let missing = interactions[index].info.providerStates.map { $0.name }.filter { !providerStates.contains($0) }
            if !missing.isEmpty {
                return "its provider state \(missing.map { "'\($0)'" }.joined(separator: ", ")) is not active"
            }
        }
        return scenarios?.whyNot(index) ?? "it may not answer now"
    }
}
