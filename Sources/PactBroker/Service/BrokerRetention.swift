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

/// Why `BrokerMaintenance.clean` or `check` could not run.
public struct BrokerMaintenanceError: Error, Sendable, CustomStringConvertible {
    /// The message.
    public let description: String
}

extension BrokerMaintenance {
    /// The longest retention `clean` accepts, in days (a hundred years).
    public static let maximumKeepDays = 36_500

    /// Removes what can no longer matter to can-i-deploy, to the verifier or to the broker's "latest" resources:
    /// versions older than `keepDays` that are none of
    /// - the latest version of their pacticipant, of any branch, or with any tag;
    /// - the latest version with a pact for a provider, overall, on any branch or with any tag;
    /// - currently deployed, or released and still supported in an environment;
    /// - the provider version of the first or the latest successful verification of a pact content, or of the latest
    ///   one on each provider branch (so that no pact turns pending again).
    ///
    /// Each removed version takes its pacts, tags, branch entries and the verification results it published with it;
    /// pact contents no longer published by any version go with their results. Finished webhook executions older
    /// than the cut-off go too. It is one transaction (serializable on PostgreSQL, so a deployment recorded meanwhile
    /// is never lost). With `dryRun`, nothing is written.
    public static func clean(_ location: DatabaseLocation, keepDays: Int, dryRun: Bool, now: Date = Date()) async throws -> RetentionReport {
        guard (0...maximumKeepDays).contains(keepDays) else {
            throw BrokerMaintenanceError(description: "keep-days must be between 0 and \(maximumKeepDays), not \(keepDays)")
        }
        try requireExisting(location)
        let cutoff = Int64((now.timeIntervalSince1970 - Double(keepDays) * 86_400) * 1000)
        let database = try await BrokerDatabase.open(location, logger: Logger(label: "pactctl.broker.clean"))
        let work: @Sendable (any SQLDatabase) async throws -> RetentionReport = { db in
            let candidates = try await db.many(Candidate.self, candidatesQuery(before: cutoff))
            let removed = candidates.map { RetentionReport.RemovedVersion(pacticipant: $0.pacticipant, number: $0.number) }
            let executions = try await db.value(Int.self, "n", """
                SELECT COUNT(*) AS n FROM triggered_webhooks WHERE status IN ('success', 'failure') AND updated_at < \(bind: cutoff)
                """) ?? 0
            // Foreign keys cascade from versions to their publications, tags, branch entries, verifications,
            // deployments and releases; batches keep each statement's id list small.
            for chunk in candidates.map(\.id).chunked(500) {
                try await db.exec("DELETE FROM versions WHERE id IN (\(Store.list(chunk)))")
            }
            let contents = try await db.value(Int.self, "n", """
                SELECT COUNT(*) AS n FROM pact_versions pv WHERE NOT EXISTS (SELECT 1 FROM pact_publications pp WHERE pp.pact_version_id = pv.id)
                """) ?? 0
            try await db.exec("DELETE FROM pact_versions WHERE NOT EXISTS (SELECT 1 FROM pact_publications pp WHERE pp.pact_version_id = pact_versions.id)")
            try await db.exec("DELETE FROM triggered_webhooks WHERE status IN ('success', 'failure') AND updated_at < \(bind: cutoff)")
            if dryRun { throw DryRunFinished(report: RetentionReport(versions: removed, pactContents: contents, webhookExecutions: executions)) }
            return RetentionReport(versions: removed, pactContents: contents, webhookExecutions: executions)
        }
        do {
            // A dry run does the same work and rolls it back, so its figures are exactly what a real run would do.
            let report = try await database.write(serializable: true, work)
            await database.shutdown()
            return report
        } catch let finished as DryRunFinished {
            await database.shutdown()
            return finished.report
        } catch {
            await database.shutdown()
            throw BrokerMaintenanceError(description: BrokerDatabase.describe(error))
        }
    }

    /// The versions older than the cut-off that no keep rule protects.
    static func candidatesQuery(before cutoff: Int64) -> SQLQueryString {
        """
        SELECT v.id, p.name AS pacticipant, v.number FROM versions v JOIN pacticipants p ON p.id = v.pacticipant_id
        WHERE v.created_at < \(bind: cutoff)
          AND v.id NOT IN (SELECT MAX(id) FROM versions GROUP BY pacticipant_id)
          AND v.id NOT IN (SELECT MAX(version_id) FROM branch_versions GROUP BY branch_id)
          AND v.id NOT IN (SELECT MAX(version_id) FROM tags GROUP BY pacticipant_id, name)
          AND v.id NOT IN (SELECT MAX(consumer_version_id) FROM pact_publications GROUP BY consumer_id, provider_id)
          AND v.id NOT IN (SELECT MAX(pp.consumer_version_id) FROM pact_publications pp
                           JOIN branch_versions bv ON bv.version_id = pp.consumer_version_id GROUP BY pp.provider_id, bv.branch_id)
          AND v.id NOT IN (SELECT MAX(pp.consumer_version_id) FROM pact_publications pp
                           JOIN tags t ON t.version_id = pp.consumer_version_id GROUP BY pp.provider_id, t.pacticipant_id, t.name)
          AND v.id NOT IN (SELECT version_id FROM deployed_versions WHERE currently_deployed = 1)
          AND v.id NOT IN (SELECT version_id FROM released_versions WHERE currently_supported = 1)
          AND v.id NOT IN (SELECT provider_version_id FROM verifications WHERE id IN
                           (SELECT MIN(id) FROM verifications WHERE success = 1 GROUP BY pact_version_id))
          AND v.id NOT IN (SELECT provider_version_id FROM verifications WHERE id IN
                           (SELECT MAX(id) FROM verifications WHERE success = 1 GROUP BY pact_version_id))
          AND v.id NOT IN (SELECT provider_version_id FROM verifications WHERE id IN
                           (SELECT MAX(ver.id) FROM verifications ver JOIN branch_versions bv ON bv.version_id = ver.provider_version_id
                            WHERE ver.success = 1 GROUP BY ver.pact_version_id, bv.branch_id))
        ORDER BY v.id
        """
    }

    /// A maintenance command on a SQLite file that does not exist would create an empty database and report
    /// nothing to do; a mistyped path deserves an error instead.
    static func requireExisting(_ location: DatabaseLocation) throws {
        if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) {
            throw BrokerMaintenanceError(description: "there is no broker database at \(path); check the --database path")
        }
    }

    private struct Candidate: Decodable, Sendable {
        var id: Int64
        var pacticipant: String
        var number: String
    }

    /// Carries a dry run's report out of the transaction, which then rolls back.
    private struct DryRunFinished: Error {
        let report: RetentionReport
    }
}
