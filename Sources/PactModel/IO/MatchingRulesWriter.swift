/// Writes matching rules in the V3/V4 form or the flat V2 form.
enum MatchingRulesWriter {
    /// `{category: {path: {combine, matchers}}}`, with `path` and `status` unkeyed.
    static func v3(_ rules: MatchingRules) -> JSONValue {
        var object = JSONObject()
        for name in rules.categories.keys.sorted() {
            guard let category = rules.categories[name], !category.isEmpty else { continue }
            object[name] = Self.category(category, name: name)
        }
        return .object(object)
    }

    static func category(_ category: RuleCategory, name: String) -> JSONValue {
        if MatchingRulesReader.unkeyedCategories.contains(name), category.entries.count == 1, let only = category.entries.first {
            return list(only.rules)
        }
        var object = JSONObject()
        for entry in category.entries { object[entry.path.description] = list(entry.rules) }
        return .object(object)
    }

    static func list(_ list: RuleList) -> JSONValue {
        ["combine": .string(list.logic.rawValue), "matchers": .array(list.rules.map(rule))]
    }

    /// The flat V2 form, and the names of rules V2 cannot express.
    static func v2(_ rules: MatchingRules) -> (JSONValue?, [String]) {
        var object = JSONObject()
        var dropped: [String] = []
        for (name, category) in rules.categories.sorted(by: { $0.key < $1.key }) {
            for entry in category.entries {
                let key: String
                switch name {
                case "body":
                    key = "$.body" + entry.path.description.dropFirst()
                case "header":
                    key = "$.headers" + PathExpression.renderField(entry.path.firstField ?? entry.path.description)
                case "query":
                    key = "$.query" + PathExpression.renderField(entry.path.firstField ?? entry.path.description)
                case "path":
                    key = "$.path"
                default:
                    dropped.append(name)
                    continue
                }
                // V2 holds one rule per path; keep the first one it can express.
                guard let first = entry.rules.rules.first(where: isV2Rule) else {
                    dropped += entry.rules.rules.map(\.name)
                    continue
                }
                dropped += entry.rules.rules.filter { !isV2Rule($0) }.map(\.name)
                object[key] = rule(first)
            }
        }
        return (object.isEmpty ? nil : .object(object), dropped)
    }

    private static func isV2Rule(_ rule: MatchingRule) -> Bool {
        switch rule {
        case .regex, .type, .minType, .maxType, .minMaxType: return true
        default: return false
        }
    }

    static func rule(_ rule: MatchingRule) -> JSONValue {
        var object: JSONObject = ["match": .string(rule.name)]
        switch rule {
        case .regex(let regex): object["regex"] = .string(regex.pattern)
        case .minType(let min): object["min"] = .number(JSONNumber(min))
        case .maxType(let max): object["max"] = .number(JSONNumber(max))
        case .minMaxType(let min, let max):
            object["min"] = .number(JSONNumber(min))
            object["max"] = .number(JSONNumber(max))
        case .include(let value): object["value"] = .string(value)
        case .date(let pattern), .time(let pattern), .timestamp(let pattern): object["format"] = .string(pattern.pattern)
        case .contentType(let value): object["value"] = .string(value)
        case .arrayContains(let variants):
            object["variants"] = .array(variants.map { variant in
                var generators = JSONObject()
                for (path, generator) in variant.generators.sorted(by: { $0.key.description < $1.key.description }) {
                    generators[path.description] = GeneratorsWriter.generator(generator)
                }
                return [
                    "index": .number(JSONNumber(variant.index)),
                    "rules": category(variant.rules, name: "body"),
                    "generators": .object(generators),
                ]
            })
        case .eachKey(let definition), .eachValue(let definition):
            object["rules"] = .array(definition.rules.map(self.rule))
            if let example = definition.example { object["value"] = example }
        case .statusCode(let status): object["status"] = status.json
        default: break
        }
        return .object(object)
    }
}

/// Writes generators in the V3/V4 form.
enum GeneratorsWriter {
    static func json(_ generators: Generators) -> JSONValue {
        var object = JSONObject()
        if !generators.body.isEmpty {
            var body = JSONObject()
            for entry in generators.body { body[entry.path.description] = generator(entry.generator) }
            object["body"] = .object(body)
        }
        for (name, entries) in [("header", generators.headers), ("query", generators.query), ("metadata", generators.metadata)] where !entries.isEmpty {
            var category = JSONObject()
            for entry in entries { category[entry.name] = generator(entry.generator) }
            object[name] = .object(category)
        }
        if let path = generators.path { object["path"] = generator(path) }
        if let status = generators.status { object["status"] = generator(status) }
        return .object(object)
    }

    static func generator(_ generator: Generator) -> JSONValue {
        var object: JSONObject = ["type": .string(generator.typeName)]
        switch generator {
        case .randomInt(let min, let max):
            object["min"] = .number(JSONNumber(min))
            object["max"] = .number(JSONNumber(max))
        case .randomDecimal(let digits), .randomHexadecimal(let digits):
            object["digits"] = .number(JSONNumber(digits))
        case .randomString(let size):
            object["size"] = .number(JSONNumber(size))
        case .regex(let pattern):
            object["regex"] = .string(pattern)
        case .uuid(let format):
            object["format"] = .string(format.rawValue)
        case .date(let format, let expression), .time(let format, let expression), .dateTime(let format, let expression):
            if let format { object["format"] = .string(format) }
            if let expression { object["expression"] = .string(expression) }
        case .randomBoolean:
            break
        case .providerState(let expression, let dataType):
            object["expression"] = .string(expression)
            if let dataType { object["dataType"] = .string(dataType.rawValue) }
        case .mockServerURL(let example, let regex):
            object["example"] = .string(example)
            object["regex"] = .string(regex)
        }
        return .object(object)
    }
}
