#if canImport(Glibc)
import Glibc
#endif
import PactHTTP
import Testing

@Suite("Failures become typed errors that name the URL", .timeLimit(.minutes(1)))
struct FailureTests {
    @Test("a refused connection is connectionFailed, naming the URL and the reason")
    func refusedConnectionFails() async throws {
        // A bound socket that is not listening makes the port refuse connections, and keeps it from being reused.
        let (descriptor, port) = try TestHTTPServer.bindLoopback(listening: false)
        defer { _ = close(descriptor) }
        let url = "http://127.0.0.1:\(port)/status"
        let error = await sendError(HTTPClient(), HTTPClientRequest(url: url))
        #expect(error == .connectionFailed(url: url, reason: "Connection refused"))
        #expect(error?.description == "could not connect to \(url) (Connection refused); is the server running and listening on that address?")
    }

    @Test("a server slower than the request timeout gives timedOut, promptly")
    func slowServerTimesOut() async throws {
        let configuration = HTTPClientConfiguration(requestTimeout: .milliseconds(300))
        try await withServer(CannedResponse(delay: .seconds(30)), configuration: configuration) { server, client in
            let url = server.baseURL + "/slow"
            let (error, duration) = await elapsed { await sendError(client, HTTPClientRequest(url: url)) }
            #expect(error == .timedOut(url: url, after: .milliseconds(300)))
            #expect(error?.description.contains("within 300 ms") == true)
            #expect(duration < .seconds(15))
        }
    }

    @Test("a server that closes without answering gives a transport error, without hanging")
    func closeWithoutResponseIsTransportError() async throws {
        try await withServer(CannedResponse(closesWithoutResponse: true)) { server, client in
            let url = server.baseURL + "/drop"
            let (error, duration) = await elapsed { await sendError(client, HTTPClientRequest(url: url)) }
            guard case .transport(let errorURL, let reason) = error else {
                Issue.record("expected a transport error, got \(String(describing: error))")
                return
            }
            #expect(errorURL == url)
            #expect(reason.contains("closed the connection"))
            #expect(duration < .seconds(15))
        }
    }

    @Test("a response larger than maxResponseBytes is responseTooLarge", arguments: [
        CannedResponse.Framing.contentLength, .chunked, .closeDelimited,
    ])
    func oversizedResponseIsRejected(framing: CannedResponse.Framing) async throws {
        let configuration = HTTPClientConfiguration(maxResponseBytes: 1000)
        let canned = CannedResponse(body: Array(repeating: 0x41, count: 10_000), framing: framing)
        try await withServer(canned, configuration: configuration) { server, client in
            let url = server.baseURL + "/big"
            let error = await sendError(client, HTTPClientRequest(url: url))
            #expect(error == .responseTooLarge(url: url, limit: 1000))
        }
    }

    @Test("a response exactly at maxResponseBytes is accepted")
    func responseAtLimitIsAccepted() async throws {
        let canned = CannedResponse(body: Array(repeating: 0x41, count: 1000), framing: .chunked)
        try await withServer(canned, configuration: HTTPClientConfiguration(maxResponseBytes: 1000)) { server, client in
            let response = try await client.send(HTTPClientRequest(url: server.baseURL + "/exact"))
            #expect(response.body.count == 1000)
        }
    }

    @Test("URLs that are not absolute http(s) URLs are invalidURL", arguments: [
        "", "not a url", "ftp://example.com/file", "http://exa mple.com/", "localhost:8080/path", "http://", "/relative/path",
        "file:///etc/passwd", "http://example.com/\u{0}x",
    ])
    func invalidURLIsRejected(url: String) async {
        let error = await sendError(HTTPClient(), HTTPClientRequest(url: url))
        #expect(error == .invalidURL(url))
    }

    @Test("cancelling the calling task stops a stuck request")
    func cancellationStopsTransfer() async throws {
        try await withServer(CannedResponse(delay: .seconds(30))) { server, client in
            let url = server.baseURL + "/stuck"
            let task = Task { await sendError(client, HTTPClientRequest(url: url)) }
            try await Task.sleep(for: .milliseconds(200))
            let (error, duration) = await elapsed {
                task.cancel()
                return await task.value
            }
            #expect(error == .transport(url: url, reason: "the request was cancelled"))
            #expect(duration < .seconds(15))
        }
    }

    @Test("a reply that is not HTTP is a transport error, not an invalid URL")
    func nonHTTPReplyIsTransportError() async throws {
        try await withServer(CannedResponse(rawReply: Array("SSH-2.0-OpenSSH_9.2\r\n".utf8))) { server, client in
            let url = server.baseURL + "/"
            let error = await sendError(client, HTTPClientRequest(url: url))
            guard case .transport(let errorURL, let reason) = error else {
                Issue.record("expected a transport error, got \(String(describing: error))")
                return
            }
            #expect(errorURL == url)
            #expect(reason.contains("not HTTP"))
        }
    }
}
