import Foundation
import PactHTTP
import PactMockServer
import PactModel
import Testing

@Suite("Mock server") struct MockServerTests {
    typealias Support = MockServerTestSupport

    @Test func servesTheMatchingInteractionOnAnOSAssignedPort() async throws {
        let server = MockServer(pact: Support.pact([
            Support.interaction("get account", path: "/accounts/1", responseBody: ["id": 1, "name": "Ada"]),
        ]))
        let url = try await server.start()
        defer { Task { await server.stop() } }
        #expect(url.host == "127.0.0.1")
        #expect((server.port ?? 0) > 0)
        let response = try await Support.request(server, "/accounts/1")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json")
        #expect(try JSONParser.parse(response.body) == ["id": 1, "name": "Ada"])
        await server.stop()
        #expect(server.report().isOK)
    }

    @Test func aMismatchGets500WithXPactHeaderAndTheClosestInteractionsMismatches() async throws {
        let server = MockServer(pact: Support.pact([
            Support.interaction("create account", method: "POST", path: "/accounts", requestBody: ["customerId": "C1"], status: 201),
        ]))
        try await server.start()
        let response = try await Support.request(server, "/accounts", method: "POST", headers: [("Content-Type", "application/json")], body: #"{"customerId": "C2"}"#)
        await server.stop()
        #expect(response.status == 500)
        #expect(response.header("x-pact") == "Request-Mismatch")
        let body = try JSONParser.parse(response.body)
        #expect(body["interaction"] == "create account")
        let first = body["mismatches"]?.arrayValue?.first
        #expect(first?["type"] == "body")
        #expect(first?["path"] == "$.customerId")
        #expect(first?["message"] == "Expected 'C2' (String) to be equal to 'C1' (String)")
        let report = server.report()
        #expect(!report.isOK)
        #expect(report.mismatched.first?.interaction == "create account")
        #expect(report.missing == ["create account"])
        #expect(report.description.contains("$.customerId: Expected 'C2' (String) to be equal to 'C1' (String)"))
    }

    @Test func unexpectedAndMissingRequestsAreReported() async throws {
        let server = MockServer(pact: Support.pact([
            Support.interaction("one", path: "/one"), Support.interaction("two", path: "/two"),
        ]))
        try await server.start()
        #expect(try await Support.request(server, "/one").status == 200)
        let unexpected = try await Support.request(server, "/three", method: "DELETE")
        await server.stop()
        #expect(unexpected.status == 500)
        #expect(unexpected.header("x-pact") == "Request-Mismatch")
        let report = server.report()
        #expect(report.missing == ["two"])
        #expect(report.unexpected.map { "\($0.method) \($0.path)" } == ["DELETE /three"])
        #expect(report.totalRequests == 2)
    }

    @Test func choosesAmongInteractionsWithTheSamePathByQueryAndBody() async throws {
        let server = MockServer(pact: Support.pact([
            Support.interaction("page 1", path: "/items", query: "page=1", responseBody: ["page": 1]),
            Support.interaction("page 2", path: "/items", query: "page=2", responseBody: ["page": 2]),
        ]))
        try await server.start()
        let second = try await Support.request(server, "/items?page=2")
        let first = try await Support.request(server, "/items?page=1")
        await server.stop()
        #expect(try JSONParser.parse(second.body) == ["page": 2])
        #expect(try JSONParser.parse(first.body) == ["page": 1])
        #expect(server.report().isOK)
    }

    @Test func responseGeneratorsIncludingMockServerURLAreApplied() async throws {
        var generators = Generators()
        generators.body = [
            (try PathExpression(parsing: "$.link"), .mockServerURL(example: "http://localhost:1234/accounts/1", regex: ".*(/accounts/\\d+)$")),
            (try PathExpression(parsing: "$.id"), .randomInt(min: 100, max: 999)),
        ]
        let server = MockServer(pact: Support.pact([
            Support.interaction("get", path: "/a", responseBody: ["link": "http://localhost:1234/accounts/1", "id": 1], responseGenerators: generators),
        ]))
        let url = try await server.start()
        let body = try JSONParser.parse(try await Support.request(server, "/a").body)
        await server.stop()
        #expect(body["link"] == .string(url.absoluteString + "/accounts/1"))
        let id = body["id"]?.numberValue?.intValue ?? 0
        #expect((100...999).contains(id))
    }

    @Test func manyServersRunSideBySideAndStayIsolated() async throws {
        var servers: [MockServer] = []
        for index in 0..<20 {
            let server = MockServer(pact: Support.pact([Support.interaction("get \(index)", path: "/n", responseBody: ["n": .number(JSONNumber(index))])]))
            try await server.start()
            servers.append(server)
        }
        #expect(Set(servers.compactMap(\.port)).count == 20)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, server) in servers.enumerated() {
                group.addTask {
                    let body = try JSONParser.parse(try await Support.request(server, "/n").body)
                    #expect(body["n"] == .number(JSONNumber(index)))
                }
            }
            try await group.waitForAll()
        }
        for server in servers {
            await server.stop()
            #expect(server.journal.totalRequests == 1)
            #expect(server.report().isOK)
        }
    }

    @Test func theJournalKeepsCountersForAllRequestsButOnlyTheLastN() async throws {
        let server = MockServer(pact: Support.pact([Support.interaction("get", path: "/a")]),
                                configuration: MockServerConfiguration(journalCapacity: 10))
        try await server.start()
        for _ in 0..<30 { _ = try await Support.request(server, "/a") }
        _ = try await Support.request(server, "/missing")
        await server.stop()
        #expect(server.journal.totalRequests == 31)
        #expect(server.journal.recentEntries.count == 10)
        #expect(server.journal.recentEntries.last?.request.path == "/missing")
        #expect(server.journal.matchCounts == [30])
        #expect(server.journal.problems.count == 1)
    }

    @Test func corsPreflightIsAnsweredWhenEnabled() async throws {
        let server = MockServer(pact: Support.pact([Support.interaction("get", path: "/a")]), configuration: MockServerConfiguration(cors: true))
        try await server.start()
        let preflight = try await Support.request(server, "/a", method: "OPTIONS", headers: [("Origin", "http://app.example"), ("Access-Control-Request-Method", "GET")])
        let actual = try await Support.request(server, "/a", headers: [("Origin", "http://app.example")])
        await server.stop()
        #expect(preflight.status == 204)
        #expect(preflight.header("Access-Control-Allow-Origin") == "http://app.example")
        #expect(preflight.header("Access-Control-Allow-Methods")?.contains("GET") == true)
        #expect(actual.header("Access-Control-Allow-Origin") == "http://app.example")
        #expect(server.report().isOK)
    }
}
