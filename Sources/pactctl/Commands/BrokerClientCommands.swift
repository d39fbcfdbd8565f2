import ArgumentParser
import Foundation
import PactBrokerClient
import PactModel

/// The connection options every broker client command takes; names follow the official `pact broker` CLI.
struct BrokerConnectionOptions: ParsableArguments {
    @Option(name: [.customShort("b"), .customLong("broker-base-url")], help: "The broker's URL (or PACT_BROKER_BASE_URL).")
    var brokerBaseURL: String?

    @Option(name: [.customShort("u"), .customLong("broker-username")], help: "Basic-auth user (or PACT_BROKER_USERNAME).")
    var brokerUsername: String?

    @Option(name: [.customShort("p"), .customLong("broker-password")], help: "Basic-auth password (or PACT_BROKER_PASSWORD).")
    var brokerPassword: String?

    @Option(name: [.customShort("k"), .customLong("broker-token")], help: "Bearer token (or PACT_BROKER_TOKEN); wins over basic auth.")
    var brokerToken: String?

    @Option(name: [.customShort("o"), .long], help: "text, json or table.")
    var output: String = "text"

    func validateOutput() throws {
        guard ["text", "json", "table"].contains(output) else { throw ValidationError("--output must be text, json or table") }
    }

    func client() throws -> BrokerClient {
        do {
            return BrokerClient(configuration: try BrokerClientConfiguration.resolve(baseURL: brokerBaseURL, username: brokerUsername,
                                                                                      password: brokerPassword, token: brokerToken))
        } catch {
            throw CLIFailure.usage(error.description)
        }
    }
}

/// Runs a broker call and turns its failure into the command's error.
func brokerCall<T>(_ body: () async throws(BrokerClientError) -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        if case .invalidConfiguration(let message) = error { throw CLIFailure.invalid(message) }
        throw CLIFailure.invalid(error.description)
    }
}

/// Prints a JSON document compactly on one line (for --output json).
func printJSON(_ value: JSONValue) {
    Terminal.print(JSONWriter.string(value, style: .pretty).trimmingCharacters(in: .whitespacesAndNewlines))
}

/// Prints rows as an aligned table.
func printTable(_ header: [String], _ rows: [[String]]) {
    var widths = header.map(\.count)
    for row in rows { for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { index, cell in cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) }.joined(separator: " | ")
    }
    Terminal.print(line(header))
    Terminal.print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "-|-"))
    for row in rows { Terminal.print(line(row)) }
}

/// `pactctl publish`: publishes pact files to a broker.
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish pact files (or folders of them) to a broker.",
        discussion: "Uses the broker's /contracts/publish, and the legacy PUT endpoint when the broker lacks it. Exit 1 when the broker refuses a pact (for example 409: a different pact for a version already published)."
    )

    @Argument(help: "Pact files or folders.")
    var paths: [String]

    @Option(name: [.customShort("a"), .customLong("consumer-app-version")], help: "The consumer version these pacts belong to.")
    var consumerAppVersion: String

    @Option(name: .long, help: "The consumer version's branch.")
    var branch: String?

    @Option(name: [.customShort("t"), .long], help: "A tag for the consumer version (repeatable, or comma-separated).")
    var tag: [String] = []

    @Option(name: .customLong("build-url"), help: "The CI build that produced the pacts.")
    var buildURL: String?

    @OptionGroup var connection: BrokerConnectionOptions

    func validate() throws { try connection.validateOutput() }

    func run() async throws {
        var pacts: [PactToPublish] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw CLIFailure.invalid("\(path): no such file or folder") }
            let files: [String]
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files = names.filter { $0.hasSuffix(".json") }.sorted().map { URL(fileURLWithPath: path).appendingPathComponent($0).path }
                if files.isEmpty { throw CLIFailure.invalid("\(path): holds no .json pact files") }
            } else {
                files = [path]
            }
            for file in files {
                let loaded = try PactFiles.load(file)
                for warning in loaded.warnings { Terminal.warning("\(file): \(warning)") }
                guard let data = FileManager.default.contents(atPath: file), let json = try? JSONParser.parse(Array(data)) else {
                    throw CLIFailure.invalid("\(file): could not be read")
                }
                pacts.append(PactToPublish(source: file, json: json))
            }
        }
        let tags = tag.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
        let client = try connection.client()
        let outcomes = try await brokerCall { () async throws(BrokerClientError) in
            try await client.publish(pacts, version: consumerAppVersion, branch: branch, tags: tags, buildURL: buildURL)
        }
        if connection.output == "json" {
            printJSON(.array(outcomes.map(\.response)))
            return
        }
        for outcome in outcomes {
            Terminal.print("Published the pact between \(outcome.consumer) (\(consumerAppVersion)) and \(outcome.provider)")
            for notice in outcome.notices where notice.type != "debug" { Terminal.print("  \(notice.text)") }
        }
    }
}

