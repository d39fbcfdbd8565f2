import Foundation
import PactModel

/// How a mock server listens and what it accepts.
public struct MockServerConfiguration: Sendable {
    /// The address to listen on; loopback by default.
    public var host: String
    /// The port; 0 lets the operating system choose a free one.
    public var port: Int
    /// Answer CORS preflight requests and add `Access-Control-Allow-Origin` to responses.
    public var cors: Bool
    /// The largest request body accepted; larger bodies get 413.
    public var maxBodyBytes: Int
    /// The largest total size of request headers; larger headers get 431.
    public var maxHeaderBytes: Int
    /// Connections with no traffic for this long are closed.
    public var idleTimeout: Duration
    /// How many recent requests the journal keeps (counters cover all of them).
    public var journalCapacity: Int
    /// Serve HTTPS with this identity instead of plain HTTP.
    public var tls: TLSIdentity?
    /// Latency and faults to simulate (none by default); the control API and `MockServer.simulation` can change them later.
    public var simulation: Simulation?
    /// Scenarios over the interactions, loaded when the server starts (an invalid set stops the start).
    public var scenarios: ScenarioSet?
    /// Called for every request with its outcome and the response sent, for logging.
    public var requestLog: (@Sendable (HTTPRequest, RequestOutcome, HTTPResponse) -> Void)?

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1", port: Int = 0, cors: Bool = false, maxBodyBytes: Int = 16 << 20,
        maxHeaderBytes: Int = 64 * 1024, idleTimeout: Duration = .seconds(60), journalCapacity: Int = 1000, simulation: Simulation? = nil
    ) {
        self.simulation = simulation
        self.host = host
        self.port = port
        self.cors = cors
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.idleTimeout = idleTimeout
        self.journalCapacity = journalCapacity
    }
}

/// Why a mock server could not start or could not write its pact.
public enum MockServerError: Error, Sendable, CustomStringConvertible {
    /// The address could not be bound.
    case bindFailed(host: String, port: Int, reason: String)
    /// The pact file could not be written.
    case pactWriteFailed(path: String, reason: String)
    /// The TLS certificate or key could not be made or used.
    case tlsFailed(reason: String)
    /// A recording proxy's target is not an http(s) URL.
    case invalidTarget(String)
    /// The scenarios do not fit the pact.
    case invalidScenarios(SimulationError)
    /// The pact is not written because the test did not do what the pact promised.
    case verificationFailed(MockServerReport)

    /// A message naming what failed and how to fix it.
    public var description: String {
        switch self {
        case .bindFailed(let host, let port, let reason):
            return "could not listen on \(host):\(port) (\(reason)); choose another port or use port 0 for any free port"
        case .pactWriteFailed(let path, let reason):
            return "could not write the pact file \(path): \(reason)"
        case .tlsFailed(let reason):
            return "TLS: \(reason)"
        case .invalidTarget(let target):
            return "the target '\(target)' is not an http(s) URL such as http://localhost:8080"
        case .invalidScenarios(let error):
            return error.description
        case .verificationFailed(let report):
            return report.description
        }
    }
}
