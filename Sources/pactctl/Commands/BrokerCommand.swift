import ArgumentParser
import Foundation
import Logging
import PactBroker

/// `pactctl broker`: runs the Pact Broker–compatible service.
struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Run the contract broker (Pact Broker API) on SQLite or PostgreSQL.",
        discussion: """
            With no options it keeps its data in ./pact_broker.sqlite (created and migrated at start) and listens on \
            http://127.0.0.1:9292. Several brokers can share one PostgreSQL database behind a load balancer. Prints \
            "Broker listening on URL" when ready; stops on Ctrl-C or SIGTERM.
            """
    )

    @Option(name: .long, help: ArgumentHelp("sqlite:PATH or postgres://USER:PASS@HOST[:PORT]/DB.", valueName: "location"))
    var database: String = "sqlite:pact_broker.sqlite"

    @Option(name: .long, help: "The address to listen on (0.0.0.0 for every interface).")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "The port; 0 picks a free one.")
    var port: Int = 9292

    @Option(name: .customLong("base-url"), help: "The URL clients use to reach the broker, for the links it returns (default: from each request's Host).")
    var baseURL: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning or error.")
    var logLevel: String = "notice"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error") }
    }

    func run() async throws {
        let termination = TerminationSignals()
        let location: DatabaseLocation
        do { location = try DatabaseLocation(parsing: database) } catch { throw CLIFailure.usage(error.description) }
        var logger = Logger(label: "pactctl.broker")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .notice
        let configuration = BrokerConfiguration(database: location, host: host, port: port, baseURL: baseURL, logger: logger)
        let broker: BrokerServer
        do {
            broker = try await BrokerServer.start(configuration)
        } catch {
            throw CLIFailure.invalid(error.description)
        }
        Terminal.print("Broker listening on \(baseURL ?? broker.url) (database \(location))")
        await termination.wait()
        await broker.stop()
        Terminal.print("Broker stopped")
    }
}
