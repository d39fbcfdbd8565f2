import Foundation
import Logging

/// How `pactctl broker` runs.
public struct BrokerConfiguration: Sendable {
    /// Where the data lives; SQLite in the working directory by default.
    public var database: DatabaseLocation
    /// The address to listen on.
    public var host: String
    /// The port to listen on; 0 lets the system choose.
    public var port: Int
    /// The URL clients reach the broker at, used in every link; by default taken from each request's Host header.
    public var baseURL: String?
    /// The largest request body accepted (pacts can be big).
    public var maxBodyBytes: Int
    /// Where the broker logs.
    public var logger: Logger
    /// Basic-auth users; with none configured and no API token in the database, the broker is open.
    public var auth: BrokerAuthConfiguration
    /// The waits between a failed webhook attempt and the next; after the last, the execution is marked failed.
    public var webhookRetryDelays: [Duration] = [.seconds(10), .seconds(60), .seconds(120), .seconds(300), .seconds(600), .seconds(1200)]
    /// Database connections per event loop (the process has one loop per core); nil for the default of 4.
    /// PostgreSQL counts every one against its max_connections.
    public var databaseConnectionsPerLoop: Int? = nil
    /// How long one webhook request may take.
    public var webhookTimeout: Duration = .seconds(10)
    /// Whether publishing a pact for a new pacticipant whose name looks like an existing one (`order-service` beside
    /// `OrderService`) is refused with 409, as the Pact Broker does by default.
    public var checkSimilarNames = true
    /// Whether the first tag given to a version on no branch, within 10 seconds of the version's creation, also
    /// becomes its branch, as the Pact Broker's `use_first_tag_as_branch` does by default (for clients that tag
    /// before they know branches).
    public var useFirstTagAsBranch = true
    /// How long a connection may stay silent (no request, or a request's head or body stalled) before it is closed.
    public var idleTimeout: Duration = .seconds(60)
    /// The most connections served at once; further clients wait in the listen backlog. Nil picks half the
    /// process's descriptor limit (at most 4,096), leaving the rest for the database, files and webhooks.
    public var maxConnections: Int? = nil
    /// Where webhooks may send requests; by default http(s) to public addresses only.
    public var webhookPolicy = WebhookPolicy()

    public init(database: DatabaseLocation = .defaultSQLite, host: String = "127.0.0.1", port: Int = 9292, baseURL: String? = nil,
                maxBodyBytes: Int = 32 << 20, auth: BrokerAuthConfiguration = BrokerAuthConfiguration(), logger: Logger = Logger(label: "pactctl.broker")) {
        self.auth = auth
        self.database = database
        self.host = host
        self.port = port
        self.baseURL = baseURL
        self.maxBodyBytes = maxBodyBytes
        self.logger = logger
    }
}

/// The settings the API reads per request.
struct BrokerOptions: Sendable {
    var auth = BrokerAuthConfiguration()
    var authState = AuthState(on: false)
    var baseURL: String?
    var port: Int
    var maxBodyBytes: Int
    var checkSimilarNames = true
    var useFirstTagAsBranch = true
}
