import Foundation
import PactModel

/// What keeps a web page, a stray path or a runaway test from using the control API against the machine it runs on.
extension ControlServer {
    /// A refusal answered before any route: a body that is not JSON (415), or a request from a web page (403).
    ///
    /// A browser sends cross-site, without asking first, only simple requests: GET, HEAD and POST with a form or
    /// `text/plain` body. Requiring a JSON type for bodies refuses those POSTs, and refusing any `Origin` but the
    /// API's own refuses the rest, bodiless POSTs and pages whose name was rebound to 127.0.0.1 included.
    /// Test tools send no `Origin`.
    func refusal(of request: HTTPRequest) -> HTTPResponse? {
        if let origin = request.headers.first("Origin"), !isOwnOrigin(origin) {
            return Self.error(403, "requests from web pages are refused (Origin: '\(origin)'); the control API is for test tools on this machine")
        }
        guard request.body.hasContent || request.headers.first("Content-Length").map({ $0 != "0" }) == true else { return nil }
        let declared = request.headers.first("Content-Type") ?? ""
        guard let type = ContentType(declared), type.isJSON else {
            let shown = declared.isEmpty ? "no Content-Type" : "Content-Type '\(declared)'"
            return Self.error(415, "the control API reads JSON bodies only, and this request has \(shown); send Content-Type: application/json")
        }
        return nil
    }

    /// Whether an `Origin` names this machine: a loopback address, `localhost`, or the host the API listens on.
    private func isOwnOrigin(_ origin: String) -> Bool {
        guard let components = URLComponents(string: origin), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", var host = components.host?.lowercased() else { return false }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" || host == "::1" || host.hasPrefix("127.") { return true }
        let own = ownHost.withLockedValue { $0 }.lowercased()
        return host == own && own != "0.0.0.0" && own != "::"
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
