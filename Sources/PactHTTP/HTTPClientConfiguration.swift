/// Limits and TLS settings shared by every request an ``HTTPClient`` sends.
///
/// Proxies follow libcurl's defaults: the `http_proxy`, `https_proxy`, `ALL_PROXY` and `NO_PROXY` environment
/// variables are honoured (the upper-case `HTTP_PROXY` is not, for safety). Redirects are never followed and bodies
/// are never decompressed.
public struct HTTPClientConfiguration: Sendable {
    /// The longest a whole request may take, connection included; `.zero` means no limit.
    public var requestTimeout: Duration
    /// The longest establishing the connection (and TLS handshake) may take; `.zero` means libcurl's default of 300 s.
    public var connectTimeout: Duration
    /// Whether the server's TLS certificate and host name are checked; turn off only for self-signed test servers.
    public var verifyTLS: Bool
    /// The largest response body accepted, in bytes; larger responses fail with ``HTTPClientError/responseTooLarge(url:limit:)``.
    ///
    /// The response headers are held to the same limit, so a server cannot send headers without end either.
    public var maxResponseBytes: Int
    /// Decides, for every address a host name resolves to, whether a connection to it may be opened; nil allows all.
    ///
    /// It is asked at connect time, after DNS resolution, so a name that resolves to a forbidden address (or is
    /// re-pointed there between a check and the request) is refused all the same. A refused address fails the
    /// request with ``HTTPClientError/connectionFailed(url:reason:)``.
    public var allowsConnection: (@Sendable (IPAddress) -> Bool)?

    /// Creates a configuration; the defaults suit talking to a provider or a broker.
    public init(
        requestTimeout: Duration = .seconds(30),
        connectTimeout: Duration = .seconds(10),
        verifyTLS: Bool = true,
        maxResponseBytes: Int = 64 << 20
    ) {
        self.requestTimeout = requestTimeout
        self.connectTimeout = connectTimeout
        self.verifyTLS = verifyTLS
        self.maxResponseBytes = maxResponseBytes
    }
}

/// An IPv4 or IPv6 address, as given to ``HTTPClientConfiguration/allowsConnection``.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6, in network order.
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    public var isIPv4: Bool { bytes.count == 4 }

    /// The address in its usual text form (`10.0.0.1`, `::1`).
    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        var groups: [String] = []
        for index in stride(from: 0, to: 16, by: 2) {
            groups.append(String(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]), radix: 16))
        }
        return groups.joined(separator: ":")
    }
}
