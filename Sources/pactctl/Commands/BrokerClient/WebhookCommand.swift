import ArgumentParser
import Foundation
import PactBrokerClient
import PactModel

/// `pactctl create-or-update-webhook`: flags as in the official `pact broker create-or-update-webhook`.
struct CreateOrUpdateWebhookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-or-update-webhook",
        abstract: "Create a webhook, or replace the one with --uuid.",
        discussion: """
            Give at least one event flag. Without --consumer or --provider the webhook fires for every pacticipant.
            The URL, headers and body may use the broker's ${pactbroker.*} parameters, for example:
              pactctl create-or-update-webhook 'https://ci.example.com/build?pact=${pactbroker.pactUrl}' \\
                --request POST --provider API --contract-requiring-verification-published
            """
    )

    @Argument(help: "The URL the webhook calls.") var url: String
    @Option(name: .long, help: "The webhook's uuid: creates it with this uuid, or replaces the existing one.") var uuid: String?
    @Option(name: [.customShort("X"), .customLong("request")], help: "The HTTP method (default POST).") var method = "POST"
    @Option(name: [.customShort("H"), .long], help: "A header 'Name: Value' (repeatable).") var header: [String] = []
    @Option(name: [.customShort("d"), .long], help: "The body: JSON or text, or @FILE to read it from a file.") var data: String?
    @Option(name: .long, help: "Basic auth for the call, as USER:PASSWORD.") var user: String?
    @Option(name: .long, help: "Only for this consumer.") var consumer: String?
    @Option(name: .customLong("consumer-label"), help: "Only for consumers with this label.") var consumerLabel: String?
    @Option(name: .long, help: "Only for this provider.") var provider: String?
    @Option(name: .customLong("provider-label"), help: "Only for providers with this label.") var providerLabel: String?
    @Option(name: .long, help: "A description.") var description: String?
    @Flag(name: .customLong("contract-content-changed"), help: "Fire when a pact's content changes.") var contractContentChanged = false
    @Flag(name: .customLong("contract-published"), help: "Fire when a pact is published.") var contractPublished = false
    @Flag(name: .customLong("provider-verification-published"), help: "Fire when a verification result is published.") var verificationPublished = false
    @Flag(name: .customLong("provider-verification-failed"), help: "Fire when a failed verification result is published.") var verificationFailed = false
    @Flag(name: .customLong("provider-verification-succeeded"), help: "Fire when a successful verification result is published.")
    var verificationSucceeded = false
    @Flag(name: .customLong("contract-requiring-verification-published"), help: "Fire when a pact that needs verifying is published.")
    var contractRequiringVerificationPublished = false
    @OptionGroup var connection: BrokerConnectionOptions

    var events: [String] {
        [(contractContentChanged, "contract_content_changed"), (contractPublished, "contract_published"),
         (verificationPublished, "provider_verification_published"), (verificationFailed, "provider_verification_failed"),
         (verificationSucceeded, "provider_verification_succeeded"),
         (contractRequiringVerificationPublished, "contract_requiring_verification_published")].filter(\.0).map(\.1)
    }

    func validate() throws {
        if events.isEmpty {
            throw ValidationError("give at least one event: --contract-content-changed, --contract-published, --provider-verification-published, --provider-verification-failed, --provider-verification-succeeded or --contract-requiring-verification-published")
        }
        if consumer != nil && consumerLabel != nil { throw ValidationError("give --consumer or --consumer-label, not both") }
        if provider != nil && providerLabel != nil { throw ValidationError("give --provider or --provider-label, not both") }
        for line in header where Self.splitHeader(line) == nil {
            throw ValidationError("--header '\(line)' is not of the form 'Name: Value'")
        }
        if let user, !user.contains(":") { throw ValidationError("--user must be USER:PASSWORD") }
    }

    static func splitHeader(_ line: String) -> (name: String, value: String)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return nil }
        return (name, line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    func run() async throws {
        var body: JSONValue?
        if var text = data {
            if text.hasPrefix("@") {
                let path = String(text.dropFirst())
                guard let contents = FileManager.default.contents(atPath: path), let decoded = String(data: contents, encoding: .utf8) else {
                    throw CLIFailure.invalid("--data @\(path): the file cannot be read as UTF-8 text")
                }
                text = decoded
            }
            body = (try? JSONParser.parse(Array(text.utf8))) ?? .string(text)
        }
        let credentials = user.map { $0.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init) }
        let webhook = WebhookDefinition(url: url, method: method, headers: header.compactMap(Self.splitHeader), body: body,
                                        username: credentials?.first, password: credentials.flatMap { $0.count > 1 ? $0[1] : nil },
                                        consumer: consumer, consumerLabel: consumerLabel, provider: provider, providerLabel: providerLabel,
                                        description: description, events: events)
        let client = try connection.client()
        let result = try await brokerCall { () async throws(BrokerClientError) in try await client.createOrUpdateWebhook(webhook, uuid: uuid) }
        let json = result.json
        let savedUUID = json["uuid"]?.stringValue ?? uuid ?? json["_links"]?["self"]?["href"]?.stringValue?.split(separator: "/").last.map(String.init) ?? "?"
        connection.emit(json: json,
                        text: ["\(uuid == nil ? "Created" : "Saved") webhook \(savedUUID) (\(events.joined(separator: ", ")))"],
                        table: (["UUID", "METHOD", "URL", "EVENTS"], [[savedUUID, method.uppercased(), url, events.joined(separator: ", ")]]))
    }
}
