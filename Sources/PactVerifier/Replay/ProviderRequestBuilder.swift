import Foundation
import PactHTTP
import PactModel

/// Turns an interaction's request into the exact HTTP request sent to the provider.
struct ProviderRequestBuilder: Sendable {
    /// The base URL without a trailing slash, followed by the base path (with a leading and no trailing slash).
    let prefix: String

    /// Checks the base URL and base path and joins them.
    init(baseURL: String, basePath: String?) throws(VerifierError) {
        let lowered = baseURL.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"),
              let components = URLComponents(string: baseURL), let host = components.host, !host.isEmpty else {
            throw .invalidOption(name: "provider URL", value: baseURL, reason: "is not an absolute http:// or https:// URL; use a form such as http://localhost:8080")
        }
        guard components.query == nil, components.fragment == nil else {
            throw .invalidOption(name: "provider URL", value: baseURL, reason: "must not have a query or fragment; give only scheme, host, port and path")
        }
        var prefix = baseURL
        while prefix.hasSuffix("/") { prefix.removeLast() }
        if let basePath {
            let trimmed = basePath.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
            if !trimmed.isEmpty { prefix += "/" + Self.encode(trimmed, allowed: Self.pathCharacters) }
        }
        self.prefix = prefix
    }

    /// The URL for a request: prefix, path and query (the V1 raw query when there is one).
    func url(for request: HTTPRequest) -> String {
        let path = request.path.hasPrefix("/") ? request.path : "/" + request.path
        var url = prefix + Self.encode(path, allowed: Self.pathCharacters)
        if let raw = request.rawQuery {
            if !raw.isEmpty { url += "?" + Self.encode(raw, allowed: Self.queryCharacters) }
        } else if !request.query.isEmpty {
            url += "?" + request.query.encoded
        }
        return url
    }

    /// The request to send: the recorded method, headers and body bytes.
    func clientRequest(for request: HTTPRequest) -> HTTPClientRequest {
        clientRequest(for: request, url: url(for: request))
    }

    /// The request to send to `url` instead of the URL its path makes.
    func clientRequest(for request: HTTPRequest, url: String) -> HTTPClientRequest {
        var headers: [(name: String, value: String)] = []
        for entry in request.headers where !HTTPHeaders.sameName(entry.name, "Content-Length") {
            // The client computes the length from the bytes actually sent; a recorded one may be stale after generators.
            for value in entry.values { headers.append((entry.name, value)) }
        }
        let body: [UInt8]? = request.body.isPresent ? request.body.bytes : nil
        if body != nil, !request.headers.contains("Content-Type"), let declared = request.body.declaredContentType {
            // V4 pacts may record the content type only on the body; the provider needs it as a header.
            headers.append(("Content-Type", declared.description))
        }
        return HTTPClientRequest(method: request.method, url: url, headers: headers, body: body)
    }

    /// Unreserved characters, sub-delimiters, `:`, `@` and `/`: everything legal in a path.
    static let pathCharacters: Set<UInt8> = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/".utf8))
    /// What is legal in a query: the path characters and `?`.
    static let queryCharacters: Set<UInt8> = pathCharacters.union([UInt8(ascii: "?")])

    /// Percent-encodes the bytes not in `allowed`; a `%` that already starts an escape is kept.
    static func encode(_ text: String, allowed: Set<UInt8>) -> String {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        let hex = Array("0123456789ABCDEF".utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if allowed.contains(byte) {
                output.append(byte)
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.count, isHexDigit(bytes[index + 1]), isHexDigit(bytes[index + 2]) {
                output.append(byte)
            } else {
                output += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)
    }
}
