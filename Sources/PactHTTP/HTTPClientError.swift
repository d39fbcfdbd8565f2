/// Why an HTTP request got no response; an error status such as 500 is a response, not an error.
public enum HTTPClientError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The URL is not an absolute `http://` or `https://` URL that can be sent.
    case invalidURL(String)
    /// No connection could be made (refused, unreachable, unknown host); `reason` is the system's explanation.
    case connectionFailed(url: String, reason: String)
    /// The request or the connection took longer than the configured timeout.
    case timedOut(url: String, after: Duration)
    /// The response was larger than ``HTTPClientConfiguration/maxResponseBytes``.
    case responseTooLarge(url: String, limit: Int)
    /// Anything else that stopped the exchange: the server closed the connection, TLS failed, the request was
    /// malformed or cancelled, the client was shut down.
    case transport(url: String, reason: String)

    /// A one-line message naming the URL, what happened and what to try.
    public var description: String {
        switch self {
        case .invalidURL(let url):
            "invalid URL '\(url)': expected an absolute http:// or https:// URL such as http://localhost:8080/path"
        case .connectionFailed(let url, let reason):
            "could not connect to \(url) (\(reason)); is the server running and listening on that address?"
        case .timedOut(let url, let after):
            "no response from \(url) within \(after.readableDescription); the server may be stuck, or raise the timeout"
        case .responseTooLarge(let url, let limit):
            "the response from \(url) is larger than the limit of \(limit) bytes; raise maxResponseBytes if that is expected"
        case .transport(let url, let reason):
            "request to \(url) failed: \(reason)"
        }
    }
}

extension Duration {
    /// A short human form for messages: `250 ms`, `2 s`, `1.5 s`.
    var readableDescription: String {
        let milliseconds = wholeMilliseconds
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
        return "\(Double(milliseconds) / 1000) s"
    }

    /// The duration in milliseconds, rounded up so that a tiny positive duration never becomes zero (which libcurl
    /// reads as "no limit"); negative durations give zero.
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0, !(seconds == 0 && attoseconds <= 0) else { return 0 }
        let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
        let (fraction, remainder) = attoseconds.quotientAndRemainder(dividingBy: attosecondsPerMillisecond)
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        guard !overflow else { return Int64.max }
        return scaled.addingReportingOverflow(fraction + (remainder > 0 ? 1 : 0)).partialValue
    }
}
