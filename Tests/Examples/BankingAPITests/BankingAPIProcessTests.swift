import TestSupport
import Foundation
import Testing

/// The `banking-api` executable: it announces its URL, serves, and stops on SIGTERM and SIGINT.
@Suite struct BankingAPIProcessTests {
    static func binary() throws -> URL {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [here.appendingPathComponent("banking-api"), here.deletingLastPathComponent().appendingPathComponent("banking-api"),
                          packageRoot.appendingPathComponent(".build/debug/banking-api")]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "banking-api not found near \(CommandLine.arguments[0])"])
        }
        return found
    }

    /// Starts the process, waits for its ready line, sends the signal and returns its exit status (nil if it hung).
    static func startAndSignal(_ signal: Int32) throws -> (ready: String, status: Int32?) {
        let process = ChildProcess()
        process.executableURL = try binary()
        process.arguments = ["--port", "0", "--provider-states"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var ready = ""
        let reader = output.fileHandleForReading
        while !ready.contains("\n") {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            ready += String(decoding: chunk, as: UTF8.self)
        }
        kill(process.processIdentifier, signal)
        if !process.waitForExit(within: 20) {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return (ready, nil)
        }
        process.waitUntilExit()
        return (ready, process.terminationStatus)
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func announcesItsURLAndStopsOnASignal(signal: Int32) throws {
        let (ready, status) = try Self.startAndSignal(signal)
        #expect(ready.hasPrefix("BankingAPI listening on http://127.0.0.1:"), "\(ready)")
        #expect(ready.contains("(provider states at /_pact/provider-states)"))
        #expect(status == 0, "banking-api must stop cleanly on signal \(signal), not hang")
    }
}
