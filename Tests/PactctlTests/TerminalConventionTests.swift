import TestSupport
import Foundation
import Testing

/// Colour only on a terminal, and never when NO_COLOR is set: checked through a real pseudo-terminal (`script`).
@Suite struct TerminalConventionTests {
    /// Runs pactctl under `script`, which gives it a pseudo-terminal, and returns everything it printed.
    static func runOnATerminal(_ arguments: [String], environment extra: [String: String]) throws -> String {
        let binary = try PactctlCommandTests.binary().path
        let command = ([binary] + arguments).map { "'\($0.replacingOccurrences(of: "'", with: "'\\''"))'" }.joined(separator: " ")
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NO_COLOR")
        environment["TERM"] = "xterm"
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static let escape = "\u{1B}["

    /// util-linux's script(1), whose options these runs use (the BSD one on macOS takes others).
    static let hasLinuxScript: Bool = {
        #if os(Linux)
        return FileManager.default.isExecutableFile(atPath: "/usr/bin/script")
        #else
        return false
        #endif
    }()

    @Test(.enabled(if: hasLinuxScript, "needs script(1) from util-linux"))
    func errorsAreColouredOnATerminalOnlyWithoutNoColor() throws {
        let missing = "/nonexistent-\(UUID().uuidString).json"
        let coloured = try Self.runOnATerminal(["validate", missing], environment: [:])
        #expect(coloured.contains(Self.escape + "31merror:"), "\(coloured.debugDescription)")
        let plain = try Self.runOnATerminal(["validate", missing], environment: ["NO_COLOR": "1"])
        #expect(plain.contains("error:") && !plain.contains(Self.escape), "\(plain.debugDescription)")
        let emptyNoColor = try Self.runOnATerminal(["validate", missing], environment: ["NO_COLOR": ""])
        #expect(emptyNoColor.contains(Self.escape), "an empty NO_COLOR does not turn colour off (no-color.org)")
        let dumb = try Self.runOnATerminal(["validate", missing], environment: ["TERM": "dumb"])
        #expect(dumb.contains("error:") && !dumb.contains(Self.escape), "\(dumb.debugDescription)")
    }

    @Test func nothingIsColouredThroughAPipe() throws {
        let result = try PactctlCommandTests.run(["validate", "/nonexistent.json"], environment: ["NO_COLOR": ""])
        #expect(result.status == 1)
        #expect(result.error.contains("error:") && !result.error.contains(Self.escape))
    }
}
