import Foundation
import PactModel

extension Simulation {
    /// Reads `{"seed": 42, "rules": [{"path": "/accounts/**", "delay": "lognormal:150,0.4", "fault": "status:503:1@5%"},
    /// {"interaction": "a deposit", "delay": "fixed:100"}, {"delay": "uniform:5,20"}]}`; a rule with neither `path`
    /// nor `interaction` applies to every request. Without `seed`, one is drawn.
    public init(json: JSONValue) throws(SimulationError) {
        guard case .object(let object) = json else { throw .invalidDocument("$", "expected an object with \"rules\" and an optional \"seed\"") }
        for key in object.keys where !["seed", "rules"].contains(key) {
            throw .invalidDocument("$.\(key)", "unknown key; a simulation has \"seed\" and \"rules\"")
        }
        var seed: UInt64?
        if let value = object["seed"], !value.isNull {
            guard case .number(let number) = value, let parsed = UInt64(number.literal) else {
                throw .invalidDocument("$.seed", "must be a whole number from 0 to 18446744073709551615")
            }
            seed = parsed
        }
        var rules: [SimulationRule] = []
        if let value = object["rules"], !value.isNull {
            guard let items = value.arrayValue else { throw .invalidDocument("$.rules", "must be an array of rules") }
            for (index, item) in items.enumerated() {
                rules.append(try Simulation.rule(item, at: "$.rules[\(index)]"))
            }
        }
        self.init(rules: rules, seed: seed)
    }

    private static func rule(_ item: JSONValue, at location: String) throws(SimulationError) -> SimulationRule {
        guard case .object(let rule) = item else { throw .invalidDocument(location, "a rule is an object such as {\"path\": \"/a/*\", \"delay\": \"fixed:100\"}") }
        for key in rule.keys where !["path", "interaction", "delay", "fault"].contains(key) {
            throw .invalidDocument("\(location).\(key)", "unknown key; a rule has \"path\" or \"interaction\", and \"delay\" and/or \"fault\"")
        }
        func text(_ key: String) throws(SimulationError) -> String? {
            guard let value = rule[key], !value.isNull else { return nil }
            guard let string = value.stringValue else { throw .invalidDocument("\(location).\(key)", "must be a string") }
            return string
        }
        let path = try text("path"), interaction = try text("interaction")
        if path != nil && interaction != nil { throw .invalidDocument(location, "give \"path\" or \"interaction\", not both") }
        if let path, !path.hasPrefix("/") { throw .invalidDocument("\(location).path", "a path pattern starts with /") }
        let scope: SimulationScope = path.map { .path($0) } ?? interaction.map { .interaction($0) } ?? .everything
        var delay: Delay?
        var fault: Fault?
        do {
            delay = try text("delay").map { text throws(SimulationError) in try Delay(parsing: text) }
            fault = try text("fault").map { text throws(SimulationError) in try Fault(parsing: text) }
        } catch {
            throw .invalidDocument(location, error.description)
        }
        if delay == nil && fault == nil { throw .invalidDocument(location, "a rule needs a \"delay\" or a \"fault\"") }
        return SimulationRule(scope, delay: delay, fault: fault)
    }

    /// The document `init(json:)` reads.
    public var json: JSONValue {
        let items: [JSONValue] = rules.map { rule in
            var object = JSONObject()
            switch rule.scope {
            case .everything: break
            case .path(let pattern): object["path"] = .string(pattern)
            case .interaction(let name): object["interaction"] = .string(name)
            }
            if let delay = rule.delay { object["delay"] = .string(delay.description) }
            if let fault = rule.fault { object["fault"] = .string(fault.description) }
            return .object(object)
        }
        return ["seed": .number(JSONNumber(literal: String(seed)) ?? JSONNumber(0)), "rules": .array(items)]
    }
}
