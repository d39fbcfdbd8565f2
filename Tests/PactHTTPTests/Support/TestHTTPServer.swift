import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for the client tests: it records every request's raw bytes and answers each
/// with one canned response. Each accepted connection is served on its own thread, with keep-alive.
final class TestHTTPServer: @unchecked Sendable {
    // @unchecked: mutable state is only touched under `lock`; descriptors are closed only by the thread owning them.
    private struct State {
        var acceptedConnections = 0
        var requests: [RecordedRequest] = []
        var openConnections: Set<Int32> = []
        var isStopped = false
    }

    let port: UInt16
    private let response: CannedResponse
    private let listener: Int32
    private let lock = NSLock()
    private var state = State()

    /// The server's root URL, such as `http://127.0.0.1:40123`.
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// How many connections have been accepted so far.
    var acceptedConnections: Int { withState { $0.acceptedConnections } }

    /// Every complete request received so far, in arrival order.
    var requests: [RecordedRequest] { withState { $0.requests } }

    /// Starts listening on a free port and serving in the background.
    init(response: CannedResponse = CannedResponse()) throws {
        self.response = response
        let (descriptor, port) = try Self.bindLoopback(listening: true)
        listener = descriptor
        self.port = port
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Stops accepting and wakes every connection thread; each thread closes its own descriptor.
    func stop() {
        let connections = withState { state in
            state.isStopped = true
            return state.openConnections
        }
        Glibc.shutdown(listener, Int32(SHUT_RDWR))
        for connection in connections { Glibc.shutdown(connection, Int32(SHUT_RDWR)) }
    }

    /// A socket bound to a free loopback port; when not listening, connecting to that port is refused.
    static func bindLoopback(listening: Bool) throws -> (descriptor: Int32, port: UInt16) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound, !listening || listen(descriptor, 128) == 0 else {
            close(descriptor)
            throw POSIXError(.EADDRINUSE)
        }
        return (descriptor, UInt16(bigEndian: address.sin_port))
    }

    private func withState<Result>(_ body: (inout State) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&state)
    }

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else {
                // Only `stop()` ends the loop. Anything else (a signal, a client that gave up before it was accepted,
                // descriptors running short while a parallel test run holds many) passes, so the connections
                // waiting in the backlog are still served instead of being reset with the listener.
                if withState({ $0.isStopped }) { return }
                if errno != EINTR { usleep(5_000) }
                continue
            }
            let number: Int? = withState { state in
                guard !state.isStopped else { return nil }
                state.acceptedConnections += 1
                state.openConnections.insert(connection)
                return state.acceptedConnections
            }
            guard let number else {
                close(connection)
                return
            }
            let thread = Thread { [self] in serve(connection, number: number) }
            thread.start()
        }
    }

    private func serve(_ connection: Int32, number: Int) {
        defer {
            withState { _ = $0.openConnections.remove(connection) }
            close(connection)
        }
        var pending: [UInt8] = []
        while let (head, body) = readRequest(from: connection, pending: &pending) {
            let request = RecordedRequest(connection: number, head: head, body: body)
            withState { $0.requests.append(request) }
            if response.closesWithoutResponse { return }
            if response.delay > .zero {
                // Waiting on the socket rather than sleeping ends the wait as soon as the client gives up.
                var poller = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
                let (seconds, attoseconds) = response.delay.components
                _ = poll(&poller, 1, Int32(seconds * 1000 + attoseconds / 1_000_000_000_000_000))
            }
            let bytes = response.serialized(method: request.method, requestBody: body)
            guard writeAll(bytes, to: connection), response.framing != .closeDelimited, response.rawReply == nil else { return }
        }
    }

    /// Reads one request (head, then a Content-Length body); `nil` when the client closed or an error occurred.
    private func readRequest(from connection: Int32, pending: inout [UInt8]) -> (head: [UInt8], body: [UInt8])? {
        let terminator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while headEnd == nil {
            headEnd = pending.firstRange(of: terminator)?.upperBound
            if headEnd == nil, !receive(from: connection, into: &pending) { return nil }
        }
        guard let headEnd else { return nil }
        let head = Array(pending[..<headEnd])
        let length = RecordedRequest(connection: 0, head: head, body: []).header("Content-Length").flatMap { Int($0) } ?? 0
        while pending.count < headEnd + length {
            if !receive(from: connection, into: &pending) { return nil }
        }
        let body = Array(pending[headEnd..<(headEnd + length)])
        pending.removeFirst(headEnd + length)
        return (head, body)
    }

    private func receive(from connection: Int32, into buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var count: Int
        // Other tests start processes; their SIGCHLD can interrupt recv, which is not the client closing.
        repeat {
            count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
        } while count < 0 && errno == EINTR
        guard count > 0 else { return false }
        buffer += chunk[..<count]
        return true
    }

    private func writeAll(_ bytes: [UInt8], to connection: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }
}
