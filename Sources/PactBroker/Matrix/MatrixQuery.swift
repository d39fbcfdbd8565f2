import Foundation

/// One `q[]` selector of a matrix query.
struct MatrixSelector: Sendable, Equatable {
    var pacticipant: String
    var version: String?
    var latest = false
    var tag: String?
    var branch: String?
    var mainBranch = false
    var environment: String?

    /// How the selector reads in reasons and notices.
    var summary: String {
        if let version { return "version \(version) of \(pacticipant)" }
        if mainBranch { return "the latest version of \(pacticipant) from its main branch" }
        if let branch { return "the latest version of \(pacticipant) from branch \(branch)" }
        if let tag { return latest ? "the latest version of \(pacticipant) with tag \(tag)" : "the versions of \(pacticipant) with tag \(tag)" }
        if let environment { return "the versions of \(pacticipant) in \(environment)" }
        if latest { return "the latest version of \(pacticipant)" }
        return "every version of \(pacticipant)"
    }
}

/// A parsed `/matrix` query.
struct MatrixQuery: Sendable, Equatable {
    enum LatestBy: String, Sendable { case cvp, cvpv }

    var selectors: [MatrixSelector] = []
    var ignore: [(pacticipant: String, version: String?)] = []
    var latestBy: LatestBy?
    /// The destination: the other side's latest version (optionally with `tag`), versions in `environment`,
    /// or its main-branch head.
    var latest = false
    var tag: String?
    var environment: String?
    var mainBranch = false
    var limit = 100

    var hasDestination: Bool { latest || tag != nil || environment != nil || mainBranch }

    static func == (lhs: MatrixQuery, rhs: MatrixQuery) -> Bool {
        lhs.selectors == rhs.selectors && lhs.ignore.map { "\($0.pacticipant)|\($0.version ?? "")" } == rhs.ignore.map { "\($0.pacticipant)|\($0.version ?? "")" }
            && lhs.latestBy == rhs.latestBy && lhs.latest == rhs.latest && lhs.tag == rhs.tag && lhs.environment == rhs.environment
            && lhs.mainBranch == rhs.mainBranch && lhs.limit == rhs.limit
    }