/// `pactctl can-i-deploy`: asks the broker's matrix.
struct CanIDeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "can-i-deploy",
        abstract: "Ask the broker whether versions can be deployed: exit 0 for yes, 1 for no or unknown.",
        discussion: "Give --pacticipant with one of --version, --latest (with --latest-tag), --branch or --main-branch; several --pacticipant/--version pairs are matched in order. With --output json it prints the broker's matrix document."
    )

    @Option(name: [.customShort("a"), .long], help: "A pacticipant (repeatable).")
    var pacticipant: [String] = []

    @Option(name: [.customShort("e"), .long], help: "The version of each --pacticipant, in order.")
    var version: [String] = []

    @Flag(name: [.customShort("l"), .long], help: "The latest version of the pacticipant.")
    var latest = false

    @Option(name: .customLong("latest-tag"), help: "With --latest: the latest version with this tag.")
    var latestTag: String?

    @Option(name: .long, help: "The latest version on this branch.")
    var branch: String?

    @Flag(name: .customLong("main-branch"), help: "The latest version on the pacticipant's main branch.")
    var mainBranch = false

    @Option(name: .customLong("to-environment"), help: "The environment the version is going to.")
    var toEnvironment: String?

    @Option(name: .customLong("to"), help: "The tag of the versions it must work with (instead of an environment).")
    var to: String?

    @Option(name: .long, help: "A pacticipant whose results do not count (repeatable).")
    var ignore: [String] = []

    @Option(name: .customLong("retry-while-unknown"), help: "Ask again this many times while the answer is unknown.")
    var retryWhileUnknown = 0

    @Option(name: .customLong("retry-interval"), help: "Seconds between those attempts.")
    var retryInterval = 10

    @Flag(name: .customLong("dry-run"), help: "Print the answer but always exit 0.")
    var dryRun = false

    @OptionGroup var connection: BrokerConnectionOptions

    func validate() throws {
        try connection.validateOutput()
        guard !pacticipant.isEmpty else { throw ValidationError("give --pacticipant") }
        if pacticipant.count > 1 && version.count != pacticipant.count {
            throw ValidationError("with several --pacticipant, give one --version for each, in the same order")
        }
        if pacticipant.count == 1 && version.isEmpty && !latest && branch == nil && !mainBranch {
            throw ValidationError("give --version, --latest, --branch or --main-branch for \(pacticipant[0])")
        }
        if toEnvironment != nil && to != nil { throw ValidationError("give --to-environment or --to, not both") }
        if retryWhileUnknown < 0 || retryInterval < 0 { throw ValidationError("--retry-while-unknown and --retry-interval cannot be negative") }
    }

    func run() async throws {
        let selectors: [DeploySelector]
        if pacticipant.count == 1 {
            selectors = [DeploySelector(pacticipant: pacticipant[0], version: version.first, latest: latest, tag: latest ? latestTag : nil,
                                        branch: branch, mainBranch: mainBranch)]
        } else {
            selectors = zip(pacticipant, version).map { DeploySelector(pacticipant: $0, version: $1) }
        }
        let client = try connection.client()
        var decision = try await ask(client, selectors)
        var remaining = retryWhileUnknown
        while decision.deployable == nil && remaining > 0 {
            remaining -= 1
            if connection.output != "json" { Terminal.print("Waiting \(retryInterval) s for verification results (\(remaining) more attempt(s))...") }
            try await Task.sleep(for: .seconds(retryInterval))
            decision = try await ask(client, selectors)
        }
        switch connection.output {
        case "json":
            printJSON(decision.document)
        default:
            let rows = decision.rows.map { row in
                [row.consumer, row.consumerVersion, row.provider, row.providerVersion ?? "-", row.success.map { $0 ? "true" : "false" } ?? "unknown"]
            }
            if connection.output == "table" || !rows.isEmpty {
                printTable(["CONSUMER", "C.VERSION", "PROVIDER", "P.VERSION", "SUCCESS?"], rows)
                Terminal.print("")
            }
            for line in decision.reason.split(separator: "\n") { Terminal.print(String(line)) }
            Terminal.print("")
            switch decision.deployable {
            case true?: Terminal.print("Computer says yes \\o/")
            case false?: Terminal.print("Computer says no ¯\\_(ツ)_/¯")
            case nil: Terminal.print("Computer says no ¯\\_(ツ)_/¯ (unknown: a verification result is missing)")
            }
        }
        if decision.deployable != true && !dryRun { throw ExitCode(1) }
    }

    private func ask(_ client: BrokerClient, _ selectors: [DeploySelector]) async throws -> DeployDecision {
        try await brokerCall { () async throws(BrokerClientError) in
            try await client.canIDeploy(selectors, toEnvironment: toEnvironment, toTag: to, ignore: ignore.map { ($0, nil) })
        }
    }
}

