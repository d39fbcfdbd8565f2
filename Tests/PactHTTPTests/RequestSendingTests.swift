import PactHTTP
import Testing

@Suite("Requests are sent exactly as given", .timeLimit(.minutes(1)))
struct RequestSendingTests {
    @Test("the request target arrives byte for byte, encoded path and repeated query keys included")
    func requestTargetArrivesAsWritten() async throws {
        try await withServer { server, client in
            _ = try await client.send(HTTPClientRequest(url: server.baseURL + "/a%20b?x=1&x=2&y"))
            _ = try await client.send(HTTPClientRequest(url: server.baseURL + "/a/../b/./c?q=%2F+%3D"))
            #expect(server.requests.map(\.requestLine) == [
                "GET /a%20b?x=1&x=2&y HTTP/1.1",
                "GET /a/../b/./c?q=%2F+%3D HTTP/1.1",
            ])
        }
    }

    @Test("custom and body-less methods are sent verbatim", arguments: [
        ("PATCH", "{\"a\":1}" as String?), ("PURGE", nil), ("DELETE", nil), ("OPTIONS", nil), ("PUT", "x"), ("POST", nil),
        ("GET", "a body on a GET"),
    ])
    func methodIsSentVerbatim(method: String, body: String?) async throws {
        try await withServer { server, client in
            let request = HTTPClientRequest(method: method, url: server.baseURL + "/thing", body: body.map { Array($0.utf8) })
            let response = try await client.send(request)
            #expect(response.status == 200)
            let recorded = try #require(server.requests.first)
            #expect(recorded.requestLine == "\(method) /thing HTTP/1.1")
            #expect(recorded.body == Array((body ?? "").utf8))
            #expect(recorded.header("Content-Length") == body.map { String($0.utf8.count) })
        }
    }

    @Test("a HEAD request gets the headers and does not wait for a body")
    func headRequestDoesNotWaitForBody() async throws {
        try await withServer(CannedResponse(body: Array("ten bytes!".utf8))) { server, client in
            let response = try await client.send(HTTPClientRequest(method: "HEAD", url: server.baseURL + "/h"))
            #expect(response.status == 200)
            #expect(response.header("Content-Length") == "10")
            #expect(response.body.isEmpty)
            #expect(server.requests.first?.requestLine == "HEAD /h HTTP/1.1")
        }
    }

    @Test("only the caller's headers, Host and Content-Length are sent: no Expect, Accept or Content-Type")
    func onlyGivenHeadersAreSent() async throws {
        try await withServer { server, client in
            let request = HTTPClientRequest(
                method: "POST",
                url: server.baseURL + "/p",
                headers: [("X-Trace", "abc 123"), ("X-Multi", "1"), ("x-multi", "2"), ("X-Empty", ""), ("Authorization", "Bearer t")],
                body: Array(repeating: UInt8(ascii: "z"), count: 5000)
            )
            _ = try await client.send(request)
            let recorded = try #require(server.requests.first)
            #expect(recorded.headerNames.sorted() == ["authorization", "content-length", "host", "x-empty", "x-multi", "x-multi", "x-trace"])
            #expect(recorded.headText.contains("X-Trace: abc 123\r\nX-Multi: 1\r\nx-multi: 2\r\nX-Empty:\r\nAuthorization: Bearer t\r\n"))
            #expect(recorded.header("Content-Length") == "5000")
            #expect(recorded.body.count == 5000)
        }
    }

    @Test("Accept, Content-Type and Host given by the caller are sent once, with the caller's values")
    func callerHeadersReplaceDefaults() async throws {
        try await withServer { server, client in
            let request = HTTPClientRequest(
                method: "POST",
                url: server.baseURL + "/p",
                headers: [("Accept", "application/hal+json"), ("Content-Type", "application/json"), ("Host", "provider.example")],
                body: Array("{}".utf8)
            )
            _ = try await client.send(request)
            let recorded = try #require(server.requests.first)
            #expect(recorded.headerNames.filter { $0 == "accept" }.count == 1)
            #expect(recorded.headerNames.filter { $0 == "content-type" }.count == 1)
            #expect(recorded.headerNames.filter { $0 == "host" }.count == 1)
            #expect(recorded.header("Accept") == "application/hal+json")
            #expect(recorded.header("Content-Type") == "application/json")
            #expect(recorded.header("Host") == "provider.example")
        }
    }

    @Test("an empty body sends Content-Length: 0, a missing body sends no Content-Length")
    func emptyAndMissingBodiesDiffer() async throws {
        try await withServer { server, client in
            _ = try await client.send(HTTPClientRequest(method: "POST", url: server.baseURL + "/empty", body: []))
            _ = try await client.send(HTTPClientRequest(method: "POST", url: server.baseURL + "/none"))
            let requests = server.requests
            #expect(requests.count == 2)
            #expect(requests.first?.header("Content-Length") == "0")
            #expect(requests.last?.header("Content-Length") == nil)
            #expect(requests.allSatisfy { $0.header("Content-Type") == nil })
        }
    }

    @Test("binary bodies of every byte value round-trip unchanged in both directions")
    func binaryBodyRoundTrips() async throws {
        var generator = SystemRandomNumberGenerator()
        let body = (0..<((1 << 20) + 4096)).map { index in index < 512 ? UInt8(index % 256) : UInt8.random(in: 0...255, using: &generator) }
        try await withServer(CannedResponse(echoesRequestBody: true)) { server, client in
            let response = try await client.send(HTTPClientRequest(
                method: "PUT", url: server.baseURL + "/blob", headers: [("Content-Type", "application/octet-stream")], body: body
            ))
            #expect(server.requests.first?.body == body)
            #expect(response.body == body)
            #expect(server.requests.first?.header("Expect") == nil)
        }
    }

    @Test("a header that would break the request framing is refused before sending")
    func headerWithLineBreakIsRefused() async throws {
        try await withServer { server, client in
            let url = server.baseURL + "/x"
            let injected = await sendError(client, HTTPClientRequest(url: url, headers: [("X-Evil", "a\r\nX-Injected: 1")]))
            let badName = await sendError(client, HTTPClientRequest(url: url, headers: [("Bad Name", "v")]))
            let badMethod = await sendError(client, HTTPClientRequest(method: "GET /other", url: url))
            for error in [injected, badName, badMethod] {
                guard case .transport(let errorURL, _) = error else {
                    Issue.record("expected a transport error, got \(String(describing: error))")
                    continue
                }
                #expect(errorURL == url)
            }
            #expect(server.requests.isEmpty)
        }
    }
}
