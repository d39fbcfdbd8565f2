import Foundation
import SQLKit

/// The broker's queries, run inside one transaction given by `BrokerDatabase.read` or `.write`.
struct Store: Sendable {
    let db: any SQLDatabase

    init(_ db: any SQLDatabase) {
        self.db = db
    }

    /// True on PostgreSQL, where concurrent writers run side by side and take row locks; SQLite runs one write
    /// transaction at a time, so a lock there is the transaction itself.
    var takesRowLocks: Bool { db.dialect.name == "postgresql" }

    // MARK: Locks

    /// Holds the version's row until the transaction ends, so that concurrent publishes of one consumer version
    /// run one after the other and each reads what the one before it wrote (PostgreSQL's READ COMMITTED reads the
    /// latest committed rows in every statement after the lock is granted).
    ///
    /// `FOR NO KEY UPDATE` does not block the key-share locks that inserts referring to the version take.
    func lockVersion(id: Int64) async throws {
        guard takesRowLocks else { return }
        try await db.exec("SELECT id FROM versions WHERE id = \(bind: id) FOR NO KEY UPDATE")
    }

    /// Holds the pacticipant's row until the transaction ends: deployments and releases of one pacticipant are
    /// recorded one at a time.
    func lockPacticipant(id: Int64) async throws {
        guard takesRowLocks else { return }
        try await db.exec("SELECT id FROM pacticipants WHERE id = \(bind: id) FOR NO KEY UPDATE")
    }

    // MARK: Pacticipants

    static let pacticipantColumns: SQLQueryString = "id, name, display_name, main_branch, repository_url, repository_name, repository_namespace, created_at, updated_at"

    /// A name as it is stored and compared: in Unicode normalisation form C, so `Café` typed with a combining accent
    /// (`Cafe\u{301}`) is the same pacticipant as `Café`, where SQL would compare their different bytes.
    static func canonical(_ name: String) -> String {
        // ASCII text is already in NFC: most names skip Foundation's normalisation, which every lookup would pay.
        name.utf8.allSatisfy { $0 < 0x80 } ? name : name.precomposedStringWithCanonicalMapping
    }

    func pacticipant(named name: String) async throws -> PacticipantRecord? {
        try await db.one(PacticipantRecord.self, "SELECT \(Store.pacticipantColumns) FROM pacticipants WHERE name = \(bind: Store.canonical(name))")
    }

    func pacticipant(id: Int64) async throws -> PacticipantRecord? {
        try await db.one(PacticipantRecord.self, "SELECT \(Store.pacticipantColumns) FROM pacticipants WHERE id = \(bind: id)")
    }

    /// The pacticipants with these ids, by id, in a query per 500.
    func pacticipants(ids: Set<Int64>) async throws -> [Int64: PacticipantRecord] {
        var result: [Int64: PacticipantRecord] = [:]
        for chunk in ids.sorted().chunked(500) {
            for row in try await db.many(PacticipantRecord.self, "SELECT \(Store.pacticipantColumns) FROM pacticipants WHERE id IN (\(Store.list(chunk)))") {
                result[row.id] = row
            }
        }
        return result
    }

    func pacticipants() async throws -> [PacticipantRecord] {
        try await db.many(PacticipantRecord.self, "SELECT \(Store.pacticipantColumns) FROM pacticipants ORDER BY name")
    }

    /// The pacticipant with that name, created if it does not exist yet.
    func ensurePacticipant(_ name: String) async throws -> PacticipantRecord {
        let name = Store.canonical(name)
        if let existing = try await pacticipant(named: name) { return existing }
        let now = Clock.nowMillis()
        try await db.exec("INSERT INTO pacticipants (name, created_at, updated_at) VALUES (\(bind: name), \(bind: now), \(bind: now)) ON CONFLICT (name) DO NOTHING")
        guard let record = try await pacticipant(named: name) else { throw StoreError.vanished("pacticipant \(name)") }
        return record
    }

    /// Writes every field of a pacticipant (nil clears it); creates it when missing.
    func savePacticipant(_ fields: PacticipantFields, name: String) async throws -> (PacticipantRecord, created: Bool) {
        let existing = try await pacticipant(named: name)
        let record = try await ensurePacticipant(name)
        try await db.exec("""
            UPDATE pacticipants SET display_name = \(bind: fields.displayName), main_branch = \(bind: fields.mainBranch),
            repository_url = \(bind: fields.repositoryUrl), repository_name = \(bind: fields.repositoryName),
            repository_namespace = \(bind: fields.repositoryNamespace), updated_at = \(bind: Clock.nowMillis()) WHERE id = \(bind: record.id)
            """)
        guard let saved = try await pacticipant(id: record.id) else { throw StoreError.vanished("pacticipant \(name)") }
        return (saved, existing == nil)
    }

    func deletePacticipant(id: Int64) async throws {
        try await db.exec("DELETE FROM pacticipants WHERE id = \(bind: id)")
    }

    /// Sets the main branch when none is set and the branch has one of the usual main-branch names.
    func detectMainBranch(_ pacticipant: PacticipantRecord, branch: String) async throws {
        guard pacticipant.mainBranch == nil, ["develop", "main", "master"].contains(branch) else { return }
        try await db.exec("UPDATE pacticipants SET main_branch = \(bind: branch) WHERE id = \(bind: pacticipant.id) AND main_branch IS NULL")
    }

