import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import PactModel
import SQLKit

/// What a caller may do.
public enum BrokerRole: String, Sendable, CaseIterable, Codable {
    /// GET, HEAD and OPTIONS, plus asking for pacts to verify.
    case readOnly = "read-only"
    /// Everything.
    case readWrite = "read-write"
}

/// A user name and password for basic auth; only a hash of the password is kept in memory.
public struct BasicCredential: Sendable {
    public let username: String
    let passwordHash: [UInt8]
    public let role: BrokerRole

    public init(username: String, password: String, role: BrokerRole) {
        self.username = username
        self.passwordHash = Array(SHA256.hash(data: Data(password.utf8)))
        self.role = role
    }

    /// Reads `USER:PASSWORD`.
    public init(parsing text: String, role: BrokerRole) throws(BrokerSetupError) {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else {
            throw .invalidOption(role == .readOnly ? "--read-only-user" : "--user", reason: "give USER:PASSWORD")
        }
        self.init(username: String(text[..<colon]), password: String(text[text.index(after: colon)...]), role: role)
    }
}

/// Who may use the broker. Authentication is off when no basic credential is configured and no token exists.
public struct BrokerAuthConfiguration: Sendable {
    public var basic: [BasicCredential]
    /// Lets `/diagnostic/status/heartbeat` answer without credentials, for load balancers.
    public var publicHeartbeat: Bool

    public init(basic: [BasicCredential] = [], publicHeartbeat: Bool = true) {
        self.basic = basic
        self.publicHeartbeat = publicHeartbeat
    }
}

/// Whether authentication is on. Credentials at start switch it on for good. Otherwise it turns on, and stays on,
/// once an API token exists. While it is off, every request reads whether a token exists, so a token created while
/// the broker runs (`pactctl broker token create`, on any machine) protects every instance sharing the database from
/// the moment its transaction commits: a request that starts after the commit is checked.
final class AuthState: Sendable {
    private let on: NIOLockedValueBox<Bool>

    init(on: Bool) {
        self.on = NIOLockedValueBox(on)
    }

    /// The state as last seen.
    var isOn: Bool { on.withLockedValue { $0 } }

    /// The state now, reading the tokens when authentication is still off.
    func isOn(_ database: BrokerDatabase) async throws -> Bool {
        if isOn { return true }
        guard try await database.session({ db in try await TokenStore(db).any() }) else { return false }
        on.withLockedValue { $0 = true }
        return true
    }
}

