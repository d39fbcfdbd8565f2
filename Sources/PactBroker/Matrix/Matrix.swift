import Foundation

/// One row of the matrix: a consumer version's pact and (maybe) its verification by a provider version.
struct MatrixRow: Sendable {
    var consumer: PacticipantRecord
    var consumerVersion: VersionRecord
    var provider: PacticipantRecord
    var providerVersion: VersionRecord?
    var publication: PublicationRecord
    var pactVersion: PactVersionRecord
    var verification: VerificationRecord?
    var ignored = false

    var key: String { "\(consumerVersion.id)|\(provider.id)|\(providerVersion?.id ?? 0)" }
}

/// The outcome of a matrix query: rows and the can-i-deploy decision.
struct MatrixResult: Sendable {
    var rows: [MatrixRow]
    /// true, false, or nil for "unknown" (a verification is missing).
    var deployable: Bool?
    var reasons: [String]
    var notices: [(type: String, text: String)]
    var truncated: Bool
    /// Counts over every row the decision considered, shown or not.
    var successCount = 0
    var failedCount = 0
    var unknownCount = 0
    var ignoredCount = 0
}

/// Computes the matrix with the Pact Broker's rules, from a few indexed queries per selector rather than one
/// join across every version: the cost grows with the versions selected, not with the size of the database.
struct MatrixCalculator: Sendable {
    let store: Store

    private struct Resolved {
        var selector: MatrixSelector
        var pacticipant: PacticipantRecord
        var versions: [VersionRecord]
        var missing: Bool
    }

