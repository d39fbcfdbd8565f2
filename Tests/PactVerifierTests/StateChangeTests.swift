import Foundation
import PactMockServer
import PactModel
import PactVerifier
import Testing

/// Provider states: set-up and teardown through a state change URL or in-process handlers, and their values.
@Suite struct StateChangeTests {
    typealias Support = VerifierTestSupport

    static let jsonHeaders = #"{"Content-Type": ["application/json"]}"#
    static let pathGenerator = #", "generators": {"path": {"type": "ProviderState", "expression": "/items/${id}"}}"#

    /// A `POST /provider-states` interaction that accepts exactly this JSON body.
    static func stateCall(_ body: String, status: Int = 200, responseBody: String? = nil) -> String {
        Support.interaction("state call \(body.replacingOccurrences(of: "\"", with: "'"))", method: "POST", path: "/provider-states", requestHeaders: jsonHeaders, requestBody: body,
                            status: status, responseHeaders: responseBody == nil ? "{}" : jsonHeaders, responseBody: responseBody)
    }

    @Test func theStateChangeURLGetsJSONSetupCallsInOrderThenTeardownsInReverse() async throws {
        // One stand-in plays both the provider and its state change endpoint, so its journal shows the order of all calls.
        let server = try await Support.provider(try Support.pact(interactions: """
        [\(Self.stateCall(#"{"state": "s1", "params": {"id": 1}, "action": "setup"}"#)),
         \(Self.stateCall(#"{"state": "s2", "params": {}, "action": "setup"}"#)),
         \(Self.stateCall(#"{"state": "s1", "params": {"id": 1}, "action": "teardown"}"#)),
         \(Self.stateCall(#"{"state": "s2", "params": {}, "action": "teardown"}"#)),
         \(Support.interaction("x", path: "/a"))]
        """))
        defer { Task { await server.stop() } }
        let pact = try Support.pact(interactions: "[\(Support.interaction("x", path: "/a", states: #"[{"name": "s1", "params": {"id": 1}}, {"name": "s2"}]"#))]")
        var options = Support.options(server)
        options.stateChange = .url(Support.baseURL(server) + "/provider-states", teardown: true)
        let report = try await Verifier(options: options).verify([pact])
        #expect(report.isSuccess, "\(report)")
        #expect(Support.received(server) == [
            #"{"action":"setup","params":{"id":1},"state":"s1"}"#,
            #"{"action":"setup","params":{},"state":"s2"}"#,
            "",
            #"{"action":"teardown","params":{},"state":"s2"}"#,
            #"{"action":"teardown","params":{"id":1},"state":"s1"}"#,
        ])
        #expect(server.journal.recentEntries.map(\.request.headers).allSatisfy { $0.first("Content-Type") != "text/plain" })
    }

    @Test func withoutTeardownOnlySetupCallsAreMade() async throws {
        let server = try await Support.provider(try Support.pact(interactions: """
        [\(Self.stateCall(#"{"state": "s1", "params": {}, "action": "setup"}"#)), \(Support.interaction("x", path: "/a"))]
        """))
        defer { Task { await server.stop() } }
        var options = Support.options(server)
        options.stateChange = .url(Support.baseURL(server) + "/provider-states")
        let report = try await Verifier(options: options).verify([try Support.pact(interactions: "[\(Support.interaction("x", path: "/a", states: #"[{"name": "s1"}]"#))]")])
        #expect(report.isSuccess, "\(report)")
        #expect(server.journal.totalRequests == 2)
    }

    @Test func theStateCanBeSentAsQueryParametersWithNoBody() async throws {
        let setup = #"""
        {"type": "Synchronous/HTTP", "description": "setup", "request": {"method": "POST", "path": "/provider-states",
          "query": {"state": ["account exists"], "action": ["setup"], "id": ["7"]}}, "response": {"status": 204}}
        """#
        let server = try await Support.provider(try Support.pact(interactions: "[\(setup), \(Support.interaction("x", path: "/a"))]"))
        defer { Task { await server.stop() } }
        var options = Support.options(server)
        options.stateChange = .url(Support.baseURL(server) + "/provider-states", asQuery: true)
        let pact = try Support.pact(interactions: "[\(Support.interaction("x", path: "/a", states: #"[{"name": "account exists", "params": {"id": 7}}]"#))]")
        let report = try await Verifier(options: options).verify([pact])
        #expect(report.isSuccess, "\(report)")
        let call = try #require(server.journal.recentEntries.first?.request)
        #expect(call.rawQuery == "state=account%20exists&action=setup&id=7")
        #expect(!call.body.isPresent)
    }

    @Test func aFailingStateChangeFailsTheInteractionWithoutReplayingIt() async throws {
        let server = try await Support.provider(try Support.pact(interactions: """
        [\(Self.stateCall(#"{"state": "s1", "params": {}, "action": "setup"}"#)),
         \(Self.stateCall(#"{"state": "s2", "params": {}, "action": "setup"}"#, status: 500, responseBody: #"{"error": "database down"}"#)),
         \(Self.stateCall(#"{"state": "s1", "params": {}, "action": "teardown"}"#)),
         \(Support.interaction("x", path: "/a"))]
        """))
        defer { Task { await server.stop() } }
        var options = Support.options(server)
        options.stateChange = .url(Support.baseURL(server) + "/provider-states", teardown: true)
        let pact = try Support.pact(interactions: "[\(Support.interaction("x", path: "/a", states: #"[{"name": "s1"}, {"name": "s2"}]"#))]")
        let report = try await Verifier(options: options).verify([pact])
        let result = try #require(report.results.first)
        guard case .error(let message) = result.outcome else { Issue.record("expected an error, got \(result.outcome)"); return }
        #expect(message.hasPrefix("State change request failed: s2: "))
        #expect(message.contains("HTTP 500"))
        #expect(message.contains("database down"))
        #expect(result.errorSummary.first == "State change request failed")
        #expect(!report.isSuccess)
        // s1 was set up, so it is torn down; s2 never was, and the request was not replayed.
        #expect(Support.received(server) == [
            #"{"action":"setup","params":{},"state":"s1"}"#,
            #"{"action":"setup","params":{},"state":"s2"}"#,
            #"{"action":"teardown","params":{},"state":"s1"}"#,
        ])
    }

    @Test func anUnreachableStateChangeURLFailsTheInteractionQuickly() async throws {
        let provider = try await Support.provider(try Support.pact(interactions: "[\(Support.interaction("x", path: "/a"))]"))
        defer { Task { await provider.stop() } }
        var options = Support.options(provider)
        options.stateChange = .url("http://127.0.0.1:\(SilentServer.closedPort())/provider-states")
        // A refused connection must fail at once, not after the request timeout. The bound is half that timeout, not a
        // few seconds: the suite shares two cores with other tests, and a starved thread is not a hang.
        options.requestTimeout = .seconds(60)
        let clock = ContinuousClock()
        let start = clock.now
        let report = try await Verifier(options: options).verify([try Support.pact(interactions: "[\(Support.interaction("x", path: "/a", states: #"[{"name": "s1"}]"#))]")])
        #expect(clock.now - start < .seconds(30))
        #expect(report.results.first?.errorSummary.first == "State change request failed")
        #expect(provider.journal.totalRequests == 0)
    }

    @Test func valuesReturnedByTheStateChangeFeedProviderStateGenerators() async throws {
        let server = try await Support.provider(try Support.pact(interactions: """
        [\(Self.stateCall(#"{"state": "an item exists", "params": {"id": 1}, "action": "setup"}"#, responseBody: #"{"id": 42}"#)),
         \(Support.interaction("item", path: "/items/42"))]
        """))
        defer { Task { await server.stop() } }
        let generated = Support.interaction("item", path: "/items/1", states: #"[{"name": "an item exists", "params": {"id": 1}}]"#,
                                            requestExtra: Self.pathGenerator)
        let pact = try Support.pact(interactions: "[\(generated)]")
        var options = Support.options(server)
        options.stateChange = .url(Support.baseURL(server) + "/provider-states")
        let report = try await Verifier(options: options).verify([pact])
        #expect(report.isSuccess, "\(report)")
        #expect(server.journal.recentEntries.last?.request.path == "/items/42")
    }

    @Test func stateParametersFeedGeneratorsEvenWithoutAStateChange() async throws {
        let server = try await Support.provider(try Support.pact(interactions: "[\(Support.interaction("item", path: "/items/7"))]"))
        defer { Task { await server.stop() } }
        let generated = Support.interaction("item", path: "/items/1", states: #"[{"name": "an item exists", "params": {"id": 7}}]"#,
                                            requestExtra: Self.pathGenerator)
        let report = try await Verifier(options: Support.options(server)).verify([try Support.pact(interactions: "[\(generated)]")])
        let result = try #require(report.results.first)
        #expect(result.outcome == .passed)
        #expect(result.warnings == ["no provider state callback configured for provider state 'an item exists'"])
    }

    @Test func withNoStateChangeConfiguredAStatefulInteractionIsReplayedWithAWarning() async throws {
        let provider = try await Support.provider(try Support.pact(interactions: "[\(Support.interaction("x", path: "/a"))]"))
        defer { Task { await provider.stop() } }
        let pact = try Support.pact(interactions: "[\(Support.interaction("x", path: "/a", states: #"[{"name": "state one"}]"#))]")
        let report = try await Verifier(options: Support.options(provider)).verify([pact])
        #expect(report.isSuccess)
        #expect(report.results.first?.warnings == ["no provider state callback configured for provider state 'state one'"])
    }

    @Test func handlersAreCalledByNameWithAFallbackAndTornDownInReverse() async throws {
        let server = try await Support.provider(try Support.pact(interactions: "[\(Support.interaction("item", path: "/items/42"))]"))
        defer { Task { await server.stop() } }
        let calls = Recorder<String>()
        let handlers = StateHandlers(
            ["an item exists": { action, params in
                calls.append("\(action.rawValue) an item exists \(JSONWriter.string(.object(params), style: .compactSorted))")
                return action == .setup ? ["id": 42] : nil
            }],
            fallback: { name, action, _ in
                calls.append("\(action.rawValue) fallback \(name)")
                return nil
            },
            teardown: true
        )
        var options = Support.options(server)
        options.stateChange = .handlers(handlers)
        let generated = Support.interaction("item", path: "/items/1", states: #"[{"name": "an item exists", "params": {"id": 1}}, {"name": "the user is logged in"}]"#,
                                            requestExtra: Self.pathGenerator)
        let report = try await Verifier(options: options).verify([try Support.pact(interactions: "[\(generated)]")])
        #expect(report.isSuccess, "\(report)")
        #expect(calls.values == [
            #"setup an item exists {"id":1}"#,
            "setup fallback the user is logged in",
            "teardown fallback the user is logged in",
            #"teardown an item exists {"id":1}"#,
        ])
    }

    @Test func aThrowingHandlerFailsTheInteraction() async throws {
        struct Broken: Error, CustomStringConvertible { var description: String { "no database" } }
        let provider = try await Support.provider(try Support.pact(interactions: "[\(Support.interaction("x", path: "/a"))]"))
        defer { Task { await provider.stop() } }
        var options = Support.options(provider)
        options.stateChange = .handlers(StateHandlers(["s1": { _, _ in throw Broken() }]))
        let report = try await Verifier(options: options).verify([try Support.pact(interactions: "[\(Support.interaction("x", path: "/a", states: #"[{"name": "s1"}]"#))]")])
        #expect(report.results.first?.outcome == .error("State change request failed: s1: the setup handler threw: no database"))
        #expect(provider.journal.totalRequests == 0)
    }

    @Test func aStateWithoutAHandlerOrFallbackIsAWarning() async throws {
        let provider = try await Support.provider(try Support.pact(interactions: "[\(Support.interaction("x", path: "/a"))]"))
        defer { Task { await provider.stop() } }
        var options = Support.options(provider)
        options.stateChange = .handlers(StateHandlers(["other": { _, _ in nil }]))
        let report = try await Verifier(options: options).verify([try Support.pact(interactions: "[\(Support.interaction("x", path: "/a", states: #"[{"name": "s1"}]"#))]")])
        #expect(report.isSuccess)
        #expect(report.results.first?.warnings.first?.contains("no provider state handler for provider state 's1'") == true)
    }

    @Test func interactionsWithoutStatesCanStillGetAnEmptyStateCall() async throws {
        let provider = try await Support.provider(try Support.pact(interactions: "[\(Support.interaction("x", path: "/a"))]"))
        defer { Task { await provider.stop() } }
        let calls = Recorder<String>()
        var options = Support.options(provider)
        options.stateChange = .handlers(StateHandlers(fallback: { name, action, _ in calls.append("\(action.rawValue) '\(name)'"); return nil }, teardown: true))
        let pact = try Support.pact(interactions: "[\(Support.interaction("x", path: "/a"))]")
        _ = try await Verifier(options: options).verify([pact])
        #expect(calls.values.isEmpty, "off by default")
        options.stateChangeForInteractionsWithoutStates = true
        _ = try await Verifier(options: options).verify([pact])
        #expect(calls.values == ["setup ''", "teardown ''"])
    }
}