/// Checks credentials on every request when authentication is on: 401 without valid ones, 403 when a read-only
/// caller tries to write.
struct AuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let configuration: BrokerAuthConfiguration
    let database: BrokerDatabase
    let state: AuthState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard try await state.isOn(database) else { return try await next(request, context) }
        if configuration.publicHeartbeat && request.uri.path == "/diagnostic/status/heartbeat" { return try await next(request, context) }
        guard let header = request.headers[.authorization] else {
            return unauthorized("this broker needs credentials: basic auth or a bearer token")
        }
        guard let role = try await role(for: header) else {
            return unauthorized("the credentials were not accepted")
        }
        if role == .readOnly && !AuthMiddleware.isRead(request) {
            let message = "these credentials are read-only; \(request.method) \(request.uri.path) needs read-write credentials"
            return HAL.response(["error": ["message": .string(message)]], status: .forbidden)
        }
        return try await next(request, context)
    }

    /// Reads are GET, HEAD, OPTIONS, and the POST that asks which pacts to verify.
    static func isRead(_ request: Request) -> Bool {
        switch request.method {
        case .get, .head, .options: return true
        case .post: return request.uri.path.hasPrefix("/pacts/provider/") && request.uri.path.hasSuffix("/for-verification")
        default: return false
        }
    }

    private func role(for header: String) async throws -> BrokerRole? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        switch parts[0].lowercased() {
        case "basic":
            guard let data = Data(base64Encoded: String(parts[1])), let text = String(data: data, encoding: .utf8),
                  let colon = text.firstIndex(of: ":") else { return nil }
            let username = String(text[..<colon])
            let password = Array(SHA256.hash(data: Data(text[text.index(after: colon)...].utf8)))
            // Compare every credential, so the time taken does not tell which user names exist.
            var found: BrokerRole?
            for credential in configuration.basic {
                let sameUser = credential.username == username
                let samePassword = zip(credential.passwordHash, password).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
                if sameUser && samePassword && found == nil { found = credential.role }
            }
            return found
        case "bearer":
            let hash = TokenStore.hash(String(parts[1]).trimmingCharacters(in: .whitespaces))
            return try await database.read { db in try await TokenStore(db).role(forHash: hash) }
        default:
            return nil
        }
    }

    private func unauthorized(_ message: String) -> Response {
        HAL.response(["error": ["message": .string(message)]], status: .unauthorized,
                     headers: [(.wwwAuthenticate, #"Basic realm="pactctl broker", Bearer"#)])
    }
}

/// API tokens in the database, kept as SHA-256 hashes.
struct TokenStore: Sendable {
    let db: any SQLDatabase

    init(_ db: any SQLDatabase) {
        self.db = db
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    func role(forHash hash: String) async throws -> BrokerRole? {
        guard let role = try await db.value(String.self, "role", "SELECT role FROM api_tokens WHERE token_hash = \(bind: hash)") else { return nil }
        return BrokerRole(rawValue: role)
    }

    /// True when at least one token exists: one index lookup.
    func any() async throws -> Bool {
        try await db.value(Int64.self, "id", "SELECT id FROM api_tokens LIMIT 1") != nil
    }

    func count() async throws -> Int {
        try await db.value(Int.self, "n", "SELECT COUNT(*) AS n FROM api_tokens") ?? 0
    }
}

/// A token as listed (never its value).
public struct BrokerTokenInfo: Sendable, Equatable {
    public let name: String
    public let role: BrokerRole
    public let createdAt: String
}

/// Creates, lists and revokes API tokens in a broker's database (used by `pactctl broker token`).
public enum BrokerTokens {
    /// Makes a new token and returns its value; only its hash is stored, so it cannot be shown again.
    public static func create(name: String, role: BrokerRole, in location: DatabaseLocation) async throws -> String {
        guard !name.isEmpty, name.count <= 100 else { throw BrokerSetupError.invalidOption("--name", reason: "give a name of 1 to 100 characters") }
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
        let token = "pb_" + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let hash = TokenStore.hash(token)
        let database = try await BrokerDatabase.open(location, logger: .init(label: "pactctl.broker.tokens"))
        do {
            try await database.write { db in
                if try await db.value(Int64.self, "id", "SELECT id FROM api_tokens WHERE name = \(bind: name)") != nil {
                    throw BrokerSetupError.invalidOption("--name", reason: "a token named '\(name)' already exists; revoke it first or pick another name")
                }
                try await db.exec("INSERT INTO api_tokens (name, token_hash, role, created_at) VALUES (\(bind: name), \(bind: hash), \(bind: role.rawValue), \(bind: Clock.nowMillis()))")
            }
        } catch {
            await database.shutdown()
            throw error
        }
        await database.shutdown()
        return token
    }

    public static func list(in location: DatabaseLocation) async throws -> [BrokerTokenInfo] {
        struct Row: Decodable { var name: String; var role: String; var createdAt: Int64 }
        let database = try await BrokerDatabase.open(location, logger: .init(label: "pactctl.broker.tokens"))
        let rows = try await database.read { db in try await db.many(Row.self, "SELECT name, role, created_at FROM api_tokens ORDER BY name") }
        await database.shutdown()
        return rows.map { BrokerTokenInfo(name: $0.name, role: BrokerRole(rawValue: $0.role) ?? .readOnly, createdAt: Clock.iso($0.createdAt)) }
    }

    /// Removes a token; returns false when there was none with that name.
    public static func revoke(name: String, in location: DatabaseLocation) async throws -> Bool {
        let database = try await BrokerDatabase.open(location, logger: .init(label: "pactctl.broker.tokens"))
        let removed = try await database.write { db -> Bool in
            guard try await db.value(Int64.self, "id", "SELECT id FROM api_tokens WHERE name = \(bind: name)") != nil else { return false }
            try await db.exec("DELETE FROM api_tokens WHERE name = \(bind: name)")
            return true
        }
        await database.shutdown()
        return removed
    }
}
