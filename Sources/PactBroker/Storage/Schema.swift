import Foundation
import SQLKit

/// The broker's tables and indexes, applied in numbered steps at start-up.
///
/// The indexes follow the hot queries: a version's pacts, a pact content's verifications by provider version,
/// branch heads, latest tagged versions and what is currently in an environment. Times are milliseconds since
/// 1970 in BIGINT and flags are 0/1 integers, so both databases store and compare them the same way.
enum Schema {
    /// Each step is a list of statements; `{id}` becomes the dialect's auto-increment primary key.
    static let steps: [[String]] = [
        [
            """
            CREATE TABLE pacticipants (
                id {id}, name TEXT NOT NULL UNIQUE, display_name TEXT, main_branch TEXT, repository_url TEXT,
                repository_name TEXT, repository_namespace TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE versions (
                id {id}, pacticipant_id BIGINT NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
                number TEXT NOT NULL, build_url TEXT, created_at BIGINT NOT NULL, UNIQUE (pacticipant_id, number))
            """,
            "CREATE INDEX versions_by_order ON versions (pacticipant_id, id)",
            """
            CREATE TABLE branches (
                id {id}, pacticipant_id BIGINT NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
                name TEXT NOT NULL, created_at BIGINT NOT NULL, UNIQUE (pacticipant_id, name))
            """,
            """
            CREATE TABLE branch_versions (
                branch_id BIGINT NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
                version_id BIGINT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
                created_at BIGINT NOT NULL, PRIMARY KEY (branch_id, version_id))
            """,
            "CREATE INDEX branch_versions_by_version ON branch_versions (version_id)",
            """
            CREATE TABLE tags (
                version_id BIGINT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
                pacticipant_id BIGINT NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
                name TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (version_id, name))
            """,
            "CREATE INDEX tags_by_name ON tags (pacticipant_id, name, version_id)",
            """
            CREATE TABLE pact_versions (
                id {id}, consumer_id BIGINT NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
                provider_id BIGINT NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
                sha TEXT NOT NULL, content TEXT NOT NULL, created_at BIGINT NOT NULL,
                UNIQUE (consumer_id, provider_id, sha))
            """,
            """
            CREATE TABLE pact_publications (
                id {id}, consumer_version_id BIGINT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
                consumer_id BIGINT NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
                provider_id BIGINT NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
                pact_version_id BIGINT NOT NULL REFERENCES pact_versions(id) ON DELETE CASCADE,
                revision BIGINT NOT NULL, created_at BIGINT NOT NULL, UNIQUE (consumer_version_id, provider_id))
            """,
            "CREATE INDEX pact_publications_by_integration ON pact_publications (provider_id, consumer_id, consumer_version_id)",
            "CREATE INDEX pact_publications_by_content ON pact_publications (pact_version_id)",
            """
            CREATE TABLE verifications (
                id {id}, pact_version_id BIGINT NOT NULL REFERENCES pact_versions(id) ON DELETE CASCADE,
                provider_version_id BIGINT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
                provider_id BIGINT NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
                consumer_id BIGINT NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
                success BIGINT NOT NULL, build_url TEXT, verified_by TEXT, test_results TEXT, metadata TEXT,
                wip BIGINT NOT NULL, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX verifications_by_content ON verifications (pact_version_id, provider_version_id, id)",
            "CREATE INDEX verifications_by_provider_version ON verifications (provider_version_id)",
            """
            CREATE TABLE environments (
                id {id}, uuid TEXT NOT NULL UNIQUE, name TEXT NOT NULL UNIQUE, display_name TEXT,
                production BIGINT NOT NULL, contacts TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE deployed_versions (
                id {id}, uuid TEXT NOT NULL UNIQUE, version_id BIGINT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
                pacticipant_id BIGINT NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
                environment_id BIGINT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
                application_instance TEXT, currently_deployed BIGINT NOT NULL, created_at BIGINT NOT NULL, undeployed_at BIGINT)
            """,
            "CREATE INDEX deployed_versions_current ON deployed_versions (environment_id, pacticipant_id, currently_deployed)",
            "CREATE INDEX deployed_versions_by_version ON deployed_versions (version_id)",
            """
            CREATE TABLE released_versions (
                id {id}, uuid TEXT NOT NULL UNIQUE, version_id BIGINT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
                pacticipant_id BIGINT NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
                environment_id BIGINT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
                currently_supported BIGINT NOT NULL, created_at BIGINT NOT NULL, support_ended_at BIGINT,
                UNIQUE (version_id, environment_id))
            """,
            "CREATE INDEX released_versions_current ON released_versions (environment_id, pacticipant_id, currently_supported)",
        ],
        [
            // API tokens: only a SHA-256 of each token is kept.
            """
            CREATE TABLE api_tokens (
                id {id}, name TEXT NOT NULL UNIQUE, token_hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
                created_at BIGINT NOT NULL, last_used_at BIGINT)
            """,
        ],
        [
            // Webhooks, the persistent queue of their executions, and each attempt's log.
            """
            CREATE TABLE webhooks (
                id {id}, uuid TEXT NOT NULL UNIQUE, description TEXT, enabled BIGINT NOT NULL,
                consumer_name TEXT, provider_name TEXT, events TEXT NOT NULL, request TEXT NOT NULL,
                created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE triggered_webhooks (
                id {id}, uuid TEXT NOT NULL UNIQUE, webhook_id BIGINT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
                event TEXT NOT NULL, context TEXT NOT NULL, status TEXT NOT NULL, attempts BIGINT NOT NULL,
                next_attempt_at BIGINT NOT NULL, lease_until BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX triggered_webhooks_due ON triggered_webhooks (status, next_attempt_at)",
            "CREATE INDEX triggered_webhooks_by_webhook ON triggered_webhooks (webhook_id, id)",
            """
            CREATE TABLE webhook_attempts (
                id {id}, triggered_webhook_id BIGINT NOT NULL REFERENCES triggered_webhooks(id) ON DELETE CASCADE,
                attempt BIGINT NOT NULL, success BIGINT NOT NULL, status_code BIGINT, log TEXT NOT NULL, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX webhook_attempts_by_trigger ON webhook_attempts (triggered_webhook_id, attempt)",
        ],
        [
            // Pacticipant labels, and webhooks that select their consumer or provider by label.
            """
            CREATE TABLE labels (
                pacticipant_id BIGINT NOT NULL REFERENCES pacticipants(id) ON DELETE CASCADE,
                name TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (pacticipant_id, name))
            """,
            "CREATE INDEX labels_by_name ON labels (name)",
            "ALTER TABLE webhooks ADD COLUMN consumer_label TEXT",
            "ALTER TABLE webhooks ADD COLUMN provider_label TEXT",
        ],
        [
            // At most one current deployment per pacticipant, environment and application instance. Brokers before
            // this step could leave several after concurrent deployments: the newest stays, the others are ended.
            """
            UPDATE deployed_versions SET currently_deployed = 0, undeployed_at = created_at
            WHERE currently_deployed = 1 AND EXISTS (
              SELECT 1 FROM deployed_versions newer WHERE newer.currently_deployed = 1 AND newer.id > deployed_versions.id
              AND newer.pacticipant_id = deployed_versions.pacticipant_id AND newer.environment_id = deployed_versions.environment_id
              AND COALESCE(newer.application_instance, '') = COALESCE(deployed_versions.application_instance, ''))
            """,
            """
            CREATE UNIQUE INDEX deployed_versions_one_current ON deployed_versions (pacticipant_id, environment_id, (COALESCE(application_instance, '')))
            WHERE currently_deployed = 1
            """,
            // Claiming due webhook executions in id order.
            "CREATE INDEX triggered_webhooks_claim ON triggered_webhooks (next_attempt_at, id) WHERE status IN ('pending', 'retrying')",
        ],
    ]

    /// Renames pacticipants stored by older brokers in another Unicode normalisation form than C, which names are
    /// now looked up in, so none becomes unreachable. A name whose NFC twin also exists is left as it is (merging two
    /// pacticipants is a decision for their owner): `pactctl broker check` lists it.
    static func normaliseNames(_ db: any SQLDatabase) async throws {
        let rows = try await db.raw("SELECT id, name FROM pacticipants").all()
        let names = try rows.map { (id: try $0.decode(column: "id", as: Int64.self), name: try $0.decode(column: "name", as: String.self)) }
        var stored = Set(names.map { Array($0.name.utf8) })
        for row in names {
            let canonical = Store.canonical(row.name)
            guard !canonical.utf8.elementsEqual(row.name.utf8), !stored.contains(Array(canonical.utf8)) else { continue }
            try await db.raw("UPDATE pacticipants SET name = \(bind: canonical) WHERE id = \(bind: row.id)").run()
            stored.insert(Array(canonical.utf8))
        }
    }

    /// The statement with the dialect's primary key spelled in.
    static func statement(_ text: String, for dialect: SQLDialectKind) -> String {
        let key = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
        return text.replacingOccurrences(of: "{id}", with: key)
    }

    /// Applies the steps not applied yet, each in one transaction. Several brokers starting together on one
    /// PostgreSQL database take an advisory lock, so each step runs once.
    static func migrate(_ database: BrokerDatabase) async throws {
        if database.dialect == .sqlite {
            // WAL lets readers work while one writer commits; NORMAL sync keeps every commit through a process crash.
            _ = try await database.session { db in
                try await db.raw("PRAGMA journal_mode = WAL").run()
                try await db.raw("PRAGMA synchronous = NORMAL").run()
                return true
            }
        }
        let dialect = database.dialect
        _ = try await database.write { db in
            if dialect == .postgres {
                try await db.raw("SELECT pg_advisory_xact_lock(7461636374)").run()
            }
            try await db.raw("CREATE TABLE IF NOT EXISTS broker_schema_steps (step INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)").run()
            let applied = try await db.raw("SELECT step FROM broker_schema_steps").all().map { try $0.decode(column: "step", as: Int.self) }
            let done = Set(applied)
            for (index, statements) in steps.enumerated() where !done.contains(index + 1) {
                for text in statements {
                    try await db.raw(SQLQueryString(statement(text, for: dialect))).run()
                }
                try await db.raw("INSERT INTO broker_schema_steps (step, applied_at) VALUES (\(bind: index + 1), \(bind: Clock.nowMillis()))").run()
            }
            try await normaliseNames(db)
            return true
        }
        if database.dialect == .sqlite {
            // Fresh statistics for the query planner, bounded so that start-up stays quick on a large file.
            _ = try await database.session { db in
                try await db.raw("PRAGMA analysis_limit = 1000").run()
                try await db.raw("PRAGMA optimize").run()
                return true
            }
        }
    }
}

/// Milliseconds since 1970, the broker's stored time.
enum Clock {
    static func nowMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }

    /// ISO 8601 in UTC with milliseconds, such as `2026-11-25T10:15:00.123Z`.
    static func iso(_ millis: Int64) -> String {
        Date(timeIntervalSince1970: Double(millis) / 1000).formatted(style)
    }

    /// Reads an ISO 8601 date or date-time (`2026-11-25`, `2026-11-25T10:15:00Z`, with or without fractions).
    static func millis(parsing text: String) -> Int64? {
        if let date = try? Date(text, strategy: style) { return Int64(date.timeIntervalSince1970 * 1000) }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return Int64(date.timeIntervalSince1970 * 1000) }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle().year().month().day()) { return Int64(date.timeIntervalSince1970 * 1000) }
        return nil
    }

    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}
