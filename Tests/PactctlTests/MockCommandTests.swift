import TestSupport
import Foundation
import Testing

/// Runs `pactctl mock` as a real process, talks to it over HTTP and stops it with SIGTERM.
@Suite struct MockCommandTests {
    /// A running `pactctl mock` with the URLs it printed.
    final class RunningMock: @unchecked Sendable {
        let process = ChildProcess()
        let output = Pipe()
        var lines: [String] = []

        init(_ arguments: [String]) throws {
            process.executableURL = try PactctlCommandTests.binary()
            process.arguments = ["mock"] + arguments
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            var environment = ProcessInfo.processInfo.environment
            environment["NO_COLOR"] = "1"
            process.environment = environment
            try process.run()
        }

        /// Reads lines until one contains `marker`.
        func waitFor(_ marker: String) -> String? {
            var buffer = Data()
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                let text = String(decoding: buffer, as: UTF8.self)
                lines = text.split(separator: "\n").map(String.init)
                if let line = lines.first(where: { $0.contains(marker) }) { return line }
            }
            return nil
        }

        func stop() -> String {
            process.terminate()
            // A server that ignored the signal would hang the test; it is killed after 5 seconds and the test fails.
            let ignoredSignal = !process.waitForExit(within: 5)
            if ignoredSignal { kill(process.processIdentifier, SIGKILL) }
            let rest = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(!ignoredSignal, "pactctl mock did not stop on SIGTERM")
            return lines.joined(separator: "\n") + "\n" + String(decoding: rest, as: UTF8.self)
        }
    }

    static func url(in line: String) -> String? {
        line.split(separator: " ").first { $0.hasPrefix("http://") || $0.hasPrefix("https://") }.map(String.init)
    }

    static func get(_ url: String) throws -> (status: Int, body: String) {
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "-s", "-o", "-", "-w", "\n%{http_code}", url]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let status = Int(text.split(separator: "\n").last ?? "") ?? 0
        return (status, String(text.split(separator: "\n").dropLast().joined(separator: "\n")))
    }

    @Test func servesAPactPrintsItsURLLogsRequestsAndReportsOnExit() throws {
        let mock = try RunningMock(["--pact", PactctlCommandTests.bankingPact, "--port", "0"])
        let line = try #require(mock.waitFor("Mock server listening on"))
        let base = try #require(Self.url(in: line))
        let balance = try Self.get(base + "/api/accounts/ACC001")
        #expect(balance.status == 200)
        #expect(balance.body.contains(#""balance":1000"#))
        let missing = try Self.get(base + "/nope")
        #expect(missing.status == 500)
        let output = mock.stop()
        #expect(output.contains("GET /api/accounts/ACC001 -> 200 matched"))
        #expect(output.contains("GET /nope -> 500 UNEXPECTED"))
        #expect(output.contains("expected but not received: 'a deposit of 1000'"))
    }

    @Test func anInvalidPactStartsNothingAndExitsWithOne() throws {
        let result = try PactctlCommandTests.run(["mock", "--pact", "/nonexistent/pact.json"])
        #expect(result.status == 1)
        #expect(result.error.contains("no such file"))
        #expect(!result.output.contains("listening"))
    }

    @Test func missingPactsIsAUsageError() throws {
        let result = try PactctlCommandTests.run(["mock"])
        #expect(result.status == 2)
        #expect(result.error.contains("--pact"))
    }

    @Test func theControlAPIRunsWithoutAPact() throws {
        let mock = try RunningMock(["--control-port", "0"])
        let line = try #require(mock.waitFor("Control API listening on"))
        let base = try #require(Self.url(in: line))
        let health = try Self.get(base + "/health")
        #expect(health.status == 200)
        #expect(health.body.contains("ok"))
        _ = mock.stop()
    }
}

@Suite struct MockCommandTLSTests {
    @Test func tlsServesHTTPSWithASelfSignedCertificateClientsCanTrust() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let certificate = folder.appendingPathComponent("cert.pem").path
        let mock = try MockCommandTests.RunningMock(["--pact", PactctlCommandTests.bankingPact, "--tls", "--tls-cert-out", certificate, "--quiet"])
        let line = try #require(mock.waitFor("Mock server listening on"))
        let base = try #require(MockCommandTests.url(in: line))
        #expect(base.hasPrefix("https://127.0.0.1:"))
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "-s", "--cacert", certificate, base + "/api/accounts/ACC001"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let body = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        _ = mock.stop()
        #expect(process.terminationStatus == 0)
        #expect(body.contains(#""accountId":"ACC001""#))
    }

    @Test func tlsCertificateWithoutKeyIsAUsageError() throws {
        let result = try PactctlCommandTests.run(["mock", "--pact", PactctlCommandTests.bankingPact, "--tls-cert", "/x.pem"])
        #expect(result.status == 2)
        #expect(result.error.contains("--tls-cert and --tls-key go together"))
    }
}
