import ArgumentParser
import Foundation
import PactBrokerClient
import PactModel
import PactVerifier

/// `pactctl verify`: replays the interactions of pacts against a running provider and reports the differences.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a running provider against pacts.",
        discussion: """
            For each HTTP interaction, sets up its provider states (through --state-change-url), sends the recorded \
            request to the provider and compares the response with the pact. For each message interaction, asks the \
            provider for the message (see --message-path) and compares its contents and metadata. Prints a line per interaction as it \
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

    @Option(name: .customLong("message-path"),
            help: "For message interactions, POST {description, providerStates} to this path below the provider URL (default /); the answer is the message.")
    var messagePath: String?

    @Option(name: .customLong("message-url"), help: "For message interactions, POST to this URL instead, for a message producer apart from the provider.")
    var messageURL: String?

    @Option(name: .long, help: ArgumentHelp("Write the results as JSON to this file.", valueName: "file"))
    var json: String?

    @Option(name: .long, help: ArgumentHelp("Write the results as JUnit XML to this file.", valueName: "file"))
    var junit: String?

    @Flag(name: .long, help: "Do not check the provider's TLS certificate.")
    var insecure = false

    @Option(name: .customLong("broker-url"), help: "Fetch the pacts to verify from this broker (or PACT_BROKER_BASE_URL with --provider).")
    var brokerURL: String?

    @Option(name: .long, help: "The provider's name, for the broker.")
    var provider: String?

    @Option(name: .customLong("consumer-version-selectors"), help: ArgumentHelp("A selector as JSON, such as '{\"mainBranch\": true}' (repeatable).", valueName: "json"))
    var consumerVersionSelectors: [String] = []

    @Flag(name: .customLong("enable-pending"), help: "Ask the broker which pacts are pending; their failures do not fail the run.")
    var enablePending = false

    @Option(name: .customLong("include-wip-pacts-since"), help: ArgumentHelp("Also verify work-in-progress pacts created since this date.", valueName: "YYYY-MM-DD"))
    var includeWipPactsSince: String?

    @Flag(name: .long, help: "Publish the results to the broker (needs --provider-app-version).")
    var publish = false

    @Option(name: .customLong("provider-app-version"), help: "The provider version the results are for.")
    var providerAppVersion: String?

    @Option(name: .customLong("provider-branch"), help: "The provider version's branch.")
    var providerBranch: String?

    @Option(name: .customLong("provider-tags"), help: "A tag for the provider version (repeatable).")
    var providerTags: [String] = []

    @Option(name: .customLong("build-url"), help: "The CI build, published with the results.")
    var buildURL: String?

    @Option(name: .customLong("broker-username"), help: "Basic-auth user for the broker (or PACT_BROKER_USERNAME).")
    var brokerUsername: String?

    @Option(name: .customLong("broker-password"), help: "Basic-auth password (or PACT_BROKER_PASSWORD).")
    var brokerPassword: String?

    @Option(name: .customLong("broker-token"), help: "Bearer token (or PACT_BROKER_TOKEN).")
    var brokerToken: String?

    func validate() throws {
        if pact.isEmpty && pactDirectory.isEmpty && pactURL.isEmpty && brokerURL == nil && provider == nil {
            throw ValidationError("Give at least one pact: --pact FILE, --pact-dir DIR, --pact-url URL, or --broker-url URL with --provider NAME.")
        }
        if brokerURL != nil && provider == nil { throw ValidationError("--broker-url needs --provider NAME.") }
        if publish && providerAppVersion == nil { throw ValidationError("--publish needs --provider-app-version.") }
        if publish && brokerURL == nil && provider == nil { throw ValidationError("--publish works with pacts from a broker (--broker-url and --provider).") }
        for selector in consumerVersionSelectors {
            guard let value = try? JSONParser.parse(selector), value.objectValue != nil else {
                throw ValidationError("--consumer-version-selectors '\(selector)' is not a JSON object such as '{\"mainBranch\": true}'.")
            }
        }
        if messagePath != nil && messageURL != nil { throw ValidationError("Give --message-path or --message-url, not both.") }
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
        if let provider {
            return try await verifyFromBroker(verifier, provider: provider)
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

    /// Verifies the pacts the broker selects, printing its notices and publishing results when asked.
    private func verifyFromBroker(_ verifier: Verifier, provider: String) async throws {
        let configuration: BrokerClientConfiguration
        do {
            configuration = try BrokerClientConfiguration.resolve(baseURL: brokerURL, username: brokerUsername, password: brokerPassword, token: brokerToken)
        } catch {
            throw CLIFailure.usage(error.description)
        }
        let options = BrokerVerificationOptions(
            provider: provider, selectors: consumerVersionSelectors.compactMap { try? JSONParser.parse($0) }, providerBranch: providerBranch,
            providerTags: providerTags, includePending: enablePending, includeWipPactsSince: includeWipPactsSince,
            publishVersion: publish ? providerAppVersion : nil, buildURL: buildURL, verifierVersion: PactctlVersion.current)
        let report: VerificationReport
        do {
            report = try await verifier.verify(fromBroker: BrokerClient(configuration: configuration), options) { event in
                switch event {
                case .notice(let text): Terminal.print(text)
                case .result(let result): VerificationPrinter.print(result)
                case .published(let consumer): Terminal.print("Published the results for \(consumer) to the broker")
                case .publishFailed(let consumer, let reason): Terminal.warning("the results for \(consumer) could not be published: \(reason)")
                }
            }
        } catch {
            if case .invalidPact = error { throw CLIFailure(message: error.description, exitCode: 2) }
            throw CLIFailure.invalid(error.description)
        }
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
        options.messages = messageURL.map(MessageProducer.url) ?? .http(path: messagePath ?? "/")
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
