import ArgumentParser
import Foundation
import PactMockServer
import PactModel

/// `pactctl record`: a proxy that captures real traffic as a pact.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Proxy requests to a real provider and write what it saw as a pact.",
        discussion: """
            Point the client at the printed URL. Every distinct exchange becomes an interaction named after its method \
            and path; only the request headers a consumer sets on purpose (Content-Type, Accept, conditional headers) \
            and the response headers that belong to the contract (Content-Type, Location, Retry-After, …) are kept, \
            never credentials. On Ctrl-C or SIGTERM the pact is written (merged into an existing file). Replay it with \
            pactctl mock --pact FILE.
            """
    )

    @Option(name: .long, help: "The provider's base URL, such as http://localhost:8080.")
    var target: String

    @Option(name: .long, help: "The consumer's name in the pact.")
    var consumer: String

    @Option(name: .long, help: "The provider's name in the pact.")
    var provider: String

    @Option(name: .long, help: "The pact file to write (default: Consumer-Provider.json in Contracts/ or PACT_OUTPUT_DIR).")
    var out: String?

    @Option(name: .long, help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "The port; 0 picks a free one.")
    var port: Int = 0

    @Flag(name: .long, help: "Match response bodies by type rather than by value.")
    var matchers = false

    @Option(name: .customLong("pact-spec"), help: "The specification version to write: v2, v3 or v4.")
    var pactSpec: String = "v4"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        if consumer.trimmingCharacters(in: .whitespaces).isEmpty || provider.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--consumer and --provider cannot be empty")
        }
    }

    func run() async throws {
        let specification = try PactFiles.specification(pactSpec)
        let termination = TerminationSignals()
        let proxy: RecordingProxy
        do {
            proxy = try RecordingProxy(target: target, consumer: consumer, provider: provider, suggestMatchers: matchers,
                                       configuration: MockServerConfiguration(host: host, port: port))
        } catch {
            throw CLIFailure.usage(error.description)
        }
        let url: URL
        do { url = try await proxy.start() } catch { throw CLIFailure.invalid(error.description) }
        Terminal.print("Recording proxy listening on \(url.absoluteString) (forwarding to \(proxy.target))")
        await termination.wait()
        await proxy.stop()
        let pact = proxy.pact
        guard !pact.interactions.isEmpty else {
            Terminal.print("Nothing was recorded, so no pact was written")
            return
        }
        let file = out.map { URL(fileURLWithPath: $0) }
        let writer = PactFileWriter(directory: file?.deletingLastPathComponent() ?? PactFileWriter.defaultDirectory(), specification: specification,
                                    tool: ("pactctl", PactctlVersion.current))
        do {
            let written = try writer.write(pact, to: file)
            Terminal.print("Recorded \(pact.interactions.count) interaction(s) into \(written.path)")
        } catch {
            throw CLIFailure.invalid(error.description)
        }
    }
}
