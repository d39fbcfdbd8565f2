/// One HTTP request to send exactly as given: method, URL, headers and body are not rewritten.
public struct HTTPClientRequest: Sendable {
    /// The request method, sent verbatim (`GET`, `POST`, `PATCH`, `PURGE`, ...).
    public var method: String
    /// The absolute `http://` or `https://` URL, including the query string exactly as it must be sent.
    ///
    /// The path is not normalised (`/a/../b` is sent as written). A `#fragment` is never sent, as in any HTTP client.
    public var url: String
    /// The headers in the order they are sent; repeated names are sent repeatedly.
    ///
    /// An empty value is sent as `Name:` with nothing after it. `Host` and `Content-Length` are added when absent;
    /// no other header is added.
    public var headers: [(name: String, value: String)]
    /// The body bytes, or `nil` for no body.
    ///
    /// `nil` sends no body and no `Content-Length`; an empty array sends `Content-Length: 0`.
    /// A body given with `HEAD` is not sent, because a `HEAD` request cannot carry one.
    public var body: [UInt8]?

    /// Creates a request; nothing is sent until it is passed to ``HTTPClient/send(_:)``.
    public init(method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}