    func compute(_ query: MatrixQuery) async throws -> MatrixResult {
        // Check names first: an unknown pacticipant or environment is a bad request, not a "no".
        var environmentId: Int64?
        if let name = query.environment {
            guard let environment = try await store.environment(named: name) else {
                throw BrokerError.invalid("environment", "there is no environment named '\(name)'")
            }
            environmentId = environment.id
        }
        var resolved: [Resolved] = []
        for selector in query.selectors {
            guard let pacticipant = try await store.pacticipant(named: selector.pacticipant) else {
                throw BrokerError.invalid("q", "there is no pacticipant named '\(selector.pacticipant)'")
            }
            let versions = try await resolve(selector, pacticipant)
            resolved.append(Resolved(selector: selector, pacticipant: pacticipant, versions: versions,
                                     missing: versions.isEmpty && (selector.version != nil || selector.latest || selector.branch != nil || selector.mainBranch)))
        }
        let specifiedIds = Set(resolved.map(\.pacticipant.id))
        var pacticipantCache: [Int64: PacticipantRecord] = Dictionary(resolved.map { ($0.pacticipant.id, $0.pacticipant) }, uniquingKeysWith: { a, _ in a })
        func pacticipant(_ id: Int64) async throws -> PacticipantRecord? {
            if let cached = pacticipantCache[id] { return cached }
            let record = try await store.pacticipant(id: id)
            pacticipantCache[id] = record
            return record
        }
        // The versions of a counterpart that a row may use; nil means "any version that verified".
        var counterpartCache: [Int64: [VersionRecord]?] = [:]
        func counterpartVersions(_ other: PacticipantRecord) async throws -> [VersionRecord]? {
            if let cached = counterpartCache[other.id] { return cached }
            let versions: [VersionRecord]?
            if specifiedIds.contains(other.id) {
                versions = resolved.filter { $0.pacticipant.id == other.id }.flatMap(\.versions)
            } else if query.hasDestination {
                versions = try await destinationVersions(of: other, query: query, environmentId: environmentId)
            } else {
                versions = nil
            }
            counterpartCache[other.id] = versions
            return versions
        }

        var rows: [MatrixRow] = []
        var seen = Set<String>()
        func add(_ row: MatrixRow) {
            if seen.insert(row.key).inserted { rows.append(row) }
        }

        for entry in resolved {
            for version in entry.versions {
                // The specified version as a consumer: every pact it published must be verified.
                for found in try await store.publicationsWithSHA(consumerVersionId: version.id) {
                    let publication = found.publication, content = found.content
                    guard let provider = try await pacticipant(publication.providerId) else { continue }
                    let allowed = try await counterpartVersions(provider)
                    let base = MatrixRow(consumer: entry.pacticipant, consumerVersion: version, provider: provider, providerVersion: nil,
                                         publication: publication, pactVersion: content, verification: nil)
                    if let allowed {
                        let latest = try await store.latestVerifications(pactVersionId: content.id, providerVersionIds: allowed.map(\.id))
                        let byVersion = Dictionary(latest.map { ($0.providerVersionId, $0) }, uniquingKeysWith: { a, _ in a })
                        if allowed.isEmpty { add(base) }
                        for providerVersion in allowed.sorted(by: { $0.id > $1.id }) {
                            var row = base
                            row.providerVersion = providerVersion
                            row.verification = byVersion[providerVersion.id]
                            add(row)
                        }
                    } else {
                        var verifications = try await store.latestVerifications(pactVersionId: content.id, providerVersionIds: nil)
                        if query.latestBy != nil, let newest = verifications.first { verifications = [newest] }
                        if verifications.isEmpty { add(base) }
                        let versions = try await store.versions(ids: verifications.map(\.providerVersionId))
                        for verification in verifications {
                            var row = base
                            row.providerVersion = versions[verification.providerVersionId]
                            row.verification = verification
                            add(row)
                        }
                    }
                }
                // The specified version as a provider: the pacts of its consumers' selected versions.
                for consumerId in try await store.consumers(ofProvider: entry.pacticipant.id) {
                    guard let consumer = try await pacticipant(consumerId) else { continue }
                    guard let consumerVersions = try await counterpartVersions(consumer) else { continue }
                    for consumerVersion in consumerVersions {
                        guard let publication = try await store.publication(consumerVersionId: consumerVersion.id, providerId: entry.pacticipant.id),
                              let content = try await store.pactVersionSummary(id: publication.pactVersionId) else { continue }
                        let verification = try await store.latestVerifications(pactVersionId: content.id, providerVersionIds: [version.id]).first
                        add(MatrixRow(consumer: consumer, consumerVersion: consumerVersion, provider: entry.pacticipant, providerVersion: version,
                                      publication: publication, pactVersion: content, verification: verification))
                    }
                }
            }
        }

        // Ignore selectors take rows out of the decision but keep them in the answer.
        var notices: [(type: String, text: String)] = []
        for ignore in query.ignore {
            var matched = false
            for index in rows.indices {
                let row = rows[index]
                let matchesConsumer = row.consumer.name == ignore.pacticipant && (ignore.version == nil || ignore.version == row.consumerVersion.number)
                let matchesProvider = row.provider.name == ignore.pacticipant && (ignore.version == nil || ignore.version == row.providerVersion?.number)
                if matchesConsumer || matchesProvider {
                    rows[index].ignored = true
                    matched = true
                }
            }
            if !matched {
                notices.append(("info", "Ignoring \(ignore.version.map { "version \($0) of " } ?? "")\(ignore.pacticipant) changed nothing: no row involves it"))
            }
        }

        rows.sort { ($0.consumerVersion.id, $0.providerVersion?.id ?? 0) > ($1.consumerVersion.id, $1.providerVersion?.id ?? 0) }
        // The decision and the counts take every row; `limit` only shortens the list shown.
        var result = decide(rows: rows, resolved: resolved, query: query, notices: notices, truncated: rows.count > query.limit)
        if rows.count > query.limit {
            result.rows = Array(rows.prefix(query.limit))
            result.notices.append(("warning", "Only the first \(query.limit) of \(rows.count) rows are shown (the decision counts them all); raise limit to see more"))
        }
        return result
    }

    /// Resolves a specified selector to versions.
    private func resolve(_ selector: MatrixSelector, _ pacticipant: PacticipantRecord) async throws -> [VersionRecord] {
        if let number = selector.version {
            return try await store.version(pacticipantId: pacticipant.id, number: number).map { [$0] } ?? []
        }
        if selector.mainBranch {
            guard let branch = pacticipant.mainBranch else { return [] }
            return try await store.latestVersion(pacticipantId: pacticipant.id, branch: branch).map { [$0] } ?? []
        }
        if let branch = selector.branch {
            return try await store.latestVersion(pacticipantId: pacticipant.id, branch: branch).map { [$0] } ?? []
        }
        if let tag = selector.tag {
            if selector.latest { return try await store.latestVersion(pacticipantId: pacticipant.id, tag: tag).map { [$0] } ?? [] }
            return try await store.versions(pacticipantId: pacticipant.id, tag: tag)
        }
        if let name = selector.environment {
            guard let environment = try await store.environment(named: name) else {
                throw BrokerError.invalid("q", "there is no environment named '\(name)'")
            }
            return try await versionsIn(environmentId: environment.id, pacticipant: pacticipant)
        }
        if selector.latest {
            return try await store.latestVersion(pacticipantId: pacticipant.id).map { [$0] } ?? []
        }
        return try await store.versions(pacticipantId: pacticipant.id, limit: 100)
    }

