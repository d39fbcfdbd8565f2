import Foundation
import PactHTTP
import PactModel
import Testing

/// `create-or-update-pacticipant`, `describe-environment`, `list-latest-pact-versions`, `create-or-update-webhook`,
/// can-i-deploy's order-sensitive selectors, output formats and retries, against a `pactctl broker` process.
@Suite struct BrokerAdministrationCommandTests {
    /// Fetches a broker resource as JSON, to see what a command stored.
    static func fetch(_ url: String) async throws -> (status: Int, json: JSONValue?) {
        let client = HTTPClient(configuration: HTTPClientConfiguration(requestTimeout: .seconds(10), connectTimeout: .seconds(5)))
        defer { client.shutdown() }
        let response = try await client.send(HTTPClientRequest(url: url, headers: [("Accept", "application/hal+json")]))
        return (response.status, try? JSONParser.parse(response.body))
    }

    static func json(_ text: String) throws -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    @Test func pacticipantsAreCreatedThenUpdatedKeepingWhatIsNotGiven() async throws {
        let (broker, folder) = try BrokerClientCommandTests.startBroker()
        defer { broker.stop(); try? FileManager.default.removeItem(at: folder) }
        let base = ["--broker-base-url", broker.url]

        let created = try await PactctlCommandTests.runAsync(["create-or-update-pacticipant", "--name", "Ledger", "--main-branch", "trunk",
                                                              "--repository-url", "https://git.example/ledger"] + base)
        #expect(created.status == 0 && created.output.contains("Created pacticipant Ledger"), "\(created.output)\(created.error)")
        let updated = try await PactctlCommandTests.runAsync(["create-or-update-pacticipant", "--name", "Ledger", "--display-name", "The Ledger",
                                                              "-o", "table"] + base)
        #expect(updated.status == 0, "\(updated.error)")
        #expect(updated.output.contains("NAME") && updated.output.contains("The Ledger") && updated.output.contains("trunk"), "\(updated.output)")

        let stored = try await Self.fetch(broker.url + "/pacticipants/Ledger")
        #expect(stored.json?["displayName"]?.stringValue == "The Ledger")
        #expect(stored.json?["mainBranch"]?.stringValue == "trunk", "an update leaves the attributes it was not given")
        #expect(stored.json?["repositoryUrl"]?.stringValue == "https://git.example/ledger")

        let empty = try await PactctlCommandTests.runAsync(["create-or-update-pacticipant", "--name", " "] + base)
        #expect(empty.status == 2 && empty.error.contains("--name cannot be empty"))
    }

    @Test func environmentsAreDescribedByUUIDOrName() async throws {
        let (broker, folder) = try BrokerClientCommandTests.startBroker()
        defer { broker.stop(); try? FileManager.default.removeItem(at: folder) }
        let base = ["--broker-base-url", broker.url]

        let created = try await PactctlCommandTests.runAsync(["create-environment", "--name", "staging", "--display-name", "Staging", "-o", "json"] + base)
        #expect(created.status == 0, "\(created.error)")
        let uuid = try #require(try Self.json(created.output)["uuid"]?.stringValue)

        let byUUID = try await PactctlCommandTests.runAsync(["describe-environment", "--uuid", uuid] + base)
        #expect(byUUID.status == 0, "\(byUUID.error)")
        #expect(byUUID.output.contains("Name: staging") && byUUID.output.contains("Production: false") && byUUID.output.contains(uuid), "\(byUUID.output)")
        let byName = try await PactctlCommandTests.runAsync(["describe-environment", "--uuid", "staging", "-o", "json"] + base)
        #expect(try Self.json(byName.output)["uuid"]?.stringValue == uuid)
        let table = try await PactctlCommandTests.runAsync(["describe-environment", "--uuid", uuid, "-o", "table"] + base)
        #expect(table.output.hasPrefix("UUID") && table.output.contains("| staging"), "\(table.output)")

        let missing = try await PactctlCommandTests.runAsync(["describe-environment", "--uuid", "no-such-environment"] + base)
        #expect(missing.status == 1)
        #expect(missing.error.contains("no environment with uuid or name 'no-such-environment'"), "\(missing.error)")
    }