/// `pactctl record-deployment`.
struct RecordDeploymentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "record-deployment",
                                                    abstract: "Record that a version is deployed to an environment (it replaces the previous one there).")
    @Option(name: [.customShort("a"), .long]) var pacticipant: String
    @Option(name: [.customShort("e"), .long]) var version: String
    @Option(name: .long) var environment: String
    @Option(name: .customLong("application-instance"), help: "For several instances of one application in an environment.")
    var applicationInstance: String?
    @OptionGroup var connection: BrokerConnectionOptions

    func validate() throws { try connection.validateOutput() }

    func run() async throws {
        let client = try connection.client()
        let result = try await brokerCall { () async throws(BrokerClientError) in
            try await client.recordDeployment(pacticipant: pacticipant, version: version, environment: environment, applicationInstance: applicationInstance)
        }
        if connection.output == "json" { return printJSON(result.json) }
        Terminal.print("Recorded deployment of \(pacticipant) version \(version) to \(environment)" + (applicationInstance.map { " (instance \($0))" } ?? ""))
    }
}

/// `pactctl record-release`.
struct RecordReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "record-release",
                                                    abstract: "Record that a version is released to an environment (earlier releases stay supported).")
    @Option(name: [.customShort("a"), .long]) var pacticipant: String
    @Option(name: [.customShort("e"), .long]) var version: String
    @Option(name: .long) var environment: String
    @OptionGroup var connection: BrokerConnectionOptions

    func validate() throws { try connection.validateOutput() }

    func run() async throws {
        let client = try connection.client()
        let result = try await brokerCall { () async throws(BrokerClientError) in
            try await client.recordRelease(pacticipant: pacticipant, version: version, environment: environment)
        }
        if connection.output == "json" { return printJSON(result.json) }
        Terminal.print("Recorded release of \(pacticipant) version \(version) to \(environment)")
    }
}

/// `pactctl create-environment`.
struct CreateEnvironmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create-environment", abstract: "Create an environment on the broker.")
    @Option(name: .long) var name: String
    @Option(name: .customLong("display-name")) var displayName: String?
    @Flag(name: .long, help: "It is a production environment.") var production = false
    @OptionGroup var connection: BrokerConnectionOptions

    func validate() throws { try connection.validateOutput() }

    func run() async throws {
        let client = try connection.client()
        let result = try await brokerCall { () async throws(BrokerClientError) in
            try await client.createEnvironment(name: name, displayName: displayName, production: production)
        }
        if connection.output == "json" { return printJSON(result.json) }
        Terminal.print("Created environment \(name) with uuid \(result.json["uuid"]?.stringValue ?? "?")")
    }
}

/// `pactctl list-environments`.
struct ListEnvironmentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list-environments", abstract: "List the broker's environments.")
    @OptionGroup var connection: BrokerConnectionOptions

    func validate() throws { try connection.validateOutput() }

    func run() async throws {
        let client = try connection.client()
        let environments = try await brokerCall { () async throws(BrokerClientError) in try await client.environments() }
        if connection.output == "json" { return printJSON(.array(environments)) }
        printTable(["UUID", "NAME", "DISPLAY NAME", "PRODUCTION"], environments.map { environment in
            [environment["uuid"]?.stringValue ?? "", environment["name"]?.stringValue ?? "", environment["displayName"]?.stringValue ?? "",
             environment["production"]?.boolValue == true ? "true" : "false"]
        })
    }
}

