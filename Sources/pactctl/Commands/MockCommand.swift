import ArgumentParser
import Foundation
import PactMockServer
import PactModel
import PactOpenAPI

/// `pactctl mock`: serves the interactions of pact files to any client, and optionally the control API.
struct MockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock",
        abstract: "Serve the interactions of pact files as a mock provider, for any HTTP client.",
        discussion: """
            Prints "Mock server listening on URL" when ready (port 0 picks a free port), then one line per request \
            with its match result. A request that matches no interaction gets 500 with x-pact: Request-Mismatch and \
            a JSON body listing the mismatches. With --control-port it also serves the control API, which creates, \
            verifies and removes mock servers and writes their pacts; it can run without any pact. Stops on Ctrl-C \
            or SIGTERM and prints the report of what it saw.
            """
    )

    @Option(name: .long, help: "A pact file to serve (repeatable).")
    var pact: [String] = []

    @Option(name: .customLong("pact-dir"), help: "Serve every *.json pact in this folder.")
    var pactDirectory: String?

    @Option(name: .long, help: "Serve an OpenAPI 3.0/3.1 document (YAML or JSON) instead of pacts: requests are validated (422 with the problems) and answered from its examples or schemas.")
    var openapi: String?

    @Option(name: .long, help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "The port; 0 picks a free one.")
    var port: Int = 0

    @Flag(name: .long, help: "Answer CORS preflight requests and allow any origin.")
    var cors = false

    @Flag(name: .long, help: "Serve HTTPS with a self-signed certificate made at start-up (written next to --tls-cert-out when given).")
    var tls = false

    @Option(name: .customLong("tls-cert"), help: "Serve HTTPS with this PEM certificate chain (needs --tls-key).")
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: "The PEM private key for --tls-cert.")
    var tlsKey: String?

    @Option(name: .customLong("tls-cert-out"), help: "With --tls, also write the self-signed certificate here so clients can trust it.")
    var tlsCertificateOutput: String?

    @Option(name: .customLong("control-port"), help: "Also serve the control API on this port (0 picks a free one).")
    var controlPort: Int?

    @Option(name: .customLong("control-host"), help: "The address the control API listens on; it writes files and starts servers, so keep it on loopback unless the network is yours.")
    var controlHost: String = "127.0.0.1"

    @Option(name: .customLong("pact-out"), help: "The folder the control API writes pacts in (default: PACT_OUTPUT_DIR, else Contracts/ in the package root); a request's dir= names a folder inside it.")
    var pactOut: String?

    @Option(name: .customLong("max-servers"), help: "How many mock servers, recording proxies and OpenAPI mocks the control API runs at once.")
    var maxServers: Int = 100

    @Flag(name: .long, help: "Do not log each request.")
    var quiet = false

    @Option(name: .long, help: ArgumentHelp("Delay responses: [SCOPE=]fixed:MS, uniform:MIN,MAX, lognormal:MEDIAN,SIGMA or chunked:CHUNKS,MS. SCOPE is a path pattern (/accounts/*, /api/**) or interaction:DESCRIPTION; none means every request (repeatable).", valueName: "delay"))
    var delay: [String] = []

    @Option(name: .long, help: ArgumentHelp("Inject faults: [SCOPE=]KIND[@RATE] with KIND connection-reset, empty-response, malformed-chunk, random-data or status:CODE[:RETRY_AFTER], RATE such as 5% (repeatable).", valueName: "fault"))
    var fault: [String] = []

    @Option(name: .long, help: "The seed of the random delays and faults, to replay a run exactly (printed at start when not given).")
    var seed: UInt64?

    @Option(name: .long, help: "A scenario file: state machines over the interactions (see Contracts/*scenario*.json).")
    var scenarios: String?

    @Option(name: .customLong("provider-state"), help: "Only interactions whose provider states are all among these answer (repeatable).")
    var providerState: [String] = []

    @Option(name: .long, help: "A JSON file of simulation rules: {\"seed\": 42, \"rules\": [{\"path\": \"/a/*\", \"delay\": \"fixed:100\", \"fault\": \"reset@5%\"}]}.")
    var simulation: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        if let controlPort, !(0...65535).contains(controlPort) { throw ValidationError("--control-port must be between 0 and 65535") }
        if !(1...10_000).contains(maxServers) { throw ValidationError("--max-servers must be between 1 and 10000") }
        if (tlsCertificate == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together.") }
        do {
            _ = try simulationSettings()
        } catch let error as SimulationError {
            throw ValidationError(error.description)
        }
        if scenarios != nil && pact.isEmpty && pactDirectory == nil { throw ValidationError("--scenarios needs --pact or --pact-dir") }
        if openapi != nil && (!pact.isEmpty || pactDirectory != nil || scenarios != nil || controlPort != nil) {
            throw ValidationError("--openapi serves a document on its own; leave out --pact, --pact-dir, --scenarios and --control-port")
        }
        if pact.isEmpty && pactDirectory == nil && controlPort == nil && openapi == nil {
            throw ValidationError("Give --pact FILE, --pact-dir DIR or --openapi FILE (or --control-port to run only the control API).")
        }
    }

    func run() async throws {
        let termination = TerminationSignals()
        if let openapi { return try await serveOpenAPI(openapi, termination: termination) }
        var files = pact
        if let pactDirectory {
            files += try PactFiles.inFolder(pactDirectory)
        }
        // Every file is read before anything starts, so a bad file stops the command with nothing listening.
        var pacts: [Pact] = []
        for file in files {
            let loaded = try PactFiles.load(file)
            for warning in loaded.warnings { Terminal.warning("\(file): \(warning)") }
            pacts.append(loaded.pact)
        }

        var configuration = MockServerConfiguration(host: host, port: port, cors: cors)
        do {
            if let tlsCertificate, let tlsKey {
                configuration.tls = try TLSIdentity.load(certificateFile: tlsCertificate, keyFile: tlsKey)
            } else if tls {
                let identity = try TLSIdentity.selfSigned()
                configuration.tls = identity
                if let tlsCertificateOutput {
                    do { try Data(identity.certificatePEM.utf8).write(to: URL(fileURLWithPath: tlsCertificateOutput)) } catch {
                        throw CLIFailure.invalid("\(tlsCertificateOutput): the certificate could not be written")
                    }
                }
            }
        } catch let error as MockServerError {
            throw CLIFailure.invalid(error.description)
        }
        if !quiet { configuration.requestLog = MockCommand.log }
        configuration.simulation = try simulationSettings()
        if let active = configuration.simulation, !active.isEmpty {
            Terminal.print("Simulating \(active.rules.count) rule(s) with seed \(active.seed) (pass --seed \(active.seed) to replay this run)")
        }
        var server: MockServer?
        if let first = pacts.first {
            var combined = first
            combined.interactions = pacts.flatMap(\.interactions)
            if pacts.count > 1 {
                combined.consumer = Set(pacts.map(\.consumer)).sorted().joined(separator: ",")
                combined.provider = Set(pacts.map(\.provider)).sorted().joined(separator: ",")
            }
            let mock = MockServer(pact: combined, configuration: configuration)
            if let scenarios {
                do {
                    let set = try ScenarioSet(contentsOf: scenarios)
                    try mock.loadScenarios(set)
                    Terminal.print("Scenarios: " + set.scenarios.map { "\($0.name) (\($0.steps.count) steps, starting in '\($0.startState)')" }.joined(separator: "; "))
                } catch {
                    throw CLIFailure.invalid(error.description)
                }
            }
            if !providerState.isEmpty { mock.activeProviderStates = Set(providerState) }
            do {
                let url = try await mock.start()
                Terminal.print("Mock server listening on \(url.absoluteString) (\(combined.httpInteractions.count) interaction(s))")
                let messages = combined.interactions.count - combined.httpInteractions.count
                if messages > 0 {
                    Terminal.print("note: \(messages) message interaction(s) are not served: a message has no HTTP request to answer "
                        + "(consumer tests check them with verifyMessages, and pactctl verify checks providers)")
                }
                // A moment later, so the trim does not compete with the first requests.
                Task.detached(priority: .background) {
                    try? await Task.sleep(for: .seconds(1))
                    FreedMemory.release()
                }
            } catch {
                throw CLIFailure.invalid(error.description)
            }
            server = mock
        }
        var control: ControlServer?
        if let controlPort {
            let output = pactOut.map { URL(fileURLWithPath: $0) } ?? PactFileWriter.defaultDirectory()
            let api = ControlServer(defaults: MockServerConfiguration(host: host, port: 0, cors: cors), outputDirectory: output,
                                    maxServers: maxServers, openAPIFactory: OpenAPIMock.controlFactory)
            do {
                let bound = try await api.start(host: controlHost, port: controlPort)
                Terminal.print("Control API listening on http://\(controlHost):\(bound)")
                Terminal.print("The control API writes pacts in \(output.path)")
            } catch {
                await server?.stop()
                throw CLIFailure.invalid(error.description)
            }
            if let server {
                let id = api.adopt(server)
                Terminal.print("The served pacts are mock server \(id) on the control API")
            }
            control = api
        }
        await termination.wait()
        if let server {
            await server.stop()
            let report = server.report()
            Terminal.print(report.description)
        }
        await control?.stop()
    }

    /// Serves an OpenAPI document until a signal arrives.
    private func serveOpenAPI(_ path: String, termination: TerminationSignals) async throws {
        let document: OpenAPIDocument
        do { document = try OpenAPIDocument(contentsOf: path) } catch { throw CLIFailure.invalid(error.description) }
        var configuration = MockServerConfiguration(host: host, port: port, cors: cors)
        if !quiet {
            configuration.requestLog = { request, _, response in
                let query = request.rawQuery.map { "?" + $0 } ?? ""
                Terminal.print("\(request.method) \(request.path)\(query) -> \(response.status)")
            }
        }
        let mock = OpenAPIMock(document: document, configuration: configuration)
        do {
            let url = try await mock.start()
            Terminal.print("Mock server listening on \(url.absoluteString) (OpenAPI: \(document.title) \(document.version), \(document.operations.count) operation(s))")
        } catch {
            throw CLIFailure.invalid(error.description)
        }
        await termination.wait()
        await mock.stop()
    }

    /// The simulation from --simulation, --delay, --fault and --seed; nil when none is asked for.
    func simulationSettings() throws -> Simulation? {
        var rules: [SimulationRule] = []
        var fileSeed: UInt64?
        if let simulation {
            guard let data = FileManager.default.contents(atPath: simulation) else {
                throw CLIFailure.invalid("\(simulation): the simulation file could not be read; check the path")
            }
            do {
                let parsed = try Simulation(json: try JSONParser.parse(Array(data)))
                rules = parsed.rules
                if (try? JSONParser.parse(Array(data)))?["seed"] != nil { fileSeed = parsed.seed }
            } catch let error as SimulationError {
                throw CLIFailure.invalid("\(simulation): \(error.description)")
            } catch {
                throw CLIFailure.invalid("\(simulation): not valid JSON: \(error)")
            }
        }
        rules += try delay.map { try SimulationRule.delay($0) }
        rules += try fault.map { try SimulationRule.fault($0) }
        guard !rules.isEmpty else { return nil }
        return Simulation(rules: rules, seed: seed ?? fileSeed)
    }

    static let log: @Sendable (HTTPRequest, RequestOutcome, HTTPResponse) -> Void = { request, outcome, response in
        let query = request.rawQuery.map { "?" + $0 } ?? ""
        let result: String
        switch outcome {
        case .matched: result = "matched"
        case .mismatched(_, let mismatches): result = "MISMATCH (\(mismatches.count) difference(s))"
        case .unexpected: result = "UNEXPECTED"
        case .preflight: result = "CORS preflight"
        }
        Terminal.print("\(request.method) \(request.path)\(query) -> \(response.status) \(result)")
    }
}