    @Test func theLatestPactOfEachIntegrationIsListed() async throws {
        let (broker, folder) = try BrokerClientCommandTests.startBroker()
        defer { broker.stop(); try? FileManager.default.removeItem(at: folder) }
        let base = ["--broker-base-url", broker.url]
        let contract = PactctlCommandTests.packageRoot.appendingPathComponent("Contracts/BankingApp-BankingAPI.json").path

        let none = try await PactctlCommandTests.runAsync(["list-latest-pact-versions"] + base)
        #expect(none.status == 0 && none.output.contains("no pacts yet"), "\(none.output)")

        for version in ["1.0.0", "1.1.0"] {
            let publish = try await PactctlCommandTests.runAsync(["publish", contract, "--consumer-app-version", version, "--branch", "main"] + base)
            #expect(publish.status == 0, "\(publish.error)")
        }
        let table = try await PactctlCommandTests.runAsync(["list-latest-pact-versions", "-o", "table"] + base)
        let lines = table.output.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("CONSUMER") == true, "\(table.output)")
        #expect(lines.count == 3, "a header, a rule and one row per integration: \(table.output)")
        #expect(lines.last?.contains("BankingApp") == true && lines.last?.contains("1.1.0") == true && lines.last?.contains("BankingAPI") == true)

        let json = try await PactctlCommandTests.runAsync(["list-latest-pact-versions", "-o", "json"] + base)
        let pacts = try #require(try Self.json(json.output)["pacts"]?.arrayValue)
        #expect(pacts.count == 1)
        #expect(pacts.first?["_embedded"]?["consumer"]?["_embedded"]?["version"]?["number"]?.stringValue == "1.1.0")
    }

    @Test func webhooksAreCreatedAndReplacedByUUID() async throws {
        let (broker, folder) = try BrokerClientCommandTests.startBroker()
        defer { broker.stop(); try? FileManager.default.removeItem(at: folder) }
        let base = ["--broker-base-url", broker.url]
        let payload = folder.appendingPathComponent("payload.json")
        try #"{"pact": "${pactbroker.pactUrl}"}"#.write(to: payload, atomically: true, encoding: .utf8)
        let unknownProvider = try await PactctlCommandTests.runAsync(["create-or-update-webhook", "https://ci.example.com/build", "--provider", "BankingAPI",
                                                                      "--contract-published"] + base)
        #expect(unknownProvider.status == 1 && unknownProvider.error.contains("no pacticipant named 'BankingAPI'"), "\(unknownProvider.error)")
        #expect(try await PactctlCommandTests.runAsync(["create-or-update-pacticipant", "--name", "BankingAPI"] + base).status == 0)

        let created = try await PactctlCommandTests.runAsync(["create-or-update-webhook", "https://ci.example.com/build", "--request", "post",
                                                              "-H", "Content-Type: application/json", "-d", "@" + payload.path,
                                                              "--provider", "BankingAPI", "--description", "Build the provider",
                                                              "--contract-requiring-verification-published", "--provider-verification-failed"] + base)
        #expect(created.status == 0 && created.output.contains("Created webhook"), "\(created.output)\(created.error)")
        let list = try await Self.fetch(broker.url + "/webhooks")
        let link = try #require(list.json?["_links"]?["pb:webhooks"]?.arrayValue?.first?["href"]?.stringValue)
        let stored = try #require(try await Self.fetch(link).json)
        #expect(stored["request"]?["method"]?.stringValue == "POST")
        #expect(stored["request"]?["url"]?.stringValue == "https://ci.example.com/build")
        #expect(stored["request"]?["body"]?["pact"]?.stringValue == "${pactbroker.pactUrl}", "--data @FILE sends the file's JSON")
        #expect(stored["request"]?["headers"]?["Content-Type"]?.stringValue == "application/json")
        #expect(stored["provider"]?["name"]?.stringValue == "BankingAPI")
        #expect(stored["events"]?.arrayValue?.compactMap { $0["name"]?.stringValue }.sorted()
                == ["contract_requiring_verification_published", "provider_verification_failed"])

        let uuid = "build-hook-0000000001"
        for url in ["https://ci.example.com/one", "https://ci.example.com/two"] {
            let saved = try await PactctlCommandTests.runAsync(["create-or-update-webhook", url, "--uuid", uuid, "--contract-published", "-o", "json"] + base)
            #expect(saved.status == 0, "\(saved.error)")
        }
        let replaced = try await Self.fetch(broker.url + "/webhooks/" + uuid)
        #expect(replaced.json?["request"]?["url"]?.stringValue == "https://ci.example.com/two")
        #expect(try await Self.fetch(broker.url + "/webhooks").json?["_links"]?["pb:webhooks"]?.arrayValue?.count == 2)

        let byLabel = try await PactctlCommandTests.runAsync(["create-or-update-webhook", "https://ci.example.com/team", "--uuid", "team-payments-hook-0001",
                                                              "--consumer-label", "payments", "--contract-published"] + base)
        #expect(byLabel.status == 0, "\(byLabel.error)")
        #expect(try await Self.fetch(broker.url + "/webhooks/team-payments-hook-0001").json?["consumer"]?["label"]?.stringValue == "payments")

        let noEvent = try await PactctlCommandTests.runAsync(["create-or-update-webhook", "https://ci.example.com/x"] + base)
        #expect(noEvent.status == 2 && noEvent.error.contains("give at least one event"))
        let badHeader = try await PactctlCommandTests.runAsync(["create-or-update-webhook", "https://ci.example.com/x", "-H", "no colon",
                                                                "--contract-published"] + base)
        #expect(badHeader.status == 2 && badHeader.error.contains("'Name: Value'"))
        let refused = try await PactctlCommandTests.runAsync(["create-or-update-webhook", "not a url", "--contract-published"] + base)
        #expect(refused.status == 1 && refused.error.contains("400"), "the broker's refusal is reported: \(refused.error)")
    }
}

