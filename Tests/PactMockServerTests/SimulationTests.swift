import Foundation
import TestSupport
import PactHTTP
import PactMockServer
import PactModel
import Testing

/// Latency, faults and the seed that replays them, through the mock server's public interface and real sockets.
@Suite("Simulation: latency and faults") struct SimulationTests {
    typealias Support = MockServerTestSupport

    static let pact = Support.pact([
        Support.interaction("get an account", path: "/accounts/1", responseBody: ["id": 1, "name": "A long enough body to dribble"]),
        Support.interaction("get the health", path: "/health", responseBody: ["ok": true]),
    ])

    /// What a raw socket saw: the bytes, when each read arrived, and the error that ended the exchange.
    struct RawExchange {
        var bytes: [UInt8] = []
        var readTimes: [TimeInterval] = []
        var error: Int32 = 0
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    static func raw(port: Int, _ request: String = "GET /accounts/1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n") -> RawExchange {
        var exchange = RawExchange()
        let socket: RawSocket
        do { socket = try RawSocket(port: port, readTimeout: 10) } catch { exchange.error = error.code; return exchange }
        let started = Date()
        socket.send(request)
        (exchange.bytes, exchange.error) = socket.receiveAll { exchange.readTimes.append(Date().timeIntervalSince(started)) }
        return exchange
    }

    static func server(_ simulation: Simulation?) async throws -> MockServer {
        let server = MockServer(pact: pact, configuration: MockServerConfiguration(simulation: simulation))
        try await server.start()
        return server
    }

    @Test func aThousandLognormalDelaysHaveTheConfiguredMedianWithoutBlockingEachOther() async throws {
        let median = 1000.0, sigma = 0.3
        // Only /accounts/1 is delayed; /health answers at once, so its round trips measure what the machine adds to
        // every request at that moment (the suite runs beside other tests).
        let configuration = MockServerConfiguration(journalCapacity: 2000,
                                                    simulation: Simulation(rules: [SimulationRule(.path("/accounts/*"), delay: .lognormal(median: median, sigma: sigma))], seed: 11))
        let server = MockServer(pact: Self.pact, configuration: configuration)
        try await server.start()
        defer { Task { await server.stop() } }
        let base = try #require(server.url?.absoluteString)
        let client = HTTPClient(configuration: HTTPClientConfiguration(requestTimeout: .seconds(60)))
        defer { client.shutdown() }
        let started = Date()
        let measured = try await withThrowingTaskGroup(of: (delayed: [Double], plain: [Double]).self) { group in
            for _ in 0..<100 {
                group.addTask {
                    var delayed: [Double] = [], plain: [Double] = []
                    for _ in 0..<10 {
                        for (path, isDelayed) in [("/accounts/1", true), ("/health", false)] {
                            let begin = Date()
                            let response = try await client.send(HTTPClientRequest(url: base + path))
                            guard response.status == 200 else { throw CocoaError(.fileReadUnknown) }
                            let milliseconds = Date().timeIntervalSince(begin) * 1000
                            if isDelayed { delayed.append(milliseconds) } else { plain.append(milliseconds) }
                        }
                    }
                    return (delayed, plain)
                }
            }
            return try await group.reduce(into: (delayed: [Double](), plain: [Double]())) { $0.delayed += $1.delayed; $0.plain += $1.plain }
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(measured.delayed.count == 1000)

        // The shape: the journal names the delay drawn for each request, whatever the machine's load did to the wire.
        let entries = server.journal.recentEntries
        let drawn = entries.filter { $0.request.path == "/accounts/1" }.compactMap { $0.simulated?.addedDelayMilliseconds }.sorted()
        #expect(drawn.count == 1000)
        #expect(entries.filter { $0.request.path == "/health" }.allSatisfy { $0.simulated == nil }, "undelayed requests carry no simulation")
        try #require(drawn.count == 1000)
        #expect(abs(drawn[500] - median) / median < 0.05, "drawn median \(drawn[500]) ms for a configured \(median) ms")
        // The 90th percentile of a log-normal is median · e^(1.2816 σ): 1,469 ms here, where a fixed delay gives 1,000.
        let expectedP90 = median * exp(1.2816 * sigma)
        #expect(abs(drawn[900] - expectedP90) / expectedP90 < 0.08, "drawn p90 \(drawn[900]) ms, expected about \(expectedP90) ms")

        // The wire: every delayed response waited at least what was drawn. Load can only lengthen a round trip, so
        // the lower bounds are tight and the upper bound is loose.
        let overhead = measured.plain.sorted()[measured.plain.count / 2]
        let waited = measured.delayed.sorted()
        #expect(waited[0] >= drawn[0] - 1, "the shortest delayed round trip \(waited[0]) ms is shorter than the shortest delay drawn, \(drawn[0]) ms")
        #expect(waited[500] >= drawn[500] - 1 && waited[500] - overhead < drawn[500] * 1.5,
                "round-trip median \(waited[500]) ms (\(overhead) ms of it the machine's) for a drawn median of \(drawn[500]) ms")
        #expect(waited[900] >= drawn[900] - 1, "round-trip p90 \(waited[900]) ms for a drawn p90 of \(drawn[900]) ms")
        // 1,000 delays of ~1 s one after another would take 1,000 s; 100 clients in parallel need about 10 s.
        #expect(elapsed < 100, "delays must not block other connections: \(elapsed) s")
    }

