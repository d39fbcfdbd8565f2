import ArgumentParser
import Foundation
import PactBrokerClient
import PactModel

/// `pactctl can-i-deploy`: asks the broker's matrix.
struct CanIDeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "can-i-deploy",
        abstract: "Ask the broker whether versions can be deployed: exit 0 for yes, 1 for no or unknown.",
        discussion: """
            As with the official CLI, --version, --latest [TAG], --branch and --main-branch belong to the --pacticipant before them, \
            and a --version after --ignore P ignores only that version of P. Examples:
              pactctl can-i-deploy --pacticipant Web --version 1.2.0 --to-environment production
              pactctl can-i-deploy --pacticipant Web --version 1.2.0 --pacticipant API --latest main
            With --output json it prints the broker's matrix document (summary.deployable, summary.reason, matrix).
            """
    )

    @Option(name: [.customShort("a"), .long], help: "A pacticipant (repeatable); the version options after it select its version.")
    var pacticipant: [String] = []

    @Option(name: [.customShort("e"), .long], help: "The version of the --pacticipant (or --ignore) before it.")
    var version: [String] = []

    @Option(name: [.customShort("l"), .long], help: ArgumentHelp("The latest version of the --pacticipant before it; with a TAG, the latest with that tag.",
                                                                  valueName: "TAG"))
    var latest: [String] = []

    @Option(name: .long, help: "The latest version on this branch, for the --pacticipant before it.")
    var branch: [String] = []

    @Flag(name: .customLong("main-branch"), help: "The latest version on the main branch of the --pacticipant before it.")
    var mainBranch: Int

    @Option(name: .customLong("to-environment"), help: "The environment the version is going to.")
    var toEnvironment: String?

    @Option(name: .customLong("to"), help: "The tag of the versions it must work with (instead of an environment).")
    var to: String?

    @Option(name: .long, help: "A pacticipant whose results do not count (repeatable; or PACT_BROKER_CAN_I_DEPLOY_IGNORE, comma-separated).")
    var ignore: [String] = []

    @Option(name: .customLong("retry-while-unknown"), help: "Ask again this many times while the answer is unknown.")
    var retryWhileUnknown = 0

    @Option(name: .customLong("retry-interval"), help: "Seconds between those attempts.")
    var retryInterval = 10

    @Flag(name: .customLong("dry-run"), help: "Print the answer but always exit 0.")
    var dryRun = false

    @OptionGroup var connection: BrokerConnectionOptions

    func validate() throws {
        _ = try CanIDeployArguments.read(invocation())
        if toEnvironment != nil && to != nil { throw ValidationError("give --to-environment or --to, not both") }
        if retryWhileUnknown < 0 || retryInterval < 0 { throw ValidationError("--retry-while-unknown and --retry-interval cannot be negative") }
    }

    func run() async throws {
        var (selectors, ignored) = try CanIDeployArguments.read(invocation())
        if let fromEnvironment = ProcessInfo.processInfo.environment["PACT_BROKER_CAN_I_DEPLOY_IGNORE"] {
            ignored += fromEnvironment.split(separator: ",").map { ($0.trimmingCharacters(in: .whitespaces), nil) }.filter { !$0.0.isEmpty }
        }
        let client = try connection.client()
        var decision = try await ask(client, selectors, ignored)
        var remaining = retryWhileUnknown
        while decision.deployable == nil && remaining > 0 {
            remaining -= 1
            if connection.output != .json { Terminal.print("Waiting \(retryInterval) s for verification results (\(remaining) more attempt(s))...") }
            try await Task.sleep(for: .seconds(retryInterval))
            decision = try await ask(client, selectors, ignored)
        }
        if connection.output == .json {
            printJSON(decision.document)
        } else {
            let rows = decision.rows.map { row in
                [row.consumer, row.consumerVersion, row.provider, row.providerVersion ?? "-", row.success.map { $0 ? "true" : "false" } ?? "unknown"]
            }
            if connection.output == .table || !rows.isEmpty {
                printTable(["CONSUMER", "C.VERSION", "PROVIDER", "P.VERSION", "SUCCESS?"], rows)
                Terminal.print("")
            }
            for line in decision.reason.split(separator: "\n") { Terminal.print(String(line)) }
            Terminal.print("")
            switch decision.deployable {
            case true?: Terminal.print(Terminal.green("Computer says yes \\o/"))
            case false?: Terminal.print(Terminal.red("Computer says no ¯\\_(ツ)_/¯"))
            case nil: Terminal.print(Terminal.red("Computer says no ¯\\_(ツ)_/¯ (unknown: a verification result is missing)"))
            }
        }
        if decision.deployable != true && !dryRun { throw ExitCode(1) }
    }

    /// The command's arguments in the order given, which the pairing of versions with pacticipants needs; when the
    /// command was not started from the command line, they are rebuilt from the parsed options.
    private func invocation() -> [String] {
        let arguments = CommandLine.arguments
        if arguments.count > 1 && arguments[1] == Self.configuration.commandName { return Array(arguments.dropFirst(2)) }
        var rebuilt: [String] = []
        for (index, name) in pacticipant.enumerated() {
            rebuilt += ["--pacticipant", name]
            if index < version.count { rebuilt += ["--version", version[index]] }
            if index < latest.count { rebuilt += latest[index].isEmpty ? ["--latest"] : ["--latest", latest[index]] }
            if index < branch.count { rebuilt += ["--branch", branch[index]] }
            if index < mainBranch { rebuilt += ["--main-branch"] }
        }
        return rebuilt + ignore.flatMap { ["--ignore", $0] }
    }

    private func ask(_ client: BrokerClient, _ selectors: [DeploySelector], _ ignored: [(String, String?)]) async throws -> DeployDecision {
        try await brokerCall { () async throws(BrokerClientError) in
            try await client.canIDeploy(selectors, toEnvironment: toEnvironment, toTag: to, ignore: ignored.map { ($0.0, $0.1) })
        }
    }
}