    // MARK: Versions

    static let versionColumns: SQLQueryString = "v.id, v.pacticipant_id, v.number, v.build_url, v.created_at"

    func version(pacticipantId: Int64, number: String) async throws -> VersionRecord? {
        try await db.one(VersionRecord.self, "SELECT \(Store.versionColumns) FROM versions v WHERE v.pacticipant_id = \(bind: pacticipantId) AND v.number = \(bind: number)")
    }

    func version(id: Int64) async throws -> VersionRecord? {
        try await db.one(VersionRecord.self, "SELECT \(Store.versionColumns) FROM versions v WHERE v.id = \(bind: id)")
    }

    func versions(ids: [Int64]) async throws -> [Int64: VersionRecord] {
        guard !ids.isEmpty else { return [:] }
        var result: [Int64: VersionRecord] = [:]
        for chunk in Set(ids).sorted().chunked(500) {
            let rows = try await db.many(VersionRecord.self, "SELECT \(Store.versionColumns) FROM versions v WHERE v.id IN (\(Store.list(chunk)))")
            for row in rows { result[row.id] = row }
        }
        return result
    }

    /// The versions of a pacticipant, newest first.
    func versions(pacticipantId: Int64, limit: Int, offset: Int = 0) async throws -> [VersionRecord] {
        try await db.many(VersionRecord.self, "SELECT \(Store.versionColumns) FROM versions v WHERE v.pacticipant_id = \(bind: pacticipantId) ORDER BY v.id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)")
    }

    /// The version, created if missing; a build URL given later replaces an earlier one.
    func ensureVersion(pacticipantId: Int64, number: String, buildUrl: String? = nil) async throws -> (VersionRecord, created: Bool) {
        if let existing = try await version(pacticipantId: pacticipantId, number: number) {
            if let buildUrl, buildUrl != existing.buildUrl {
                try await db.exec("UPDATE versions SET build_url = \(bind: buildUrl) WHERE id = \(bind: existing.id)")
                var updated = existing
                updated.buildUrl = buildUrl
                return (updated, false)
            }
            return (existing, false)
        }
        if let inserted = try await db.one(VersionRecord.self, """
            INSERT INTO versions (pacticipant_id, number, build_url, created_at) VALUES (\(bind: pacticipantId), \(bind: number), \(bind: buildUrl), \(bind: Clock.nowMillis()))
            ON CONFLICT (pacticipant_id, number) DO NOTHING RETURNING id, pacticipant_id, number, build_url, created_at
            """) {
            return (inserted, true)
        }
        guard let record = try await version(pacticipantId: pacticipantId, number: number) else { throw StoreError.vanished("version \(number)") }
        return (record, false)
    }

    func setBuildURL(versionId: Int64, _ url: String?) async throws {
        try await db.exec("UPDATE versions SET build_url = \(bind: url) WHERE id = \(bind: versionId)")
    }

    func deleteVersion(id: Int64) async throws {
        try await db.exec("DELETE FROM versions WHERE id = \(bind: id)")
    }

    /// The newest version, optionally the newest with a tag or on a branch.
    func latestVersion(pacticipantId: Int64, tag: String? = nil, branch: String? = nil) async throws -> VersionRecord? {
        if let tag {
            return try await db.one(VersionRecord.self, """
                SELECT \(Store.versionColumns) FROM versions v WHERE v.id = (SELECT MAX(t.version_id) FROM tags t WHERE t.pacticipant_id = \(bind: pacticipantId) AND t.name = \(bind: tag))
                """)
        }
        if let branch {
            return try await db.one(VersionRecord.self, """
                SELECT \(Store.versionColumns) FROM versions v WHERE v.id = (SELECT MAX(bv.version_id) FROM branch_versions bv JOIN branches b ON b.id = bv.branch_id
                WHERE b.pacticipant_id = \(bind: pacticipantId) AND b.name = \(bind: branch))
                """)
        }
        return try await db.one(VersionRecord.self, "SELECT \(Store.versionColumns) FROM versions v WHERE v.pacticipant_id = \(bind: pacticipantId) ORDER BY v.id DESC LIMIT 1")
    }

    /// Every version carrying a tag.
    func versions(pacticipantId: Int64, tag: String) async throws -> [VersionRecord] {
        try await db.many(VersionRecord.self, """
            SELECT \(Store.versionColumns) FROM versions v JOIN tags t ON t.version_id = v.id WHERE t.pacticipant_id = \(bind: pacticipantId) AND t.name = \(bind: tag) ORDER BY v.id DESC
            """)
    }

    // MARK: Tags and branches

    func tags(versionId: Int64) async throws -> [TagRecord] {
        try await db.many(TagRecord.self, "SELECT version_id, name, created_at FROM tags WHERE version_id = \(bind: versionId) ORDER BY created_at, name")
    }

