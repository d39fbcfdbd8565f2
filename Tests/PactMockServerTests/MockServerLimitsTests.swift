import Foundation
import TestSupport
import PactMockServer
import PactModel
import Testing

@Suite("Mock server limits and bad input") struct MockServerLimitsTests {
    typealias Support = MockServerTestSupport

    @Test func oversizedBodiesGet413() async throws {
        let server = MockServer(pact: Support.pact([Support.interaction("post", method: "POST", path: "/a")]),
                                configuration: MockServerConfiguration(maxBodyBytes: 1024))
        try await server.start()
        let response = try await Support.request(server, "/a", method: "POST", headers: [("Content-Type", "text/plain")], body: String(repeating: "x", count: 5000))
        await server.stop()
        #expect(response.status == 413)
        #expect(try JSONParser.parse(response.body)["error"]?.stringValue?.contains("limit is 1024") == true)
    }

    @Test func oversizedHeadersGet431() async throws {
        let server = MockServer(pact: Support.pact([Support.interaction("get", path: "/a")]),
                                configuration: MockServerConfiguration(maxHeaderBytes: 2048))
        try await server.start()
        let response = try await Support.request(server, "/a", headers: [("X-Big", String(repeating: "y", count: 4000))])
        await server.stop()
        #expect(response.status == 431)
    }

    @Test func malformedHTTPGets400AndTheServerKeepsServing() async throws {
        let server = MockServer(pact: Support.pact([Support.interaction("get", path: "/a")]))
        try await server.start()
        let port = try #require(server.port)
        let reply = Support.rawExchange(port: port, bytes: Array("GARBAGE\u{0}\r\n\r\n".utf8))
        #expect(reply.hasPrefix("HTTP/1.1 400"))
        #expect(try await Support.request(server, "/a").status == 200)
        await server.stop()
    }

    @Test func idleConnectionsAreClosed() async throws {
        let server = MockServer(pact: Support.pact([Support.interaction("get", path: "/a")]),
                                configuration: MockServerConfiguration(idleTimeout: .milliseconds(300)))
        try await server.start()
        let port = try #require(server.port)
        // A connection that sends half a request and then nothing is closed by the server, not left open. The
        // reader's errno tells the two endings apart: 0 is the server's orderly close, EAGAIN the reader's own
        // 20 s timeout. No clock is read, so a loaded machine cannot make this fail.
        let socket = try RawSocket(port: port, readTimeout: 20)
        socket.send("GET /a HTTP/1.1\r\nHost: x\r\n")
        let (bytes, error) = socket.receiveAll()
        await server.stop()
        #expect(bytes.isEmpty)
        #expect(error == 0, "the connection was not closed by the server (errno \(error))")
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() async throws {
        let server = MockServer(pact: Support.pact([Support.interaction("get", path: "/a", responseBody: ["ok": true])]))
        try await server.start()
        let port = try #require(server.port)
        let twoRequests = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        let reply = Support.rawExchange(port: port, bytes: Array(twoRequests.utf8))
        await server.stop()
        #expect(reply.components(separatedBy: "HTTP/1.1 200 OK").count == 3)
        #expect(server.journal.totalRequests == 2)
    }

    @Test func aPortInUseIsAClearError() async throws {
        let first = MockServer(pact: Support.pact([]))
        try await first.start()
        let port = try #require(first.port)
        let second = MockServer(pact: Support.pact([]), configuration: MockServerConfiguration(port: port))
        await #expect {
            try await second.start()
        } throws: { error in
            "\(error)".contains("could not listen on 127.0.0.1:\(port)")
        }
        await first.stop()
    }
}
