import Foundation
import PactHTTP
import PactMockServer
import PactModel
import Testing

/// Recording proxies driven through the control API, for tests written in other languages.
@Suite("Control API: recordings") struct RecordingControlTests {
    typealias Support = MockServerTestSupport

    @Test func aRecordingIsStartedReadWrittenAndStopped() async throws {
        let provider = MockServer(pact: Support.pact([Support.interaction("stock", path: "/stock/7", responseBody: ["level": 3])]))
        try await provider.start()
        defer { Task { await provider.stop() } }
        let folder = Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let control = ControlServer(outputDirectory: folder)
        let port = try await control.start(host: "127.0.0.1", port: 0)
        defer { Task { await control.stop() } }
        let client = HTTPClient()
        defer { client.shutdown() }
        func call(_ method: String, _ path: String, _ body: String? = nil) async throws -> (Int, JSONValue) {
            let response = try await client.send(HTTPClientRequest(method: method, url: "http://127.0.0.1:\(port)\(path)",
                                                                   headers: [("Content-Type", "application/json")], body: body.map { Array($0.utf8) }))
            return (response.status, (try? JSONParser.parse(response.body)) ?? .null)
        }
        let target = try #require(provider.url?.absoluteString)
        let started = try await call("POST", "/recordings", #"{"target": "\#(target)", "consumer": "Shop", "provider": "Stock", "matchers": true}"#)
        #expect(started.0 == 201, "\(started.1)")
        let id = try #require(started.1["id"]?.stringValue)
        let proxy = try #require(started.1["url"]?.stringValue)

        let answer = try await client.send(HTTPClientRequest(url: proxy + "/stock/7"))
        #expect(answer.status == 200 && answer.bodyText == #"{"level":3}"#)
        let shown = try await call("GET", "/recordings/\(id)")
        #expect(shown.1["interactions"] == 1)
        #expect(shown.1["pact"]?["interactions"]?.arrayValue?.first?["description"] == "GET /stock/7")
        let written = try await call("POST", "/recordings/\(id)/pact")
        #expect(written.0 == 201)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("Shop-Stock.json").path))
        let stopped = try await call("DELETE", "/recordings/\(id)")
        #expect(stopped.0 == 200 && stopped.1["pact"]?["consumer"]?["name"] == "Shop")
        #expect(try await call("GET", "/recordings/\(id)").0 == 404)

        let bad = try await call("POST", "/recordings", #"{"target": "ftp://x", "consumer": "a", "provider": "b"}"#)
        #expect(bad.0 == 400 && bad.1["error"]?.stringValue?.contains("not an http(s) URL") == true)
        #expect(try await call("POST", "/recordings", "{}").0 == 400)
    }
}
