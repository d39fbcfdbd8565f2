import Foundation
import Testing

/// `pactctl publish`, `can-i-deploy`, `record-deployment`, `record-release`, `create-environment` and
/// `list-environments` against a `pactctl broker` process.
@Suite struct BrokerClientCommandTests {
    /// A `pactctl broker` on a scratch SQLite file; the caller stops it and removes the folder.
    static func startBroker() throws -> (OfficialCLIInteropTests.Server, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-client-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let broker = try OfficialCLIInteropTests.Server(["broker", "--port", "0", "--database", "sqlite:" + folder.appendingPathComponent("b.sqlite").path],
                                                        marker: "Broker listening on")
        return (broker, folder)
    }

    @Test func theClientCommandsWorkAgainstTheBroker() async throws {
        let (broker, folder) = try Self.startBroker()
        defer { broker.stop(); try? FileManager.default.removeItem(at: folder) }
        let base = ["--broker-base-url", broker.url]
        let contracts = PactctlCommandTests.packageRoot.appendingPathComponent("Contracts").path

        let publish = try await PactctlCommandTests.runAsync(["publish", contracts, "--consumer-app-version", "1.0.0", "--branch", "main", "--tag", "dev,qa"] + base)
        #expect(publish.status == 0, "\(publish.error)")
        #expect(publish.output.contains("Published the pact between BankingApp (1.0.0) and BankingAPI"))
        #expect(publish.error.contains("BankingApp-BankingAPI.scenarios.json: not a pact"), "the scenario file beside the pact is left out: \(publish.error)")

        let environment = try await PactctlCommandTests.runAsync(["create-environment", "--name", "production", "--production"] + base)
        #expect(environment.status == 0 && environment.output.contains("Created environment production"), "\(environment.error)")
        let list = try await PactctlCommandTests.runAsync(["list-environments", "--output", "json"] + base)
        #expect(list.output.contains("\"name\" : \"production\"") || list.output.contains("\"name\": \"production\""), "\(list.output)")

        let unknown = try await PactctlCommandTests.runAsync(["can-i-deploy", "--pacticipant", "BankingApp", "--version", "1.0.0", "--to-environment", "production"] + base)
        #expect(unknown.status == 1)
        #expect(unknown.output.contains("no verified pact") && unknown.output.contains("Computer says no"), "\(unknown.output)")
        let dryRun = try await PactctlCommandTests.runAsync(["can-i-deploy", "--pacticipant", "BankingApp", "--version", "1.0.0", "--to-environment", "production", "--dry-run"] + base)
        #expect(dryRun.status == 0)
        let ignoring = try await PactctlCommandTests.runAsync(["can-i-deploy", "--pacticipant", "BankingApp", "--version", "1.0.0", "--to-environment", "production",
                                                    "--ignore", "BankingAPI"] + base)
        #expect(ignoring.status == 0 && ignoring.output.contains("Computer says yes"), "\(ignoring.output)")
        let json = try await PactctlCommandTests.runAsync(["can-i-deploy", "--pacticipant", "BankingApp", "--version", "1.0.0", "--to-environment", "production", "-o", "json"] + base)
        #expect(json.output.contains("\"deployable\" : null") || json.output.contains("\"deployable\": null"), "\(json.output)")

        let deploy = try await PactctlCommandTests.runAsync(["record-deployment", "--pacticipant", "BankingApp", "--version", "1.0.0", "--environment", "production"] + base)
        #expect(deploy.status == 0 && deploy.output.contains("Recorded deployment of BankingApp version 1.0.0 to production"), "\(deploy.error)")
        let release = try await PactctlCommandTests.runAsync(["record-release", "--pacticipant", "BankingApp", "--version", "1.0.0", "--environment", "production"] + base)
        #expect(release.status == 0, "\(release.error)")
        let noEnvironment = try await PactctlCommandTests.runAsync(["record-deployment", "--pacticipant", "BankingApp", "--version", "1.0.0", "--environment", "staging"] + base)
        #expect(noEnvironment.status == 1 && noEnvironment.error.contains("no environment named 'staging'"))
    }

    @Test func aMissingBrokerURLIsAUsageError() async throws {
        let result = try await PactctlCommandTests.runAsync(["list-environments"])
        if ProcessInfo.processInfo.environment["PACT_BROKER_BASE_URL"] == nil {
            #expect(result.status == 2)
            #expect(result.error.contains("PACT_BROKER_BASE_URL"))
        }
    }
}

