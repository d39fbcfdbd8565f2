/// Reads the `matchingRules` attribute of a request, response or message in V2, V3 or V4 form.
struct MatchingRulesReader {
    var warnings: [PactWarning] = []

    /// Returns the warnings gathered so far and forgets them (the caches stay).
    mutating func takeWarnings() -> [PactWarning] {
        defer { warnings = [] }
        return warnings
    }
    /// Compiled once per document: pacts repeat the same expressions and formats across interactions.
    private var regexes: [String: PactRegex] = [:]
    private var patterns: [String: DateTimePattern] = [:]

    /// Categories whose rules are not keyed by path.
    static let unkeyedCategories: Set<String> = ["path", "status"]

    mutating func read(_ cursor: JSONCursor, specification: PactSpecification) throws(PactLoadError) -> MatchingRules {
        let object = try cursor.object()
        let isV2Form = object.keys.contains { $0.hasPrefix("$") }
        if isV2Form || specification <= .v2 {
            return try readV2(cursor, object: object)
        }
        var rules = MatchingRules()
        for (category, _) in object {
            guard let categoryCursor = cursor.child(category) else { continue }
            rules[category] = try readCategory(categoryCursor, name: category)
        }
        return rules
    }

    /// V2 keys look like `$.body.a`, `$.headers.X`, `$.query.a` or `$.path`.
    private mutating func readV2(_ cursor: JSONCursor, object: JSONObject) throws(PactLoadError) -> MatchingRules {
        var rules = MatchingRules()
        for (key, _) in object {
            guard let ruleCursor = cursor.child(key) else { continue }
            let expression: PathExpression
            do { expression = try PathExpression(parsing: key) } catch {
                throw ruleCursor.error(error.reason, hint: "V2 rule keys look like $.body.name, $.header.Name, $.query.name or $.path")
            }
            let tokens = expression.tokens
            guard tokens.count >= 2, case .field(let part) = tokens[1] else {
                warnings.append(PactWarning(path: ruleCursor.path, message: "ignored a V2 rule whose key names no part of the request"))
                continue
            }
            let list = RuleList(try readRuleArray([ruleCursor]), logic: .and)
            switch part {
            case "body":
                rules.body.add(list, at: PathExpression(tokens: [.root] + tokens.dropFirst(2)))
            case "header", "headers":
                guard tokens.count >= 3, case .field(let name) = tokens[2] else { continue }
                rules["header"].add(list, at: PathExpression(tokens: [.field(name)]))
            case "query":
                guard tokens.count >= 3, case .field(let name) = tokens[2] else { continue }
                rules["query"].add(list, at: PathExpression(tokens: [.field(name)]))
            case "path":
                rules["path"].add(list, at: .root)
            default:
                warnings.append(PactWarning(path: ruleCursor.path, message: "ignored a rule for the unknown part '\(part)'"))
            }
        }
        return rules
    }

    mutating func readCategory(_ cursor: JSONCursor, name: String) throws(PactLoadError) -> RuleCategory {
        let object = try cursor.object()
        var category = RuleCategory()
        if MatchingRulesReader.unkeyedCategories.contains(name), !object.contains("matchers"), !object.isEmpty, object.keys.allSatisfy({ $0.hasPrefix("$") }) {
            // The Rust implementation (pact-python 4, the FFI) writes path and status rules keyed by `$`, as if they
            // had paths: `"status": {"$": {"combine": "AND", "matchers": [...]}}`.
            for (key, _) in object {
                guard let listCursor = cursor.child(key) else { continue }
                category.add(try readRuleList(listCursor), at: .root)
            }
            return category
        }
        if MatchingRulesReader.unkeyedCategories.contains(name) || object.contains("matchers") {
            category.add(try readRuleList(cursor), at: .root)
            return category
        }
        for (key, _) in object {
            guard let listCursor = cursor.child(key) else { continue }
            let path: PathExpression
            do { path = try PathExpression(parsing: key) } catch { throw listCursor.error(error.description) }
            category.add(try readRuleList(listCursor), at: path)
        }
        return category
    }

    private mutating func readRuleList(_ cursor: JSONCursor) throws(PactLoadError) -> RuleList {
        let object = try cursor.object()
        var logic = RuleLogic.and
        if let combine = cursor.child("combine") {
            let text = try combine.string().uppercased()
            guard let parsed = RuleLogic(rawValue: text) else {
                throw combine.error("'\(text)' is not a way to combine rules", hint: "use AND or OR")
            }
            logic = parsed
        }
        if let matchers = cursor.child("matchers") {
            return RuleList(try readRuleArray(try matchers.array()), logic: logic)
        }
        // A bare rule object without the `matchers` wrapper.
        if object.contains("match") || object.contains("regex") || object.contains("min") || object.contains("max") {
            return RuleList(try readRuleArray([cursor]), logic: logic)
        }
        throw cursor.error("expected a 'matchers' array")
    }

    private mutating func readRuleArray(_ cursors: [JSONCursor]) throws(PactLoadError) -> [MatchingRule] {
        var rules: [MatchingRule] = []
        for ruleCursor in cursors {
            if let rule = try readRule(ruleCursor) { rules.append(rule) }
        }
        return rules
    }