extension BrokerAdministrationCommandTests {
    @Test func canIDeployAttachesEachVersionOptionToThePacticipantBeforeIt() async throws {
        let (broker, folder) = try BrokerClientCommandTests.startBroker()
        defer { broker.stop(); try? FileManager.default.removeItem(at: folder) }
        let base = ["--broker-base-url", broker.url]
        let contract = PactctlCommandTests.packageRoot.appendingPathComponent("Contracts/BankingApp-BankingAPI.json").path
        let provider = try OfficialCLIInteropTests.Server(["mock", "--pact", contract, "--port", "0", "--quiet"], marker: "Mock server listening on")
        defer { provider.stop() }

        #expect(try await PactctlCommandTests.runAsync(["publish", contract, "--consumer-app-version", "1.0.0", "--branch", "main"] + base).status == 0)
        #expect(try await PactctlCommandTests.runAsync(["create-version-tag", "-a", "BankingApp", "-e", "1.0.0", "-t", "prod"] + base).status == 0)
        let verify = try await PactctlCommandTests.runAsync(["verify", "--provider-url", provider.url, "--broker-url", broker.url, "--provider", "BankingAPI",
                                                             "--publish", "--provider-app-version", "p1", "--provider-branch", "main"])
        #expect(verify.status == 0, "\(verify.output)\(verify.error)")

        let pair = try await PactctlCommandTests.runAsync(["can-i-deploy", "--pacticipant", "BankingApp", "--version", "1.0.0",
                                                           "--pacticipant", "BankingAPI", "--latest"] + base)
        #expect(pair.status == 0 && pair.output.contains("Computer says yes"), "\(pair.output)\(pair.error)")
        let tagged = try await PactctlCommandTests.runAsync(["can-i-deploy", "--pacticipant", "BankingApp", "--latest", "prod",
                                                             "--pacticipant", "BankingAPI", "--branch", "main", "-o", "json"] + base)
        #expect(tagged.status == 0, "\(tagged.output)\(tagged.error)")
        #expect(try Self.json(tagged.output)["summary"]?["deployable"]?.boolValue == true)
        let otherProvider = try await PactctlCommandTests.runAsync(["can-i-deploy", "--pacticipant", "BankingApp", "--version", "1.0.0",
                                                                    "--pacticipant", "BankingAPI", "--version", "p2"] + base)
        #expect(otherProvider.status == 1, "p2 was never verified: \(otherProvider.output)")
        let untagged = try await PactctlCommandTests.runAsync(["can-i-deploy", "-a", "BankingApp", "-l", "--to", "prod", "-o", "table"] + base)
        #expect(untagged.output.contains("CONSUMER") && untagged.output.contains("1.0.0"), "\(untagged.output)\(untagged.error)")

        let orphan = try await PactctlCommandTests.runAsync(["can-i-deploy", "--version", "1.0.0", "--pacticipant", "BankingApp"] + base)
        #expect(orphan.status == 2 && orphan.error.contains("--version must come after the --pacticipant"), "\(orphan.error)")
        let twoWays = try await PactctlCommandTests.runAsync(["can-i-deploy", "--pacticipant", "BankingApp", "--version", "1.0.0", "--latest"] + base)
        #expect(twoWays.status == 2 && twoWays.error.contains("only one of"), "\(twoWays.error)")
        let noVersion = try await PactctlCommandTests.runAsync(["can-i-deploy", "--pacticipant", "BankingApp", "--pacticipant", "BankingAPI", "--latest"] + base)
        #expect(noVersion.status == 2 && noVersion.error.contains("after --pacticipant BankingApp"), "\(noVersion.error)")

        let described = try await PactctlCommandTests.runAsync(["describe-version", "-a", "BankingApp", "--latest", "prod"] + base)
        #expect(described.status == 0 && described.output.contains("BankingApp version 1.0.0") && described.output.contains("Tags: prod"), "\(described.output)")
        let latest = try await PactctlCommandTests.runAsync(["describe-version", "-a", "BankingApp", "-l", "-o", "table"] + base)
        #expect(latest.status == 0 && latest.output.contains("NUMBER") && latest.output.contains("1.0.0"), "\(latest.output)\(latest.error)")
    }

