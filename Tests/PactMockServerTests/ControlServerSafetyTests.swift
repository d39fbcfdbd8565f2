import Foundation
import PactHTTP
import PactMockServer
import PactModel
import Testing

/// The control API against what a web page, a stray `dir` or a runaway client could do on a developer's machine.
@Suite("Control API safety") struct ControlServerSafetyTests {
    typealias Support = MockServerTestSupport

    static let pact = """
    {"consumer": {"name": "Web"}, "provider": {"name": "Orders"},
     "interactions": [{"description": "list orders", "request": {"method": "GET", "path": "/orders"},
                       "response": {"status": 200}}]}
    """

    func send(_ port: Int, _ method: String, _ path: String, headers: [(String, String)] = [], body: String? = nil) async throws -> (status: Int, json: JSONValue) {
        let client = HTTPClient()
        defer { client.shutdown() }
        let response = try await client.send(HTTPClientRequest(method: method, url: "http://127.0.0.1:\(port)\(path)", headers: headers,
                                                               body: body.map { Array($0.utf8) }))
        return (response.status, (try? JSONParser.parse(response.body)) ?? .null)
    }

    func json(_ port: Int, _ method: String, _ path: String, body: String? = nil) async throws -> (status: Int, json: JSONValue) {
        try await send(port, method, path, headers: body == nil ? [] : [("Content-Type", "application/json")], body: body)
    }

    /// A mock server whose one interaction was requested, so its pact may be written.
    func verifiedServer(_ port: Int) async throws -> String {
        let created = try await json(port, "POST", "/mockservers", body: Self.pact)
        let id = try #require(created.json["id"]?.stringValue)
        let url = try #require(created.json["url"]?.stringValue)
        let client = HTTPClient()
        _ = try await client.send(HTTPClientRequest(url: url + "/orders"))
        client.shutdown()
        return id
    }

    @Test func pactsAreWrittenOnlyInsideTheOutputFolder() async throws {
        let root = Support.temporaryDirectory()
        let output = root.appendingPathComponent("out")
        let outside = root.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: output.appendingPathComponent("link"), withDestinationURL: outside)
        let control = ControlServer(outputDirectory: output)
        let port = try await control.start(host: "127.0.0.1", port: 0)
        let id = try await verifiedServer(port)

        for dir in ["../elsewhere", "%2E%2E/elsewhere", outside.path, "/tmp/pactctl-escape", "link", "link/deeper", "a/../../elsewhere"] {
            let refused = try await json(port, "POST", "/mockservers/\(id)/pact?dir=\(dir)")
            #expect(refused.status == 403, "dir=\(dir)")
            #expect(refused.json["error"]?.stringValue?.contains("outside the output folder") == true, "dir=\(dir)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty, "nothing was written outside")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/pactctl-escape"))

        let nested = try await json(port, "POST", "/mockservers/\(id)/pact?dir=team/contracts")
        #expect(nested.status == 201)
        let expected = output.appendingPathComponent("team/contracts/Web-Orders.json")
        #expect(FileManager.default.fileExists(atPath: expected.path))
        let absoluteInside = try await json(port, "POST", "/mockservers/\(id)/pact?dir=\(output.appendingPathComponent("abs").path)")
        #expect(absoluteInside.status == 201)
        let plain = try await json(port, "POST", "/mockservers/\(id)/pact")
        #expect(plain.json["path"]?.stringValue?.hasSuffix("/out/Web-Orders.json") == true)
        await control.stop()
    }

    @Test func bodiesMustBeJSON() async throws {
        let control = ControlServer(outputDirectory: Support.temporaryDirectory())
        let port = try await control.start(host: "127.0.0.1", port: 0)
        for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
            let refused = try await send(port, "POST", "/mockservers", headers: [("Content-Type", type)], body: Self.pact)
            #expect(refused.status == 415, "Content-Type \(type)")
            #expect(refused.json["error"]?.stringValue?.contains("application/json") == true)
        }
        let untyped = try await send(port, "POST", "/mockservers", body: Self.pact)
        #expect(untyped.status == 415)
        #expect(try await json(port, "GET", "/mockservers").json["mockServers"] == [], "no refused request started a server")
        let accepted = try await send(port, "POST", "/mockservers", headers: [("Content-Type", "application/vnd.pact+json; charset=utf-8")], body: Self.pact)
        #expect(accepted.status == 201)
        // YAML is read for OpenAPI documents only (this control API has no OpenAPI factory: 404, not 415).
        #expect(try await send(port, "POST", "/openapi-mocks", headers: [("Content-Type", "application/yaml")], body: "openapi: 3.0.0").status == 404)
        #expect(try await send(port, "POST", "/mockservers", headers: [("Content-Type", "application/yaml")], body: Self.pact).status == 415)
        await control.stop()
    }

    @Test func requestsFromWebPagesAreRefused() async throws {
        let control = ControlServer(outputDirectory: Support.temporaryDirectory())
        let port = try await control.start(host: "127.0.0.1", port: 0)
        let id = try await verifiedServer(port)
        // A bodiless POST is a simple request a page can send cross-site; so is one from a name rebound to 127.0.0.1.
        for origin in ["https://evil.example", "http://evil.example:\(port)", "null", "http://127.0.0.1.rebind.example:\(port)"] {
            let refused = try await send(port, "POST", "/mockservers/\(id)/scenarios/reset", headers: [("Origin", origin)])
            #expect(refused.status == 403, "Origin \(origin)")
            #expect(try await send(port, "DELETE", "/mockservers/\(id)", headers: [("Origin", origin)]).status == 403)
        }
        // A page whose name was rebound to 127.0.0.1 sends no Origin on its own GETs, but its own name as Host.
        for host in ["evil.example:\(port)", "127.0.0.1.rebind.example"] {
            let rebound = try await send(port, "GET", "/mockservers/\(id)/requests", headers: [("Host", host)])
            #expect(rebound.status == 403, "Host \(host)")
        }
        #expect(try await send(port, "GET", "/health", headers: [("Host", "localhost:\(port)")]).status == 200)
        #expect(try await send(port, "GET", "/health", headers: [("Host", "[::1]:\(port)")]).status == 200)
        let local = try await send(port, "GET", "/mockservers/\(id)", headers: [("Origin", "http://localhost:\(port)")])
        #expect(local.status == 200)
        #expect(try await send(port, "GET", "/health", headers: [("Origin", "http://127.0.0.1:\(port)")]).status == 200)
        await control.stop()
    }

    @Test func theNumberOfServersIsCapped() async throws {
        let control = ControlServer(outputDirectory: Support.temporaryDirectory(), maxServers: 3)
        let port = try await control.start(host: "127.0.0.1", port: 0)
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<10 { group.addTask { try await json(port, "POST", "/mockservers", body: Self.pact).status } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == 201 }.count == 3)
        #expect(statuses.filter { $0 == 503 }.count == 7)
        let full = try await json(port, "POST", "/recordings", body: #"{"target": "http://127.0.0.1:1", "consumer": "C", "provider": "P"}"#)
        #expect(full.status == 503)
        #expect(full.json["error"]?.stringValue?.contains("limit") == true)

        let first = try #require(try await json(port, "GET", "/mockservers").json["mockServers"]?.arrayValue?.first?["id"]?.stringValue)
        #expect(try await json(port, "DELETE", "/mockservers/\(first)").status == 200)
        #expect(try await json(port, "POST", "/mockservers", body: Self.pact).status == 201, "a deleted server frees its place")
        #expect(try await json(port, "POST", "/mockservers", body: Self.pact).status == 503)
        await control.stop()
    }
}
