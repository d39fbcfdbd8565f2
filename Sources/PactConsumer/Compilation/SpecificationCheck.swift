import PactModel

/// Reports what the pact's specification version cannot hold, so that nothing is dropped silently when the pact is written.
enum SpecificationCheck {
    /// Rules that only V4 defines.
    private static let v4Rules: Set<String> = ["arrayContains", "eachKey", "eachValue", "notEmpty", "semver", "statusCode"]
    /// Rules that V2 can hold.
    private static let v2Rules: Set<String> = ["regex", "type"]

    /// One message per feature the version lacks.
    static func problems(in interaction: HTTPInteraction, specification: PactSpecification) -> [String] {
        problems(info: interaction.info, parts: [
            ("request", interaction.request.matchingRules, interaction.request.generators),
            ("response", interaction.response.matchingRules, interaction.response.generators),
        ], specification: specification)
    }

    /// One message per feature the version lacks, for an interaction whose parts (such as `request` and `response`,
    /// or a message's `contents`) carry these rules and generators.
    static func problems(info: InteractionInfo, parts: [(String, MatchingRules, Generators)], specification: PactSpecification) -> [String] {
        guard specification < .v4 else { return [] }
        let version = specification.description
        var problems: [String] = []
        if info.pending || info.key != nil || !info.comments.isEmpty {
            problems.append("pending, key and comments need spec V4, but this pact is written as \(version)")
        }
        if specification < .v3 {
            if info.providerStates.count > 1 || info.providerStates.contains(where: { !$0.params.isEmpty }) {
                problems.append("several provider states or state parameters need spec V3, but this pact is written as \(version)")
            }
        }
        for (side, rules, generators) in parts {
            for (category, ruleCategory) in rules.categories.sorted(by: { $0.key < $1.key }) {
                for entry in ruleCategory.entries {
                    for rule in entry.rules.rules {
                        guard let needed = neededVersion(for: rule, category: category), needed > specification else { continue }
                        let place = category == "path" || category == "status" ? "\(side) \(category)" : "\(side) \(category) \(entry.path)"
                        problems.append("\(place): the \(rule.name) rule needs spec \(needed), but this pact is written as \(version)")
                    }
                }
            }
            if specification < .v3, !generators.isEmpty {
                problems.append("\(side): generators need spec V3, but this pact is written as \(version)")
            }
        }
        return problems
    }

    private static func neededVersion(for rule: MatchingRule, category: String) -> PactSpecification? {
        if category == "status" || v4Rules.contains(rule.name) { return .v4 }
        return v2Rules.contains(rule.name) ? .v2 : .v3
    }
}