/// The pipe a signal handler writes to; made once, never changed.
private let terminationPipe: (read: Int32, write: Int32) = {
    var descriptors: [Int32] = [-1, -1]
    _ = pipe(&descriptors)
    return (descriptors[0], descriptors[1])
}()

/// Catches SIGINT and SIGTERM from the moment it is created, so a signal sent while the servers start is not lost.
///
/// The handler only writes a byte to a pipe (the one thing a signal handler may safely do); a plain thread blocked
/// on the pipe turns it into the end of `wait()`.
final class TerminationSignals: @unchecked Sendable {
    private let lock = NSLock()
    private var received = false
    private var continuation: CheckedContinuation<Void, Never>?

    /// Starts catching the signals.
    init() {
        // Touch the pipe here, outside any signal handler, so it exists before a signal can arrive.
        _ = terminationPipe
        for signalNumber in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in
                var byte: UInt8 = 1
                _ = write(terminationPipe.write, &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(signalNumber, &action, nil)
        }
        let thread = Thread { [self] in
            var byte: UInt8 = 0
            while read(terminationPipe.read, &byte, 1) < 0 && errno == EINTR {}
            fire()
        }
        thread.name = "pactctl.signals"
        thread.start()
    }

    private func fire() {
        lock.lock()
        received = true
        let pending = continuation
        continuation = nil
        lock.unlock()
        pending?.resume()
    }

    /// Returns once a signal has arrived (at once if one already has).
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if received {
                lock.unlock()
                continuation.resume()
            } else {
                self.continuation = continuation
                lock.unlock()
            }
        }
    }
}
