import Foundation
import PactModel

/// What keeps a web page, a stray path or a runaway test from using the control API against the machine it runs on.
extension ControlServer {
    /// A refusal answered before any route: a body that is not JSON (415), or a request from a web page (403).
    ///
    /// A browser sends cross-site, without asking first, only simple requests: GET, HEAD and POST with a form or
    /// `text/plain` body. Requiring a JSON type for bodies refuses those POSTs, and refusing any `Origin` but the
    /// API's own refuses the rest. A page whose DNS name was rebound to 127.0.0.1 sends its own name as `Host`, which
    /// is refused too. Test tools send no `Origin` and a loopback `Host`.
    func refusal(of request: HTTPRequest) -> HTTPResponse? {
        if let host = request.headers.first("Host"), !isOwnHost(Self.hostName(ofAuthority: host)) {
            return Self.error(403, "requests for host '\(host)' are refused; the control API answers only to its own address (a DNS name rebound to this machine is not one)")
        }
        if let origin = request.headers.first("Origin") {
            let host = URLComponents(string: origin).flatMap { components -> String? in
                guard let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https" else { return nil }
                return components.host.map { Self.hostName(ofAuthority: $0) }
            }
            guard let host, isOwnHost(host) else {
                return Self.error(403, "requests from web pages are refused (Origin: '\(origin)'); the control API is for test tools on this machine")
            }
        }
        guard request.body.hasContent || request.headers.first("Content-Length").map({ $0 != "0" }) == true else { return nil }
        let declared = request.headers.first("Content-Type") ?? ""
        let type = ContentType(declared)
        // OpenAPI documents may come as YAML: a type a page cannot send cross-site without asking first either.
        let yaml = request.path.hasPrefix("/openapi-mocks") && ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"].contains(type?.essence ?? "")
        guard let type, type.isJSON || yaml else {
            let shown = declared.isEmpty ? "no Content-Type" : "Content-Type '\(declared)'"
            return Self.error(415, "the control API reads JSON bodies only (and YAML for OpenAPI documents), and this request has \(shown); send Content-Type: application/json")
        }
        return nil
    }

    /// The host part of `host[:port]` or `[v6]:port`, lower-cased, without brackets.
    static func hostName(ofAuthority authority: String) -> String {
        var text = authority.lowercased()
        if text.hasPrefix("["), let end = text.firstIndex(of: "]") { return String(text[text.index(after: text.startIndex)..<end]) }
        if let colon = text.lastIndex(of: ":"), text.firstIndex(of: ":") == colon { text = String(text[..<colon]) }
        return text
    }

    /// Whether a host names this machine: `localhost`, an address in 127.0.0.0/8 or `::1` (parsed as an address, so
    /// `127.0.0.1.example.com` is not one), or the host the API listens on. Bound to a wildcard address, the API was
    /// opened to the network on purpose, and any host name is accepted.
    private func isOwnHost(_ host: String) -> Bool {
        let own = ownHost.withLockedValue { $0 }.lowercased()
        if own == "0.0.0.0" || own == "::" { return true }
        if host == "localhost" || host == own { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return UInt32(bigEndian: v4.s_addr) >> 24 == 127 }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { bytes in bytes.prefix(15).allSatisfy { $0 == 0 } && bytes[15] == 1 }
        }
        return false
    }

    /// A failure that is already the response to send.
    struct Refusal: Error {
        var response: HTTPResponse
    }

    /// The folder a pact is written to: the output folder, or the folder inside it that `dir` names (relative to it,
    /// or absolute but inside it). A `dir` that leads out of the output folder, through `..` or a symbolic link, is
    /// refused with 403.
    func outputFolder(_ request: HTTPRequest) -> Result<URL, Refusal> {
        let root = Self.realPath(outputDirectory.standardizedFileURL)
        guard let requested = request.query["dir"]?.first ?? nil, !requested.isEmpty else { return .success(root) }
        if requested.utf8.contains(0) { return .failure(Refusal(response: Self.error(400, "dir holds a NUL character"))) }
        let candidate = (requested.hasPrefix("/") ? URL(fileURLWithPath: requested) : root.appendingPathComponent(requested)).standardizedFileURL
        let resolved = Self.realPath(candidate)
        guard resolved.path == root.path || resolved.path.hasPrefix(root.path == "/" ? "/" : root.path + "/") else {
            return .failure(Refusal(response: Self.error(403, "dir '\(requested)' is outside the output folder \(root.path); name a folder inside it (pactctl mock --pact-out sets the output folder)")))
        }
        return .success(resolved)
    }

    /// The path with every symbolic link in the part that exists resolved; what does not exist yet is appended as given.
    static func realPath(_ url: URL) -> URL {
        var existing = url
        var missing: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path) {
            let parent = existing.deletingLastPathComponent()
            if parent.path == existing.path { break }
            missing.insert(existing.lastPathComponent, at: 0)
            existing = parent
        }
        var result = existing.resolvingSymlinksInPath()
        for component in missing { result.appendPathComponent(component) }
        return result
    }

    /// Takes a place for one more server, or answers false when `maxServers` are running.
    func reserveSlot() -> Bool {
        slotsInUse.withLockedValue { inUse in
            guard inUse < maxServers else { return false }
            inUse += 1
            return true
        }
    }

    /// Gives back the place of a server that stopped or never started.
    func releaseSlot() {
        slotsInUse.withLockedValue { $0 = max(0, $0 - 1) }
    }

    /// The answer when `maxServers` are running.
    var capacityRefusal: HTTPResponse {
        Self.error(503, "this control API already runs \(maxServers) servers, its limit; DELETE the ones you no longer need (pactctl mock --max-servers raises it)")
    }
}
