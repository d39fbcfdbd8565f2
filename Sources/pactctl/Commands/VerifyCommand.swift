import ArgumentParser
import Foundation
import PactModel
import PactVerifier

/// `pactctl verify`: replays the interactions of pacts against a running provider and reports the differences.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a running provider against pacts.",
        discussion: """
            For each HTTP interaction, sets up its provider states (through --state-change-url), sends the recorded \
            request to the provider and compares the response with the pact. Prints a line per interaction as it \
            completes, then a summary. Failures of pending interactions are shown but do not fail the run. \
            Exit codes: 0 every interaction passed, 1 a verification failure, 2 a usage error or a pact that could \
            not be loaded.
            """
    )

    @Option(name: .customLong("provider-url"), help: "The provider's base URL, such as http://localhost:8080.")
    var providerURL: String

    @Option(name: .long, help: "A pact file to verify (repeatable).")
    var pact: [String] = []

    @Option(name: .customLong("pact-dir"), help: "Verify every *.json pact in this folder (repeatable).")
    var pactDirectory: [String] = []

    @Option(name: .customLong("pact-url"), help: "Fetch a pact from this URL, such as a broker's pact URL (repeatable).")
    var pactURL: [String] = []

    @Option(name: .customLong("state-change-url"), help: "POST provider states here before each interaction.")
    var stateChangeURL: String?

    @Flag(name: .customLong("state-change-teardown"), help: "Also POST a teardown call for each state after each interaction.")
    var stateChangeTeardown = false

    @Flag(name: .customLong("state-change-as-query"), help: "Send the state as query parameters instead of a JSON body.")
    var stateChangeAsQuery = false

    @Option(name: .long, help: ArgumentHelp("Set this header on every request, replacing a recorded one (repeatable).", valueName: "name=value"))
    var header: [String] = []

    @Option(name: .customLong("filter-description"), help: ArgumentHelp("Verify only interactions whose description matches.", valueName: "regex"))
    var filterDescription: String?

    @Option(name: .customLong("filter-state"), help: ArgumentHelp("Verify only interactions with a provider state that matches.", valueName: "regex"))
    var filterState: String?

    @Option(name: .customLong("filter-consumer"), help: ArgumentHelp("Verify only pacts whose consumer name matches.", valueName: "regex"))
    var filterConsumer: String?

    @Flag(name: .customLong("filter-no-state"), help: "Verify only interactions without provider states.")
    var filterNoState = false

    @Option(name: .customLong("request-timeout"), help: ArgumentHelp("The longest each request may take, in milliseconds.", valueName: "ms"))
    var requestTimeout: Int = 30000

    @Option(name: .customLong("base-path"), help: "A path put before every request path, such as /api.")
    var basePath: String?

    @Option(name: .long, help: ArgumentHelp("Write the results as JSON to this file.", valueName: "file"))
    var json: String?

    @Option(name: .long, help: ArgumentHelp("Write the results as JUnit XML to this file.", valueName: "file"))
    var junit: String?

    @Flag(name: .long, help: "Do not check the provider's TLS certificate.")
    var insecure = false

    func validate() throws {
        if pact.isEmpty && pactDirectory.isEmpty && pactURL.isEmpty {
            throw ValidationError("Give at least one pact: --pact FILE, --pact-dir DIR or --pact-url URL.")
        }
        if requestTimeout <= 0 { throw ValidationError("--request-timeout must be a positive number of milliseconds.") }
        for value in header where Self.headerPair(value) == nil {
            throw ValidationError("--header '\(value)' must have the form name=value, such as --header 'Authorization=Bearer abc'.")
        }
    }

    func run() async throws {
        let verifier: Verifier
        do { verifier = try Verifier(options: options()) } catch {
            throw CLIFailure.usage(error.description)
        }
        let sources = pact.map(PactSource.file) + pactDirectory.map(PactSource.directory) + pactURL.map(PactSource.url)
        let loaded: [LoadedPact]
        do { loaded = try await verifier.load(sources) } catch {
            // verify's contract: a pact that cannot be loaded is exit 2, as a usage error is.
            throw CLIFailure(message: error.description, exitCode: 2)
        }
        for pact in loaded {
            for warning in pact.warnings { Terminal.warning("\(pact.pact.consumer) -> \(pact.pact.provider): \(warning)") }
        }
        let report = await verifier.verify(loaded.map(\.pact), progress: VerificationPrinter.print)
        if report.results.isEmpty { Terminal.warning("no interaction was verified; check the pacts and the --filter options") }
        Terminal.print("")
        Terminal.print(report.summary)
        try write(JSONWriter.string(JSONReport.render(report), style: .pretty) + "\n", to: json)
        try write(JUnitReport.render(report), to: junit)
        guard report.isSuccess else {
            throw CLIFailure.invalid("verification failed: \(report.failedCount) of \(report.results.count) interaction(s) did not pass")
        }
    }

    private func options() -> VerifierOptions {
        var options = VerifierOptions(providerBaseURL: providerURL)
        options.basePath = basePath
        options.requestTimeout = .milliseconds(requestTimeout)
        options.verifyTLS = !insecure
        options.headerOverrides = header.compactMap(Self.headerPair)
        options.filters = InteractionFilters(descriptionPattern: filterDescription, providerStatePattern: filterState, consumerPattern: filterConsumer,
                                             onlyWithoutState: filterNoState)
        if let stateChangeURL {
            options.stateChange = .url(stateChangeURL, asQuery: stateChangeAsQuery, teardown: stateChangeTeardown)
        }
        return options
    }

    private func write(_ text: String, to path: String?) throws {
        guard let path else { return }
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) } catch {
            throw CLIFailure.usage("\(path): the report could not be written; check that the folder exists and is writable")
        }
    }

    /// Splits `name=value` at the first `=`; the name must not be empty.
    static func headerPair(_ text: String) -> (name: String, value: String)? {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        let name = text[..<equals].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return nil }
        return (name, String(text[text.index(after: equals)...]))
    }
}
