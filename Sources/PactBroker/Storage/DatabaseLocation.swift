import Foundation

/// Where the broker keeps its data: a SQLite file (the default) or a PostgreSQL database.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// A SQLite database file, created on first use.
    case sqlite(path: String)
    /// A PostgreSQL database, given as a `postgres://USER:PASS@HOST[:PORT]/DB[?sslmode=…]` URL.
    case postgres(url: String)

    /// The default: `pact_broker.sqlite` in the working directory.
    public static let defaultSQLite = DatabaseLocation.sqlite(path: "pact_broker.sqlite")

    /// Parses `sqlite:PATH`, a bare path ending in `.sqlite`/`.db`, or a `postgres://` / `postgresql://` URL.
    public init(parsing text: String) throws(BrokerSetupError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            guard let components = URLComponents(string: trimmed), components.host?.isEmpty == false else {
                throw .invalidDatabase(text, reason: "a PostgreSQL URL needs a host, as in postgres://USER:PASS@HOST/DB")
            }
            let database = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            guard !database.isEmpty else {
                throw .invalidDatabase(text, reason: "the URL names no database; add one after the host, as in postgres://USER:PASS@HOST/pact_broker")
            }
            self = .postgres(url: trimmed)
        } else if trimmed.hasPrefix("sqlite:") {
            var path = String(trimmed.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else {
                throw .invalidDatabase(text, reason: "give the SQLite file after the colon, as in sqlite:pact_broker.sqlite")
            }
            self = .sqlite(path: path)
        } else if trimmed.hasSuffix(".sqlite") || trimmed.hasSuffix(".sqlite3") || trimmed.hasSuffix(".db") {
            self = .sqlite(path: trimmed)
        } else {
            throw .invalidDatabase(text, reason: "use sqlite:PATH or postgres://USER:PASS@HOST/DB")
        }
    }

    var isPostgres: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// The location with any password hidden, for logs and messages.
    public var description: String {
        switch self {
        case .sqlite(let path):
            return "sqlite:\(path)"
        case .postgres(let url):
            guard var components = URLComponents(string: url) else { return "postgres://(unreadable URL)" }
            if components.password != nil { components.password = "***" }
            return components.string ?? "postgres://(unreadable URL)"
        }
    }
}

/// Why the broker could not start.
public enum BrokerSetupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database option cannot be used.
    case invalidDatabase(String, reason: String)
    /// The database could not be opened or migrated.
    case databaseUnavailable(String, reason: String)
    /// Another option is wrong.
    case invalidOption(String, reason: String)

    public var description: String {
        switch self {
        case .invalidDatabase(let value, let reason):
            return "invalid --database '\(value)': \(reason)"
        case .databaseUnavailable(let location, let reason):
            return "cannot open the database \(location): \(reason)"
        case .invalidOption(let option, let reason):
            return "invalid \(option): \(reason)"
        }
    }
}