    @Test func everyBrokerCommandRejectsAnUnknownOutputFormat() async throws {
        for command in [["list-environments"], ["list-latest-pact-versions"], ["describe-environment", "--uuid", "x"],
                        ["create-or-update-pacticipant", "--name", "X"], ["record-deployment", "-a", "X", "-e", "1", "--environment", "e"]] {
            let result = try await PactctlCommandTests.runAsync(command + ["--broker-base-url", "http://127.0.0.1:9", "--output", "xml"])
            #expect(result.status == 2, "\(command)")
            #expect(result.error.contains("xml"), "\(command): \(result.error)")
        }
    }

    @Test func retriesAreConfigurableAndAnInvalidCountIsAUsageError() async throws {
        // Nothing listens on port 9: with no retries the command fails at once and names the URL.
        let started = Date()
        let fast = try await PactctlCommandTests.runAsync(["list-environments", "--broker-base-url", "http://127.0.0.1:9", "--retries", "0"])
        #expect(fast.status == 1 && fast.error.contains("http://127.0.0.1:9"), "\(fast.error)")
        #expect(Date().timeIntervalSince(started) < 20, "no retries means no backoff waits")

        let negative = try await PactctlCommandTests.runAsync(["list-environments", "--broker-base-url", "http://127.0.0.1:9", "--retries", "-1"])
        #expect(negative.status == 2 && negative.error.contains("retries"), "\(negative.error)")
        let fromEnvironment = try await PactctlCommandTests.runAsync(["list-environments", "--broker-base-url", "http://127.0.0.1:9"],
                                                                     environment: ["PACT_BROKER_HTTP_RETRIES": "many"])
        #expect(fromEnvironment.status == 2 && fromEnvironment.error.contains("PACT_BROKER_HTTP_RETRIES"), "\(fromEnvironment.error)")
    }
}
