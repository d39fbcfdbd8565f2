import PactHTTP
import Testing

@Suite("Connections are reused and shared safely", .timeLimit(.minutes(1)))
struct ConnectionTests {
    @Test("sequential requests reuse one connection")
    func sequentialRequestsReuseConnection() async throws {
        try await withServer { server, client in
            _ = try await client.send(HTTPClientRequest(url: server.baseURL + "/one"))
            _ = try await client.send(HTTPClientRequest(method: "POST", url: server.baseURL + "/two", body: [1, 2, 3]))
            _ = try await client.send(HTTPClientRequest(url: server.baseURL + "/three"))
            #expect(server.acceptedConnections == 1)
            #expect(server.requests.map(\.connection) == [1, 1, 1])
        }
    }

    @Test("twenty concurrent sends all get their own response")
    func concurrentSendsSucceed() async throws {
        try await withServer(CannedResponse(echoesRequestBody: true)) { server, client in
            let results = await withTaskGroup(of: (Int, Result<HTTPClientResponse, HTTPClientError>).self) { group in
                for index in 0..<20 {
                    group.addTask {
                        let request = HTTPClientRequest(method: "POST", url: server.baseURL + "/n/\(index)", body: Array("request \(index)".utf8))
                        do throws(HTTPClientError) {
                            return (index, .success(try await client.send(request)))
                        } catch {
                            return (index, .failure(error))
                        }
                    }
                }
                var collected: [(Int, Result<HTTPClientResponse, HTTPClientError>)] = []
                for await result in group { collected.append(result) }
                return collected
            }
            #expect(results.count == 20)
            for (index, result) in results {
                let response = try result.get()
                #expect(response.status == 200)
                #expect(response.bodyText == "request \(index)")
            }
            #expect(Set(server.requests.map(\.requestLine)).count == 20)
        }
    }

    @Test("after a burst of concurrent requests, the next request reuses a pooled connection")
    func reuseAfterConcurrentBurst() async throws {
        try await withServer { server, client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<5 {
                    group.addTask { _ = try await client.send(HTTPClientRequest(url: server.baseURL + "/burst")) }
                }
                try await group.waitForAll()
            }
            let accepted = server.acceptedConnections
            _ = try await client.send(HTTPClientRequest(url: server.baseURL + "/after"))
            #expect(server.acceptedConnections == accepted)
        }
    }

    @Test("shutdown is idempotent and later sends fail with a transport error")
    func shutdownIsIdempotent() async throws {
        try await withServer { server, client in
            _ = try await client.send(HTTPClientRequest(url: server.baseURL + "/before"))
            client.shutdown()
            client.shutdown()
            let error = await sendError(client, HTTPClientRequest(url: server.baseURL + "/after"))
            guard case .transport(_, let reason) = error else {
                Issue.record("expected a transport error, got \(String(describing: error))")
                return
            }
            #expect(reason.contains("shut down"))
        }
    }
}
