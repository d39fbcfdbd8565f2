import ArgumentParser
import Foundation
import PactBrokerClient
import PactModel

/// `pactctl record-deployment`.
struct RecordDeploymentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "record-deployment",
                                                    abstract: "Record that a version is deployed to an environment (it replaces the previous one there).")
    @Option(name: [.customShort("a"), .long], help: "The pacticipant that was deployed.") var pacticipant: String
    @Option(name: [.customShort("e"), .long], help: "Its version.") var version: String
    @Option(name: .long, help: "The environment's name.") var environment: String
    @Option(name: .customLong("application-instance"), help: "For several instances of one application in an environment.")
    var applicationInstance: String?
    @OptionGroup var connection: BrokerConnectionOptions

    func run() async throws {
        let client = try connection.client()
        let result = try await brokerCall { () async throws(BrokerClientError) in
            try await client.recordDeployment(pacticipant: pacticipant, version: version, environment: environment, applicationInstance: applicationInstance)
        }
        connection.emit(
            json: result.json,
            text: ["Recorded deployment of \(pacticipant) version \(version) to \(environment)" + (applicationInstance.map { " (instance \($0))" } ?? "")],
            table: (["PACTICIPANT", "VERSION", "ENVIRONMENT", "INSTANCE"], [[pacticipant, version, environment, applicationInstance ?? ""]]))
    }
}

/// `pactctl record-undeployment`.
struct RecordUndeploymentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "record-undeployment", abstract: "Record that a pacticipant is no longer deployed to an environment.")
    @Option(name: [.customShort("a"), .long], help: "The pacticipant that was undeployed.") var pacticipant: String
    @Option(name: .long, help: "The environment's name.") var environment: String
    @Option(name: .customLong("application-instance"), help: "Only the deployment of this application instance.") var applicationInstance: String?
    @OptionGroup var connection: BrokerConnectionOptions

    func run() async throws {
        let client = try connection.client()
        let count = try await brokerCall { () async throws(BrokerClientError) in
            try await client.recordUndeployment(pacticipant: pacticipant, environment: environment, applicationInstance: applicationInstance)
        }
        connection.emit(
            json: ["undeployed": .number(JSONNumber(count))],
            text: ["Recorded undeployment of \(pacticipant) from \(environment)"],
            table: (["PACTICIPANT", "ENVIRONMENT", "INSTANCE", "UNDEPLOYED"], [[pacticipant, environment, applicationInstance ?? "", String(count)]]))
    }
}

/// `pactctl record-release`.
struct RecordReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "record-release",
                                                    abstract: "Record that a version is released to an environment (earlier releases stay supported).")
    @Option(name: [.customShort("a"), .long], help: "The pacticipant that was released.") var pacticipant: String
    @Option(name: [.customShort("e"), .long], help: "Its version.") var version: String
    @Option(name: .long, help: "The environment's name.") var environment: String
    @OptionGroup var connection: BrokerConnectionOptions

    func run() async throws {
        let client = try connection.client()
        let result = try await brokerCall { () async throws(BrokerClientError) in
            try await client.recordRelease(pacticipant: pacticipant, version: version, environment: environment)
        }
        connection.emit(
            json: result.json,
            text: ["Recorded release of \(pacticipant) version \(version) to \(environment)"],
            table: (["PACTICIPANT", "VERSION", "ENVIRONMENT"], [[pacticipant, version, environment]]))
    }
}

/// `pactctl record-support-ended`.
struct RecordSupportEndedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "record-support-ended", abstract: "Record that a released version is no longer supported in an environment.")
    @Option(name: [.customShort("a"), .long], help: "The pacticipant.") var pacticipant: String
    @Option(name: [.customShort("e"), .long], help: "The released version.") var version: String
    @Option(name: .long, help: "The environment's name.") var environment: String
    @OptionGroup var connection: BrokerConnectionOptions

    func run() async throws {
        let client = try connection.client()
        try await brokerCall { () async throws(BrokerClientError) in
            try await client.recordSupportEnded(pacticipant: pacticipant, version: version, environment: environment)
        }
        connection.emit(
            json: ["supportEnded": true],
            text: ["Recorded the end of support for \(pacticipant) version \(version) in \(environment)"],
            table: (["PACTICIPANT", "VERSION", "ENVIRONMENT", "SUPPORTED"], [[pacticipant, version, environment, "false"]]))
    }
}