extension BrokerClientCommandTests {
    @Test func verifyFetchesFromTheBrokerHonoursPendingAndPublishes() async throws {
        let (broker, folder) = try Self.startBroker()
        defer { broker.stop(); try? FileManager.default.removeItem(at: folder) }
        let contract = PactctlCommandTests.packageRoot.appendingPathComponent("Contracts/BankingApp-BankingAPI.json").path
        // A stand-in that answers every interaction correctly, and one that answers none of them.
        let good = try OfficialCLIInteropTests.Server(["mock", "--pact", contract, "--port", "0", "--quiet"], marker: "Mock server listening on")
        defer { good.stop() }
        let bad = try OfficialCLIInteropTests.Server(["mock", "--pact", PactctlCommandTests.bankingPact, "--port", "0", "--quiet"], marker: "Mock server listening on")
        defer { bad.stop() }
        let base = ["--broker-url", broker.url, "--provider", "BankingAPI"]

        #expect(try await PactctlCommandTests.runAsync(["publish", contract, "--consumer-app-version", "1.0.0", "--branch", "main", "--broker-base-url", broker.url]).status == 0)
        #expect(try await PactctlCommandTests.runAsync(["create-environment", "--name", "production", "--broker-base-url", broker.url]).status == 0)

        // Never verified, so pending: the broken provider's failures are reported but do not fail the run.
        let pending = try await PactctlCommandTests.runAsync(["verify", "--provider-url", bad.url, "--consumer-version-selectors", #"{"mainBranch": true}"#,
                                                   "--enable-pending", "--provider-branch", "main"] + base)
        #expect(pending.status == 0, "\(pending.output)\(pending.error)")
        #expect(pending.output.contains("pending"))
        // Without pending status the same failures fail the run.
        let strict = try await PactctlCommandTests.runAsync(["verify", "--provider-url", bad.url, "--consumer-version-selectors", #"{"mainBranch": true}"#] + base)
        #expect(strict.status == 1)

        let verified = try await PactctlCommandTests.runAsync(["verify", "--provider-url", good.url, "--consumer-version-selectors", #"{"mainBranch": true}"#,
                                                    "--enable-pending", "--publish", "--provider-app-version", "p1", "--provider-branch", "main"] + base)
        #expect(verified.status == 0, "\(verified.output)\(verified.error)")
        #expect(verified.output.contains("Published the results for BankingApp"))
        #expect(verified.output.contains("no longer in pending state"), "the broker's after-verification notice is printed")

        #expect(try await PactctlCommandTests.runAsync(["record-deployment", "--pacticipant", "BankingAPI", "--version", "p1", "--environment", "production",
                                             "--broker-base-url", broker.url]).status == 0)
        let decision = try await PactctlCommandTests.runAsync(["can-i-deploy", "--pacticipant", "BankingApp", "--version", "1.0.0", "--to-environment", "production",
                                                    "--broker-base-url", broker.url])
        #expect(decision.status == 0 && decision.output.contains("Computer says yes"), "\(decision.output)")

        let usage = try await PactctlCommandTests.runAsync(["verify", "--provider-url", good.url, "--broker-url", broker.url])
        #expect(usage.status == 2 && usage.error.contains("--provider"))
    }
}

extension BrokerClientCommandTests {
    @Test func undeploymentSupportEndedDescribeVersionAndTags() async throws {
        let (broker, folder) = try Self.startBroker()
        defer { broker.stop(); try? FileManager.default.removeItem(at: folder) }
        let base = ["--broker-base-url", broker.url]
        let contracts = PactctlCommandTests.packageRoot.appendingPathComponent("Contracts").path
        #expect(try await PactctlCommandTests.runAsync(["publish", contracts, "--consumer-app-version", "1.0.0", "--branch", "main"] + base).status == 0)
        #expect(try await PactctlCommandTests.runAsync(["create-environment", "--name", "production"] + base).status == 0)

        let tag = try await PactctlCommandTests.runAsync(["create-version-tag", "--pacticipant", "BankingApp", "--version", "1.0.0", "--tag", "prod"] + base)
        #expect(tag.status == 0, "\(tag.error)")
        #expect(try await PactctlCommandTests.runAsync(["create-version-tag", "--pacticipant", "BankingApp", "--version", "9.9.9", "--tag", "x"] + base).status == 1)
        #expect(try await PactctlCommandTests.runAsync(["create-version-tag", "--pacticipant", "BankingApp", "--version", "2.0.0", "--tag", "x",
                                                        "--auto-create-version"] + base).status == 0)

        #expect(try await PactctlCommandTests.runAsync(["record-deployment", "--pacticipant", "BankingApp", "--version", "1.0.0", "--environment", "production"] + base).status == 0)
        let described = try await PactctlCommandTests.runAsync(["describe-version", "--pacticipant", "BankingApp", "--version", "1.0.0"] + base)
        #expect(described.status == 0 && described.output.contains("prod") && described.output.contains("main") && described.output.contains("production"),
                "\(described.output)")
        let latestProd = try await PactctlCommandTests.runAsync(["describe-version", "--pacticipant", "BankingApp", "--latest-tag", "prod", "-o", "json"] + base)
        #expect(latestProd.output.contains("\"1.0.0\""), "\(latestProd.output)")

        let undeploy = try await PactctlCommandTests.runAsync(["record-undeployment", "--pacticipant", "BankingApp", "--environment", "production"] + base)
        #expect(undeploy.status == 0, "\(undeploy.error)")
        let again = try await PactctlCommandTests.runAsync(["record-undeployment", "--pacticipant", "BankingApp", "--environment", "production"] + base)
        #expect(again.status == 1 && again.error.contains("not currently deployed"))

        #expect(try await PactctlCommandTests.runAsync(["record-release", "--pacticipant", "BankingApp", "--version", "1.0.0", "--environment", "production"] + base).status == 0)
        let ended = try await PactctlCommandTests.runAsync(["record-support-ended", "--pacticipant", "BankingApp", "--version", "1.0.0", "--environment", "production"] + base)
        #expect(ended.status == 0, "\(ended.error)")
        let endedAgain = try await PactctlCommandTests.runAsync(["record-support-ended", "--pacticipant", "BankingApp", "--version", "1.0.0", "--environment", "production"] + base)
        #expect(endedAgain.status == 1)
    }
}
