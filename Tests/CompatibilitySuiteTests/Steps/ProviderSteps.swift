import Foundation
import NIOConcurrencyHelpers
import PactMockServer
import PactModel
import PactVerifier

/// Steps of the `http_provider.feature` files: a stand-in provider (a mock server answering with chosen responses),
/// pact files to verify, provider-state callbacks and request filters, then the verifier's results.
enum ProviderSteps {
    /// Calls received by the provider-state callback: (state, action, params).
    final class StateCalls: Sendable {
        let calls = NIOLockedValueBox<[(String, ProviderStateAction, JSONObject)]>([])
        func record(_ state: String, _ action: ProviderStateAction, _ params: JSONObject) {
            calls.withLockedValue { $0.append((state, action, params)) }
        }
        var all: [(String, ProviderStateAction, JSONObject)] { calls.withLockedValue { $0 } }
    }

    static let definitions: [StepDefinition] = [
        StepDefinition("a provider is started that returns the response from interaction {int}") { world, arguments, _ in
            try await startProvider(world, numbers: [try ConsumerSteps.number(arguments[0])], changes: [:])
        },
        StepDefinition("a provider is started that returns the responses from interactions {string}") { world, arguments, _ in
            try await startProvider(world, numbers: arguments[0].split(separator: ",").map { try ConsumerSteps.number(String($0)) }, changes: [:])
        },
        StepDefinition("a provider is started that returns the response from interaction {int}, with the following changes:") { world, arguments, step in
            try await startProvider(world, numbers: [try ConsumerSteps.number(arguments[0])], changes: try world.row(step))
        },
        StepDefinition("a Pact file for interaction {int} is to be verified") { world, arguments, _ in
            try addPact(world, try interaction(world, arguments[0]))
        },
        StepDefinition("a Pact file for interaction {int} is to be verified with a provider state {string} defined") { world, arguments, _ in
            var chosen = try interaction(world, arguments[0])
            chosen.info.providerStates = [ProviderState(arguments[1])]
            try addPact(world, chosen)
        },
        StepDefinition("a Pact file for interaction {int} is to be verified with the following provider states defined:") { world, arguments, step in
            var chosen = try interaction(world, arguments[0])
            chosen.info.providerStates = try world.rows(step).map { row in
                let params = try row["Parameters"].map { text throws -> JSONObject in try JSONParser.parse(text).objectValue ?? JSONObject() } ?? JSONObject()
                return ProviderState(row["State Name"] ?? "", params: params)
            }
            try addPact(world, chosen)
        },
        StepDefinition("a Pact file for interaction {int} is to be verified, but is marked pending") { world, arguments, _ in
            var chosen = try interaction(world, arguments[0])
            chosen.info.pending = true
            try addPact(world, chosen)
        },
        StepDefinition("a Pact file for interaction {int} is to be verified with the following comments:") { world, arguments, step in
            var chosen = try interaction(world, arguments[0])
            var texts: [JSONValue] = []
            for row in try world.rows(step) {
                if row["type"] == "testname" { chosen.info.comments["testname"] = .string(row["comment"] ?? "") } else { texts.append(.string(row["comment"] ?? "")) }
            }
            chosen.info.comments["text"] = .array(texts)
            try addPact(world, chosen)
        },
        StepDefinition("a provider state callback is configured") { world, _, _ in
            world.stateCalls = StateCalls()
        },
        StepDefinition("a provider state callback is configured, but will return a failure") { world, _, _ in
            world.stateCalls = StateCalls()
            world.stateCallbackFails = true
        },
        StepDefinition("a request filter is configured to make the following changes:") { world, _, step in
            world.filterHeaders = CompatibilityWorld.headers(try world.row(step)["headers"] ?? "")
        },
        StepDefinition("the verification is run") { world, _, _ in
            if !world.messages.produced.isEmpty { try await MessageProviderSteps.startStandIn(world) }
            guard let provider = world.mockServer?.url?.absoluteString else { throw StepFailure("no provider was started") }
            var options = VerifierOptions(providerBaseURL: provider, requestTimeout: .seconds(10))
            if let calls = world.stateCalls {
                let fails = world.stateCallbackFails
                options.stateChange = .handlers(StateHandlers([:], fallback: { state, action, params in
                    calls.record(state, action, params)
                    if fails { throw StepFailure("the state callback failed on purpose") }
                    return nil
                }, teardown: true))
                options.stateChangeForInteractionsWithoutStates = true
            }
            let headers = world.filterHeaders
            if !headers.isEmpty {
                options.requestFilter = { request in
                    var changed = request
                    for entry in headers { changed.headers.set(entry.name, entry.values) }
                    return changed
                }
            }
            let verifier = try Verifier(options: options)
            if world.broker != nil {
                world.verification = try await BrokerSteps.verify(world, verifier)
            } else {
                world.verification = try await verifier.verify(world.pactFiles.map { PactSource.file($0.path) })
            }
        },
        StepDefinition("the verification will be successful") { world, _, _ in
            guard let report = world.verification, report.isSuccess else { throw StepFailure("verification failed: \(world.verification?.description ?? "not run")") }
        },
        StepDefinition("the verification will NOT be successful") { world, _, _ in
            guard let report = world.verification, !report.isSuccess else { throw StepFailure("verification succeeded") }
        },
        StepDefinition("the verification results will contain a {string} error") { world, arguments, _ in
            let summaries = world.verification?.results.flatMap(\.errorSummary) ?? []
            guard summaries.contains(where: { $0.contains(arguments[0]) }) else { throw StepFailure("no '\(arguments[0])' among \(summaries)") }
        },
        StepDefinition("there will be a pending {string} error") { world, arguments, _ in
            let pending = world.verification?.pendingFailures.flatMap(\.errorSummary) ?? []
            guard pending.contains(where: { $0.contains(arguments[0]) }) else { throw StepFailure("no pending '\(arguments[0])' among \(pending)") }
        },
        StepDefinition("the provider state callback will be called before the verification is run") { world, _, _ in
            guard world.stateCalls?.all.contains(where: { $0.1 == .setup }) == true else { throw StepFailure("no setup call was made") }
        },
        StepDefinition("the provider state callback will be called after the verification is run") { world, _, _ in
            guard world.stateCalls?.all.contains(where: { $0.1 == .teardown }) == true else { throw StepFailure("no teardown call was made") }
        },
        StepDefinition("the provider state callback will receive a setup call with {string} as the provider state parameter") { world, arguments, _ in
            try expectCall(world, .setup, arguments[0], params: nil)
        },
        StepDefinition("the provider state callback will receive a teardown call {string} as the provider state parameter") { world, arguments, _ in
            try expectCall(world, .teardown, arguments[0], params: nil)
        },
        StepDefinition("the provider state callback will receive a setup call with {string} and the following parameters:") { world, arguments, step in
            try expectCall(world, .setup, arguments[0], params: try parameters(world, step))
        },
        StepDefinition("the provider state callback will receive a teardown call {string} and the following parameters:") { world, arguments, step in
            try expectCall(world, .teardown, arguments[0], params: try parameters(world, step))
        },
        StepDefinition("the provider state callback will NOT receive a teardown call") { world, _, _ in
            guard world.stateCalls?.all.contains(where: { $0.1 == .teardown }) != true else { throw StepFailure("a teardown call was made") }
        },
        StepDefinition("a warning will be displayed that there was no provider state callback configured for provider state {string}") { world, arguments, _ in
            let warnings = world.verification?.results.flatMap(\.warnings) ?? []
            guard warnings.contains(where: { $0.contains("no provider state callback configured") && $0.contains(arguments[0]) }) else {
                throw StepFailure("no such warning among \(warnings)")
            }
        },
        StepDefinition("the request to the provider will contain the header {string}") { world, arguments, _ in
            let pair = arguments[0].split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let requests = world.mockServer?.journal.recentEntries.map(\.request) ?? []
            guard pair.count == 2, requests.contains(where: { $0.headers[pair[0]]?.contains(pair[1]) == true }) else {
                throw StepFailure("no request carried the header \(arguments[0])")
            }
        },
        StepDefinition("the comment {string} will have been printed to the console") { world, arguments, _ in
            guard world.verification?.results.contains(where: { $0.comments.contains(arguments[0]) }) == true else { throw StepFailure("the comment was not reported") }
        },
        StepDefinition("the {string} will displayed as the original test name") { world, arguments, _ in
            guard world.verification?.results.contains(where: { $0.testName == arguments[0] }) == true else { throw StepFailure("the test name was not reported") }
        },
    ]

