import BankingAPI
import TestSupport
import Foundation
import PactModel
import Testing

/// The official Pact CLI (`pact broker …`, `pact verifier`) against `pactctl broker`, with `pactctl mock` standing
/// in for the provider. CI installs the CLI (Scripts/install-pact-cli) and sets PACT_CLI; elsewhere these tests run
/// when PACT_CLI names the binary.
@Suite(.serialized) struct OfficialCLIInteropTests {
    static let cli: String? = {
        let value = ProcessInfo.processInfo.environment["PACT_CLI"] ?? ""
        return value.isEmpty ? nil : value
    }()
    static let runs = cli != nil || ProcessInfo.processInfo.environment["CI"] == "true"

    struct Result {
        var status: Int32
        var output: String
    }

    /// Runs the official CLI on a thread of its own and returns its exit status and everything it printed.
    static func pact(_ arguments: [String]) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do { continuation.resume(returning: try runPact(arguments)) } catch { continuation.resume(throwing: error) }
            }
            thread.start()
        }
    }

    static func runPact(_ arguments: [String]) throws -> Result {
        let cli = try #require(OfficialCLIInteropTests.cli, "set PACT_CLI to the official pact binary (Scripts/install-pact-cli installs it)")
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: cli)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PACT_DO_NOT_TRACK"] = "true"
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// A `pactctl` server process (broker or mock) and the URL it printed.
    final class Server: @unchecked Sendable {
        let process = ChildProcess()
        let url: String
        /// Everything the process printed up to the marker line.
        let startupOutput: String

        init(_ arguments: [String], marker: String) throws {
            process.executableURL = try PactctlCommandTests.binary()
            process.arguments = arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            var text = ""
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline, !text.contains(marker) {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            guard let line = text.split(separator: "\n").first(where: { $0.contains(marker) }), let url = MockCommandTests.url(in: String(line)) else {
                process.terminate()
                throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "pactctl did not start: \(text)"])
            }
            self.url = url
            startupOutput = text
        }

        func stop() {
            process.terminate()
            process.waitUntilExit()
        }
    }

    @Test("pact broker and pact verifier work against pactctl broker: publish, verify with results, environments, deployments, can-i-deploy",
          .enabled(if: runs))
    func brokerWorkflow() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-interop-\(UUID().uuidString)")
        let pacts = folder.appendingPathComponent("pacts")
        try FileManager.default.createDirectory(at: pacts, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let contract = PactctlCommandTests.packageRoot.appendingPathComponent("Contracts/BankingApp-BankingAPI.json")
        try FileManager.default.copyItem(at: contract, to: pacts.appendingPathComponent("BankingApp-BankingAPI.json"))

        let broker = try Server(["broker", "--port", "0", "--database", "sqlite:" + folder.appendingPathComponent("broker.sqlite").path], marker: "Broker listening on")
        defer { broker.stop() }
        let provider = try Server(["mock", "--pact", contract.path, "--port", "0", "--quiet"], marker: "Mock server listening on")
        defer { provider.stop() }
        let base = ["--broker-base-url", broker.url]
        let providerPort = try #require(URLComponents(string: provider.url)?.port)

        let publish = try await Self.pact(["broker", "publish", pacts.path, "--consumer-app-version", "1.0.0", "--branch", "main", "--tag", "dev"] + base)
        #expect(publish.status == 0, "\(publish.output)")
        #expect(publish.output.contains("Pact published") && !publish.output.contains("Warning"), "\(publish.output)")

        let describe = try await Self.pact(["broker", "describe-version", "--pacticipant", "BankingApp", "--version", "1.0.0"] + base)
        #expect(describe.status == 0 && describe.output.contains("1.0.0") && describe.output.contains("dev"), "\(describe.output)")

        let environment = try await Self.pact(["broker", "create-environment", "--name", "production", "--production"] + base)
        #expect(environment.status == 0 && environment.output.contains("Created production environment"), "\(environment.output)")
        let environments = try await Self.pact(["broker", "list-environments"] + base)
        #expect(environments.output.contains("production"), "\(environments.output)")

        // Nothing verified yet: no.
        let before = try await Self.pact(["broker", "can-i-deploy", "--pacticipant", "BankingApp", "--version", "1.0.0", "--to-environment", "production"] + base)
        #expect(before.status != 0, "\(before.output)")
        #expect(before.output.contains("Computer says no"), "\(before.output)")

        // The official verifier fetches the pact from the broker, verifies the stand-in provider and publishes.
        let verify = try await Self.pact(["verifier", "--broker-url", broker.url, "--provider-name", "BankingAPI", "--hostname", "127.0.0.1",
                                    "--port", String(providerPort), "--publish", "--provider-version", "p1", "--provider-branch", "main",
                                    "--consumer-version-selectors", #"{"mainBranch": true}"#, "--enable-pending", "--no-colour"])
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("pending"), "the broker's pending notices are printed: \(verify.output)")

        let record = try await Self.pact(["broker", "record-deployment", "--pacticipant", "BankingAPI", "--version", "p1", "--environment", "production"] + base)
        #expect(record.status == 0 && record.output.contains("Recorded deployment"), "\(record.output)")

        let after = try await Self.pact(["broker", "can-i-deploy", "--pacticipant", "BankingApp", "--version", "1.0.0", "--to-environment", "production"] + base)
        #expect(after.status == 0, "\(after.output)")
        #expect(after.output.contains("Computer says yes"), "\(after.output)")

        let json = try await Self.pact(["broker", "can-i-deploy", "--pacticipant", "BankingApp", "--version", "1.0.0", "--to-environment", "production", "--output", "json"] + base)
        #expect(json.output.contains("\"deployable\":true") || json.output.contains("\"deployable\": true"), "\(json.output)")

        let latest = try await Self.pact(["broker", "list-latest-pact-versions"] + base)
        #expect(latest.output.contains("BankingApp") && latest.output.contains("BankingAPI"), "\(latest.output)")

        let states = try await Self.pact(["broker", "provider-states", "list", "--provider", "BankingAPI"] + base)
        #expect(states.status == 0 && states.output.contains("customer CUST001 exists") && states.output.contains("BankingApp"), "\(states.output)")

        let release = try await Self.pact(["broker", "record-release", "--pacticipant", "BankingApp", "--version", "1.0.0", "--environment", "production"] + base)
        #expect(release.status == 0, "\(release.output)")
        let undeploy = try await Self.pact(["broker", "record-undeployment", "--pacticipant", "BankingAPI", "--environment", "production"] + base)
        #expect(undeploy.status == 0, "\(undeploy.output)")

        let pacticipant = try await Self.pact(["broker", "create-or-update-pacticipant", "--name", "BankingAPI", "--main-branch", "main",
                                         "--repository-url", "https://example.com/bank"] + base)
        #expect(pacticipant.status == 0, "\(pacticipant.output)")
        let described = try await Self.pact(["broker", "describe-pacticipant", "--name", "BankingAPI"] + base)
        #expect(described.output.contains("https://example.com/bank"), "\(described.output)")

        let environmentList = try await PactctlCommandTests.runAsync(["list-environments", "--output", "json"] + base)
        let environmentUUID = try #require(try BrokerAdministrationCommandTests.json(environmentList.output).arrayValue?.first?["uuid"]?.stringValue)
        let environmentShown = try await Self.pact(["broker", "describe-environment", "--uuid", environmentUUID] + base)
        #expect(environmentShown.status == 0 && environmentShown.output.contains("production"), "\(environmentShown.output)")

        let webhook = try await Self.pact(["broker", "create-or-update-webhook", "https://ci.example.com/build", "--uuid", "verify-the-provider-0001", "--request", "POST",
                                           "--header", "Content-Type: application/json", "--data", #"{"pact": "${pactbroker.pactUrl}"}"#,
                                           "--provider", "BankingAPI", "--contract-requiring-verification-published",
                                           "--description", "Verify the provider"] + base)
        #expect(webhook.status == 0, "\(webhook.output)")
        // Our own client sees what the official one stored.
        let listed = try await PactctlCommandTests.runAsync(["list-latest-pact-versions", "-o", "table"] + base)
        #expect(listed.output.contains("BankingApp") && listed.output.contains("1.0.0"), "\(listed.output)")
        let hook = try await BrokerAdministrationCommandTests.fetch(broker.url + "/webhooks/verify-the-provider-0001")
        #expect(hook.json?["description"]?.stringValue == "Verify the provider", "\(String(describing: hook.json))")
        #expect(hook.json?["request"]?["body"]?["pact"]?.stringValue == "${pactbroker.pactUrl}", "\(String(describing: hook.json))")
    }
}