    func tags(versionIds: [Int64]) async throws -> [Int64: [TagRecord]] {
        guard !versionIds.isEmpty else { return [:] }
        var result: [Int64: [TagRecord]] = [:]
        for chunk in Set(versionIds).sorted().chunked(500) {
            for tag in try await db.many(TagRecord.self, "SELECT version_id, name, created_at FROM tags WHERE version_id IN (\(Store.list(chunk))) ORDER BY created_at, name") {
                result[tag.versionId, default: []].append(tag)
            }
        }
        return result
    }

    /// Tags a version; returns true when the tag is new.
    func addTag(_ name: String, to version: VersionRecord) async throws -> Bool {
        try await db.value(Int64.self, "version_id", """
            INSERT INTO tags (version_id, pacticipant_id, name, created_at) VALUES (\(bind: version.id), \(bind: version.pacticipantId), \(bind: name), \(bind: Clock.nowMillis()))
            ON CONFLICT (version_id, name) DO NOTHING RETURNING version_id
            """) != nil
    }

    /// Tags a version as the Pact Broker's tag service does: a tag with a main-branch name may set the pacticipant's
    /// main branch, and with `firstTagAsBranch`, the first tag of a version on no branch, given within 10 seconds of
    /// the version's creation, also becomes its branch. Returns true when the tag is new.
    func tag(_ version: VersionRecord, _ name: String, pacticipant: PacticipantRecord, firstTagAsBranch: Bool) async throws -> Bool {
        if firstTagAsBranch, Clock.nowMillis() - version.createdAt <= 10_000,
           try await db.value(Int64.self, "version_id", "SELECT version_id FROM tags WHERE version_id = \(bind: version.id) LIMIT 1") == nil,
           try await db.value(Int64.self, "version_id", "SELECT version_id FROM branch_versions WHERE version_id = \(bind: version.id) LIMIT 1") == nil {
            _ = try await addBranchVersion(name, version: version)
        }
        try await detectMainBranch(pacticipant, branch: name)
        return try await addTag(name, to: version)
    }

    func deleteTag(_ name: String, versionId: Int64) async throws -> Bool {
        let exists = try await db.value(Int64.self, "version_id", "SELECT version_id FROM tags WHERE version_id = \(bind: versionId) AND name = \(bind: name)") != nil
        if exists { try await db.exec("DELETE FROM tags WHERE version_id = \(bind: versionId) AND name = \(bind: name)") }
        return exists
    }

    func branch(pacticipantId: Int64, name: String) async throws -> BranchRecord? {
        try await db.one(BranchRecord.self, "SELECT id, pacticipant_id, name, created_at FROM branches WHERE pacticipant_id = \(bind: pacticipantId) AND name = \(bind: name)")
    }

    func branches(pacticipantId: Int64) async throws -> [BranchRecord] {
        try await db.many(BranchRecord.self, "SELECT id, pacticipant_id, name, created_at FROM branches WHERE pacticipant_id = \(bind: pacticipantId) ORDER BY name")
    }

    func ensureBranch(pacticipantId: Int64, name: String) async throws -> BranchRecord {
        if let existing = try await branch(pacticipantId: pacticipantId, name: name) { return existing }
        try await db.exec("INSERT INTO branches (pacticipant_id, name, created_at) VALUES (\(bind: pacticipantId), \(bind: name), \(bind: Clock.nowMillis())) ON CONFLICT (pacticipant_id, name) DO NOTHING")
        guard let record = try await branch(pacticipantId: pacticipantId, name: name) else { throw StoreError.vanished("branch \(name)") }
        return record
    }

    /// Puts a version on a branch; returns true when it was not on it yet.
    func addBranchVersion(_ branch: String, version: VersionRecord) async throws -> Bool {
        let record = try await ensureBranch(pacticipantId: version.pacticipantId, name: branch)
        return try await db.value(Int64.self, "version_id", """
            INSERT INTO branch_versions (branch_id, version_id, created_at) VALUES (\(bind: record.id), \(bind: version.id), \(bind: Clock.nowMillis()))
            ON CONFLICT (branch_id, version_id) DO NOTHING RETURNING version_id
            """) != nil
    }

    func deleteBranch(id: Int64) async throws {
        try await db.exec("DELETE FROM branches WHERE id = \(bind: id)")
    }

    struct BranchVersion: Sendable, Decodable {
        var versionId: Int64
        var name: String
        var isLatest: Int64
    }

    /// The branches of each version, with whether the version is that branch's head.
    func branchVersions(versionIds: [Int64]) async throws -> [Int64: [(name: String, latest: Bool)]] {
        guard !versionIds.isEmpty else { return [:] }
        var result: [Int64: [(name: String, latest: Bool)]] = [:]
        for chunk in Set(versionIds).sorted().chunked(500) {
            let rows = try await db.many(BranchVersion.self, """
                SELECT bv.version_id, b.name,
                  CASE WHEN bv.version_id = (SELECT MAX(h.version_id) FROM branch_versions h WHERE h.branch_id = bv.branch_id) THEN 1 ELSE 0 END AS is_latest
                FROM branch_versions bv JOIN branches b ON b.id = bv.branch_id WHERE bv.version_id IN (\(Store.list(chunk))) ORDER BY bv.created_at, b.name
                """)
            for row in rows { result[row.versionId, default: []].append((row.name, row.isLatest != 0)) }
        }
        return result
    }

    // MARK: Pacts

