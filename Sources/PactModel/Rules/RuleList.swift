/// How the rules of one path combine.
public enum RuleLogic: String, Sendable, Hashable {
    /// Every rule must pass.
    case and = "AND"
    /// At least one rule must pass.
    case or = "OR"
}

/// The rules defined for one path, and how they combine.
public struct RuleList: Sendable, Hashable {
    /// The rules in order.
    public var rules: [MatchingRule]
    /// How they combine.
    public var logic: RuleLogic

    /// Creates a rule list.
    public init(_ rules: [MatchingRule], logic: RuleLogic = .and) {
        self.rules = rules
        self.logic = logic
    }
}

/// The rules of one part of an interaction (body, header, query, path, status, metadata), keyed by path.
public struct RuleCategory: Sendable, Hashable {
    /// Rules by path, in the order they were defined.
    public private(set) var entries: [(path: PathExpression, rules: RuleList)] = []

    /// Creates an empty category.
    public init() {}

    /// Creates a category from entries.
    public init(_ entries: [(PathExpression, RuleList)]) {
        for (path, rules) in entries { add(rules, at: path) }
    }

    /// True when no rules are defined.
    public var isEmpty: Bool { entries.isEmpty }

    /// Adds rules at a path, appending to rules already defined there.
    public mutating func add(_ list: RuleList, at path: PathExpression) {
        if let position = entries.firstIndex(where: { $0.path == path }) {
            entries[position].rules.rules.append(contentsOf: list.rules)
            entries[position].rules.logic = list.logic
        } else {
            entries.append((path, list))
        }
    }

    /// Adds one rule at a path.
    public mutating func add(_ rule: MatchingRule, at path: PathExpression, logic: RuleLogic = .and) {
        add(RuleList([rule], logic: logic), at: path)
    }

    /// The rules defined exactly at a path expression.
    public subscript(path: PathExpression) -> RuleList? {
        entries.first { $0.path == path }?.rules
    }

    /// Categories are equal when they define the same rules at the same paths.
    public static func == (lhs: RuleCategory, rhs: RuleCategory) -> Bool {
        lhs.entries.count == rhs.entries.count && lhs.entries.allSatisfy { rhs[$0.path] == $0.rules }
    }

    /// Hashes the number of entries.
    public func hash(into hasher: inout Hasher) { hasher.combine(entries.count) }
}

/// All matching rules of one request, response or message, by category name.
public struct MatchingRules: Sendable, Hashable {
    /// Categories by name (`body`, `header`, `query`, `path`, `status`, `metadata`, `content`).
    public var categories: [String: RuleCategory] = [:]

    /// Creates empty rules.
    public init() {}

    /// True when no category has rules.
    public var isEmpty: Bool { categories.values.allSatisfy(\.isEmpty) }

    /// The rules of a category (empty when undefined).
    public subscript(category: String) -> RuleCategory {
        get { categories[category] ?? RuleCategory() }
        set { categories[category] = newValue.isEmpty ? nil : newValue }
    }

    /// The body rules.
    public var body: RuleCategory {
        get { self["body"] }
        set { self["body"] = newValue }
    }
}
