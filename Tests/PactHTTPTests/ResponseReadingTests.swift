import PactHTTP
import Testing

@Suite("Responses are returned as received", .timeLimit(.minutes(1)))
struct ResponseReadingTests {
    @Test("repeated response headers are kept, in order, and looked up case-insensitively")
    func repeatedHeadersKeptInOrder() async throws {
        let canned = CannedResponse(headers: [("Set-Cookie", "a=1; Path=/"), ("X-Other", "o"), ("Set-Cookie", "b=2, c=3"), ("X-Empty", "")])
        try await withServer(canned) { server, client in
            let response = try await client.send(HTTPClientRequest(url: server.baseURL + "/"))
            #expect(response.headers(named: "set-cookie") == ["a=1; Path=/", "b=2, c=3"])
            #expect(response.header("SET-COOKIE") == "a=1; Path=/")
            #expect(response.header("x-empty") == "")
            #expect(response.header("Missing") == nil)
            #expect(response.headers.map(\.name) == ["Set-Cookie", "X-Other", "Set-Cookie", "X-Empty", "Content-Length"])
        }
    }

    @Test("an error status is a response, not a thrown error", arguments: [404, 500, 503])
    func errorStatusIsReturned(status: Int) async throws {
        try await withServer(CannedResponse(status: status, reason: "Bad", body: Array("boom".utf8))) { server, client in
            let response = try await client.send(HTTPClientRequest(url: server.baseURL + "/fail"))
            #expect(response.status == status)
            #expect(response.bodyText == "boom")
        }
    }

    @Test("an interim 100 Continue is skipped and only the final response's headers are kept")
    func interimResponseIsSkipped() async throws {
        let canned = CannedResponse(status: 201, reason: "Created", headers: [("Location", "/things/1")], body: Array("made".utf8), sendsInterimContinue: true)
        try await withServer(canned) { server, client in
            let response = try await client.send(HTTPClientRequest(method: "POST", url: server.baseURL + "/things", body: Array("{}".utf8)))
            #expect(response.status == 201)
            #expect(response.headers.map(\.name) == ["Location", "Content-Length"])
            #expect(response.bodyText == "made")
        }
    }

    @Test("a compressed body is returned as sent, without decoding")
    func contentEncodingIsNotDecoded() async throws {
        let bytes: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0xFF, 0x00, 0x10, 0x80]
        try await withServer(CannedResponse(headers: [("Content-Encoding", "gzip")], body: bytes)) { server, client in
            let response = try await client.send(HTTPClientRequest(url: server.baseURL + "/z"))
            #expect(response.body == bytes)
            #expect(response.header("Content-Encoding") == "gzip")
            #expect(response.bodyText == nil)
        }
    }

    @Test("chunked and close-delimited bodies are returned without their framing", arguments: [
        CannedResponse.Framing.chunked, .closeDelimited,
    ])
    func framedBodiesAreUnframed(framing: CannedResponse.Framing) async throws {
        let body = Array(String(repeating: "0123456789", count: 550).utf8)
        try await withServer(CannedResponse(body: body, framing: framing)) { server, client in
            let response = try await client.send(HTTPClientRequest(url: server.baseURL + "/c"))
            #expect(response.body == body)
        }
    }

    @Test("redirects are returned, not followed")
    func redirectsAreNotFollowed() async throws {
        try await withServer(CannedResponse(status: 302, reason: "Found", headers: [("Location", "/elsewhere")])) { server, client in
            let response = try await client.send(HTTPClientRequest(url: server.baseURL + "/start"))
            #expect(response.status == 302)
            #expect(response.header("location") == "/elsewhere")
            #expect(server.requests.count == 1)
        }
    }
}