    /// The counterpart's versions at the destination: latest (with tag), in the environment, or its main-branch head.
    private func destinationVersions(of other: PacticipantRecord, query: MatrixQuery, environmentId: Int64?) async throws -> [VersionRecord] {
        if let environmentId { return try await versionsIn(environmentId: environmentId, pacticipant: other) }
        if query.mainBranch {
            guard let branch = other.mainBranch else { return [] }
            return try await store.latestVersion(pacticipantId: other.id, branch: branch).map { [$0] } ?? []
        }
        return try await store.latestVersion(pacticipantId: other.id, tag: query.tag).map { [$0] } ?? []
    }

    private func versionsIn(environmentId: Int64, pacticipant: PacticipantRecord) async throws -> [VersionRecord] {
        try await store.versionsInEnvironment(pacticipantId: pacticipant.id, environmentId: environmentId)
    }

    /// The Pact Broker's decision: no for a specified version that does not exist; unknown while a considered row
    /// has no verification; otherwise yes exactly when every considered verification succeeded.
    private func decide(rows: [MatrixRow], resolved: [Resolved], query: MatrixQuery, notices initial: [(type: String, text: String)], truncated: Bool) -> MatrixResult {
        var reasons: [String] = []
        var errors: [String] = []
        var notices = initial
        for entry in resolved where entry.missing {
            errors.append("No such version: \(entry.selector.summary) does not exist")
        }
        let considered = rows.filter { !$0.ignored }
        let unverified = considered.filter { $0.verification == nil }
        let failed = considered.filter { $0.verification?.succeeded == false }
        for row in unverified {
            let provider = row.providerVersion.map { "version \($0.number) of \(row.provider.name)" }
                ?? (query.hasDestination ? MatrixCalculator.destinationVersion(of: row.provider.name, query) + " (no such version exists)"
                                         : "any version of \(row.provider.name) (none has verified it)")
            errors.append("There is no verified pact between version \(row.consumerVersion.number) of \(row.consumer.name) and \(provider)")
        }
        for row in failed {
            errors.append("The verification of the pact between version \(row.consumerVersion.number) of \(row.consumer.name) and version \(row.providerVersion?.number ?? "?") of \(row.provider.name) failed")
        }
        let deployable: Bool?
        if resolved.contains(where: \.missing) {
            deployable = false
        } else if !unverified.isEmpty {
            deployable = nil
        } else {
            deployable = failed.isEmpty
        }
        if deployable == true {
            reasons.append(considered.isEmpty ? "There are no missing dependencies" : "All required verification results are published and successful")
        }
        reasons += errors
        for text in errors { notices.append(("error", text)) }
        if deployable == true { notices.append(("success", reasons[0])) }
        if !query.hasDestination && query.selectors.count == 1 {
            let text = "It is recommended to say where the version is going (an environment with --to-environment) so that only the versions already there count"
            reasons.append("WARNING: " + text)
            notices.append(("warning", text))
        }
        for entry in resolved where entry.selector.version == nil && !entry.missing && query.selectors.count > 0 && (entry.selector.latest || entry.selector.tag != nil || entry.selector.branch != nil) {
            if let version = entry.versions.first, entry.versions.count == 1 {
                notices.append(("info", "Computer says \(entry.selector.summary) is \(version.number)"))
            }
        }
        for row in rows where row.ignored {
            notices.append(("info", "Ignoring the pact between \(row.consumer.name) and \(row.provider.name) as asked"))
        }
        return MatrixResult(rows: rows, deployable: deployable, reasons: reasons, notices: notices, truncated: truncated,
                            successCount: considered.count - unverified.count - failed.count, failedCount: failed.count,
                            unknownCount: unverified.count, ignoredCount: rows.count - considered.count)
    }

    /// "the version of X in production", "the latest version of X with tag T", …
    static func destinationVersion(of name: String, _ query: MatrixQuery) -> String {
        if let environment = query.environment { return "the version of \(name) in \(environment)" }
        if query.mainBranch { return "the latest version of \(name) from its main branch" }
        if let tag = query.tag { return "the latest version of \(name) with tag \(tag)" }
        return "the latest version of \(name)"
    }
}
