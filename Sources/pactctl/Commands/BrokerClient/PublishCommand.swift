import ArgumentParser
import Foundation
import PactBrokerClient
import PactModel

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

    func run() async throws {
        var pacts: [PactToPublish] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw CLIFailure.invalid("\(path): no such file or folder") }
            let files: [String]
            if isDirectory.boolValue {
                files = try PactFiles.inFolder(path)
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
        connection.emit(
            json: .array(outcomes.map(\.response)),
            text: outcomes.flatMap { outcome in
                ["Published the pact between \(outcome.consumer) (\(consumerAppVersion)) and \(outcome.provider)"]
                    + outcome.notices.filter { $0.type != "debug" }.map { "  \($0.text)" }
            },
            table: (["CONSUMER", "VERSION", "PROVIDER", "BRANCH", "TAGS"],
                    outcomes.map { [$0.consumer, consumerAppVersion, $0.provider, branch ?? "", tags.joined(separator: ", ")] }))
    }
}
