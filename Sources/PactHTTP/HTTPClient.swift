import Foundation

/// Sends HTTP requests over libcurl exactly as given, reusing connections between requests.
///
/// It is the one outbound HTTP client of pactctl. It can be shared: concurrent `send` calls each get their own
/// libcurl handle, and idle handles (with their open connections) are kept for the next requests. The blocking
/// transfer runs on a thread of its own, never on a Swift concurrency thread.
public final class HTTPClient: Sendable {
    /// The limits and TLS settings every request of this client uses.
    public let configuration: HTTPClientConfiguration
    private let pool = EasyHandlePool()

    /// Creates a client; connections are opened on demand.
    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) {
        self.configuration = configuration
    }

    /// Sends the request and returns the response whatever its status; throws only when no response arrived.
    ///
    /// Cancelling the calling task stops the transfer within about a second with a ``HTTPClientError/transport(url:reason:)`` error.
    public func send(_ request: HTTPClientRequest) async throws(HTTPClientError) -> HTTPClientResponse {
        if let failure = CurlLibrary.initializationFailure {
            throw .transport(url: request.url, reason: failure)
        }
        let prepared = try PreparedRequest(request)
        let cancellation = Locked(false)
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<HTTPClientResponse, HTTPClientError>, Never>) in
                let thread = Thread { [pool, configuration] in
                    continuation.resume(returning: Self.exchange(prepared, configuration: configuration, pool: pool, cancellation: cancellation))
                }
                thread.name = "PactHTTP transfer"
                thread.start()
            }
        } onCancel: {
            cancellation.withLock { $0 = true }
        }
        return try result.get()
    }

    /// Frees the idle handles and closes their connections; requests still running finish first. Calling it again
    /// does nothing, and later `send` calls fail with a ``HTTPClientError/transport(url:reason:)`` error.
    public func shutdown() {
        pool.shutdown()
    }

    /// The blocking part of `send`, run on the transfer's own thread.
    private static func exchange(
        _ request: PreparedRequest,
        configuration: HTTPClientConfiguration,
        pool: EasyHandlePool,
        cancellation: Locked<Bool>
    ) -> Result<HTTPClientResponse, HTTPClientError> {
        let handle: EasyHandle
        do {
            handle = try pool.checkOut()
        } catch {
            return .failure(.transport(url: request.url, reason: error.reason))
        }
        defer { pool.checkIn(handle) }
        return CurlTransfer(request: request, configuration: configuration, handle: handle).perform(cancellation: cancellation)
    }
}