    @Test func theSeedReplaysTheSameFaultsAndAnotherSeedDoesNot() async throws {
        func statuses(seed: UInt64) async throws -> [Int] {
            let server = try await Self.server(Simulation(rules: [SimulationRule(fault: Fault(.status(code: 503, retryAfterSeconds: 1), rate: 0.5))], seed: seed))
            var seen: [Int] = []
            for _ in 0..<40 { seen.append(try await Support.request(server, "/health").status) }
            await server.stop()
            return seen
        }
        let first = try await statuses(seed: 42)
        let again = try await statuses(seed: 42)
        let other = try await statuses(seed: 43)
        #expect(first == again)
        #expect(first != other)
        #expect(Set(first) == [200, 503])
    }

    @Test func errorsAreInjectedAtTheConfiguredRateWithRetryAfter() async throws {
        let server = try await Self.server(Simulation(rules: [SimulationRule(.path("/health"), fault: try Fault(parsing: "status:429:3@20%"))], seed: 5))
        defer { Task { await server.stop() } }
        var injected = 0
        for _ in 0..<500 {
            let response = try await Support.request(server, "/health")
            if response.status == 429 {
                injected += 1
                #expect(response.header("Retry-After") == "3")
            }
        }
        #expect((70...130).contains(injected), "\(injected) of 500 at a 20% rate")
        #expect(try await Support.request(server, "/accounts/1").status == 200, "the rule's path scope leaves other paths alone")
        #expect(server.journal.totalRequests == 501, "injected errors are still journaled")
    }