    static let publicationColumns: SQLQueryString = "pp.id, pp.consumer_version_id, pp.consumer_id, pp.provider_id, pp.pact_version_id, pp.revision, pp.created_at"
    static let pactVersionColumns: SQLQueryString = "id, consumer_id, provider_id, sha, content, created_at"

    /// The content row for this consumer, provider and SHA, stored once however often it is published.
    func ensurePactVersion(consumerId: Int64, providerId: Int64, sha: String, content: String) async throws -> PactVersionRecord {
        if let existing = try await pactVersionSummary(consumerId: consumerId, providerId: providerId, sha: sha) { return existing }
        if let inserted = try await db.one(PactVersionRecord.self, """
            INSERT INTO pact_versions (consumer_id, provider_id, sha, content, created_at) VALUES (\(bind: consumerId), \(bind: providerId), \(bind: sha), \(bind: content), \(bind: Clock.nowMillis()))
            ON CONFLICT (consumer_id, provider_id, sha) DO NOTHING RETURNING id, consumer_id, provider_id, sha, '' AS content, created_at
            """) {
            return inserted
        }
        guard let record = try await pactVersionSummary(consumerId: consumerId, providerId: providerId, sha: sha) else { throw StoreError.vanished("pact content \(sha)") }
        return record
    }

    /// The content row by SHA without its text.
    func pactVersionSummary(consumerId: Int64, providerId: Int64, sha: String) async throws -> PactVersionRecord? {
        try await db.one(PactVersionRecord.self, """
            SELECT id, consumer_id, provider_id, sha, '' AS content, created_at FROM pact_versions WHERE consumer_id = \(bind: consumerId) AND provider_id = \(bind: providerId) AND sha = \(bind: sha)
            """)
    }

    func pactVersion(consumerId: Int64, providerId: Int64, sha: String) async throws -> PactVersionRecord? {
        try await db.one(PactVersionRecord.self, "SELECT \(Store.pactVersionColumns) FROM pact_versions WHERE consumer_id = \(bind: consumerId) AND provider_id = \(bind: providerId) AND sha = \(bind: sha)")
    }

    /// The content row without its (possibly large) text, for the matrix and selection, which need only the SHA.
    func pactVersionSummary(id: Int64) async throws -> PactVersionRecord? {
        try await db.one(PactVersionRecord.self, "SELECT id, consumer_id, provider_id, sha, '' AS content, created_at FROM pact_versions WHERE id = \(bind: id)")
    }

    func pactVersion(id: Int64) async throws -> PactVersionRecord? {
        try await db.one(PactVersionRecord.self, "SELECT \(Store.pactVersionColumns) FROM pact_versions WHERE id = \(bind: id)")
    }

    func publication(consumerVersionId: Int64, providerId: Int64) async throws -> PublicationRecord? {
        try await db.one(PublicationRecord.self, "SELECT \(Store.publicationColumns) FROM pact_publications pp WHERE pp.consumer_version_id = \(bind: consumerVersionId) AND pp.provider_id = \(bind: providerId)")
    }

    /// Every pact published for a consumer version.
    func publications(consumerVersionId: Int64) async throws -> [PublicationRecord] {
        try await db.many(PublicationRecord.self, "SELECT \(Store.publicationColumns) FROM pact_publications pp WHERE pp.consumer_version_id = \(bind: consumerVersionId) ORDER BY pp.provider_id")
    }

    enum PublishOutcome: Sendable, Equatable {
        case created, updated, unchanged
    }

    /// Records that the consumer version's pact with the provider has this content.
    func publish(consumerVersion: VersionRecord, providerId: Int64, pactVersionId: Int64, existing known: PublicationRecord?? = nil) async throws -> (PublicationRecord, PublishOutcome) {
        let current: PublicationRecord?
        if let known { current = known } else { current = try await publication(consumerVersionId: consumerVersion.id, providerId: providerId) }
        if let existing = current {
            if existing.pactVersionId == pactVersionId { return (existing, .unchanged) }
            try await db.exec("""
                UPDATE pact_publications SET pact_version_id = \(bind: pactVersionId), revision = revision + 1, created_at = \(bind: Clock.nowMillis()) WHERE id = \(bind: existing.id)
                """)
            guard let updated = try await publication(consumerVersionId: consumerVersion.id, providerId: providerId) else { throw StoreError.vanished("pact") }
            return (updated, .updated)
        }
        if let inserted = try await db.one(PublicationRecord.self, """
            INSERT INTO pact_publications (consumer_version_id, consumer_id, provider_id, pact_version_id, revision, created_at)
            VALUES (\(bind: consumerVersion.id), \(bind: consumerVersion.pacticipantId), \(bind: providerId), \(bind: pactVersionId), 1, \(bind: Clock.nowMillis()))
            ON CONFLICT (consumer_version_id, provider_id) DO NOTHING RETURNING id, consumer_version_id, consumer_id, provider_id, pact_version_id, revision, created_at
            """) {
            return (inserted, .created)
        }
        // Another transaction published for this version and provider after this one looked. Callers hold the
        // version's lock, so this means a writer that does not; never acknowledge content that was not stored.
        guard let winner = try await publication(consumerVersionId: consumerVersion.id, providerId: providerId) else { throw StoreError.vanished("pact") }
        guard winner.pactVersionId == pactVersionId else { throw StoreError.concurrentChange("the pact for this consumer version and provider") }
        return (winner, .unchanged)
    }

