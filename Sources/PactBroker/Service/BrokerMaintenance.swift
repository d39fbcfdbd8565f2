import Foundation
import Logging
import SQLKit

/// Operations on a broker's database outside the running service.
public enum BrokerMaintenance {
    /// Checks the database: SQLite's `PRAGMA integrity_check` and foreign keys, or a connection and a query on
    /// PostgreSQL. Returns the problems found (empty when healthy), and migrates the schema first like a start would.
    public static func check(_ location: DatabaseLocation) async throws -> [String] {
        let database = try await BrokerDatabase.open(location, logger: Logger(label: "pactctl.broker.check"))
        do {
            let problems = try await database.read { db -> [String] in
                var problems: [String] = []
                if database.dialect == .sqlite {
                    let integrity = try await db.values(String.self, "integrity_check", "PRAGMA integrity_check")
                    problems += integrity.filter { $0 != "ok" }
                    let violations = try await db.raw("PRAGMA foreign_key_check").all()
                    if !violations.isEmpty { problems.append("\(violations.count) row(s) refer to rows that do not exist (PRAGMA foreign_key_check)") }
                }
                let orphans = try await db.value(Int.self, "n", """
                    SELECT COUNT(*) AS n FROM pact_publications pp WHERE NOT EXISTS (SELECT 1 FROM pact_versions pv WHERE pv.id = pp.pact_version_id)
                    """) ?? 0
                if orphans > 0 { problems.append("\(orphans) published pact(s) have no content") }
                return problems
            }
            await database.shutdown()
            return problems
        } catch {
            await database.shutdown()
            throw error
        }
    }
}
