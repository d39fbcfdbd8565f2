import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// A running broker: the HTTP API on a port, over its database.
///
/// ```swift
/// let broker = try await BrokerServer.start(BrokerConfiguration(database: .sqlite(path: "broker.sqlite"), port: 0))
/// print(broker.url)
/// await broker.stop()
/// ```
public final class BrokerServer: Sendable {
    /// The port the broker listens on (the chosen one when the configuration asked for 0).
    public let port: Int
    /// The host it listens on.
    public let host: String
    /// The database it uses.
    public let database: DatabaseLocation
    /// True when requests need credentials.
    public var requiresAuthentication: Bool { authState.isOn }
    private let authState: AuthState
    private let task: Task<Void, any Error>
    private let webhooks: Task<Void, Never>
    private let group: ServiceGroup
    private let storage: BrokerDatabase

    private init(port: Int, host: String, database: DatabaseLocation, authState: AuthState, task: Task<Void, any Error>, webhooks: Task<Void, Never>, group: ServiceGroup, storage: BrokerDatabase) {
        self.webhooks = webhooks
        self.authState = authState
        self.port = port
        self.host = host
        self.database = database
        self.task = task
        self.group = group
        self.storage = storage
    }

    /// The base URL to reach it at.
    public var url: String {
        let shownHost = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        return "http://\(shownHost.contains(":") ? "[\(shownHost)]" : shownHost):\(port)"
    }

    /// Opens (and migrates) the database, binds the port and starts serving; returns once requests are accepted.
    public static func start(_ configuration: BrokerConfiguration) async throws(BrokerSetupError) -> BrokerServer {
        if let base = configuration.baseURL {
            guard let url = URL(string: base), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                throw .invalidOption("--base-url", reason: "'\(base)' is not an http(s) URL such as https://broker.example.com")
            }
        }
        let storage = try await BrokerDatabase.open(configuration.database, logger: configuration.logger, connectionsPerLoop: configuration.databaseConnectionsPerLoop ?? 4)
        let tokenCount: Int
        do {
            tokenCount = try await storage.read { db in try await TokenStore(db).count() }
        } catch {
            await storage.shutdown()
            throw .databaseUnavailable(configuration.database.description, reason: BrokerDatabase.describe(error))
        }
        let options = BrokerOptions(auth: configuration.auth, authState: AuthState(on: !configuration.auth.basic.isEmpty || tokenCount > 0),
                                    baseURL: configuration.baseURL, port: configuration.port, maxBodyBytes: configuration.maxBodyBytes,
                                    checkSimilarNames: configuration.checkSimilarNames, useFirstTagAsBranch: configuration.useFirstTagAsBranch)
        if let entry = configuration.webhookPolicy.invalidEntry() {
            await storage.shutdown()
            throw .invalidOption("--webhook-host-allow", reason: "'\(entry)' is neither a host name, an IP address nor a range such as 10.0.0.0/8")
        }
        let sender = WebhookSender(policy: configuration.webhookPolicy, timeout: configuration.webhookTimeout)
        let api = BrokerAPI(database: storage, options: options, webhookSender: sender)
        let (stream, continuation) = AsyncStream<Result<Int, BrokerSetupError>>.makeStream()
        let idleTimeout = TimeAmount.milliseconds(WebhookDispatcher.millis(configuration.idleTimeout))
        let application = Application(
            router: api.makeRouter(ui: await BrokerUI.load()),
            server: .http1(configuration: HTTP1Channel.Configuration(idleTimeout: idleTimeout)),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "pactctl-broker",
                                                    availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections ?? BrokerServer.defaultMaxConnections())),
            onServerRunning: { channel in
                continuation.yield(.success(channel.localAddress?.port ?? configuration.port))
            },
            logger: configuration.logger
        )
        let host = configuration.host, port = configuration.port
        // Signals are handled by the caller (pactctl traps them itself), so the group installs no handlers.
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [application], gracefulShutdownSignals: [], logger: configuration.logger))
        let task = Task {
            do {
                try await group.run()
                continuation.finish()
            } catch {
                continuation.yield(.failure(.invalidOption("--port", reason: "cannot listen on \(host):\(port): \(error)")))
                continuation.finish()
                throw error
            }
        }
        var iterator = stream.makeAsyncIterator()
        switch await iterator.next() {
        case .success(let bound)?:
            let dispatcher = WebhookDispatcher(database: storage, sender: sender, retryDelays: configuration.webhookRetryDelays, logger: configuration.logger)
            let webhooks = Task { await dispatcher.run() }
            return BrokerServer(port: bound, host: configuration.host, database: configuration.database, authState: options.authState,
                                task: task, webhooks: webhooks, group: group, storage: storage)
        case .failure(let error)?:
            await storage.shutdown()
            throw error
        case nil:
            await storage.shutdown()
            throw .invalidOption("--port", reason: "the server stopped before it started listening")
        }
    }

    /// Half the soft limit on open descriptors, at most 4,096 and at least 16: the other half stays free for
    /// database connections, webhook requests and files, so a flood of connections cannot starve them.
    static func defaultMaxConnections() -> Int {
        var limit = rlimit()
        #if os(Linux)
        let resource = Int32(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0 else { return 512 }
        let soft = limit.rlim_cur == rlim_t.max ? 8192 : Int(clamping: limit.rlim_cur)
        return min(max(soft / 2, 16), 4096)
    }

    /// Stops serving and closes the database.
    public func stop() async {
        webhooks.cancel()
        await webhooks.value
        await group.triggerGracefulShutdown()
        _ = try? await task.value
        await storage.shutdown()
    }

    /// Waits until the server stops (after `stop()` or a failure).
    public func wait() async {
        _ = try? await task.value
    }
}
