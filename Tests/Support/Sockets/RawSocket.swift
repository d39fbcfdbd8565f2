import Foundation

/// A blocking client socket to 127.0.0.1, for exchanges the HTTP client would tidy up: raw bytes, several steps,
/// half-closes, and the error that ended the connection.
public final class RawSocket: @unchecked Sendable {
    /// Why no connection was made: the `errno` of `socket` or `connect`.
    public struct ConnectError: Error { public let code: Int32 }

    private let descriptor: Int32

    public init(port: Int, readTimeout: TimeInterval = 5) throws(ConnectError) {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ConnectError(code: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: Int(readTimeout), tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw ConnectError(code: errno) }
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    public func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Foundation.send(descriptor, $0.baseAddress, $0.count, 0) }
    }

    public func send(_ text: String) { send(Array(text.utf8)) }

    /// Closes the sending side (the server sees the end of the input) while the reply can still be read.
    public func finishSending() {
        shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Reads byte by byte until the text received ends with `marker` (or the connection ends).
    public func receive(until marker: String) -> String {
        var received: [UInt8] = []
        var byte: UInt8 = 0
        while !String(decoding: received, as: UTF8.self).hasSuffix(marker) {
            let count = recv(descriptor, &byte, 1, 0)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            received.append(byte)
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// Reads until the server closes the connection, as text.
    public func receiveAllText() -> String { String(decoding: receiveAll().bytes, as: UTF8.self) }

    /// Reads until the server closes the connection (or the read timeout passes), calling `onRead` after each read;
    /// returns the bytes and the `errno` that ended the reading (0 for an orderly close).
    public func receiveAll(onRead: () -> Void = {}) -> (bytes: [UInt8], error: Int32) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            // SIGCHLD from other tests' processes can interrupt recv; that is not the server closing.
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return (received, errno) }
            if count == 0 { return (received, 0) }
            received += buffer[0..<count]
            onRead()
        }
    }
}
