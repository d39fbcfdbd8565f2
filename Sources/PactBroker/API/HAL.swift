import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PactModel

/// HAL+JSON responses and links.
enum HAL {
    static let contentType = "application/hal+json;charset=utf-8"

    static func response(_ body: JSONValue, status: HTTPResponse.Status = .ok, headers extra: [(HTTPField.Name, String)] = []) -> Response {
        let bytes = JSONWriter.bytes(body, style: .compact)
        var headers: HTTPFields = [.contentType: contentType]
        for (name, value) in extra { headers[name] = value }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// `{"href": …}` with optional title, name and templated flag.
    static func link(_ href: String, title: String? = nil, name: String? = nil, templated: Bool = false) -> JSONValue {
        var object: JSONObject = ["href": .string(href)]
        if let title { object["title"] = .string(title) }
        if let name { object["name"] = .string(name) }
        if templated { object["templated"] = true }
        return .object(object)
    }
}

/// Builds the broker's URLs from its base URL.
struct Links: Sendable {
    let base: String

    init(base: String) {
        var trimmed = base
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.base = trimmed
    }

    /// One path segment, percent-encoded so names with `/`, spaces or `%` survive.
    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: segmentCharacters) ?? text
    }

    private static let segmentCharacters: CharacterSet = {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return allowed
    }()

    func url(_ segments: String...) -> String {
        base + "/" + segments.joined(separator: "/")
    }

    func pacticipant(_ name: String) -> String { url("pacticipants", Links.segment(name)) }
    func label(pacticipant: String, _ label: String) -> String { url("pacticipants", Links.segment(pacticipant), "labels", Links.segment(label)) }
    func version(_ pacticipant: String, _ number: String) -> String { url("pacticipants", Links.segment(pacticipant), "versions", Links.segment(number)) }
    func tag(_ pacticipant: String, _ number: String, _ tag: String) -> String { version(pacticipant, number) + "/tags/" + Links.segment(tag) }
    func branch(_ pacticipant: String, _ branch: String) -> String { self.pacticipant(pacticipant) + "/branches/" + Links.segment(branch) }
    func branchVersion(_ pacticipant: String, _ branch: String, _ number: String) -> String { self.branch(pacticipant, branch) + "/versions/" + Links.segment(number) }

    func pact(provider: String, consumer: String, version: String) -> String {
        url("pacts", "provider", Links.segment(provider), "consumer", Links.segment(consumer), "version", Links.segment(version))
    }

    func pactVersion(provider: String, consumer: String, sha: String, metadata: String? = nil) -> String {
        let path = url("pacts", "provider", Links.segment(provider), "consumer", Links.segment(consumer), "pact-version", sha)
        return metadata.map { path + "/metadata/" + $0 } ?? path
    }

    func latestPact(provider: String, consumer: String, tag: String? = nil) -> String {
        let path = url("pacts", "provider", Links.segment(provider), "consumer", Links.segment(consumer), "latest")
        return tag.map { path + "/" + Links.segment($0) } ?? path
    }

    func verificationResults(provider: String, consumer: String, sha: String, metadata: String? = nil) -> String {
        pactVersion(provider: provider, consumer: consumer, sha: sha, metadata: metadata) + "/verification-results"
    }

    func verification(provider: String, consumer: String, sha: String, id: Int64) -> String {
        pactVersion(provider: provider, consumer: consumer, sha: sha) + "/verification-results/\(id)"
    }

    func environment(_ uuid: String) -> String { url("environments", uuid) }
    func deployedVersion(_ uuid: String) -> String { url("deployed-versions", uuid) }
    func releasedVersion(_ uuid: String) -> String { url("released-versions", uuid) }
}
