import ArgumentParser
import Foundation
import PactBrokerClient
import PactModel

/// The columns an environment shows in a table.
private func environmentRow(_ environment: JSONValue) -> [String] {
    [environment["uuid"]?.stringValue ?? "", environment["name"]?.stringValue ?? "", environment["displayName"]?.stringValue ?? "",
     environment["production"]?.boolValue == true ? "true" : "false"]
}

private let environmentHeader = ["UUID", "NAME", "DISPLAY NAME", "PRODUCTION"]

/// `pactctl create-environment`.
struct CreateEnvironmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create-environment", abstract: "Create an environment on the broker.")
    @Option(name: .long, help: "The environment's name, as record-deployment and can-i-deploy will use it.") var name: String
    @Option(name: .customLong("display-name"), help: "A name for people.") var displayName: String?
    @Flag(name: .long, help: "It is a production environment.") var production = false
    @OptionGroup var connection: BrokerConnectionOptions

    func run() async throws {
        let client = try connection.client()
        let result = try await brokerCall { () async throws(BrokerClientError) in
            try await client.createEnvironment(name: name, displayName: displayName, production: production)
        }
        connection.emit(json: result.json,
                        text: ["Created environment \(name) with uuid \(result.json["uuid"]?.stringValue ?? "?")"],
                        table: (environmentHeader, [environmentRow(result.json)]))
    }
}

/// `pactctl list-environments`.
struct ListEnvironmentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list-environments", abstract: "List the broker's environments.")
    @OptionGroup var connection: BrokerConnectionOptions

    func run() async throws {
        let client = try connection.client()
        let environments = try await brokerCall { () async throws(BrokerClientError) in try await client.environments() }
        // A list reads best as a table, so text and table agree here.
        connection.emit(json: .array(environments),
                        text: environments.isEmpty ? ["The broker has no environments; create one with `pactctl create-environment --name NAME`"]
                            : tableLines(environmentHeader, environments.map(environmentRow)),
                        table: (environmentHeader, environments.map(environmentRow)))
    }
}

/// `pactctl describe-environment`.
struct DescribeEnvironmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "describe-environment", abstract: "Show one environment.")
    @Option(name: .long, help: "The environment's uuid (its name works too).") var uuid: String
    @OptionGroup var connection: BrokerConnectionOptions

    func run() async throws {
        let client = try connection.client()
        let environment = try await brokerCall { () async throws(BrokerClientError) in try await client.describeEnvironment(uuid) }
        let json = environment.json
        connection.emit(json: json,
                        text: ["Name: \(json["name"]?.stringValue ?? "?")",
                               "Display name: \(json["displayName"]?.stringValue ?? "")",
                               "UUID: \(json["uuid"]?.stringValue ?? "?")",
                               "Production: \(json["production"]?.boolValue == true ? "true" : "false")",
                               "Created: \(json["createdAt"]?.stringValue ?? "")"],
                        table: (environmentHeader, [environmentRow(json)]))
    }
}