    /// The newest publication between a consumer and a provider, optionally for versions with a tag or on a branch.
    func latestPublication(consumerId: Int64, providerId: Int64, tag: String? = nil, branch: String? = nil) async throws -> PublicationRecord? {
        // Walk the consumer's tagged (or branch) versions newest first and stop at the first with a pact for the
        // provider; CROSS JOIN keeps that order on SQLite, and both indexes make it a few lookups.
        if let tag {
            return try await db.one(PublicationRecord.self, """
                SELECT \(Store.publicationColumns) FROM tags t CROSS JOIN pact_publications pp
                WHERE t.pacticipant_id = \(bind: consumerId) AND t.name = \(bind: tag) AND pp.consumer_version_id = t.version_id AND pp.provider_id = \(bind: providerId)
                ORDER BY t.version_id DESC LIMIT 1
                """)
        }
        if let branch {
            guard let branchRecord = try await self.branch(pacticipantId: consumerId, name: branch) else { return nil }
            return try await db.one(PublicationRecord.self, """
                SELECT \(Store.publicationColumns) FROM branch_versions bv CROSS JOIN pact_publications pp
                WHERE bv.branch_id = \(bind: branchRecord.id) AND pp.consumer_version_id = bv.version_id AND pp.provider_id = \(bind: providerId)
                ORDER BY bv.version_id DESC LIMIT 1
                """)
        }
        return try await db.one(PublicationRecord.self, """
            SELECT \(Store.publicationColumns) FROM pact_publications pp WHERE pp.consumer_id = \(bind: consumerId) AND pp.provider_id = \(bind: providerId)
            ORDER BY pp.consumer_version_id DESC LIMIT 1
            """)
    }

    /// For each consumer of the provider, its newest publication (optionally among versions with a tag or on a branch).
    func latestPublications(providerId: Int64? = nil, tag: String? = nil, branch: String? = nil) async throws -> [PublicationRecord] {
        var consumers: [(Int64, Int64)] = []
        if let providerId {
            for consumer in try await db.values(Int64.self, "consumer_id", "SELECT DISTINCT consumer_id FROM pact_publications WHERE provider_id = \(bind: providerId)") {
                consumers.append((consumer, providerId))
            }
        } else {
            for pair in try await integrations() { consumers.append((pair.consumerId, pair.providerId)) }
        }
        var result: [PublicationRecord] = []
        for (consumer, provider) in consumers {
            if let latest = try await latestPublication(consumerId: consumer, providerId: provider, tag: tag, branch: branch) { result.append(latest) }
        }
        return result
    }

    struct Integration: Sendable, Decodable, Hashable {
        var consumerId: Int64
        var providerId: Int64
    }

    /// Every consumer–provider pair with at least one pact.
    func integrations() async throws -> [Integration] {
        try await db.many(Integration.self, "SELECT DISTINCT consumer_id, provider_id FROM pact_publications ORDER BY consumer_id, provider_id")
    }

    /// The consumers that have published pacts with a provider.
    func consumers(ofProvider providerId: Int64) async throws -> [Int64] {
        try await db.values(Int64.self, "consumer_id", "SELECT DISTINCT consumer_id FROM pact_publications WHERE provider_id = \(bind: providerId)")
    }

    /// The consumer versions whose pact with the provider has this content, newest first.
    func consumerVersions(pactVersionId: Int64) async throws -> [VersionRecord] {
        try await db.many(VersionRecord.self, """
            SELECT \(Store.versionColumns) FROM versions v JOIN pact_publications pp ON pp.consumer_version_id = v.id WHERE pp.pact_version_id = \(bind: pactVersionId) ORDER BY v.id DESC
            """)
    }

    // MARK: Verifications

    static let verificationColumns: SQLQueryString = "id, pact_version_id, provider_version_id, provider_id, consumer_id, success, build_url, verified_by, test_results, metadata, wip, created_at"

    func addVerification(pactVersion: PactVersionRecord, providerVersion: VersionRecord, success: Bool, buildUrl: String?,
                         verifiedBy: String?, testResults: String?, metadata: String?, wip: Bool) async throws -> VerificationRecord {
        guard let id = try await db.value(Int64.self, "id", """
            INSERT INTO verifications (pact_version_id, provider_version_id, provider_id, consumer_id, success, build_url, verified_by, test_results, metadata, wip, created_at)
            VALUES (\(bind: pactVersion.id), \(bind: providerVersion.id), \(bind: pactVersion.providerId), \(bind: pactVersion.consumerId), \(bind: success ? 1 : 0),
                    \(bind: buildUrl), \(bind: verifiedBy), \(bind: testResults), \(bind: metadata), \(bind: wip ? 1 : 0), \(bind: Clock.nowMillis()))
            RETURNING id
            """), let record = try await verification(id: id) else { throw StoreError.vanished("verification") }
        return record
    }

    func verification(id: Int64) async throws -> VerificationRecord? {
        try await db.one(VerificationRecord.self, "SELECT \(Store.verificationColumns) FROM verifications WHERE id = \(bind: id)")
    }