/// Reads can-i-deploy's order-sensitive options the way the official CLI does.
enum CanIDeployArguments {
    /// Gives a `--latest` with no tag after it an empty value, because the argument parser needs a value for an
    /// option that may take one; the empty value stands for "untagged".
    static func prepare(_ arguments: [String]) -> [String] {
        var prepared: [String] = []
        for (index, token) in arguments.enumerated() {
            prepared.append(token)
            guard token == "--latest" || token == "-l" else { continue }
            let next = index + 1 < arguments.count ? arguments[index + 1] : nil
            if next == nil || next?.hasPrefix("-") == true { prepared.append("") }
        }
        return prepared
    }

    /// The selectors and ignored pacticipants, each version option attached to the --pacticipant or --ignore before it.
    static func read(_ arguments: [String]) throws(ValidationError) -> (selectors: [DeploySelector], ignored: [(String, String?)]) {
        var selectors: [DeploySelector] = []
        var ignored: [(String, String?)] = []
        var lastWasIgnore = false
        var index = 0
        func value(_ option: String, _ attached: String?) throws(ValidationError) -> String {
            if let attached { return attached }
            index += 1
            guard index < arguments.count else { throw ValidationError("\(option) needs a value") }
            return arguments[index]
        }
        func current(_ option: String) throws(ValidationError) -> Int {
            guard let last = selectors.indices.last else { throw ValidationError("\(option) must come after the --pacticipant it belongs to") }
            return last
        }
        while index < arguments.count {
            let token = arguments[index]
            let parts = token.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = parts.count == 2 && token.hasPrefix("--") ? String(parts[0]) : token
            let attached = parts.count == 2 && token.hasPrefix("--") ? String(parts[1]) : nil
            switch name {
            case "--pacticipant", "-a":
                selectors.append(DeploySelector(pacticipant: try value(name, attached)))
                lastWasIgnore = false
            case "--ignore":
                ignored.append((try value(name, attached), nil))
                lastWasIgnore = true
            case "--version", "-e":
                let version = try value(name, attached)
                if lastWasIgnore, let last = ignored.indices.last {
                    ignored[last].1 = version
                } else {
                    selectors[try current(name)].version = version
                }
            case "--latest", "-l":
                let at = try current(name)
                selectors[at].latest = true
                if let attached {
                    selectors[at].tag = attached.isEmpty ? nil : attached
                } else if index + 1 < arguments.count, !arguments[index + 1].hasPrefix("-") {
                    index += 1
                    selectors[at].tag = arguments[index].isEmpty ? nil : arguments[index]
                }
            case "--branch":
                let branch = try value(name, attached)
                selectors[try current(name)].branch = branch
            case "--main-branch":
                selectors[try current(name)].mainBranch = true
            case "--dry-run", "-h", "--help":
                break
            default:
                // Any other option was checked by the parser; skip its value when it has one.
                if token.hasPrefix("-") && attached == nil && index + 1 < arguments.count && !arguments[index + 1].hasPrefix("-") { index += 1 }
            }
            index += 1
        }
        guard !selectors.isEmpty else { throw ValidationError("give --pacticipant with --version, --latest [TAG], --branch or --main-branch") }
        for selector in selectors {
            let ways = [selector.version != nil, selector.latest, selector.branch != nil, selector.mainBranch].filter { $0 }.count
            if ways == 0 { throw ValidationError("give --version, --latest [TAG], --branch or --main-branch after --pacticipant \(selector.pacticipant)") }
            if ways > 1 { throw ValidationError("give only one of --version, --latest, --branch and --main-branch after --pacticipant \(selector.pacticipant)") }
        }
        return (selectors, ignored)
    }
}
