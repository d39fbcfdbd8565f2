import Foundation
import PactHTTP
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where webhooks may send requests: a guard against a webhook author making the broker reach what only the broker
/// can reach (cloud metadata services, databases on the private network, the broker itself).
///
/// By default `http` and `https` are allowed to any host whose addresses are public. Loopback, link-local, private
/// (RFC 1918, unique-local IPv6), carrier-grade NAT, multicast, reserved and unspecified addresses, and every address of
/// the broker's own interfaces, are refused unless the host is listed in `allowedHosts`. The check is made when a
/// webhook is saved (for a literal address or `localhost`) and again at delivery, on every address the host name
/// resolves to, when the connection is opened, so a name re-pointed after the check gains nothing.
public struct WebhookPolicy: Sendable {
    /// The schemes webhooks may use (lower case).
    public var allowedSchemes: Set<String>
    /// Host names (`hooks.internal`, or `*.corp.example` for its subdomains), addresses (`10.1.2.3`) or ranges
    /// (`10.0.0.0/8`, `fd00::/8`) that webhooks may reach although they are not public.
    public var allowedHosts: [String]

    public init(allowedSchemes: Set<String> = ["http", "https"], allowedHosts: [String] = []) {
        self.allowedSchemes = Set(allowedSchemes.map { $0.lowercased() })
        self.allowedHosts = allowedHosts
    }

    /// Checks the list entries; returns the first that is neither a host name, an address nor a range.
    public func invalidEntry() -> String? {
        for entry in allowedHosts {
            if entry.contains("/") {
                if AddressRange(entry) == nil { return entry }
            } else if IPAddress.parse(entry) == nil && (entry.isEmpty || entry.contains(where: { $0.isWhitespace || $0 == ":" || $0 == "@" })) {
                return entry
            }
        }
        return nil
    }

    /// Why the URL may not be used, or nil when it may (as far as can be told before connecting).
    func refusal(for url: String) -> String? {
        guard let parts = WebhookPolicy.schemeAndHost(url) else { return "'\(url)' is not an absolute http(s) URL" }
        guard allowedSchemes.contains(parts.scheme) else {
            return "the scheme \(parts.scheme) is not allowed for webhooks (allowed: \(allowedSchemes.sorted().joined(separator: ", "))); see --webhook-scheme-allow"
        }
        if allowsByName(parts.host) { return nil }
        if let address = IPAddress.parse(parts.host) {
            return allows(address) ? nil : refusalText(host: parts.host, address: address)
        }
        let lowered = parts.host.lowercased()
        if lowered == "localhost" || lowered.hasSuffix(".localhost") || lowered == "metadata.google.internal" {
            return "webhooks may not call \(parts.host), an address of the broker's own machine or cloud; list it with --webhook-host-allow if that is intended"
        }
        return nil
    }

    private func refusalText(host: String, address: IPAddress) -> String {
        "webhooks may not call \(host) (\(address)): it is a loopback, private, link-local or reserved address, or one of the broker's own; " +
            "list it with --webhook-host-allow if that is intended"
    }

    /// True when the host is listed by name, so any address it resolves to may be reached.
    func allowsByName(_ host: String) -> Bool {
        let lowered = host.lowercased()
        for entry in allowedHosts where !entry.contains("/") {
            let pattern = entry.lowercased()
            if pattern.hasPrefix("*.") {
                if lowered.hasSuffix(pattern.dropFirst()) { return true }
            } else if pattern == lowered {
                return true
            } else if let listed = IPAddress.parse(pattern), let given = IPAddress.parse(lowered), listed == given {
                return true
            }
        }
        return false
    }

    /// Whether a connection to this address may be opened.
    func allows(_ address: IPAddress) -> Bool {
        for entry in allowedHosts {
            if entry.contains("/"), let range = AddressRange(entry), range.contains(address) { return true }
            if !entry.contains("/"), let listed = IPAddress.parse(entry), listed == address { return true }
        }
        return !address.isNonPublic && !WebhookPolicy.ownAddresses.contains(address)
    }

    /// The addresses of this machine's interfaces, read once.
    static let ownAddresses: Set<IPAddress> = {
        var result: Set<IPAddress> = []
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { return result }
        defer { freeifaddrs(list) }
        var current = list
        while let entry = current {
            if let address = entry.pointee.ifa_addr {
                switch Int32(address.pointee.sa_family) {
                case AF_INET:
                    let value = UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in.self)
                    if let ip = withUnsafeBytes(of: value.sin_addr, { IPAddress(bytes: Array($0)) }) { result.insert(ip) }
                case AF_INET6:
                    let value = UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in6.self)
                    if let ip = withUnsafeBytes(of: value.sin6_addr, { IPAddress(bytes: Array($0)) }) { result.insert(ip) }
                default:
                    break
                }
            }
            current = entry.pointee.ifa_next
        }
        return result
    }()

    /// The lower-cased scheme and the host (without brackets or port) of an absolute URL.
    static func schemeAndHost(_ url: String) -> (scheme: String, host: String)? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        var authority = url[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let host: Substring
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
        } else {
            host = authority.prefix { $0 != ":" }
        }
        guard !host.isEmpty else { return nil }
        return (scheme, String(host).removingPercentEncoding ?? String(host))
    }
}

extension IPAddress {
    /// Reads an address as libcurl and the C library would: IPv6 (`::1`), dotted IPv4 and its historical forms
    /// (`127.1`, `0x7f000001`, `2130706433`, `0177.0.0.1`), so no spelling slips past a check.
    static func parse(_ text: String) -> IPAddress? {
        var v6 = in6_addr()
        if text.contains(":"), inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: v6) { IPAddress(bytes: Array($0)) }
        }
        var v4 = in_addr()
        guard !text.isEmpty, text.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == "x" || $0 == "X" }), inet_aton(text, &v4) != 0 else { return nil }
        return withUnsafeBytes(of: v4) { IPAddress(bytes: Array($0)) }
    }

    /// Loopback, private, link-local, shared, multicast, reserved or unspecified: not an address on the public internet.
    var isNonPublic: Bool {
        if isIPv4 { return IPAddress.nonPublicV4.contains { $0.contains(self) } }
        // An IPv4 address mapped into IPv6 (::ffff:a.b.c.d) or translated (64:ff9b::a.b.c.d) is judged as IPv4.
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff
            || bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b && bytes[4..<12].allSatisfy({ $0 == 0 }) {
            return IPAddress(bytes: Array(bytes[12..<16]))?.isNonPublic ?? true
        }
        return IPAddress.nonPublicV6.contains { $0.contains(self) }
    }

    private static let nonPublicV4: [AddressRange] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/3",
    ].compactMap(AddressRange.init)

    private static let nonPublicV6: [AddressRange] = [
        "::/127", "::/96", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
    ].compactMap(AddressRange.init)
}

/// An address range in CIDR form (`10.0.0.0/8`, `fd00::/8`).
struct AddressRange: Sendable {
    let base: IPAddress
    let prefix: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard parts.count == 2, let base = IPAddress.parse(String(parts[0])), let prefix = Int(parts[1]),
              (0...(base.bytes.count * 8)).contains(prefix) else { return nil }
        self.base = base
        self.prefix = prefix
    }

    func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == base.bytes.count else { return false }
        var remaining = prefix
        for (given, listed) in zip(address.bytes, base.bytes) {
            if remaining <= 0 { return true }
            let bits = min(remaining, 8)
            let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
            if given & mask != listed & mask { return false }
            remaining -= 8
        }
        return true
    }
}
