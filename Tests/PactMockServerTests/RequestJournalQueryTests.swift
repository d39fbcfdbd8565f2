import Foundation
import PactHTTP
import PactMockServer
import PactModel
import Testing

/// Counting and finding received requests by a pattern, in the style of WireMock's verify, with bounded memory.
@Suite("Request journal queries") struct RequestJournalQueryTests {
    typealias Support = MockServerTestSupport

    static let pact = Support.pact([
        Support.interaction("create an order", method: "POST", path: "/orders", requestBody: ["item": "book"], status: 201),
        Support.interaction("list orders", path: "/orders", query: "page=1", responseBody: []),
    ])

    @Test func requestsAreCountedAndFoundByMethodPathQueryHeadersAndBody() async throws {
        let server = MockServer(pact: Self.pact)
        try await server.start()
        defer { Task { await server.stop() } }
        for _ in 0..<3 {
            _ = try await Support.request(server, "/orders", method: "POST", headers: [("Content-Type", "application/json"), ("X-Trace", "abc-1")],
                                          body: #"{"item": "book"}"#)
        }
        _ = try await Support.request(server, "/orders?page=1")
        _ = try await Support.request(server, "/orders?page=2")
        _ = try await Support.request(server, "/nowhere")

        let journal = server.journal
        #expect(journal.count(matching: RequestPattern(method: "post", path: .equalTo("/orders"))) == (3, true))
        #expect(journal.count(matching: RequestPattern(path: .equalTo("/orders"))).count == 5)
        #expect(journal.count(matching: RequestPattern(query: ["page": .equalTo("2")])).count == 1)
        #expect(journal.count(matching: RequestPattern(method: "GET", query: ["page": .absent])).count == 1, "only /nowhere has no page")
        #expect(journal.count(matching: RequestPattern(headers: ["x-trace": .matches(try PactRegex("abc-\\d"))])).count == 3)
        #expect(journal.count(matching: RequestPattern(body: .contains("book"))).count == 3)
        #expect(journal.count(matching: RequestPattern(bodyJSON: ["item": "book"])).count == 3)
        #expect(journal.count(matching: RequestPattern(bodyJSON: ["item": "pen"])).count == 0)
        let found = journal.entries(matching: RequestPattern(path: .contains("where")))
        #expect(found.map(\.request.path) == ["/nowhere"])
    }

    @Test func theJournalKeepsOnlyTheLastRequestsAndSaysWhenACountIsIncomplete() async throws {
        let server = MockServer(pact: Self.pact, configuration: MockServerConfiguration(journalCapacity: 10))
        try await server.start()
        defer { Task { await server.stop() } }
        for _ in 0..<25 { _ = try await Support.request(server, "/orders?page=1") }
        let counted = server.journal.count(matching: RequestPattern(path: .equalTo("/orders")))
        #expect(counted.count == 10 && !counted.complete, "memory stays bounded, and the answer says it is partial")
        #expect(server.journal.totalRequests == 25)
    }

    @Test func theControlAPICountsFindsAndClearsWithWireMockPatterns() async throws {
        let control = ControlServer(outputDirectory: Support.temporaryDirectory())
        let port = try await control.start(host: "127.0.0.1", port: 0)
        defer { Task { await control.stop() } }
        let server = MockServer(pact: Self.pact)
        try await server.start()
        let id = control.adopt(server)
        for page in ["1", "1", "2"] { _ = try await Support.request(server, "/orders?page=" + page) }
        let client = HTTPClient()
        defer { client.shutdown() }
        func call(_ method: String, _ path: String, _ body: String? = nil) async throws -> (Int, JSONValue) {
            let response = try await client.send(HTTPClientRequest(method: method, url: "http://127.0.0.1:\(port)/mockservers/\(id)\(path)",
                                                                   headers: [("Content-Type", "application/json")], body: body.map { Array($0.utf8) }))
            return (response.status, (try? JSONParser.parse(response.body)) ?? .null)
        }
        let count = try await call("POST", "/requests/count", #"{"method": "GET", "url": "/orders?page=1"}"#)
        #expect(count.0 == 200 && count.1["count"] == 2 && count.1["complete"] == true && count.1["total"] == 3, "\(count.1)")
        let pattern = try await call("POST", "/requests/count", #"{"urlPathPattern": "/ord.*", "queryParameters": {"page": {"matches": "[12]"}}}"#)
        #expect(pattern.1["count"] == 3)
        let find = try await call("POST", "/requests/find", #"{"queryParameters": {"page": {"equalTo": "2"}}}"#)
        let requests = try #require(find.1["requests"]?.arrayValue)
        #expect(requests.count == 1 && requests.first?["query"] == "page=2" && requests.first?["mismatched"] == "list orders", "\(find.1)")
        let bad = try await call("POST", "/requests/count", #"{"urlPathPattern": "(", "colour": 1}"#)
        #expect(bad.0 == 400 && bad.1["error"]?.stringValue?.contains("$.colour") == true, "\(bad.1)")
        let badRegex = try await call("POST", "/requests/count", #"{"urlPathPattern": "("}"#)
        #expect(badRegex.0 == 400 && badRegex.1["error"]?.stringValue?.contains("not a valid regular expression") == true)
        #expect(try await call("GET", "/requests").1["requests"]?.arrayValue?.count == 3)
        #expect(try await call("DELETE", "/requests").0 == 200)
        #expect(try await call("POST", "/requests/count", "{}").1["count"] == 0)
    }
}