    /// Verifications of a pact content, newest first.
    func verifications(pactVersionId: Int64) async throws -> [VerificationRecord] {
        try await db.many(VerificationRecord.self, "SELECT \(Store.verificationColumns) FROM verifications WHERE pact_version_id = \(bind: pactVersionId) ORDER BY id DESC")
    }

    /// The newest verification of a pact content by each of the given provider versions (all when nil).
    func latestVerifications(pactVersionId: Int64, providerVersionIds: [Int64]?) async throws -> [VerificationRecord] {
        let rows: [VerificationRecord]
        if let ids = providerVersionIds {
            guard !ids.isEmpty else { return [] }
            var collected: [VerificationRecord] = []
            for chunk in Set(ids).sorted().chunked(500) {
                collected += try await db.many(VerificationRecord.self, """
                    SELECT \(Store.verificationColumns) FROM verifications WHERE id IN (SELECT MAX(id) FROM verifications
                    WHERE pact_version_id = \(bind: pactVersionId) AND provider_version_id IN (\(Store.list(chunk))) GROUP BY provider_version_id)
                    """)
            }
            rows = collected
        } else {
            rows = try await db.many(VerificationRecord.self, """
                SELECT \(Store.verificationColumns) FROM verifications WHERE id IN (SELECT MAX(id) FROM verifications
                WHERE pact_version_id = \(bind: pactVersionId) GROUP BY provider_version_id)
                """)
        }
        return rows.sorted { $0.providerVersionId > $1.providerVersionId }
    }

    /// The provider branches and tags of the successful verifications of a pact content: what pending status needs.
    func successfulVerifications(pactVersionId: Int64) async throws -> [VerificationRecord] {
        try await db.many(VerificationRecord.self, "SELECT \(Store.verificationColumns) FROM verifications WHERE pact_version_id = \(bind: pactVersionId) AND success = 1 AND wip = 0 ORDER BY id")
    }

    // MARK: Environments

    static let environmentColumns: SQLQueryString = "id, uuid, name, display_name, production, contacts, created_at, updated_at"

    func environments() async throws -> [EnvironmentRecord] {
        try await db.many(EnvironmentRecord.self, "SELECT \(Store.environmentColumns) FROM environments ORDER BY name")
    }

    func environment(uuid: String) async throws -> EnvironmentRecord? {
        try await db.one(EnvironmentRecord.self, "SELECT \(Store.environmentColumns) FROM environments WHERE uuid = \(bind: uuid)")
    }

    func environment(named name: String) async throws -> EnvironmentRecord? {
        try await db.one(EnvironmentRecord.self, "SELECT \(Store.environmentColumns) FROM environments WHERE name = \(bind: name)")
    }

    func environment(id: Int64) async throws -> EnvironmentRecord? {
        try await db.one(EnvironmentRecord.self, "SELECT \(Store.environmentColumns) FROM environments WHERE id = \(bind: id)")
    }

    func createEnvironment(uuid: String, name: String, displayName: String?, production: Bool, contacts: String?) async throws -> EnvironmentRecord {
        let now = Clock.nowMillis()
        try await db.exec("""
            INSERT INTO environments (uuid, name, display_name, production, contacts, created_at, updated_at)
            VALUES (\(bind: uuid), \(bind: name), \(bind: displayName), \(bind: production ? 1 : 0), \(bind: contacts), \(bind: now), \(bind: now))
            """)
        guard let record = try await environment(uuid: uuid) else { throw StoreError.vanished("environment \(name)") }
        return record
    }

    func updateEnvironment(id: Int64, name: String, displayName: String?, production: Bool, contacts: String?) async throws {
        try await db.exec("""
            UPDATE environments SET name = \(bind: name), display_name = \(bind: displayName), production = \(bind: production ? 1 : 0),
            contacts = \(bind: contacts), updated_at = \(bind: Clock.nowMillis()) WHERE id = \(bind: id)
            """)
    }

    func deleteEnvironment(id: Int64) async throws {
        try await db.exec("DELETE FROM environments WHERE id = \(bind: id)")
    }

    // MARK: Deployed and released versions

    static let deployedColumns: SQLQueryString = "id, uuid, version_id, pacticipant_id, environment_id, application_instance, currently_deployed, created_at, undeployed_at"
    static let releasedColumns: SQLQueryString = "id, uuid, version_id, pacticipant_id, environment_id, currently_supported, created_at, support_ended_at"

    /// Records a deployment. The version currently deployed for the same pacticipant, environment and application
    /// instance is marked undeployed; deploying the version that is already there returns its record.
    ///
    /// Concurrent deployments of one pacticipant wait for each other on its row, and a unique index allows one
    /// current deployment per pacticipant, environment and application instance whatever happens.
    func recordDeployment(version: VersionRecord, environmentId: Int64, applicationInstance: String?) async throws -> (DeployedVersionRecord, created: Bool) {
        try await lockPacticipant(id: version.pacticipantId)
        let current = try await currentDeployments(environmentId: environmentId, pacticipantId: version.pacticipantId)
            .filter { $0.applicationInstance == applicationInstance }
        if let same = current.first(where: { $0.versionId == version.id }) { return (same, false) }
        let now = Clock.nowMillis()
        for previous in current {
            try await db.exec("UPDATE deployed_versions SET currently_deployed = 0, undeployed_at = \(bind: now) WHERE id = \(bind: previous.id)")
        }
        let uuid = UUID().uuidString.lowercased()
        try await db.exec("""
            INSERT INTO deployed_versions (uuid, version_id, pacticipant_id, environment_id, application_instance, currently_deployed, created_at)
            VALUES (\(bind: uuid), \(bind: version.id), \(bind: version.pacticipantId), \(bind: environmentId), \(bind: applicationInstance), 1, \(bind: now))
            """)
        guard let record = try await deployedVersion(uuid: uuid) else { throw StoreError.vanished("deployed version") }
        return (record, true)
    }

