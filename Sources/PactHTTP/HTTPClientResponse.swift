/// The raw response to an ``HTTPClientRequest``: status, headers as received and undecoded body bytes.
public struct HTTPClientResponse: Sendable {
    /// The status code of the final response (interim `1xx` responses are skipped).
    public var status: Int
    /// The headers of the final response in the order received; repeated names are kept as separate entries.
    public var headers: [(name: String, value: String)]
    /// The body exactly as received, after removing the transfer framing (chunking) but with no content decoding.
    public var body: [UInt8]

    /// Creates a response from its parts.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of the first header with this name, compared case-insensitively, or `nil` if there is none.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// Every value of the headers with this name, compared case-insensitively, in the order received.
    public func headers(named name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveEquals(name) }.map(\.value)
    }

    /// The body decoded as UTF-8, or `nil` when it is not valid UTF-8.
    public var bodyText: String? {
        // Decoding repairs invalid sequences, so an unchanged round trip proves the bytes were valid UTF-8.
        let text = String(decoding: body, as: UTF8.self)
        return text.utf8.elementsEqual(body) ? text : nil
    }
}

extension String {
    /// ASCII case-insensitive comparison, which is how HTTP compares header names.
    func caseInsensitiveEquals(_ other: String) -> Bool {
        let lhs = utf8, rhs = other.utf8
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).allSatisfy { asciiLowercased($0) == asciiLowercased($1) }
    }
}

private func asciiLowercased(_ byte: UInt8) -> UInt8 {
    (byte >= 0x41 && byte <= 0x5A) ? byte + 0x20 : byte
}
