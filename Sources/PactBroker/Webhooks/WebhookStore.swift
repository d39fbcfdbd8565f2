import Foundation
import PactModel
import SQLKit

/// Webhooks and their execution queue in the database.
struct WebhookStore: Sendable {
    let db: any SQLDatabase

    init(_ db: any SQLDatabase) {
        self.db = db
    }

    struct Row: Sendable, Decodable {
        var id: Int64
        var uuid: String
        var description: String?
        var enabled: Int64
        var consumerName: String?
        var providerName: String?
        var consumerLabel: String?
        var providerLabel: String?
        var events: String
        var request: String

        func webhook() -> Webhook? {
            guard let eventValues = try? JSONParser.parse(events).arrayValue,
                  let requestValue = try? JSONParser.parse(request),
                  let request = try? WebhookRequest(requestValue) else { return nil }
            return Webhook(uuid: uuid, description: description, enabled: enabled != 0, consumer: consumerName, provider: providerName,
                           consumerLabel: consumerLabel, providerLabel: providerLabel, events: eventValues.compactMap { $0.stringValue.flatMap(WebhookEvent.init(rawValue:)) }, request: request)
        }
    }

    static let columns: SQLQueryString = "id, uuid, description, enabled, consumer_name, provider_name, consumer_label, provider_label, events, request"

    func row(uuid: String) async throws -> Row? {
        try await db.one(Row.self, "SELECT \(WebhookStore.columns) FROM webhooks WHERE uuid = \(bind: uuid)")
    }

    /// True when at least one enabled webhook exists, so publishing skips the event work when none does.
    func any() async throws -> Bool {
        try await db.value(Int64.self, "id", "SELECT id FROM webhooks WHERE enabled = 1 LIMIT 1") != nil
    }

    func all() async throws -> [Row] {
        try await db.many(Row.self, "SELECT \(WebhookStore.columns) FROM webhooks ORDER BY id")
    }

    /// Creates or replaces; returns true when it was created.
    func save(_ webhook: Webhook) async throws -> Bool {
        let events = JSONWriter.string(.array(webhook.events.map { .string($0.rawValue) }), style: .compact)
        let request = JSONWriter.string(webhook.request.stored, style: .compact)
        let now = Clock.nowMillis()
        if try await row(uuid: webhook.uuid) != nil {
            try await db.exec("""
                UPDATE webhooks SET description = \(bind: webhook.description), enabled = \(bind: webhook.enabled ? 1 : 0), consumer_name = \(bind: webhook.consumer),
                provider_name = \(bind: webhook.provider), consumer_label = \(bind: webhook.consumerLabel), provider_label = \(bind: webhook.providerLabel), events = \(bind: events), request = \(bind: request), updated_at = \(bind: now) WHERE uuid = \(bind: webhook.uuid)
                """)
            return false
        }
        try await db.exec("""
            INSERT INTO webhooks (uuid, description, enabled, consumer_name, provider_name, consumer_label, provider_label, events, request, created_at, updated_at)
            VALUES (\(bind: webhook.uuid), \(bind: webhook.description), \(bind: webhook.enabled ? 1 : 0), \(bind: webhook.consumer), \(bind: webhook.provider),
                    \(bind: webhook.consumerLabel), \(bind: webhook.providerLabel), \(bind: events), \(bind: request), \(bind: now), \(bind: now))
            """)
        return true
    }

    func delete(uuid: String) async throws {
        try await db.exec("DELETE FROM webhooks WHERE uuid = \(bind: uuid)")
    }

    /// Queues an execution of every enabled webhook that listens to the event for this consumer and provider.
    /// Runs inside the triggering request's transaction, so the queue entry exists exactly when the change does.
    func trigger(_ event: WebhookEvent, context: WebhookContext) async throws {
        let consumer = context.values["consumerName"], provider = context.values["providerName"]
        let consumerLabels = Self.labels(context.values["consumerLabels"]), providerLabels = Self.labels(context.values["providerLabels"])
        for row in try await all() {
            guard let webhook = row.webhook(),
                  webhook.applies(to: event, consumer: consumer, consumerLabels: consumerLabels, provider: provider, providerLabels: providerLabels) else { continue }
            var values = context.values
            values["eventName"] = event.rawValue
            let text = JSONWriter.string(WebhookContext(values: values).json, style: .compact)
            let now = Clock.nowMillis()
            // In a savepoint: a webhook deleted at this moment must not fail the publish that triggered it.
            try await db.exec("SAVEPOINT webhook_trigger")
            do {
                try await db.exec("""
                    INSERT INTO triggered_webhooks (uuid, webhook_id, event, context, status, attempts, next_attempt_at, created_at, updated_at)
                    VALUES (\(bind: UUID().uuidString.lowercased()), \(bind: row.id), \(bind: event.rawValue), \(bind: text), 'pending', 0, \(bind: now), \(bind: now), \(bind: now))
                    """)
                try await db.exec("RELEASE SAVEPOINT webhook_trigger")
            } catch {
                try await db.exec("ROLLBACK TO SAVEPOINT webhook_trigger")
                try await db.exec("RELEASE SAVEPOINT webhook_trigger")
            }
        }
    }

