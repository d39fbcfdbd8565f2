import TestSupport
import Foundation
import Testing

/// Runs the built `pactctl` binary and checks what it prints and how it exits.
@Suite struct PactctlCommandTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let bankingPact = packageRoot.appendingPathComponent("Tests/Fixtures/pacts/banking-v4.json").path

    struct Result {
        var status: Int32
        var output: String
        var error: String
    }

    static func binary() throws -> URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("pactctl"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("pactctl"),
            packageRoot.appendingPathComponent(".build/debug/pactctl"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "pactctl binary not found near \(CommandLine.arguments[0])"])
        }
        return found
    }

    static func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Result {
        let process = ChildProcess()
        process.executableURL = try binary()
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                      error: String(decoding: errorData, as: UTF8.self))
    }

    /// `run` on a thread of its own, so a long command never holds one of the few threads async tests share.
    static func runAsync(_ arguments: [String], environment: [String: String] = [:]) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do { continuation.resume(returning: try run(arguments, environment: environment)) } catch { continuation.resume(throwing: error) }
            }
            thread.start()
        }
    }

    static func temporaryFile(_ contents: String, name: String = "pact.json") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(name)
        try contents.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    @Test func versionFlagPrintsTheVersionAndExitsZero() throws {
        let result = try Self.run(["--version"])
        #expect(result.status == 0)
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }

    @Test func helpListsTheCommands() throws {
        let result = try Self.run(["--help"])
        #expect(result.status == 0)
        #expect(result.output.contains("validate"))
        #expect(result.output.contains("convert"))
    }

    @Test func validateSummarisesAValidPact() throws {
        let result = try Self.run(["validate", Self.bankingPact])
        #expect(result.status == 0)
        #expect(result.output.contains("BankingApp -> BankingAPI, Pact specification V4"))
        #expect(result.output.contains("5 interaction(s): 5 HTTP"))
        #expect(result.output.contains("a withdrawal that overdraws the account (POST /api/accounts/ACC001/withdraw -> 400)"))
        #expect(result.output.contains("7 matching rule(s)"))
    }

    @Test func validateJSONOutputIsMachineReadable() throws {
        let result = try Self.run(["validate", "--output", "json", Self.bankingPact])
        #expect(result.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]]
        let first = try #require(json?.first)
        #expect(first["consumer"] as? String == "BankingApp")
        #expect(first["specification"] as? String == "4.0")
        #expect((first["interactions"] as? [String: Any])?["total"] as? Int == 5)
    }

    @Test func validateRejectsAnInvalidRegexWithFileAndPath() throws {
        let file = try Self.temporaryFile("""
        {"consumer": {"name": "a"}, "provider": {"name": "b"}, "metadata": {"pactSpecification": {"version": "3.0.0"}},
         "interactions": [{"description": "x", "request": {"method": "GET", "path": "/",
           "matchingRules": {"body": {"$.a": {"matchers": [{"match": "regex", "regex": "(["}]}}}}, "response": {"status": 200}}]}
        """)
        let result = try Self.run(["validate", file])
        #expect(result.status == 1)
        #expect(result.error.contains(file))
        #expect(result.error.contains("$.interactions[0].request.matchingRules.body['$.a'].matchers[0]"))
        #expect(result.error.contains("'([' is not a valid regular expression"))
    }

    @Test func validateRejectsNonJSONAndUnknownVersions() throws {
        let notJSON = try Self.temporaryFile("{ not json")
        let notJSONResult = try Self.run(["validate", notJSON])
        #expect(notJSONResult.status == 1)
        #expect(notJSONResult.error.contains("not valid JSON"))

        let future = try Self.temporaryFile(#"{"consumer": {"name": "a"}, "provider": {"name": "b"}, "metadata": {"pactSpecification": {"version": "9.0.0"}}}"#)
        let futureResult = try Self.run(["validate", future])
        #expect(futureResult.status == 1)
        #expect(futureResult.error.contains("unknown Pact specification version '9.0.0'"))
        #expect(futureResult.error.contains("$.metadata.pactSpecification.version"))
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let file = try Self.temporaryFile(#"{"consumer": {"name": "a"}, "provider": {"name": "b"}, "x": "# + deep + "}")
        let result = try Self.run(["validate", file])
        #expect(result.status == 1)
        #expect(result.error.contains("nesting is deeper than 512 levels"))
    }

    @Test func hugeNumbersAreReportedWhereAnIntegerIsNeeded() throws {
        let file = try Self.temporaryFile("""
        {"consumer": {"name": "a"}, "provider": {"name": "b"}, "metadata": {"pactSpecification": {"version": "3.0.0"}},
         "interactions": [{"description": "x", "request": {"method": "GET", "path": "/"}, "response": {"status": 123456789012345678901234567890}}]}
        """)
        let result = try Self.run(["validate", file])
        #expect(result.status == 1)
        #expect(result.error.contains("$.interactions[0].response.status"))
        #expect(result.error.contains("does not fit in 64 bits"))
    }

    @Test func usageErrorsExitWithTwo() throws {
        #expect(try Self.run(["--no-such-option"]).status == 2)
        #expect(try Self.run(["validate"]).status == 2)
        #expect(try Self.run(["convert", Self.bankingPact, "--to", "v9"]).status == 2)
    }

    @Test func missingFileExitsWithOne() throws {
        let result = try Self.run(["validate", "/nonexistent/pact.json"])
        #expect(result.status == 1)
        #expect(result.error.contains("no such file"))
    }

    @Test func convertWritesTheChosenVersionAndItValidates() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let v3 = folder.appendingPathComponent("v3.json").path
        let converted = try Self.run(["convert", Self.bankingPact, "--to", "v3", "--output", v3])
        #expect(converted.status == 0)
        let text = try String(contentsOfFile: v3, encoding: .utf8)
        #expect(text.contains("\"version\": \"3.0.0\""))
        #expect(text.contains("\"providerStates\""))
        let validated = try Self.run(["validate", v3])
        #expect(validated.status == 0)
        #expect(validated.output.contains("Pact specification V3"))

        let v2 = try Self.run(["convert", Self.bankingPact, "--to", "v2"])
        #expect(v2.status == 0)
        #expect(v2.output.contains("\"providerState\": \"customer CUST001 exists\""))
        #expect(v2.error.contains("the number rule needs spec V3 or later"))
    }

    @Test func convertingTwiceIsByteStable() throws {
        let first = try Self.run(["convert", Self.bankingPact, "--to", "v4"])
        let file = try Self.temporaryFile(first.output)
        let second = try Self.run(["convert", file, "--to", "v4"])
        #expect(first.status == 0 && second.status == 0)
        #expect(first.output == second.output)
    }
}
