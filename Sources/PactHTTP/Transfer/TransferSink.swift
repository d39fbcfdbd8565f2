/// Receives what libcurl reads during one transfer: header lines, body bytes and progress ticks.
///
/// It lives on the transfer's thread only; libcurl reaches it through the opaque user-data pointer of its callbacks.
final class TransferSink {
    private let limit: Int
    private let cancellation: Locked<Bool>
    private var headerBytes = 0
    private(set) var headerParser = ResponseHeaderParser()
    private(set) var body: [UInt8] = []
    /// Set when the response went past the size limit, which is why the callback stopped the transfer.
    private(set) var exceededLimit = false
    /// Set when the caller's task was cancelled, which is why the progress callback stopped the transfer.
    private(set) var wasCancelled = false

    /// The configuration's connection check, if any.
    let allowsConnection: (@Sendable (IPAddress) -> Bool)?
    /// The address a connection was refused to, which is why the transfer failed to connect.
    private(set) var refusedAddress: IPAddress?

    init(limit: Int, cancellation: Locked<Bool>, allowsConnection: (@Sendable (IPAddress) -> Bool)? = nil) {
        self.limit = limit
        self.cancellation = cancellation
        self.allowsConnection = allowsConnection
    }

    /// Asks the connection check about an address; remembers a refusal for the error message.
    func mayConnect(to address: IPAddress) -> Bool {
        guard let allowsConnection else { return true }
        if allowsConnection(address) { return true }
        refusedAddress = address
        return false
    }

    /// Takes one header line; returns false to make libcurl abort when the headers go past the limit.
    func receiveHeaderLine(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        headerBytes += line.count
        guard headerBytes <= limit else {
            exceededLimit = true
            return false
        }
        headerParser.consume(line: line)
        return true
    }

    /// Takes a piece of the body; returns false to make libcurl abort when the body goes past the limit.
    func receiveBody(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count <= limit - body.count else {
            exceededLimit = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    /// Called by libcurl about once a second and on every read; returns false once the caller has cancelled.
    func shouldContinue() -> Bool {
        wasCancelled = cancellation.withLock { $0 }
        return !wasCancelled
    }
}