    static func interaction(_ world: CompatibilityWorld, _ argument: String) throws -> HTTPInteraction {
        let index = try ConsumerSteps.number(argument) - 1
        guard index >= 0 && index < world.interactions.count else { throw StepFailure("there is no interaction \(argument)") }
        return world.interactions[index]
    }

    static func startProvider(_ world: CompatibilityWorld, numbers: [Int], changes: [String: String]) async throws {
        var served: [Interaction] = []
        for number in numbers {
            var chosen = try interaction(world, String(number))
            if let status = changes["response"], let code = Int(status) { chosen.response.status = code }
            if let headers = changes["response headers"] {
                for entry in CompatibilityWorld.headers(headers) { chosen.response.headers.set(entry.name, entry.values) }
            }
            if let description = changes["response body"] {
                let (body, type) = try world.body(description, contentType: nil)
                chosen.response.body = body
                chosen.response.headers.set("Content-Type", [type])
            }
            // The stand-in sends exactly this response; rules and generators belong to the pact under test.
            chosen.response.matchingRules = MatchingRules()
            chosen.response.generators = Generators()
            served.append(.http(chosen))
        }
        let server = MockServer(pact: Pact(consumer: "stand-in", provider: "p", interactions: served))
        try await server.start()
        world.mockServer = server
    }

    static func addPact(_ world: CompatibilityWorld, _ interaction: HTTPInteraction) throws {
        let folder = world.scratch.appendingPathComponent("pacts-\(world.pactFiles.count)")
        let pact = Pact(consumer: "c", provider: "p", interactions: [.http(interaction)], specification: world.specification)
        world.pactFiles.append(try PactFileWriter(directory: folder, specification: world.specification).write(pact))
    }

    static func parameters(_ world: CompatibilityWorld, _ step: GherkinStep) throws -> JSONObject {
        var params = JSONObject()
        for (key, value) in try world.row(step) { params[key] = try JSONParser.parse(value) }
        return params
    }

    static func expectCall(_ world: CompatibilityWorld, _ action: ProviderStateAction, _ state: String, params: JSONObject?) throws {
        let calls = world.stateCalls?.all ?? []
        let found = calls.contains { $0.0 == state && $0.1 == action && (params == nil || $0.2 == params) }
        guard found else { throw StepFailure("no \(action) call for '\(state)' \(params.map { "with \($0)" } ?? ""); calls: \(calls.map { "\($0.1) \($0.0) \($0.2)" })") }
    }
}