    /// One rule object; unknown rule names are skipped with a warning.
    mutating func readRule(_ cursor: JSONCursor) throws(PactLoadError) -> MatchingRule? {
        _ = try cursor.object()
        let min = try cursor.optionalInt("min")
        let max = try cursor.optionalInt("max")
        var name = try cursor.optionalString("match")
        if name == nil {
            if cursor.child("regex") != nil { name = "regex" } else if min != nil || max != nil { name = "type" }
        }
        guard let name else {
            throw cursor.error("a matching rule needs a 'match' attribute", hint: "for example {\"match\": \"type\"}")
        }
        switch name {
        case "equality": return .equality
        case "regex":
            let pattern = try cursor.requiredString("regex")
            if let compiled = regexes[pattern] { return .regex(compiled) }
            do {
                let compiled = try PactRegex(pattern)
                regexes[pattern] = compiled
                return .regex(compiled)
            } catch {
                throw cursor.error("the regex \(error.description)", hint: "fix the expression; it is compiled with ICU (Java-like) syntax")
            }
        case "type", "min", "max":
            switch (min, max) {
            case (let low?, let high?):
                guard low <= high else { throw cursor.error("min (\(low)) is greater than max (\(high))") }
                return .minMaxType(min: low, max: high)
            case (let low?, nil): return .minType(low)
            case (nil, let high?): return .maxType(high)
            case (nil, nil): return .type
            }
        case "include":
            return .include(try plainValue(cursor, key: "value"))
        case "integer": return .integer
        case "decimal": return .decimal
        case "number": return .number
        case "null": return .null
        case "boolean": return .boolean
        case "date", "time", "timestamp", "datetime":
            let defaults = ["date": "yyyy-MM-dd", "time": "HH:mm:ss", "timestamp": "yyyy-MM-dd'T'HH:mm:ssXXX", "datetime": "yyyy-MM-dd'T'HH:mm:ssXXX"]
            let explicit = try cursor.optionalString("format")
            let legacy = try cursor.optionalString(name)
            let format = explicit ?? legacy ?? defaults[name] ?? ""
            let pattern: DateTimePattern
            if let prepared = patterns[format] {
                pattern = prepared
            } else {
                do { pattern = try DateTimePattern(format) } catch {
                    throw cursor.error("the \(name) format '\(format)' is invalid: \(error.reason)", hint: "use Java DateTimeFormatter letters, such as yyyy-MM-dd'T'HH:mm:ss")
                }
                patterns[format] = pattern
            }
            switch name {
            case "date": return .date(pattern)
            case "time": return .time(pattern)
            default: return .timestamp(pattern)
            }
        case "contentType", "content-type":
            return .contentType(try plainValue(cursor, key: "value"))
        case "values": return .values
        case "arrayContains", "array-contains":
            guard let variantsCursor = cursor.child("variants") else { throw cursor.error("an arrayContains rule needs 'variants'") }
            var variants: [ArrayContainsVariant] = []
            for variantCursor in try variantsCursor.array() {
                let index = try variantCursor.optionalInt("index") ?? variants.count
                var rules = RuleCategory()
                if let rulesCursor = variantCursor.child("rules") {
                    rules = try readCategory(rulesCursor, name: "body")
                }
                var generators: [PathExpression: Generator] = [:]
                if let generatorsCursor = variantCursor.child("generators") {
                    var reader = GeneratorsReader()
                    for entry in try reader.readKeyed(generatorsCursor) { generators[entry.path] = entry.generator }
                    warnings += reader.warnings
                }
                variants.append(ArrayContainsVariant(index: index, rules: rules, generators: generators))
            }
            return .arrayContains(variants)
        case "eachKey", "each-key", "eachValue", "each-value":
            var rules: [MatchingRule] = []
            if let rulesCursor = cursor.child("rules") {
                rules = try readRuleArray(try rulesCursor.array())
            }
            let definition = EachRuleDefinition(rules: rules, example: cursor.value["value"])
            return name.hasPrefix("eachKey") || name == "each-key" ? .eachKey(definition) : .eachValue(definition)
        case "notEmpty", "not-empty": return .notEmpty
        case "semver": return .semver
        case "statusCode", "status-code":
            guard let statusCursor = cursor.child("status"), let status = StatusCodeClass(json: statusCursor.value) else {
                throw cursor.error("a statusCode rule needs a 'status' of info, success, redirect, clientError, serverError, nonError, error or a list of codes")
            }
            return .statusCode(status)
        default:
            warnings.append(PactWarning(path: cursor.path, message: "ignored the unknown matching rule '\(name)' (plugin rules are not supported)"))
            return nil
        }
    }

    private func plainValue(_ cursor: JSONCursor, key: String) throws(PactLoadError) -> String {
        guard let value = cursor.value[key] else { throw cursor.error("the rule needs a '\(key)' attribute") }
        return value.plainText
    }
}

extension MatchingRules {
    /// Reads matching rules from their JSON form: V2 flat keys (`$.body.a`) or V3/V4 categories.
    public init(json: JSONValue, specification: PactSpecification = .v4, source: String = "matchingRules") throws(PactLoadError) {
        var reader = MatchingRulesReader()
        self = try reader.read(JSONCursor(json, path: "$", source: source), specification: specification)
    }
}

extension Generators {
    /// Reads generators from their JSON form (`{"body": {"$.id": {"type": "RandomInt"}}}`).
    public init(json: JSONValue, source: String = "generators") throws(PactLoadError) {
        var reader = GeneratorsReader()
        self = try reader.read(JSONCursor(json, path: "$", source: source))
    }
}
