import ArgumentParser
import Foundation
import Logging
import PactBroker

/// `pactctl broker`: runs the Pact Broker–compatible service, and manages its API tokens.
struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Run the contract broker (Pact Broker API) on SQLite or PostgreSQL.",
        subcommands: [BrokerServeCommand.self, BrokerTokenCommand.self, BrokerCheckCommand.self, BrokerCleanCommand.self, BrokerSchemaCommand.self],
        defaultSubcommand: BrokerServeCommand.self
    )
}

/// The database option shared by the broker commands.
struct BrokerDatabaseOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("sqlite:PATH or postgres://USER:PASS@HOST[:PORT]/DB.", valueName: "location"))
    var database: String = "sqlite:pact_broker.sqlite"

    func location() throws -> DatabaseLocation {
        do { return try DatabaseLocation(parsing: database) } catch { throw CLIFailure.usage(error.description) }
    }
}

/// `pactctl broker [serve]`: the service itself.
struct BrokerServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the broker (the default when no subcommand is given).",
        discussion: """
            With no options it keeps its data in ./pact_broker.sqlite (created and migrated at start) and listens on \
            http://127.0.0.1:9292. Several brokers can share one PostgreSQL database behind a load balancer. Prints \
            "Broker listening on URL" when ready; stops on Ctrl-C or SIGTERM.

            Authentication is off until credentials exist: basic-auth users from --user/--read-only-user or the \
            environment (PACT_BROKER_BASIC_AUTH_USERNAME/PASSWORD, PACT_BROKER_BASIC_AUTH_READ_ONLY_USERNAME/PASSWORD), \
            or API tokens made with `pactctl broker token create`. Prefer the environment to flags: flags show in ps.
            """
    )

    @OptionGroup var databaseOption: BrokerDatabaseOption

    @Option(name: .long, help: "The address to listen on (0.0.0.0 for every interface).")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "The port; 0 picks a free one.")
    var port: Int = 9292

    @Option(name: .customLong("base-url"), help: "The URL clients use to reach the broker, for the links it returns (default: from each request's Host).")
    var baseURL: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning or error.")
    var logLevel: String = "notice"

    @Option(name: .long, help: ArgumentHelp("A read-write basic-auth user.", valueName: "user:password"))
    var user: String?

    @Option(name: .customLong("read-only-user"), help: ArgumentHelp("A read-only basic-auth user.", valueName: "user:password"))
    var readOnlyUser: String?

    @Flag(name: .customLong("allow-similar-names"), help: "Let a publication create a pacticipant whose name looks like an existing one's (refused with 409 by default).")
    var allowSimilarNames = false

    @Flag(name: .customLong("no-first-tag-as-branch"), help: "Do not make the first tag of a version on no branch its branch (done within 10 s of the version's creation by default, as the Pact Broker does).")
    var noFirstTagAsBranch = false

    @Option(name: .customLong("idle-timeout"), help: ArgumentHelp("Close a connection silent this long: no request, or a request's head or body stalled.", valueName: "seconds"))
    var idleTimeout = 60

    @Option(name: .customLong("max-connections"), help: ArgumentHelp("Serve at most this many connections at once; others wait (default: half the descriptor limit, at most 4096).", valueName: "n"))
    var maxConnections: Int?

    @Option(name: .customLong("webhook-host-allow"), help: ArgumentHelp("Let webhooks reach this host name (*.example.com for subdomains), address or range (10.0.0.0/8) although it is not public; repeatable.", valueName: "host"))
    var webhookHostAllow: [String] = []

    @Option(name: .customLong("webhook-scheme-allow"), help: ArgumentHelp("A scheme webhooks may use, replacing the default http and https; repeatable.", valueName: "scheme"))
    var webhookSchemeAllow: [String] = []

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard (1...86_400).contains(idleTimeout) else { throw ValidationError("--idle-timeout must be between 1 and 86400 seconds") }
        if let maxConnections, !(1...1_000_000).contains(maxConnections) { throw ValidationError("--max-connections must be between 1 and 1000000") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error") }
    }

    func run() async throws {
        let termination = TerminationSignals()
        let location = try databaseOption.location()
        var logger = Logger(label: "pactctl.broker")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .notice
        var configuration = BrokerConfiguration(database: location, host: host, port: port, baseURL: baseURL,
                                                auth: try authConfiguration(), logger: logger)
        configuration.checkSimilarNames = !allowSimilarNames
        configuration.useFirstTagAsBranch = !noFirstTagAsBranch
        configuration.idleTimeout = .seconds(idleTimeout)
        configuration.maxConnections = maxConnections
        configuration.webhookPolicy = WebhookPolicy(allowedSchemes: webhookSchemeAllow.isEmpty ? ["http", "https"] : Set(webhookSchemeAllow),
                                                    allowedHosts: webhookHostAllow)
        let broker: BrokerServer
        do {
            broker = try await BrokerServer.start(configuration)
        } catch {
            throw CLIFailure.invalid(error.description)
        }
        Terminal.print("Broker listening on \(baseURL ?? broker.url) (database \(location)\(broker.requiresAuthentication ? ", authentication on" : ""))")
        await termination.wait()
        await broker.stop()
        Terminal.print("Broker stopped")
    }

    private func authConfiguration() throws -> BrokerAuthConfiguration {
        let environment = ProcessInfo.processInfo.environment
        var credentials: [BasicCredential] = []
        do {
            if let user { credentials.append(try BasicCredential(parsing: user, role: .readWrite)) }
            if let readOnlyUser { credentials.append(try BasicCredential(parsing: readOnlyUser, role: .readOnly)) }
        } catch {
            throw CLIFailure.usage(error.description)
        }
        if let name = environment["PACT_BROKER_BASIC_AUTH_USERNAME"], !name.isEmpty {
            credentials.append(BasicCredential(username: name, password: environment["PACT_BROKER_BASIC_AUTH_PASSWORD"] ?? "", role: .readWrite))
        }
        if let name = environment["PACT_BROKER_BASIC_AUTH_READ_ONLY_USERNAME"], !name.isEmpty {
            credentials.append(BasicCredential(username: name, password: environment["PACT_BROKER_BASIC_AUTH_READ_ONLY_PASSWORD"] ?? "", role: .readOnly))
        }
        return BrokerAuthConfiguration(basic: credentials)
    }
}

