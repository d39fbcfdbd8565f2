import Foundation
import Logging

/// Writes the results of webhook attempts, many in one transaction: deliveries hand their result over and wait,
/// and whatever has gathered while one transaction runs goes in the next. So an instance sending dozens of webhooks
/// at once uses one database connection for their results, and the requests it serves keep the others.
actor WebhookResults {
    /// One attempt's result.
    struct Result: Sendable {
        var id: Int64
        var attempt: Int64
        var success: Bool
        var statusCode: Int?
        var log: String
        var retryAt: Int64?
    }

    private let database: BrokerDatabase
    private let logger: Logger
    private var pending: [(Result, CheckedContinuation<Void, any Error>)] = []
    private var writing = false

    init(database: BrokerDatabase, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// Returns once the result is stored, or throws when it could not be, after retries.
    func write(_ result: Result) async throws {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((result, continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = pending
            pending = []
            let results = batch.map(\.0)
            do {
                try await store(results)
                for (_, continuation) in batch { continuation.resume() }
            } catch {
                for (_, continuation) in batch { continuation.resume(throwing: error) }
            }
        }
        writing = false
    }

    /// One transaction for the batch; a busy database gets five tries over about six seconds (a result that is
    /// lost would be sent again when its lease runs out).
    private func store(_ results: [Result]) async throws {
        var delay = Duration.milliseconds(200)
        for remaining in (0..<5).reversed() {
            do {
                let logger = self.logger
                try await database.write { db in
                    let store = WebhookStore(db)
                    for result in results {
                        // Each in a savepoint: an execution deleted meanwhile (its webhook was) must not undo the others.
                        try await db.exec("SAVEPOINT webhook_result")
                        do {
                            try await store.finish(id: result.id, attempt: result.attempt, success: result.success, statusCode: result.statusCode,
                                                   log: result.log, retryAt: result.retryAt)
                            try await db.exec("RELEASE SAVEPOINT webhook_result")
                        } catch where !BrokerDatabase.isTransient(error) {
                            try await db.exec("ROLLBACK TO SAVEPOINT webhook_result")
                            try await db.exec("RELEASE SAVEPOINT webhook_result")
                            logger.warning("webhook execution \(result.id): its result was not stored: \(BrokerDatabase.describe(error))")
                        }
                    }
                }
                return
            } catch {
                if remaining == 0 { throw error }
                logger.notice("\(results.count) webhook result(s) could not be written yet (\(BrokerDatabase.describe(error))); trying again")
                try? await Task.sleep(for: delay)
                delay *= 2
            }
        }
    }
}
