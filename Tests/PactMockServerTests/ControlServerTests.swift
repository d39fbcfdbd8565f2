import Foundation
import PactHTTP
import PactMockServer
import PactModel
import Testing

@Suite("Control API") struct ControlServerTests {
    typealias Support = MockServerTestSupport

    func call(_ port: Int, _ method: String, _ path: String, body: String? = nil) async throws -> (status: Int, json: JSONValue) {
        let client = HTTPClient()
        defer { client.shutdown() }
        let response = try await client.send(HTTPClientRequest(method: method, url: "http://127.0.0.1:\(port)\(path)",
                                                               headers: body == nil ? [] : [("Content-Type", "application/json")],
                                                               body: body.map { Array($0.utf8) }))
        return (response.status, (try? JSONParser.parse(response.body)) ?? .null)
    }

    @Test func createsVerifiesWritesAndDeletesMockServers() async throws {
        let folder = Support.temporaryDirectory()
        let control = ControlServer(outputDirectory: folder)
        let port = try await control.start(host: "127.0.0.1", port: 0)
        let pact = """
        {"consumer": {"name": "Web"}, "provider": {"name": "Orders"},
         "interactions": [{"description": "list orders", "request": {"method": "GET", "path": "/orders"},
                           "response": {"status": 200, "body": [1, 2]}}]}
        """
        let created = try await call(port, "POST", "/mockservers", body: pact)
        #expect(created.status == 201)
        let id = try #require(created.json["id"]?.stringValue)
        let url = try #require(created.json["url"]?.stringValue)

        let notYet = try await call(port, "POST", "/mockservers/\(id)/verify")
        #expect(notYet.status == 422)
        #expect(notYet.json["missing"] == ["list orders"])
        let refused = try await call(port, "POST", "/mockservers/\(id)/pact")
        #expect(refused.status == 409)

        let client = HTTPClient()
        let orders = try await client.send(HTTPClientRequest(url: url + "/orders"))
        client.shutdown()
        #expect(try JSONParser.parse(orders.body) == [1, 2])

        #expect(try await call(port, "POST", "/mockservers/\(id)/verify").status == 200)
        let listed = try await call(port, "GET", "/mockservers")
        #expect(listed.json["mockServers"]?.arrayValue?.first?["requests"] == 1)
        let written = try await call(port, "POST", "/mockservers/\(id)/pact")
        #expect(written.status == 201)
        let path = try #require(written.json["path"]?.stringValue)
        #expect(try PactReader().read(contentsOf: URL(fileURLWithPath: path)).pact.consumer == "Web")

        #expect(try await call(port, "DELETE", "/mockservers/\(id)").status == 200)
        #expect(try await call(port, "GET", "/mockservers/\(id)").status == 404)
        await control.stop()
    }

    @Test func badRequestsGetJSONErrors() async throws {
        let control = ControlServer(outputDirectory: Support.temporaryDirectory())
        let port = try await control.start(host: "127.0.0.1", port: 0)
        let notJSON = try await call(port, "POST", "/mockservers", body: "{ nope")
        #expect(notJSON.status == 400)
        #expect(notJSON.json["error"]?.stringValue?.contains("not valid JSON") == true)
        let missingConsumer = try await call(port, "POST", "/mockservers", body: #"{"provider": {"name": "p"}}"#)
        #expect(missingConsumer.status == 400)
        #expect(missingConsumer.json["error"]?.stringValue?.contains("'consumer' is missing") == true)
        #expect(try await call(port, "GET", "/nowhere").status == 404)
        #expect(try await call(port, "GET", "/health").json["status"] == "ok")
        await control.stop()
    }
}
