import ArgumentParser
import Foundation
import PactBrokerClient
import PactModel

/// `pactctl create-or-update-pacticipant`.
struct CreateOrUpdatePacticipantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create-or-update-pacticipant",
                                                    abstract: "Create a pacticipant, or update the attributes given of an existing one.")
    @Option(name: .long, help: "The pacticipant's name.") var name: String
    @Option(name: .customLong("display-name"), help: "A name for people.") var displayName: String?
    @Option(name: .customLong("main-branch"), help: "Its main development branch (for --main-branch selectors).") var mainBranch: String?
    @Option(name: .customLong("repository-url"), help: "Its source repository.") var repositoryURL: String?
    @OptionGroup var connection: BrokerConnectionOptions

    func validate() throws {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name cannot be empty") }
    }

    func run() async throws {
        let client = try connection.client()
        let (resource, created) = try await brokerCall { () async throws(BrokerClientError) in
            try await client.createOrUpdatePacticipant(name: name, displayName: displayName, mainBranch: mainBranch, repositoryURL: repositoryURL)
        }
        let json = resource.json
        connection.emit(json: json,
                        text: ["\(created ? "Created" : "Updated") pacticipant \(name)"],
                        table: (["NAME", "DISPLAY NAME", "MAIN BRANCH", "REPOSITORY"],
                                [[json["name"]?.stringValue ?? name, json["displayName"]?.stringValue ?? "", json["mainBranch"]?.stringValue ?? "",
                                  json["repositoryUrl"]?.stringValue ?? ""]]))
    }
}

/// `pactctl describe-version`.
struct DescribeVersionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "describe-version", abstract: "Show a pacticipant version (the latest when no version is given).")
    @Option(name: [.customShort("a"), .long], help: "The pacticipant.") var pacticipant: String
    @Option(name: [.customShort("e"), .long], help: "The version number.") var version: String?
    @Option(name: [.customShort("l"), .long], help: ArgumentHelp("The latest version; with a TAG, the latest with that tag.", valueName: "TAG"))
    var latest: String?
    @Option(name: .customLong("latest-tag"), help: "The latest version with this tag (the same as --latest TAG).") var latestTag: String?
    @OptionGroup var connection: BrokerConnectionOptions

    func validate() throws {
        if version != nil && (latest != nil || latestTag != nil) { throw ValidationError("give --version or --latest [TAG], not both") }
    }

    func run() async throws {
        let tag = latestTag ?? latest.flatMap { $0.isEmpty ? nil : $0 }
        let client = try connection.client()
        let resource = try await brokerCall { () async throws(BrokerClientError) in
            try await client.describeVersion(pacticipant: pacticipant, version: version, latestTag: tag)
        }
        let json = resource.json
        let number = json["number"]?.stringValue ?? "?"
        let tags = (json["_embedded"]?["tags"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        let branches = (json["_embedded"]?["branchVersions"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        let deployed = resource.links("pb:deployed-environments").compactMap(\.name)
        let row = [number, branches.joined(separator: ", "), tags.joined(separator: ", "), deployed.joined(separator: ", ")]
        connection.emit(json: json,
                        text: ["\(pacticipant) version \(number)"] + zip(["Branches", "Tags", "Deployed to"], row.dropFirst()).map { "\($0): \($1.isEmpty ? "none" : $1)" },
                        table: (["NUMBER", "BRANCHES", "TAGS", "DEPLOYED TO"], [row]))
    }
}

/// `pactctl create-version-tag`.
struct CreateVersionTagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create-version-tag", abstract: "Tag a pacticipant version.")
    @Option(name: [.customShort("a"), .long], help: "The pacticipant.") var pacticipant: String
    @Option(name: [.customShort("e"), .long], help: "The version number.") var version: String
    @Option(name: [.customShort("t"), .long], help: "A tag (repeatable).") var tag: [String]
    @Flag(name: .customLong("auto-create-version"), help: "Create the version when it does not exist.") var autoCreateVersion = false
    @OptionGroup var connection: BrokerConnectionOptions

    func validate() throws {
        guard !tag.isEmpty else { throw ValidationError("give at least one --tag") }
    }

    func run() async throws {
        let client = try connection.client()
        try await brokerCall { () async throws(BrokerClientError) in
            try await client.createVersionTag(pacticipant: pacticipant, version: version, tags: tag, autoCreateVersion: autoCreateVersion)
        }
        connection.emit(json: ["pacticipant": .string(pacticipant), "version": .string(version), "tags": .array(tag.map(JSONValue.string))],
                        text: ["Tagged \(pacticipant) version \(version) with \(tag.joined(separator: ", "))"],
                        table: (["PACTICIPANT", "VERSION", "TAG"], tag.map { [pacticipant, version, $0] }))
    }
}

/// `pactctl list-latest-pact-versions`.
struct ListLatestPactVersionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list-latest-pact-versions", abstract: "List the latest pact of every integration.")
    @OptionGroup var connection: BrokerConnectionOptions

    func run() async throws {
        let client = try connection.client()
        let (versions, document) = try await brokerCall { () async throws(BrokerClientError) in try await client.latestPactVersions() }
        let header = ["CONSUMER", "CONSUMER_VERSION", "PROVIDER", "CREATED_AT"]
        let rows = versions.map { [$0.consumer, $0.consumerVersion, $0.provider, $0.createdAt] }
        connection.emit(json: document,
                        text: versions.isEmpty ? ["The broker holds no pacts yet; publish some with `pactctl publish`"] : tableLines(header, rows),
                        table: (header, rows))
    }
}
