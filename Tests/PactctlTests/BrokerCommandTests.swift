import TestSupport
import Foundation
import Testing

/// Runs `pactctl broker` as a real process.
@Suite struct BrokerCommandTests {
    @Test func brokerServesOnSQLiteAndStopsOnSIGTERM() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-broker-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("broker.sqlite").path

        let process = ChildProcess()
        process.executableURL = try PactctlCommandTests.binary()
        process.arguments = ["broker", "--port", "0", "--database", "sqlite:\(database)"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()

        var text = ""
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !text.contains("\n") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let line = try #require(text.split(separator: "\n").first { $0.contains("Broker listening on") }.map(String.init), "printed: \(text)")
        let url = try #require(MockCommandTests.url(in: line))
        let heartbeat = try MockCommandTests.get(url + "/diagnostic/status/heartbeat")
        #expect(heartbeat.status == 200)
        #expect(heartbeat.body.contains("\"ok\":true"))
        #expect(FileManager.default.fileExists(atPath: database))

        process.terminate()
        let ignored = !process.waitForExit(within: 10)
        if ignored { kill(process.processIdentifier, SIGKILL) }
        let rest = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(!ignored, "pactctl broker did not stop on SIGTERM")
        #expect(process.terminationStatus == 0)
        #expect(rest.contains("Broker stopped"))
    }

    @Test func anUnusableDatabaseOptionIsAUsageError() async throws {
        let result = try await PactctlCommandTests.runAsync(["broker", "--database", "mysql://localhost/pact"])
        #expect(result.status == 2)
        #expect(result.error.contains("sqlite:PATH or postgres://"))
    }

    @Test func aDatabaseInAMissingFolderFailsWithTheReason() async throws {
        let result = try await PactctlCommandTests.runAsync(["broker", "--port", "0", "--database", "sqlite:/nonexistent-\(UUID().uuidString)/b.sqlite"])
        #expect(result.status == 1)
        #expect(result.error.contains("does not exist"))
    }
}

extension BrokerCommandTests {
    @Test func tokensAreCreatedListedAndRevoked() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-broker-token-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = "sqlite:" + folder.appendingPathComponent("broker.sqlite").path

        let created = try await PactctlCommandTests.runAsync(["broker", "token", "create", "--name", "ci", "--role", "read-only", "--database", database])
        #expect(created.status == 0, "\(created.error)")
        #expect(created.output.hasPrefix("pb_"))
        let listed = try await PactctlCommandTests.runAsync(["broker", "token", "list", "--database", database])
        #expect(listed.output.contains("ci\tread-only"))
        #expect(!listed.output.contains(created.output.trimmingCharacters(in: .whitespacesAndNewlines)), "the value is never shown again")
        #expect(try await PactctlCommandTests.runAsync(["broker", "token", "create", "--name", "x", "--role", "admin", "--database", database]).status == 2)
        #expect(try await PactctlCommandTests.runAsync(["broker", "token", "revoke", "--name", "ci", "--database", database]).status == 0)
        let again = try await PactctlCommandTests.runAsync(["broker", "token", "revoke", "--name", "ci", "--database", database])
        #expect(again.status == 1)
        #expect(again.error.contains("no token named 'ci'"))
    }
}

extension BrokerCommandTests {
    @Test func cleanReportsWhatItRemovesAndRefusesANegativeAge() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-broker-clean-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = "sqlite:" + folder.appendingPathComponent("broker.sqlite").path
        let missing = try await PactctlCommandTests.runAsync(["broker", "clean", "--database", database])
        #expect(missing.status == 1 && missing.error.contains("there is no broker database at"), "a mistyped path is not a new empty database: \(missing.error)")
        #expect(try await PactctlCommandTests.runAsync(["broker", "token", "create", "--name", "ci", "--database", database]).status == 0)

        let dryRun = try await PactctlCommandTests.runAsync(["broker", "clean", "--dry-run", "--database", database])
        #expect(dryRun.status == 0, "\(dryRun.error)")
        #expect(dryRun.output.contains("Would remove 0 version(s), 0 pact content(s) no longer published and 0 finished webhook execution(s) older than 90 day(s) (dry run: nothing changed)"), "\(dryRun.output)")
        let cleaned = try await PactctlCommandTests.runAsync(["broker", "clean", "--keep-days", "30", "--database", database])
        #expect(cleaned.status == 0 && cleaned.output.contains("Removed 0 version(s)"), "\(cleaned.output)\(cleaned.error)")
        let negative = try await PactctlCommandTests.runAsync(["broker", "clean", "--keep-days=-1", "--database", database])
        #expect(negative.status == 2 && negative.error.contains("--keep-days must be between 0 and 36500"), "\(negative.error)")
    }
}