/// `pactctl broker token`: API tokens for bearer authentication, stored hashed in the broker's database.
struct BrokerTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke the broker's API tokens.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a token and print it once (only its hash is kept). A broker already running without authentication turns it on for every request after the token is created.")
        @OptionGroup var databaseOption: BrokerDatabaseOption
        @Option(name: .long, help: "A name to list and revoke the token by.")
        var name: String
        @Option(name: .long, help: "read-only or read-write.")
        var role: String = BrokerRole.readWrite.rawValue

        func run() async throws {
            guard let parsedRole = BrokerRole(rawValue: role) else { throw CLIFailure.usage("--role must be read-only or read-write") }
            do {
                let token = try await BrokerTokens.create(name: name, role: parsedRole, in: try databaseOption.location())
                Terminal.print(token)
            } catch let failure as CLIFailure {
                throw failure
            } catch {
                throw CLIFailure.invalid("\(error)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tokens (names and roles, never values).")
        @OptionGroup var databaseOption: BrokerDatabaseOption

        func run() async throws {
            let tokens: [BrokerTokenInfo]
            do { tokens = try await BrokerTokens.list(in: try databaseOption.location()) } catch let failure as CLIFailure { throw failure } catch {
                throw CLIFailure.invalid("\(error)")
            }
            if tokens.isEmpty { Terminal.print("No tokens: the broker needs no credentials unless basic-auth users are configured.") }
            for token in tokens { Terminal.print("\(token.name)\t\(token.role.rawValue)\tcreated \(token.createdAt)") }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a token; requests using it are refused at once.")
        @OptionGroup var databaseOption: BrokerDatabaseOption
        @Option(name: .long, help: "The token's name.")
        var name: String

        func run() async throws {
            let removed: Bool
            do { removed = try await BrokerTokens.revoke(name: name, in: try databaseOption.location()) } catch let failure as CLIFailure { throw failure } catch {
                throw CLIFailure.invalid("\(error)")
            }
            guard removed else { throw CLIFailure.invalid("there is no token named '\(name)'; `pactctl broker token list` shows them") }
            Terminal.print("Revoked \(name)")
        }
    }
}

/// `pactctl broker check`: the database's integrity check, for after a crash or a restored backup.
struct BrokerCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the broker's database (SQLite integrity and foreign keys; contents on both databases). Exit 1 on problems."
    )
    @OptionGroup var databaseOption: BrokerDatabaseOption

    func run() async throws {
        let location = try databaseOption.location()
        let problems: [String]
        do { problems = try await BrokerMaintenance.check(location) } catch { throw CLIFailure.invalid("\(error)") }
        guard problems.isEmpty else {
            throw CLIFailure.invalid("the database \(location) has problems:\n" + problems.map { "  - \($0)" }.joined(separator: "\n"))
        }
        Terminal.print("The database \(location) is healthy")
    }
}

