@preconcurrency import AsyncKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit

/// The SQL dialects the broker runs on. Dialect differences stay in this file and in `Schema`.
enum SQLDialectKind: Sendable {
    case sqlite
    case postgres
}

/// The broker's connection pool, with read and write transactions over one SQL layer for both databases.
final class BrokerDatabase: Sendable {
    // The pool guards its state with locks; AsyncKit predates Sendable annotations.
    private enum Pool: @unchecked Sendable {
        case sqlite(EventLoopGroupConnectionPool<BrokerSQLiteSource>)
        case postgres(EventLoopGroupConnectionPool<PostgresConnectionSource>)
    }

    let dialect: SQLDialectKind
    let location: DatabaseLocation
    private let pool: Pool
    private let logger: Logger
    /// SQLite allows one writer at a time. Writers queue here instead of inside SQLite's busy handler, where they
    /// would hold the threads that the writer in progress needs to finish.
    private let writeGate = AsyncGate()

    private init(dialect: SQLDialectKind, location: DatabaseLocation, pool: Pool, logger: Logger) {
        self.dialect = dialect
        self.location = location
        self.pool = pool
        self.logger = logger
    }

    /// How long a request may wait for a pooled connection. A burst of CI jobs publishing the same version queues
    /// on the database's row locks while holding connections; waiting longer than the pool's 10-second default
    /// beats answering 500 to a publish that would have succeeded.
    static let connectionWait: TimeAmount = .seconds(30)

    /// Opens the pool and brings the schema up to date.
    static func open(_ location: DatabaseLocation, logger: Logger, connectionsPerLoop: Int = 4) async throws(BrokerSetupError) -> BrokerDatabase {
        let group = MultiThreadedEventLoopGroup.singleton
        let database: BrokerDatabase
        switch location {
        case .sqlite(let path):
            let url = URL(fileURLWithPath: path)
            let directory = url.deletingLastPathComponent()
            if !FileManager.default.fileExists(atPath: directory.path) {
                throw .databaseUnavailable(location.description, reason: "the folder \(directory.path) does not exist")
            }
            let source = BrokerSQLiteSource(base: SQLiteConnectionSource(configuration: SQLiteConfiguration(storage: .file(path: url.path), enableForeignKeys: true)))
            let pool = EventLoopGroupConnectionPool(source: source, maxConnectionsPerEventLoop: max(connectionsPerLoop, 1),
                                                    requestTimeout: connectionWait, logger: logger, on: group)
            database = BrokerDatabase(dialect: .sqlite, location: location, pool: .sqlite(pool), logger: logger)
        case .postgres(let url):
            let configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: url)
            } catch {
                throw .invalidDatabase(location.description, reason: "the URL cannot be read (\(error))")
            }
            let pool = EventLoopGroupConnectionPool(source: PostgresConnectionSource(sqlConfiguration: configuration),
                                                    maxConnectionsPerEventLoop: max(connectionsPerLoop, 1), requestTimeout: connectionWait,
                                                    logger: logger, on: group)
            database = BrokerDatabase(dialect: .postgres, location: location, pool: .postgres(pool), logger: logger)
        }
        do {
            try await Schema.migrate(database)
        } catch {
            await database.shutdown()
            throw .databaseUnavailable(location.description, reason: BrokerDatabase.describe(error))
        }
        return database
    }

    /// Closes every connection.
    func shutdown() async {
        switch pool {
        case .sqlite(let pool): try? await pool.shutdownAsync()
        case .postgres(let pool): try? await pool.shutdownAsync()
        }
    }

    /// Runs `body` on one connection, outside any transaction.
    func session<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch pool {
        case .sqlite(let pool):
            return try await pool.withConnection(logger: logger) { connection in
                connection.eventLoop.makeFutureWithTask { try await body(connection.sql(queryLogLevel: nil)) }
            }.get()
        case .postgres(let pool):
            return try await pool.withConnection(logger: logger) { connection in
                connection.eventLoop.makeFutureWithTask { try await body(connection.sql(queryLogLevel: nil)) }
            }.get()
        }
    }

    /// Runs `body` in a read-only transaction, so every query in it sees one consistent snapshot.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let begin = dialect == .sqlite ? "BEGIN DEFERRED" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        return try await transaction(begin: begin, body)
    }

    /// Runs `body` in a write transaction: everything it writes lands together or not at all. Conflicts between
    /// concurrent writers (PostgreSQL serialization failures and deadlocks, SQLite busy) are retried.
    ///
    /// With `serializable`, a PostgreSQL transaction sees and writes as if it ran alone, for work that reads and then
    /// deletes on what it read (SQLite's write transactions are always serialized).
    func write<T: Sendable>(serializable: Bool = false, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let begin = dialect == .sqlite ? "BEGIN IMMEDIATE" : (serializable ? "BEGIN ISOLATION LEVEL SERIALIZABLE" : "BEGIN")
        var attempt = 0
        while true {
            attempt += 1
            do {
                if dialect == .sqlite {
                    return try await writeGate.withPermit { try await self.transaction(begin: begin, body) }
                }
                return try await transaction(begin: begin, body)
            } catch where attempt < 6 && BrokerDatabase.isTransient(error) {
                try await Task.sleep(for: .milliseconds(5 * attempt * attempt))
            }
        }
    }

    private func transaction<T: Sendable>(begin: String, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await session { database in
            try await database.raw(SQLQueryString(begin)).run()
            do {
                let result = try await body(database)
                try await database.raw("COMMIT").run()
                return result
            } catch {
                try? await database.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// True for errors that a retry of the whole transaction can cure.
    static func isTransient(_ error: any Error) -> Bool {
        if let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] {
            return state == "40001" || state == "40P01"
        }
        if let error = error as? SQLiteError {
            return [.busy, .locked, .busyTimeout, .busyInSnapshot, .busyInRecovery].contains(error.reason)
        }
        return false
    }

    /// True when the error is a unique-constraint violation.
    static func isUniqueViolation(_ error: any Error) -> Bool {
        if let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] { return state == "23505" }
        if let error = error as? SQLiteError { return error.reason == .constraint || error.reason == .constraintUniqueFailed || error.reason == .constraintPrimaryKeyFailed }
        return false
    }

    /// A one-line description of a database error without credentials.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "\(error.code)"
        }
        return "\(error)"
    }
}

/// A first-come, first-served lock for async code.
actor AsyncGate {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func withPermit<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}

/// SQLite connections with the broker's per-connection settings: wait up to 10 s for a lock held by another
/// process instead of failing at once.
struct BrokerSQLiteSource: ConnectionPoolSource {
    let base: SQLiteConnectionSource

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        base.makeConnection(logger: logger, on: eventLoop).flatMap { connection in
            connection.query("PRAGMA busy_timeout = 10000").map { _ in connection }
        }
    }
}
