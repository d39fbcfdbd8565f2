import SQLKit

extension SQLDatabase {
    /// The first row decoded into `T` (snake_case columns to camelCase properties), or nil.
    func one<T: Decodable>(_ type: T.Type, _ query: SQLQueryString) async throws -> T? {
        try await raw(query).first(decoding: T.self, with: SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase))
    }

    /// Every row decoded into `T`.
    func many<T: Decodable>(_ type: T.Type, _ query: SQLQueryString) async throws -> [T] {
        try await raw(query).all(decoding: T.self, with: SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase))
    }

    /// One column of the first row, or nil.
    func value<T: Decodable>(_ type: T.Type, _ column: String, _ query: SQLQueryString) async throws -> T? {
        try await raw(query).first(decodingColumn: column, as: T.self)
    }

    /// One column of every row.
    func values<T: Decodable>(_ type: T.Type, _ column: String, _ query: SQLQueryString) async throws -> [T] {
        try await raw(query).all(decodingColumn: column, as: T.self)
    }

    /// Runs a statement that returns nothing.
    func exec(_ query: SQLQueryString) async throws {
        try await raw(query).run()
    }
}