/// `pactctl broker clean`: the retention policy, applied to the database.
struct BrokerCleanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract: "Remove old versions that can no longer affect can-i-deploy or verification.",
        discussion: """
            Removes versions older than --keep-days that are not the latest of their pacticipant, of any branch or \
            tag, not the latest with a pact for a provider, not deployed or supported in any environment, and not \
            holding a verification that keeps a pact from turning pending, with their pacts, tags and the \
            verification results they published. Pact contents no longer published go too, and so do finished \
            webhook executions older than --keep-days. One transaction, safe while the broker runs (on SQLite, \
            the broker's writes wait for it). Run it with --dry-run first.
            """
    )
    @OptionGroup var databaseOption: BrokerDatabaseOption

    @Option(name: .customLong("keep-days"), help: "Keep everything created in the last N days.")
    var keepDays: Int = 90

    @Flag(name: .customLong("dry-run"), help: "Print what would be removed and change nothing.")
    var dryRun = false

    func validate() throws {
        guard (0...BrokerMaintenance.maximumKeepDays).contains(keepDays) else {
            throw ValidationError("--keep-days must be between 0 and \(BrokerMaintenance.maximumKeepDays), not \(keepDays)")
        }
    }

    func run() async throws {
        let location = try databaseOption.location()
        let report: RetentionReport
        do { report = try await BrokerMaintenance.clean(location, keepDays: keepDays, dryRun: dryRun) } catch { throw CLIFailure.invalid("cannot clean \(location): \(error)") }
        if report.versions.count > 0 { Terminal.print(dryRun ? "Versions that would be removed:" : "Versions removed:") }
        let verb = dryRun ? "Would remove" : "Removed"
        for version in report.versions {
            Terminal.print("  \(version.pacticipant) \(version.number)")
        }
        Terminal.print("\(verb) \(report.versions.count) version(s), \(report.pactContents) pact content(s) no longer published and \(report.webhookExecutions) finished webhook execution(s) older than \(keepDays) day(s)\(dryRun ? " (dry run: nothing changed)" : "")")
    }
}

/// `pactctl broker schema`: prints the SQL the broker applies at start-up.
struct BrokerSchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the broker's database schema (the broker applies it itself; this is for review)."
    )
    @Option(name: .long, help: "sqlite or postgres.")
    var dialect: String = "sqlite"

    func run() throws {
        guard let chosen = BrokerMaintenance.Dialect(rawValue: dialect) else { throw CLIFailure.usage("--dialect must be sqlite or postgres") }
        print(BrokerMaintenance.schema(for: chosen), terminator: "")
    }
}