/// `pactctl record-undeployment`.
struct RecordUndeploymentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "record-undeployment", abstract: "Record that a pacticipant is no longer deployed to an environment.")
    @Option(name: [.customShort("a"), .long]) var pacticipant: String
    @Option(name: .long) var environment: String
    @Option(name: .customLong("application-instance")) var applicationInstance: String?
    @OptionGroup var connection: BrokerConnectionOptions

    func validate() throws { try connection.validateOutput() }

    func run() async throws {
        let client = try connection.client()
        let count = try await brokerCall { () async throws(BrokerClientError) in
            try await client.recordUndeployment(pacticipant: pacticipant, environment: environment, applicationInstance: applicationInstance)
        }
        if connection.output == "json" { return printJSON(["undeployed": .number(JSONNumber(count))]) }
        Terminal.print("Recorded undeployment of \(pacticipant) from \(environment)")
    }
}

/// `pactctl record-support-ended`.
struct RecordSupportEndedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "record-support-ended", abstract: "Record that a released version is no longer supported in an environment.")
    @Option(name: [.customShort("a"), .long]) var pacticipant: String
    @Option(name: [.customShort("e"), .long]) var version: String
    @Option(name: .long) var environment: String
    @OptionGroup var connection: BrokerConnectionOptions

    func validate() throws { try connection.validateOutput() }

    func run() async throws {
        let client = try connection.client()
        try await brokerCall { () async throws(BrokerClientError) in
            try await client.recordSupportEnded(pacticipant: pacticipant, version: version, environment: environment)
        }
        if connection.output == "json" { return printJSON(["supportEnded": true]) }
        Terminal.print("Recorded the end of support for \(pacticipant) version \(version) in \(environment)")
    }
}

/// `pactctl describe-version`.
struct DescribeVersionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "describe-version", abstract: "Show a pacticipant version (the latest when no version is given).")
    @Option(name: [.customShort("a"), .long]) var pacticipant: String
    @Option(name: [.customShort("e"), .long]) var version: String?
    @Option(name: .customLong("latest-tag"), help: "The latest version with this tag.") var latestTag: String?
    @OptionGroup var connection: BrokerConnectionOptions

    func validate() throws { try connection.validateOutput() }

    func run() async throws {
        let client = try connection.client()
        let resource = try await brokerCall { () async throws(BrokerClientError) in
            try await client.describeVersion(pacticipant: pacticipant, version: version, latestTag: latestTag)
        }
        if connection.output == "json" { return printJSON(resource.json) }
        let tags = (resource.json["_embedded"]?["tags"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        let branches = (resource.json["_embedded"]?["branchVersions"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        let deployed = resource.links("pb:deployed-environments").compactMap(\.name)
        printTable(["NUMBER", "BRANCHES", "TAGS", "DEPLOYED TO"], [[resource.json["number"]?.stringValue ?? "?", branches.joined(separator: ", "),
                                                                    tags.joined(separator: ", "), deployed.joined(separator: ", ")]])
    }
}

/// `pactctl create-version-tag`.
struct CreateVersionTagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create-version-tag", abstract: "Tag a pacticipant version.")
    @Option(name: [.customShort("a"), .long]) var pacticipant: String
    @Option(name: [.customShort("e"), .long]) var version: String
    @Option(name: [.customShort("t"), .long], help: "A tag (repeatable).") var tag: [String]
    @Flag(name: .customLong("auto-create-version"), help: "Create the version when it does not exist.") var autoCreateVersion = false
    @OptionGroup var connection: BrokerConnectionOptions

    func validate() throws {
        try connection.validateOutput()
        guard !tag.isEmpty else { throw ValidationError("give at least one --tag") }
    }

    func run() async throws {
        let client = try connection.client()
        try await brokerCall { () async throws(BrokerClientError) in
            try await client.createVersionTag(pacticipant: pacticipant, version: version, tags: tag, autoCreateVersion: autoCreateVersion)
        }
        if connection.output == "json" { return printJSON(["tags": .array(tag.map(JSONValue.string))]) }
        Terminal.print("Tagged \(pacticipant) version \(version) with \(tag.joined(separator: ", "))")
    }
}