    func deployedVersion(uuid: String) async throws -> DeployedVersionRecord? {
        try await db.one(DeployedVersionRecord.self, "SELECT \(Store.deployedColumns) FROM deployed_versions WHERE uuid = \(bind: uuid)")
    }

    func currentDeployments(environmentId: Int64, pacticipantId: Int64? = nil) async throws -> [DeployedVersionRecord] {
        if let pacticipantId {
            return try await db.many(DeployedVersionRecord.self, """
                SELECT \(Store.deployedColumns) FROM deployed_versions WHERE environment_id = \(bind: environmentId) AND pacticipant_id = \(bind: pacticipantId) AND currently_deployed = 1 ORDER BY id
                """)
        }
        return try await db.many(DeployedVersionRecord.self, "SELECT \(Store.deployedColumns) FROM deployed_versions WHERE environment_id = \(bind: environmentId) AND currently_deployed = 1 ORDER BY id")
    }

    /// Every current deployment of a version, in any environment.
    func deployments(versionId: Int64) async throws -> [DeployedVersionRecord] {
        try await db.many(DeployedVersionRecord.self, "SELECT \(Store.deployedColumns) FROM deployed_versions WHERE version_id = \(bind: versionId) AND currently_deployed = 1 ORDER BY id")
    }

    func markUndeployed(id: Int64) async throws {
        try await db.exec("UPDATE deployed_versions SET currently_deployed = 0, undeployed_at = \(bind: Clock.nowMillis()) WHERE id = \(bind: id) AND currently_deployed = 1")
    }

    /// Records a release; releasing again returns the existing record (and supports it again).
    func recordRelease(version: VersionRecord, environmentId: Int64) async throws -> (ReleasedVersionRecord, created: Bool) {
        try await lockPacticipant(id: version.pacticipantId)
        if let existing = try await db.one(ReleasedVersionRecord.self, "SELECT \(Store.releasedColumns) FROM released_versions WHERE version_id = \(bind: version.id) AND environment_id = \(bind: environmentId)") {
            if existing.currentlySupported == 0 {
                try await db.exec("UPDATE released_versions SET currently_supported = 1, support_ended_at = NULL WHERE id = \(bind: existing.id)")
                return (try await releasedVersion(uuid: existing.uuid) ?? existing, false)
            }
            return (existing, false)
        }
        let uuid = UUID().uuidString.lowercased()
        try await db.exec("""
            INSERT INTO released_versions (uuid, version_id, pacticipant_id, environment_id, currently_supported, created_at)
            VALUES (\(bind: uuid), \(bind: version.id), \(bind: version.pacticipantId), \(bind: environmentId), 1, \(bind: Clock.nowMillis()))
            ON CONFLICT (version_id, environment_id) DO NOTHING
            """)
        guard let record = try await db.one(ReleasedVersionRecord.self, "SELECT \(Store.releasedColumns) FROM released_versions WHERE version_id = \(bind: version.id) AND environment_id = \(bind: environmentId)") else {
            throw StoreError.vanished("released version")
        }
        return (record, record.uuid == uuid)
    }

    func releasedVersion(uuid: String) async throws -> ReleasedVersionRecord? {
        try await db.one(ReleasedVersionRecord.self, "SELECT \(Store.releasedColumns) FROM released_versions WHERE uuid = \(bind: uuid)")
    }

    func currentReleases(environmentId: Int64, pacticipantId: Int64? = nil) async throws -> [ReleasedVersionRecord] {
        if let pacticipantId {
            return try await db.many(ReleasedVersionRecord.self, """
                SELECT \(Store.releasedColumns) FROM released_versions WHERE environment_id = \(bind: environmentId) AND pacticipant_id = \(bind: pacticipantId) AND currently_supported = 1 ORDER BY id
                """)
        }
        return try await db.many(ReleasedVersionRecord.self, "SELECT \(Store.releasedColumns) FROM released_versions WHERE environment_id = \(bind: environmentId) AND currently_supported = 1 ORDER BY id")
    }

    func releases(versionId: Int64) async throws -> [ReleasedVersionRecord] {
        try await db.many(ReleasedVersionRecord.self, "SELECT \(Store.releasedColumns) FROM released_versions WHERE version_id = \(bind: versionId) AND currently_supported = 1 ORDER BY id")
    }

    func endSupport(id: Int64) async throws {
        try await db.exec("UPDATE released_versions SET currently_supported = 0, support_ended_at = \(bind: Clock.nowMillis()) WHERE id = \(bind: id) AND currently_supported = 1")
    }

