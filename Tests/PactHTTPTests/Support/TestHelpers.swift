import PactHTTP

/// Runs `body` against a fresh server and client, and stops both afterwards.
func withServer<Result>(
    _ response: CannedResponse = CannedResponse(),
    configuration: HTTPClientConfiguration = HTTPClientConfiguration(),
    _ body: (TestHTTPServer, HTTPClient) async throws -> Result
) async throws -> Result {
    let server = try TestHTTPServer(response: response)
    let client = HTTPClient(configuration: configuration)
    defer {
        client.shutdown()
        server.stop()
    }
    return try await body(server, client)
}

/// The error `send` threw, or `nil` if it returned a response.
func sendError(_ client: HTTPClient, _ request: HTTPClientRequest) async -> HTTPClientError? {
    do {
        _ = try await client.send(request)
        return nil
    } catch {
        return error
    }
}

/// How long `body` took; the tests only compare this with generous bounds, to prove nothing hangs.
func elapsed<Result>(_ body: () async throws -> Result) async rethrows -> (result: Result, duration: Duration) {
    let start = ContinuousClock.now
    let result = try await body()
    return (result, ContinuousClock.now - start)
}
