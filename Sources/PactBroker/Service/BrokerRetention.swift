import Foundation
import Logging
import SQLKit

/// What `BrokerMaintenance.clean` removed (or, in a dry run, would remove).
public struct RetentionReport: Sendable, Equatable {
    /// The pacticipant versions removed, as (pacticipant, version number), oldest first.
    public var versions: [RemovedVersion]
    /// Pact contents no longer published by any version, removed with their verification results.
    public var pactContents: Int
    /// Finished webhook executions (with their attempt logs) older than the cut-off.
    public var webhookExecutions: Int

    /// One removed version.
    public struct RemovedVersion: Sendable, Equatable, Decodable {
        /// The pacticipant's name.
        public var pacticipant: String
        /// The version number.
        public var number: String

        /// Names a version.
        public init(pacticipant: String, number: String) {
            self.pacticipant = pacticipant
            self.number = number
        }
    }
}

extension BrokerMaintenance {
    /// Removes what can no longer matter to can-i-deploy or to the verifier: versions older than `keepDays` that
    /// are none of
    /// - the latest version of their pacticipant,
    /// - the latest version of any branch,
    /// - the latest version with any tag name,
    /// - currently deployed, or released and still supported in an environment.
    ///
    /// Each removed version takes its pacts, tags, branch entries and the verification results it published with it;
    /// pact contents no longer published by any version go with their results. Finished webhook executions older
    /// than the cut-off go too. Everything happens in one transaction. With `dryRun`, nothing is written.
    public static func clean(_ location: DatabaseLocation, keepDays: Int, dryRun: Bool, now: Date = Date()) async throws -> RetentionReport {
        let cutoff = Int64((now.timeIntervalSince1970 - Double(keepDays) * 86_400) * 1000)
        let database = try await BrokerDatabase.open(location, logger: Logger(label: "pactctl.broker.clean"))
        let work: @Sendable (any SQLDatabase) async throws -> RetentionReport = { db in
            let candidates = try await db.many(Candidate.self, """
                SELECT v.id, p.name AS pacticipant, v.number FROM versions v JOIN pacticipants p ON p.id = v.pacticipant_id
                WHERE v.created_at < \(bind: cutoff)
                  AND v.id NOT IN (SELECT MAX(id) FROM versions GROUP BY pacticipant_id)
                  AND v.id NOT IN (SELECT MAX(version_id) FROM branch_versions GROUP BY branch_id)
                  AND v.id NOT IN (SELECT MAX(version_id) FROM tags GROUP BY pacticipant_id, name)
                  AND v.id NOT IN (SELECT version_id FROM deployed_versions WHERE currently_deployed = 1)
                  AND v.id NOT IN (SELECT version_id FROM released_versions WHERE currently_supported = 1)
                ORDER BY v.id
                """)
            let removed = candidates.map { RetentionReport.RemovedVersion(pacticipant: $0.pacticipant, number: $0.number) }
            if dryRun {
                let contents = try await db.value(Int.self, "n", orphanedContentCount(excluding: candidates.map(\.id))) ?? 0
                let executions = try await db.value(Int.self, "n", """
                    SELECT COUNT(*) AS n FROM triggered_webhooks WHERE status IN ('success', 'failure') AND updated_at < \(bind: cutoff)
                    """) ?? 0
                return RetentionReport(versions: removed, pactContents: contents, webhookExecutions: executions)
            }
            // Foreign keys cascade from versions to their publications, tags, branch entries, verifications,
            // deployments and releases; batches keep each statement's parameter list small.
            for start in stride(from: 0, to: candidates.count, by: 500) {
                let chunk = candidates[start..<min(start + 500, candidates.count)].map(\.id)
                try await db.exec("DELETE FROM versions WHERE id IN (\(Store.list(chunk)))")
            }
            let contents = try await db.value(Int.self, "n", orphanedContentCount(excluding: [])) ?? 0
            try await db.exec("DELETE FROM pact_versions WHERE NOT EXISTS (SELECT 1 FROM pact_publications pp WHERE pp.pact_version_id = pact_versions.id)")
            let executions = try await db.value(Int.self, "n", """
                SELECT COUNT(*) AS n FROM triggered_webhooks WHERE status IN ('success', 'failure') AND updated_at < \(bind: cutoff)
                """) ?? 0
            try await db.exec("DELETE FROM triggered_webhooks WHERE status IN ('success', 'failure') AND updated_at < \(bind: cutoff)")
            return RetentionReport(versions: removed, pactContents: contents, webhookExecutions: executions)
        }
        do {
            let report = dryRun ? try await database.read(work) : try await database.write(work)
            await database.shutdown()
            return report
        } catch {
            await database.shutdown()
            throw error
        }
    }

    private struct Candidate: Decodable, Sendable {
        var id: Int64
        var pacticipant: String
        var number: String
    }

    /// Counts pact contents that no publication refers to once `excluding` versions are gone.
    private static func orphanedContentCount(excluding versionIds: [Int64]) -> SQLQueryString {
        let excluded: SQLQueryString = versionIds.isEmpty ? "" : " AND pp.consumer_version_id NOT IN (\(Store.list(versionIds)))"
        return "SELECT COUNT(*) AS n FROM pact_versions pv WHERE NOT EXISTS (SELECT 1 FROM pact_publications pp WHERE pp.pact_version_id = pv.id\(excluded))"
    }
}
