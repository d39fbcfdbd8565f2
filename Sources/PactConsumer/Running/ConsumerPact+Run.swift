import Foundation
import PactMockServer
import PactModel
#if canImport(Testing)
import Testing
#endif

/// Why a consumer pact test failed.
public struct PactTestFailure: Error, Sendable, CustomStringConvertible {
    /// What the mock server saw, when the client did not do what the pact expects.
    public let report: MockServerReport?
    /// The readable account of the failure, with the differences.
    public let message: String

    /// The message.
    public var description: String { message }
}

/// Where and how `run` writes the pact file.
public struct PactOutput: Sendable {
    /// The folder; nil means `PACT_OUTPUT_DIR`, else `Contracts/` in the package root.
    public var directory: URL?
    /// Mock server settings (host, port, limits).
    public var server: MockServerConfiguration

    /// Creates output settings.
    public init(directory: URL? = nil, server: MockServerConfiguration = MockServerConfiguration()) {
        self.directory = directory
        self.server = server
    }
}

extension ConsumerPact {
    /// Serves the interactions declared since the last run on a fresh mock server, runs `test` with its base URL, and
    /// writes the pact file when the client did exactly what the interactions promise.
    ///
    /// The test fails (the error is thrown, and under Swift Testing also recorded as an issue) when an interaction was
    /// not requested, a request matched nothing, or a request differed from its interaction; the message lists each
    /// problem with its differences. Nothing is written then. It works under Swift Testing and XCTest.
    @discardableResult
    public func run<Result: Sendable>(
        output: PactOutput = PactOutput(),
        sourceLocation: PactSourceLocation = PactSourceLocation(),
        _ test: @Sendable (URL) async throws -> Result
    ) async throws -> Result {
        try await run(output: output, sourceLocation: sourceLocation) { url, _ in try await test(url) }
    }

    /// `run`, with the mock server passed to the test as well, to query its journal
    /// (`server.journal.count(matching: RequestPattern(method: "POST", path: .equalTo("/api/transfers")))`) or change
    /// its simulation and scenarios while the test runs.
    @discardableResult
    public func run<Result: Sendable>(
        output: PactOutput = PactOutput(),
        sourceLocation: PactSourceLocation = PactSourceLocation(),
        _ test: @Sendable (URL, MockServer) async throws -> Result
    ) async throws -> Result {
        let pending = takePending()
        if !pending.validationErrors.isEmpty {
            throw Self.fail(PactTestFailure(report: nil, message: PactConsumerError.invalidInteractions(pending.validationErrors).description), at: sourceLocation)
        }
        let pact = pact(with: pending.interactions)
        var configuration = output.server
        if !pending.simulationRules.isEmpty {
            configuration.simulation = Simulation(rules: (configuration.simulation?.rules ?? []) + pending.simulationRules,
                                                  seed: configuration.simulation?.seed)
        }
        let server = MockServer(pact: pact, configuration: configuration)
        let url: URL
        do { url = try await server.start() } catch {
            throw Self.fail(PactTestFailure(report: nil, message: error.description), at: sourceLocation)
        }
        let result: Result
        do {
            result = try await test(url, server)
        } catch {
            await server.stop()
            let report = server.report()
            if !report.isOK {
                Self.record(PactTestFailure(report: report, message: report.description), at: sourceLocation)
            }
            throw error
        }
        await server.stop()
        let report = server.report()
        guard report.isOK else {
            throw Self.fail(PactTestFailure(report: report, message: report.description), at: sourceLocation)
        }
        let writer = PactFileWriter(directory: output.directory ?? PactFileWriter.defaultDirectory(), specification: specification)
        do { try writer.write(pact) } catch {
            throw Self.fail(PactTestFailure(report: report, message: error.description), at: sourceLocation)
        }
        return result
    }

    /// Under Swift Testing the full report is recorded as an issue at the `run` call and a short error is thrown, so the
    /// failure is listed once; elsewhere (XCTest) the thrown error carries the full report.
    static func fail(_ failure: PactTestFailure, at location: PactSourceLocation) -> PactTestFailure {
        #if canImport(Testing)
        if Test.current != nil {
            record(failure, at: location)
            return PactTestFailure(report: failure.report, message: "the pact test failed; the recorded issue lists the problems")
        }
        #endif
        return failure
    }

    private static func record(_ failure: PactTestFailure, at location: PactSourceLocation) {
        #if canImport(Testing)
        if Test.current != nil {
            Issue.record(Comment(rawValue: failure.message), sourceLocation: location.testing)
        }
        #endif
    }
}

/// Where a pact test is written, so failures point at the test.
public struct PactSourceLocation: Sendable {
    let fileID: String
    let filePath: String
    let line: Int
    let column: Int

    /// Captures the caller's location.
    public init(fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column) {
        self.fileID = fileID
        self.filePath = filePath
        self.line = line
        self.column = column
    }

    #if canImport(Testing)
    var testing: SourceLocation {
        SourceLocation(fileID: fileID, filePath: filePath, line: line, column: column)
    }
    #endif
}
