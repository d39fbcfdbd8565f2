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
