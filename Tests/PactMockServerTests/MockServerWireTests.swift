import Foundation
import TestSupport
import PactMockServer
import PactModel
import Testing

/// What goes over the wire: response framing, pipelining, 100-continue and header safety, seen through raw sockets.
@Suite("Mock server on the wire") struct MockServerWireTests {
    typealias Support = MockServerTestSupport

    static func started(_ interactions: [Interaction], _ configuration: MockServerConfiguration = MockServerConfiguration()) async throws -> (MockServer, Int) {
        let server = MockServer(pact: Support.pact(interactions), configuration: configuration)
        try await server.start()
        return (server, try #require(server.port))
    }

    /// The head and body of each response in a raw reply, in order (bodies are read by their Content-Length).
    static func responses(_ reply: String) -> [(head: String, body: String)] {
        var rest = Substring(reply)
        var found: [(String, String)] = []
        while let end = rest.range(of: "\r\n\r\n") {
            let head = String(rest[..<end.lowerBound])
            rest = rest[end.upperBound...]
            let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            let body = String(rest.prefix(length))
            rest = rest.dropFirst(length)
            found.append((head, body))
        }
        return found
    }

    @Test func pipelinedRequestsAreAnsweredInOrderEvenWhenTheFirstIsDelayed() async throws {
        let simulation = Simulation(rules: [SimulationRule(.path("/slow"), delay: .fixed(milliseconds: 300))])
        let (server, port) = try await Self.started([
            Support.interaction("slow", path: "/slow", responseBody: ["which": "slow"]),
            Support.interaction("fast", path: "/fast", responseBody: ["which": "fast"]),
        ], MockServerConfiguration(simulation: simulation))
        defer { Task { await server.stop() } }
        let three = "GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        let responses = Self.responses(Support.rawExchange(port: port, bytes: Array(three.utf8)))
        #expect(responses.map(\.body) == [#"{"which":"slow"}"#, #"{"which":"fast"}"#, #"{"which":"fast"}"#], "\(responses)")
        #expect(responses.last?.head.contains("Connection: close") == true)
        #expect(server.journal.totalRequests == 3)
    }

    @Test func anHTTP10ClientThatAsksToKeepTheConnectionIsToldItIsKept() async throws {
        let (server, port) = try await Self.started([Support.interaction("get", path: "/a", responseBody: ["ok": true])])
        defer { Task { await server.stop() } }
        // ApacheBench's -k sends this; without the header it would assume the connection closes.
        let twice = "GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /a HTTP/1.0\r\n\r\n"
        let responses = Self.responses(Support.rawExchange(port: port, bytes: Array(twice.utf8)))
        #expect(responses.count == 2, "\(responses)")
        #expect(responses.first?.head.contains("\r\nConnection: keep-alive") == true)
        #expect(responses.last?.head.contains("\r\nConnection: close") == true, "HTTP/1.0 without keep-alive ends the connection")
        #expect(responses.map(\.body) == [#"{"ok":true}"#, #"{"ok":true}"#])
    }

    @Test func aHeadRequestGetsTheLengthButNoBody() async throws {
        let (server, port) = try await Self.started([Support.interaction("head", method: "HEAD", path: "/a", responseBody: ["ok": true])])
        defer { Task { await server.stop() } }
        let reply = Support.rawExchange(port: port, bytes: Array("HEAD /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
        #expect(reply.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(reply.contains("\r\nContent-Length: 11\r\n"))
        #expect(reply.hasSuffix("\r\n\r\n"), "no body after the head: \(reply)")
    }

    @Test func aNoContentResponseHasNeitherBodyNorLength() async throws {
        let (server, port) = try await Self.started([Support.interaction("delete", method: "DELETE", path: "/a", status: 204)])
        defer { Task { await server.stop() } }
        let twice = "DELETE /a HTTP/1.1\r\nHost: x\r\n\r\nDELETE /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        let reply = Support.rawExchange(port: port, bytes: Array(twice.utf8))
        #expect(reply.components(separatedBy: "HTTP/1.1 204 No Content\r\n").count == 3, "\(reply)")
        #expect(!reply.lowercased().contains("content-length"))
    }

    @Test func aClientThatExpects100ContinueIsToldToSendTheBody() async throws {
        let (server, port) = try await Self.started([Support.interaction("post", method: "POST", path: "/a", requestBody: ["n": 1], status: 201)])
        defer { Task { await server.stop() } }
        let socket = try RawSocket(port: port)
        socket.send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 7\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
        let interim = socket.receive(until: "\r\n\r\n")
        #expect(interim == "HTTP/1.1 100 Continue\r\n\r\n")
        socket.send(#"{"n":1}"#)
        #expect(socket.receiveAllText().hasPrefix("HTTP/1.1 201 Created\r\n"))
    }

    @Test func headerValuesFromThePactCannotSplitTheResponse() async throws {
        var response = HTTPResponse(status: 200)
        response.headers.set("X-Note", ["a\r\nSet-Cookie: stolen=1"])
        response.headers.set("Bad Name", ["dropped"])
        let interaction = Interaction.http(HTTPInteraction(info: InteractionInfo(description: "odd headers"), request: HTTPRequest(method: "GET", path: "/a"), response: response))
        let (server, port) = try await Self.started([interaction])
        defer { Task { await server.stop() } }
        let reply = Support.rawExchange(port: port, bytes: Array("GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
        let lines = reply.components(separatedBy: "\r\n")
        #expect(lines.contains("X-Note: a  Set-Cookie: stolen=1"), "\(lines)")
        #expect(!lines.contains { $0.hasPrefix("Set-Cookie") || $0.hasPrefix("Bad Name") })
    }

    @Test func framingAndConnectionHeadersFromThePactAreLeftToTheServer() async throws {
        var response = HTTPResponse(status: 200, body: Body(json: ["ok": true]))
        response.headers.set("Transfer-Encoding", ["chunked"])
        response.headers.set("Connection", ["keep-alive"])
        response.headers.set("Content-Length", ["999"])
        let interaction = Interaction.http(HTTPInteraction(info: InteractionInfo(description: "recorded"), request: HTTPRequest(method: "GET", path: "/a"), response: response))
        let (server, port) = try await Self.started([interaction])
        defer { Task { await server.stop() } }
        let reply = Support.rawExchange(port: port, bytes: Array("GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
        let lines = reply.components(separatedBy: "\r\n")
        #expect(lines.contains("Content-Length: 11") && !lines.contains("Content-Length: 999"), "\(lines)")
        #expect(!reply.lowercased().contains("transfer-encoding"))
        #expect(lines.filter { $0.lowercased().hasPrefix("connection:") } == ["Connection: close"])
        #expect(reply.hasSuffix(#"{"ok":true}"#))
    }

    @Test func requestsBeforeMalformedBytesAreAnsweredBeforeThe400() async throws {
        let simulation = Simulation(rules: [SimulationRule(.path("/slow"), delay: .fixed(milliseconds: 200))])
        let (server, port) = try await Self.started([Support.interaction("slow", path: "/slow", responseBody: ["which": "slow"])],
                                                    MockServerConfiguration(simulation: simulation))
        defer { Task { await server.stop() } }
        let reply = Support.rawExchange(port: port, bytes: Array("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGARBAGE\u{0}\r\n\r\n".utf8))
        let responses = Self.responses(reply)
        #expect(responses.map { String($0.head.prefix(12)) } == ["HTTP/1.1 200", "HTTP/1.1 400"], "\(reply)")
        #expect(responses.first?.body == #"{"which":"slow"}"#)
    }

    @Test func aGeneratedStatusThatIsNoFinalStatusBecomes500() async throws {
        let generators = try Generators(json: ["status": ["type": "RandomInt", "min": -5, "max": 150]], source: "test")
        let (server, port) = try await Self.started([Support.interaction("odd", path: "/a", responseGenerators: generators)])
        defer { Task { await server.stop() } }
        let reply = Support.rawExchange(port: port, bytes: Array("GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
        #expect(reply.hasPrefix("HTTP/1.1 500 Internal Server Error\r\n"), "the server stays up and answers: \(reply)")
    }

    @Test func aClientThatClosesItsSendingSideStillGetsItsAnswers() async throws {
        let simulation = Simulation(rules: [SimulationRule(.path("/slow"), delay: .fixed(milliseconds: 200))])
        let (server, port) = try await Self.started([
            Support.interaction("slow", path: "/slow", responseBody: ["which": "slow"]),
            Support.interaction("fast", path: "/fast", responseBody: ["which": "fast"]),
        ], MockServerConfiguration(simulation: simulation))
        defer { Task { await server.stop() } }
        for requests in ["GET /fast HTTP/1.1\r\nHost: x\r\n\r\n", "GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n"] {
            let socket = try RawSocket(port: port)
            socket.send(requests)
            socket.finishSending()
            let bodies = Self.responses(socket.receiveAllText()).map(\.body)
            let expected = requests.contains("/slow") ? [#"{"which":"slow"}"#, #"{"which":"fast"}"#] : [#"{"which":"fast"}"#]
            #expect(bodies == expected, "answered, then closed, after the client's half-close")
        }
    }

    @Test func aDelayLongerThanTheIdleTimeoutIsStillAnswered() async throws {
        let simulation = Simulation(rules: [SimulationRule(delay: .fixed(milliseconds: 900))])
        let (server, port) = try await Self.started([Support.interaction("slow", path: "/a", responseBody: ["ok": true])],
                                                    MockServerConfiguration(idleTimeout: .milliseconds(300), simulation: simulation))
        defer { Task { await server.stop() } }
        let reply = Support.rawExchange(port: port, bytes: Array("GET /a HTTP/1.1\r\nHost: x\r\n\r\n".utf8), readTimeout: 10)
        #expect(reply.hasPrefix("HTTP/1.1 200 OK\r\n"), "the server waits on its own response, which is not idleness: \(reply)")
        #expect(reply.hasSuffix(#"{"ok":true}"#), "and closes the connection once it has gone idle after it")
    }
}