    /// Reads Rack-style parameters: `q[][pacticipant]=A&q[][version]=1&q[][pacticipant]=B…` (a new selector starts
    /// whenever a key repeats) or indexed `q[0][pacticipant]=A`; the same for `ignore[]`.
    init(items: [(key: String, value: String)]) throws {
        var selectorGroups = GroupedParameters()
        var ignoreGroups = GroupedParameters()
        for (key, value) in items {
            if let (index, field) = MatrixQuery.nested(key, prefix: "q") {
                selectorGroups.add(index: index, field: field, value: value)
            } else if let (index, field) = MatrixQuery.nested(key, prefix: "ignore") {
                ignoreGroups.add(index: index, field: field, value: value)
            } else {
                switch key {
                case "latestby":
                    guard value.isEmpty || LatestBy(rawValue: value) != nil else { throw BrokerError.invalid("latestby", "must be cvp or cvpv, not '\(value)'") }
                    latestBy = LatestBy(rawValue: value)
                case "latest": latest = value == "true"
                case "tag": tag = value.isEmpty ? nil : value
                case "environment": environment = value.isEmpty ? nil : value
                case "mainBranch": mainBranch = value == "true"
                case "limit":
                    guard let number = Int(value), number > 0 else { throw BrokerError.invalid("limit", "must be a positive whole number") }
                    limit = min(number, 10_000)
                default: break
                }
            }
        }
        if selectorGroups.groups.count > MatrixQuery.maxSelectors {
            throw BrokerError.invalid("q", "gives \(selectorGroups.groups.count) selectors; at most \(MatrixQuery.maxSelectors) are read")
        }
        if ignoreGroups.groups.count > MatrixQuery.maxSelectors {
            throw BrokerError.invalid("ignore", "gives \(ignoreGroups.groups.count) selectors; at most \(MatrixQuery.maxSelectors) are read")
        }
        for (position, fields) in selectorGroups.groups.enumerated() {
            guard let pacticipant = fields["pacticipant"], !pacticipant.isEmpty else {
                throw BrokerError.invalid("q", "selector \(position + 1) has no pacticipant name")
            }
            var selector = MatrixSelector(pacticipant: pacticipant)
            selector.version = fields["version"].flatMap { $0.isEmpty ? nil : $0 }
            selector.latest = fields["latest"] == "true"
            selector.tag = fields["tag"].flatMap { $0.isEmpty ? nil : $0 }
            selector.branch = fields["branch"].flatMap { $0.isEmpty ? nil : $0 }
            selector.mainBranch = fields["mainBranch"] == "true"
            selector.environment = fields["environment"].flatMap { $0.isEmpty ? nil : $0 }
            if selector.version != nil && selector.latest {
                throw BrokerError.invalid("q", "the selector for \(pacticipant) gives both a version and latest; give one")
            }
            let picks = [selector.version != nil, selector.tag != nil, selector.branch != nil, selector.mainBranch, selector.environment != nil].filter { $0 }.count
            if picks > 1 || (selector.latest && selector.environment != nil) {
                throw BrokerError.invalid("q", "the selector for \(pacticipant) combines \(MatrixQuery.describeKeys(fields)); use one way to pick versions")
            }
            selectors.append(selector)
        }
        for fields in ignoreGroups.groups {
            guard let pacticipant = fields["pacticipant"], !pacticipant.isEmpty else { throw BrokerError.invalid("ignore", "each ignore selector needs a pacticipant") }
            ignore.append((pacticipant, fields["version"].flatMap { $0.isEmpty ? nil : $0 }))
        }
        guard !selectors.isEmpty else {
            throw BrokerError.invalid("q", "give at least one selector, as in q[][pacticipant]=NAME&q[][version]=VERSION")
        }
        if [tag != nil, environment != nil, mainBranch].filter({ $0 }).count > 1 {
            throw BrokerError.invalid("environment", "give only one of tag, environment and mainBranch as the destination")
        }
        if latest && environment != nil {
            throw BrokerError.invalid("latest", "cannot be combined with environment; the versions in an environment are what is deployed there")
        }
    }

    init(selectors: [MatrixSelector]) {
        self.selectors = selectors
    }

    private static func describeKeys(_ fields: [String: String]) -> String {
        fields.keys.filter { $0 != "pacticipant" }.sorted().joined(separator: ", ")
    }

    /// `q[][field]` → (nil, field); `q[3][field]` → (3, field).
    static func nested(_ key: String, prefix: String) -> (Int?, String)? {
        guard key.hasPrefix(prefix + "["), key.hasSuffix("]") else { return nil }
        let inner = key.dropFirst(prefix.count + 1).dropLast()
        guard let close = inner.firstIndex(of: "]") else { return nil }
        let indexText = inner[..<close]
        let rest = inner[inner.index(after: close)...]
        guard rest.hasPrefix("[") else { return nil }
        let field = String(rest.dropFirst())
        guard !field.isEmpty, !field.contains("[") else { return nil }
        if indexText.isEmpty { return (nil, field) }
        guard let index = Int(indexText) else { return nil }
        return (index, field)
    }
}

/// Collects Rack-style array-of-hash parameters (`x[][key]=value`) in order: a new element starts when a key repeats.
extension MatrixQuery {
    /// The most selectors one request may give (matrix `q[]` and `ignore[]`, consumer version selectors): far above
    /// any real query, and low enough that no read-only request can keep the database busy for long.
    static let maxSelectors = 100
}

struct GroupedParameters {
    private(set) var groups: [[String: String]] = []
    private var indexed: [Int: Int] = [:]

    mutating func add(index: Int?, field: String, value: String) {
        if let index {
            if let position = indexed[index] {
                groups[position][field] = value
            } else {
                indexed[index] = groups.count
                groups.append([field: value])
            }
        } else if let last = groups.indices.last, groups[last][field] == nil, !indexed.values.contains(last) {
            groups[last][field] = value
        } else {
            groups.append([field: value])
        }
    }
}