extension OfficialCLIInteropTests {
    /// A process of the official CLI running in the background (its mock server's master).
    final class Background: @unchecked Sendable {
        let process = ChildProcess()

        let log: URL

        init(_ arguments: [String], folder: URL) throws {
            process.executableURL = URL(fileURLWithPath: try #require(OfficialCLIInteropTests.cli))
            process.arguments = arguments
            process.currentDirectoryURL = folder
            log = folder.appendingPathComponent("background.log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
        }

        /// What the process printed, and whether it still runs, for a failure message.
        var diagnosis: String {
            let printed = (try? String(contentsOf: log, encoding: .utf8)) ?? "(no log)"
            return "\n[background process \(process.hasExited ? "has exited" : "still runs")]\n\(printed)"
        }

        /// Kills the process: the reference mock server's master ignores SIGTERM and SIGINT.
        func stop() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// A port nothing listens on now, for a server that cannot be given port 0.
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "no free port"]) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test("the reference verifier verifies the message pact our DSL wrote against BankingAPI's message endpoint", .enabled(if: runs))
    func referenceVerifierOnOurMessagePact() async throws {
        let server = try await BankingServer.start(providerStates: true)
        defer { Task { await server.stop() } }
        let pact = PactctlCommandTests.packageRoot.appendingPathComponent("Contracts/messages/BankingApp-BankingEvents.json").path
        let result = try await Self.pact(["verifier", "--file", pact, "--hostname", "127.0.0.1", "--port", String(server.port),
                                          "--base-path", "/_pact/messages", "--state-change-url", server.url.absoluteString + "/_pact/provider-states",
                                          "--no-colour"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("a deposit recorded event") && result.output.contains("a transfer out recorded event"), "\(result.output)")
        #expect(result.output.contains("has a matching body (OK)"), "\(result.output)")
        #expect(!result.output.contains("FAILED"), "\(result.output)")
    }

    @Test("pact files cross the implementations: the reference mock server writes a pact that our verifier verifies, and the reference verifier verifies the pact our DSL wrote",
          .enabled(if: runs))
    func pactFilesCrossTheImplementations() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-interop-files-\(UUID().uuidString)")
        let written = folder.appendingPathComponent("written")
        try FileManager.default.createDirectory(at: written, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let ours = PactctlCommandTests.packageRoot.appendingPathComponent("Contracts/BankingApp-BankingAPI.json").path

        // The reference mock server serves our DSL's pact; our verifier replays every interaction against it.
        // The master is addressed by IPv4 address, not `localhost`: it listens on 127.0.0.1 only, and a `localhost` that
        // resolves to ::1 first can reach another process on the same port number.
        let masterPort = String(try Self.freePort())
        let master = try Background(["mock", "start", "--host", "127.0.0.1", "--port", masterPort, "--output", written.path], folder: folder)
        defer { master.stop() }
        var created = Result(status: -1, output: "")
        for _ in 0..<50 where !created.output.contains("started on port") {
            try await Task.sleep(for: .milliseconds(200))
            created = try await Self.pact(["mock", "create", "--host", "127.0.0.1", "--port", masterPort, "-f", ours])
        }
        let mockPort = try #require(created.output.split(separator: " ").last.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) },
                                    "\(created.output)")
        let againstReference = try await PactctlCommandTests.runAsync(["verify", "--pact", ours, "--provider-url", "http://127.0.0.1:" + mockPort])
        #expect(againstReference.status == 0, "our verifier against the reference mock server: \(againstReference.output)\(againstReference.error)")

        // Every request matched, so the reference writes the pact out.
        let finished = try await Self.pact(["mock", "verify", "--host", "127.0.0.1", "--port", masterPort, "-m", mockPort])
        #expect(finished.status == 0, "\(finished.output)\(master.diagnosis)")
        let referencePact = written.appendingPathComponent("BankingApp-BankingAPI.json")
        let referenceJSON = try JSONParser.parse(Array(try Data(contentsOf: referencePact)))
        #expect(referenceJSON["metadata"]?["pactRust"] != nil, "the file was written by the reference implementation")
        #expect(referenceJSON["interactions"]?.arrayValue?.count == 8)

        // Our verifier on the reference's file, against our mock server standing in for the provider.
        let provider = try Server(["mock", "--pact", referencePact.path, "--port", "0", "--quiet"], marker: "Mock server listening on")
        defer { provider.stop() }
        let onReferenceFile = try await PactctlCommandTests.runAsync(["verify", "--pact", referencePact.path, "--provider-url", provider.url])
        #expect(onReferenceFile.status == 0, "\(onReferenceFile.output)\(onReferenceFile.error)")
        #expect(onReferenceFile.output.contains("8 interactions, 8 passed"), "\(onReferenceFile.output)")

        // The reference verifier on our DSL's file.
        let providerPort = try #require(URLComponents(string: provider.url)?.port)
        let referenceVerifier = try await Self.pact(["verifier", "--file", ours, "--hostname", "127.0.0.1", "--port", String(providerPort), "--no-colour"])
        #expect(referenceVerifier.status == 0, "\(referenceVerifier.output)")
        #expect(!referenceVerifier.output.contains("FAILED"), "\(referenceVerifier.output)")
    }
}