    @Test func connectionFaultsBreakTheExchangeAsNamed() async throws {
        let reset = try await Self.server(Simulation(rules: [SimulationRule(fault: Fault(.connectionReset))]))
        let resetPort = try #require(reset.port)
        let resetSeen = Self.raw(port: resetPort)
        #expect(resetSeen.bytes.isEmpty && resetSeen.error == ECONNRESET, "errno \(resetSeen.error)")
        await reset.stop()

        let empty = try await Self.server(Simulation(rules: [SimulationRule(fault: Fault(.emptyResponse))]))
        let emptySeen = Self.raw(port: try #require(empty.port))
        #expect(emptySeen.bytes.isEmpty && emptySeen.error == 0, "closed cleanly with nothing written")
        await empty.stop()

        let malformed = try await Self.server(Simulation(rules: [SimulationRule(fault: Fault(.malformedChunk))]))
        let malformedSeen = Self.raw(port: try #require(malformed.port))
        #expect(malformedSeen.text.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(malformedSeen.text)")
        #expect(malformedSeen.text.contains("Transfer-Encoding: chunked\r\n\r\nzz\r\n"), "\(malformedSeen.text)")
        await malformed.stop()

        let garbage = try await Self.server(Simulation(rules: [SimulationRule(fault: Fault(.randomData))], seed: 9))
        let garbageSeen = Self.raw(port: try #require(garbage.port))
        #expect((16...512).contains(garbageSeen.bytes.count), "\(garbageSeen.bytes.count) bytes")
        #expect(!garbageSeen.text.hasPrefix("HTTP/"))
        await garbage.stop()

        // A client sees these as transport errors, not responses.
        let client = try await Self.server(Simulation(rules: [SimulationRule(.interaction("get an account"), fault: Fault(.emptyResponse))]))
        await #expect(throws: HTTPClientError.self) { _ = try await Support.request(client, "/accounts/1") }
        #expect(try await Support.request(client, "/health").status == 200, "the interaction scope leaves the others alone")
        await client.stop()
    }

    @Test func aDribbledBodyArrivesInPiecesOverTheDuration() async throws {
        let server = try await Self.server(Simulation(rules: [SimulationRule(delay: .chunked(chunks: 4, milliseconds: 2000))]))
        defer { Task { await server.stop() } }
        let seen = Self.raw(port: try #require(server.port))
        #expect(seen.text.hasPrefix("HTTP/1.1 200 OK"))
        #expect(seen.text.hasSuffix(#""name":"A long enough body to dribble"}"#) || seen.text.hasSuffix("}"), "\(seen.text)")
        let first = try #require(seen.readTimes.first), last = try #require(seen.readTimes.last)
        #expect(last - first > 1.2, "the head comes first and the body is spread over the duration: \(seen.readTimes)")
        #expect(seen.readTimes.count >= 3, "\(seen.readTimes)")
    }

    @Test func theMostSpecificRuleWinsAndSettingTheSimulationAppliesAtOnce() async throws {
        let server = try await Self.server(Simulation(rules: [
            SimulationRule(.interaction("get the health"), delay: .fixed(milliseconds: 0)),
            SimulationRule(delay: .fixed(milliseconds: 2000)),
            SimulationRule(.path("/acc*/**"), fault: Fault(.status(code: 502, retryAfterSeconds: nil))),
        ]))
        defer { Task { await server.stop() } }
        // Sent together, so a loaded machine slows both alike: the interaction's own rule (no delay) must answer
        // first, and the global delay must still hold back the other interaction (whose path rule adds a 502).
        let began = Date()
        async let fast: (Int, Date) = (try await Support.request(server, "/health").status, Date())
        async let slow: (Int, Date) = (try await Support.request(server, "/accounts/1").status, Date())
        let (fastStatus, fastDone) = try await fast
        let (slowStatus, slowDone) = try await slow
        #expect(fastStatus == 200 && slowStatus == 502)
        #expect(fastDone < slowDone, "the interaction's own rule beats the global delay")
        #expect(slowDone.timeIntervalSince(began) >= 1.99, "the global delay still applies to the other interaction")

        server.simulation = nil
        #expect(try await Support.request(server, "/accounts/1").status == 200, "a new simulation (here none) applies to the next request")
    }

    @Test func delaysAndFaultsAreReadFromTextWithClearErrors() throws {
        #expect(try Delay(parsing: "fixed:200") == .fixed(milliseconds: 200))
        #expect(try Delay(parsing: "uniform:10,30") == .uniform(min: 10, max: 30))
        #expect(try Delay(parsing: "lognormal:150,0.4") == .lognormal(median: 150, sigma: 0.4))
        #expect(try Delay(parsing: "dribble:5,1000") == .chunked(chunks: 5, milliseconds: 1000))
        #expect(try Delay(parsing: Delay.lognormal(median: 150, sigma: 0.4).description) == .lognormal(median: 150, sigma: 0.4))
        for bad in ["", "fixed", "fixed:-1", "uniform:30,10", "lognormal:0,1", "gaussian:1,2", "chunked:0,100", "fixed:99999999"] {
            #expect(throws: SimulationError.self, "\(bad)") { try Delay(parsing: bad) }
        }
        #expect(try Fault(parsing: "reset") == Fault(.connectionReset))
        #expect(try Fault(parsing: "status:503:2@5%") == Fault(.status(code: 503, retryAfterSeconds: 2), rate: 0.05))
        #expect(try Fault(parsing: "random-data@0.25") == Fault(.randomData, rate: 0.25))
        do {
            _ = try Fault(parsing: "explode")
            Issue.record("an unknown fault was accepted")
        } catch {
            #expect(error.description.contains("connection-reset, empty-response, malformed-chunk, random-data and status:CODE"))
        }
        for bad in ["status:99", "status:503:x", "reset@150%", "reset@-1", "status"] {
            #expect(throws: SimulationError.self, "\(bad)") { try Fault(parsing: bad) }
        }
        let scoped = try SimulationRule.delay("interaction:a = b=fixed:5")
        #expect(scoped.scope == .interaction("a = b") && scoped.delay == .fixed(milliseconds: 5))
        #expect(try SimulationRule.fault("/api/**=empty").scope == .path("/api/**"))
    }

    @Test func aSimulationDocumentRoundTripsAndNamesWhereItIsWrong() throws {
        let document = try JSONParser.parse(Array(#"{"seed": 18446744073709551615, "rules": [{"path": "/a/*", "delay": "fixed:10", "fault": "reset@10%"}, {"interaction": "x", "fault": "status:503"}]}"#.utf8))
        let simulation = try Simulation(json: document)
        #expect(simulation.seed == UInt64.max)
        #expect(simulation.rules.count == 2)
        #expect(try Simulation(json: simulation.json) == simulation)
        let cases: [(String, String)] = [
            (#"{"rules": [{"path": "/a", "delay": "soon"}]}"#, "$.rules[0]"),
            (#"{"rules": [{"path": "a", "delay": "fixed:1"}]}"#, "$.rules[0].path"),
            (#"{"rules": [{"path": "/a"}]}"#, "needs a \"delay\" or a \"fault\""),
            (#"{"seed": -1}"#, "$.seed"),
            (#"{"rule": []}"#, "$.rule"),
        ]
        for (text, expected) in cases {
            do {
                _ = try Simulation(json: try JSONParser.parse(Array(text.utf8)))
                Issue.record("accepted \(text)")
            } catch {
                #expect("\(error)".contains(expected), "\(error)")
            }
        }
    }
}
