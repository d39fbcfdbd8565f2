import Foundation
import PactBroker
import PactModel
import TestSupport
import Testing

/// The broker's connections tried with raw bytes: what is not HTTP, what claims too much, what says nothing, and
/// more connections than it takes.
@Suite("Broker: connections")
struct ConnectionTests {
    /// Sends `text` on a new connection and reads until the broker closes it or `timeout` seconds pass; the errno
    /// is 0 when the broker closed it.
    static func exchange(_ port: Int, _ text: String, timeout: TimeInterval = 20) async throws -> (reply: String, error: Int32) {
        try await onOwnThread {
            let socket = try RawSocket(port: port, readTimeout: timeout)
            socket.send(text)
            let (bytes, error) = socket.receiveAll()
            return (String(decoding: bytes, as: UTF8.self), error)
        }
    }

    @Test("bytes that are not HTTP/1.1 in a body get a 400 with a JSON error, not a 500")
    func malformedFraming() async throws {
        try await withBroker(.sqlite) { broker in
            let head = "POST /pacticipants HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            for request in [head + "Transfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n", head + "Transfer-Encoding: identity\r\n\r\n{}"] {
                let (reply, _) = try await Self.exchange(broker.port, request)
                #expect(reply.hasPrefix("HTTP/1.1 400"), "\(reply)")
                #expect(reply.contains(#"{"error":{"message":"the request is not valid HTTP/1.1"#), "\(reply)")
            }
            #expect(try await broker.get("/pacticipants").status == 200, "the broker keeps serving")
        }
    }

    @Test("a Content-Length over the limit is refused before the body is read")
    func declaredLengthRefused() async throws {
        try await withBroker(.sqlite) { broker in
            let port = broker.port
            // Only the head is sent: a broker that waited for 100 MB (or its first 32 MiB) would never answer.
            let head = "POST /pacticipants HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n"
            let reply = try await onOwnThread {
                let socket = try RawSocket(port: port, readTimeout: 20)
                socket.send(head)
                return socket.receive(until: "}}")
            }
            #expect(reply.hasPrefix("HTTP/1.1 413"), "\(reply)")
            #expect(reply.contains("100000000 bytes"), "\(reply)")
            let (bad, _) = try await Self.exchange(port, "POST /pacticipants HTTP/1.1\r\nHost: x\r\nContent-Length: lots\r\n\r\n")
            #expect(bad.hasPrefix("HTTP/1.1 400"), "\(bad)")
        }
    }

    @Test("idle and half-sent connections are closed by the broker")
    func idleConnectionsClosed() async throws {
        try await withBroker({ try await TestBroker.start(.sqlite) { $0.idleTimeout = .milliseconds(300) } }) { broker in
            for text in ["", "GET /pacticipants HTTP/1.1\r\nHost: x\r\n"] {
                let (reply, error) = try await Self.exchange(broker.port, text)
                #expect(reply.isEmpty, "\(reply)")
                #expect(error == 0, "the broker did not close the connection (errno \(error))")
            }
        }
    }

    @Test("beyond the connection cap new connections wait, and are served when one closes")
    func connectionCap() async throws {
        try await withBroker({ try await TestBroker.start(.sqlite) { $0.maxConnections = 2 } }) { broker in
            let port = broker.port
            let held = try await onOwnThread { [try RawSocket(port: port), try RawSocket(port: port)] }
            // Each held connection is in use: one request answered on it.
            for socket in held {
                let reply = try await onOwnThread {
                    socket.send("GET /pacticipants HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n")
                    return socket.receive(until: "\r\n\r\n")
                }
                #expect(reply.hasPrefix("HTTP/1.1 200"), "\(reply)")
            }
            let third = try await onOwnThread { try RawSocket(port: port, readTimeout: 1) }
            let waiting = try await onOwnThread {
                third.send("GET /pacticipants HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\nConnection: close\r\n\r\n")
                return third.receiveAll()
            }
            #expect(waiting.bytes.isEmpty && waiting.error == EAGAIN, "a third connection was served while two were held")
            held[0].finishSending()
            let served = try await onOwnThread {
                let socket = try RawSocket(port: port, readTimeout: 20)
                _ = third
                socket.send("GET /pacticipants HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\nConnection: close\r\n\r\n")
                return socket.receiveAllText()
            }
            #expect(served.hasPrefix("HTTP/1.1 200"), "\(served)")
            _ = held
        }
    }
}