    /// The labels of a context's `consumerLabels` or `providerLabels` (`a, b`).
    static func labels(_ text: String?) -> Set<String> {
        Set((text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    struct Triggered: Sendable, Decodable {
        var id: Int64
        var uuid: String
        var webhookId: Int64
        var event: String
        var context: String
        var status: String
        var attempts: Int64
        var nextAttemptAt: Int64
        var createdAt: Int64
        var updatedAt: Int64
    }

    static let triggeredColumns: SQLQueryString = "id, uuid, webhook_id, event, context, status, attempts, next_attempt_at, created_at, updated_at"

    /// True when some execution's time has come and no instance holds it.
    func anyDue(now: Int64) async throws -> Bool {
        try await db.value(Int64.self, "id", """
            SELECT id FROM triggered_webhooks WHERE status IN ('pending', 'retrying') AND next_attempt_at <= \(bind: now)
            AND (lease_until IS NULL OR lease_until < \(bind: now)) LIMIT 1
            """) != nil
    }

    /// Takes up to `limit` executions whose time has come for this process, for `leaseMillis`, counting the attempt;
    /// returns them with the attempt number in `attempts`. On PostgreSQL rows that another instance is claiming at
    /// this moment are skipped rather than waited for; SQLite runs one claim at a time.
    func claimDue(now: Int64, limit: Int, leaseMillis: Int64) async throws -> [Triggered] {
        let skipLocked: SQLQueryString = db.dialect.name == "postgresql" ? "FOR UPDATE SKIP LOCKED" : ""
        return try await db.many(Triggered.self, """
            UPDATE triggered_webhooks SET lease_until = \(bind: now + leaseMillis), attempts = attempts + 1, updated_at = \(bind: now)
            WHERE id IN (SELECT id FROM triggered_webhooks WHERE status IN ('pending', 'retrying') AND next_attempt_at <= \(bind: now)
              AND (lease_until IS NULL OR lease_until < \(bind: now)) ORDER BY next_attempt_at, id LIMIT \(bind: limit) \(skipLocked))
            AND status IN ('pending', 'retrying') AND (lease_until IS NULL OR lease_until < \(bind: now))
            RETURNING \(WebhookStore.triggeredColumns)
            """)
    }

    /// Records an attempt, and the next one when it failed and retries remain.
    func finish(id: Int64, attempt: Int64, success: Bool, statusCode: Int?, log: String, retryAt: Int64?) async throws {
        let now = Clock.nowMillis()
        try await db.exec("""
            INSERT INTO webhook_attempts (triggered_webhook_id, attempt, success, status_code, log, created_at)
            VALUES (\(bind: id), \(bind: attempt), \(bind: success ? 1 : 0), \(bind: statusCode), \(bind: log), \(bind: now))
            """)
        let status = success ? "success" : (retryAt == nil ? "failure" : "retrying")
        try await db.exec("""
            UPDATE triggered_webhooks SET status = \(bind: status), lease_until = NULL, next_attempt_at = \(bind: retryAt ?? now), updated_at = \(bind: now) WHERE id = \(bind: id)
            """)
    }

    /// The webhooks with these ids, by id.
    func webhookRows(ids: [Int64]) async throws -> [Int64: Row] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await db.many(Row.self, "SELECT \(WebhookStore.columns) FROM webhooks WHERE id IN (\(Store.list(Set(ids).sorted())))")
        return Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func webhookRow(id: Int64) async throws -> Row? {
        try await db.one(Row.self, "SELECT \(WebhookStore.columns) FROM webhooks WHERE id = \(bind: id)")
    }

    func executions(webhookId: Int64, limit: Int) async throws -> [Triggered] {
        try await db.many(Triggered.self, "SELECT \(WebhookStore.triggeredColumns) FROM triggered_webhooks WHERE webhook_id = \(bind: webhookId) ORDER BY id DESC LIMIT \(bind: limit)")
    }

    struct Attempt: Sendable, Decodable {
        var triggeredWebhookId: Int64
        var attempt: Int64
        var success: Int64
        var statusCode: Int64?
        var log: String
        var createdAt: Int64
    }

    func attempts(triggeredIds: [Int64]) async throws -> [Int64: [Attempt]] {
        guard !triggeredIds.isEmpty else { return [:] }
        var result: [Int64: [Attempt]] = [:]
        let rows = try await db.many(Attempt.self, """
            SELECT triggered_webhook_id, attempt, success, status_code, log, created_at FROM webhook_attempts WHERE triggered_webhook_id IN (\(Store.list(triggeredIds))) ORDER BY attempt
            """)
        for row in rows { result[row.triggeredWebhookId, default: []].append(row) }
        return result
    }
}
