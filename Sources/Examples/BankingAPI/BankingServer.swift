import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// A running BankingAPI: the routes over one bank, on a port.
///
/// ```swift
/// let server = try await BankingServer.start(port: 0)
/// print(server.url)   // http://127.0.0.1:PORT
/// await server.stop()
/// ```
public final class BankingServer: Sendable {
    /// The bank it serves.
    public let bank: Bank
    /// The port it listens on (the chosen one when 0 was asked for).
    public let port: Int
    /// The host it listens on.
    public let host: String
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(bank: Bank, port: Int, host: String, group: ServiceGroup, task: Task<Void, any Error>) {
        self.bank = bank
        self.port = port
        self.host = host
        self.group = group
        self.task = task
    }

    /// The base URL to reach it at.
    public var url: URL {
        let shown = host == "0.0.0.0" ? "127.0.0.1" : host == "::" ? "::1" : host
        var components = URLComponents()
        components.scheme = "http"
        components.host = shown.contains(":") ? "[\(shown)]" : shown
        components.port = port
        // A bound host and port always make a URL; the fallback only keeps the type non-optional.
        return components.url ?? URL(string: "http://127.0.0.1:\(port)") ?? URL(fileURLWithPath: "/")
    }

    /// Starts serving; returns once the port is bound. With `providerStates`, `POST /_pact/provider-states` is on.
    public static func start(host: String = "127.0.0.1", port: Int = 0, bank: Bank = Bank(), providerStates: Bool = false,
                             logger: Logger = BankingServer.quietLogger()) async throws -> BankingServer {
        let routes = BankingRoutes(bank: bank, providerStates: providerStates ? BankProviderStates(bank: bank) : nil)
        let (stream, continuation) = AsyncStream<Result<Int, any Error>>.makeStream()
        let application = Application(
            router: routes.makeRouter(),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "banking-api"),
            onServerRunning: { channel in continuation.yield(.success(channel.localAddress?.port ?? port)) },
            logger: logger
        )
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [application], gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            do {
                try await group.run()
            } catch {
                continuation.yield(.failure(error))
                throw error
            }
            continuation.finish()
        }
        var iterator = stream.makeAsyncIterator()
        switch await iterator.next() {
        case .success(let bound)?:
            return BankingServer(bank: bank, port: bound, host: host, group: group, task: task)
        case .failure(let error)?:
            throw BankingServerError.cannotListen(host: host, port: port, reason: "\(error)")
        case nil:
            throw BankingServerError.cannotListen(host: host, port: port, reason: "the server stopped before it started listening")
        }
    }

    /// A logger that reports problems but not every start and stop.
    public static func quietLogger() -> Logger {
        var logger = Logger(label: "banking-api")
        logger.logLevel = .warning
        return logger
    }

    /// Stops serving.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    /// Waits until the server stops.
    public func wait() async {
        _ = try? await task.value
    }
}

/// Why BankingAPI could not start.
public enum BankingServerError: Error, CustomStringConvertible {
    /// The address could not be bound.
    case cannotListen(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case .cannotListen(let host, let port, let reason): "cannot listen on \(host):\(port): \(reason) (choose another --port, or 0 for any free port)"
        }
    }
}
