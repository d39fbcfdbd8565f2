import CCurl

/// A request checked before any byte is sent: an http(s) URL libcurl accepts, a token method and header lines that
/// cannot break the request framing.
struct PreparedRequest: Sendable {
    let url: String
    let method: String
    /// The lines for CURLOPT_HTTPHEADER: the caller's headers, then the directives that stop libcurl adding its own.
    let headerLines: [String]
    let body: [UInt8]?

    init(_ request: HTTPClientRequest) throws(HTTPClientError) {
        try Self.validateURL(request.url)
        guard Self.isToken(request.method) else {
            throw .transport(url: request.url, reason: "the method '\(request.method)' is not a valid HTTP method token (letters, digits and !#$%&'*+-.^_`|~ only)")
        }
        var lines: [String] = []
        for header in request.headers {
            guard Self.isToken(header.name) else {
                throw .transport(url: request.url, reason: "the header name '\(header.name)' is not a valid HTTP token; names cannot be empty or contain spaces, colons or control characters")
            }
            guard !header.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                throw .transport(url: request.url, reason: "the value of header '\(header.name)' contains a line break or NUL, which cannot be sent in a header")
            }
            // libcurl reads "Name:" as "remove this header"; "Name;" is its spelling for a header with an empty value.
            lines.append(header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)")
        }
        let given = { (name: String) in request.headers.contains { $0.name.caseInsensitiveEquals(name) } }
        // libcurl would add these on its own; an empty directive removes them so only the caller's headers go out.
        for name in ["Expect", "Accept", "Content-Type"] where !given(name) {
            lines.append("\(name):")
        }
        url = request.url
        method = request.method
        headerLines = lines
        body = request.body
    }

    /// Accepts only what libcurl will parse the same way: an absolute http or https URL with a host.
    private static func validateURL(_ text: String) throws(HTTPClientError) {
        guard !text.utf8.contains(0), let handle = curl_url() else { throw .invalidURL(text) }
        defer { curl_url_cleanup(handle) }
        guard curl_url_set(handle, CURLUPART_URL, text, 0) == CURLUE_OK else { throw .invalidURL(text) }
        var scheme: UnsafeMutablePointer<CChar>?
        guard curl_url_get(handle, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK, let scheme else { throw .invalidURL(text) }
        defer { curl_free(scheme) }
        // Checked on the text too: libcurl would otherwise guess "http://" for a scheme-less "host:port/path".
        let lowered = text.prefix(8).lowercased()
        let schemeName = String(cString: scheme).lowercased()
        guard (schemeName == "http" && lowered.hasPrefix("http://")) || (schemeName == "https" && lowered.hasPrefix("https://")) else {
            throw .invalidURL(text)
        }
    }

    /// RFC 9110 token: one or more visible ASCII characters other than delimiters.
    private static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                true
            default:
                "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
    }
}