    struct VersionEnvironment: Sendable, Decodable {
        var versionId: Int64
        var environmentId: Int64
    }

    /// The environments each version is currently deployed or released to.
    func environmentIds(versionIds: [Int64]) async throws -> [Int64: Set<Int64>] {
        guard !versionIds.isEmpty else { return [:] }
        var result: [Int64: Set<Int64>] = [:]
        for chunk in Set(versionIds).sorted().chunked(500) {
            let rows = try await db.many(VersionEnvironment.self, """
                SELECT version_id, environment_id FROM deployed_versions WHERE currently_deployed = 1 AND version_id IN (\(Store.list(chunk)))
                UNION SELECT version_id, environment_id FROM released_versions WHERE currently_supported = 1 AND version_id IN (\(Store.list(chunk)))
                """)
            for row in rows { result[row.versionId, default: []].insert(row.environmentId) }
        }
        return result
    }

    struct PublicationWithSHA: Sendable, Decodable {
        var id: Int64
        var consumerVersionId: Int64
        var consumerId: Int64
        var providerId: Int64
        var pactVersionId: Int64
        var revision: Int64
        var createdAt: Int64
        var sha: String
        var contentCreatedAt: Int64

        var publication: PublicationRecord {
            PublicationRecord(id: id, consumerVersionId: consumerVersionId, consumerId: consumerId, providerId: providerId,
                              pactVersionId: pactVersionId, revision: revision, createdAt: createdAt)
        }

        var content: PactVersionRecord {
            PactVersionRecord(id: pactVersionId, consumerId: consumerId, providerId: providerId, sha: sha, content: "", createdAt: contentCreatedAt)
        }
    }

    /// A consumer version's pacts with their content SHAs, in one query.
    func publicationsWithSHA(consumerVersionId: Int64) async throws -> [PublicationWithSHA] {
        try await db.many(PublicationWithSHA.self, """
            SELECT \(Store.publicationColumns), pv.sha, pv.created_at AS content_created_at FROM pact_publications pp
            JOIN pact_versions pv ON pv.id = pp.pact_version_id WHERE pp.consumer_version_id = \(bind: consumerVersionId) ORDER BY pp.provider_id
            """)
    }

    /// The versions of a pacticipant currently deployed to, or released and supported in, an environment.
    func versionsInEnvironment(pacticipantId: Int64, environmentId: Int64) async throws -> [VersionRecord] {
        try await db.many(VersionRecord.self, """
            SELECT \(Store.versionColumns) FROM versions v WHERE v.id IN (
              SELECT version_id FROM deployed_versions WHERE environment_id = \(bind: environmentId) AND pacticipant_id = \(bind: pacticipantId) AND currently_deployed = 1
              UNION SELECT version_id FROM released_versions WHERE environment_id = \(bind: environmentId) AND pacticipant_id = \(bind: pacticipantId) AND currently_supported = 1)
            ORDER BY v.id DESC
            """)
    }

    /// The provider's pacts of a consumer's versions in an environment (deployed, or released and supported).
    func publicationsInEnvironment(consumerId: Int64, providerId: Int64, environmentId: Int64, deployed: Bool) async throws -> [PublicationRecord] {
        let placed: SQLQueryString = deployed
            ? "SELECT version_id FROM deployed_versions WHERE environment_id = \(bind: environmentId) AND pacticipant_id = \(bind: consumerId) AND currently_deployed = 1"
            : "SELECT version_id FROM released_versions WHERE environment_id = \(bind: environmentId) AND pacticipant_id = \(bind: consumerId) AND currently_supported = 1"
        return try await db.many(PublicationRecord.self, """
            SELECT \(Store.publicationColumns) FROM pact_publications pp WHERE pp.provider_id = \(bind: providerId) AND pp.consumer_version_id IN (\(placed))
            ORDER BY pp.consumer_version_id DESC
            """)
    }

    // MARK: Helpers

    /// A comma-separated list of integer literals (the values are our own ids, never input).
    static func list<S: Sequence>(_ ids: S) -> SQLQueryString where S.Element == Int64 {
        SQLQueryString(ids.map(String.init).joined(separator: ", "))
    }
}

/// The fields of a pacticipant that a client can set.
struct PacticipantFields: Sendable, Equatable {
    var displayName: String?
    var mainBranch: String?
    var repositoryUrl: String?
    var repositoryName: String?
    var repositoryNamespace: String?

    init(_ record: PacticipantRecord? = nil) {
        displayName = record?.displayName
        mainBranch = record?.mainBranch
        repositoryUrl = record?.repositoryUrl
        repositoryName = record?.repositoryName
        repositoryNamespace = record?.repositoryNamespace
    }
}

/// A row that was written in this transaction could not be read back.
enum StoreError: Error, CustomStringConvertible {
    case vanished(String)
    /// A concurrent transaction changed what this one was about to write; the request is answered 409.
    case concurrentChange(String)

    var description: String {
        switch self {
        case .vanished(let what): return "the \(what) could not be read back after it was written"
        case .concurrentChange(let what): return "\(what) was changed by another request at the same moment; retry"
        }
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

extension ArraySlice where Element == Int64 {
    var array: [Int64] { Array(self) }
}
