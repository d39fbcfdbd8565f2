import BrokerAssets
import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore
import PactModel

/// The server-rendered web UI: integrations, pacticipants, the matrix, the network diagram and readable pacts.
/// Templates and the stylesheet live in `Broker/templates` and `Broker/static`.
struct BrokerUI: Sendable {
    let library: MustacheLibrary?
    let stylesheet: ByteBuffer?
    let problem: String?

    static func load() async -> BrokerUI {
        guard let templates = BrokerAssets.directory("templates") else {
            return BrokerUI(library: nil, stylesheet: nil, problem: "the UI templates were not found; set PACTCTL_BROKER_ASSETS to the Broker folder of pactctl")
        }
        do {
            let library = try await MustacheLibrary(directory: templates.path)
            let css = BrokerAssets.directory("static").flatMap { try? Data(contentsOf: $0.appendingPathComponent("style.css")) }
            return BrokerUI(library: library, stylesheet: css.map { ByteBuffer(bytes: $0) }, problem: nil)
        } catch {
            return BrokerUI(library: nil, stylesheet: nil, problem: "the UI templates in \(templates.path) could not be read: \(error)")
        }
    }

    func page(_ template: String, _ context: [String: Any]) throws -> Response {
        guard let library else { throw BrokerError(status: .serviceUnavailable, body: ["error": ["message": .string(problem ?? "the UI is not available")]]) }
        var context = context
        context["generatedAt"] = Clock.iso(Clock.nowMillis())
        guard let html = library.render(context, withTemplate: template) else {
            throw BrokerError(status: .internalServerError, body: ["error": ["message": .string("the UI template \(template) is missing")]])
        }
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// "3 minutes ago", "2 days ago".
    static func age(_ millis: Int64, now: Int64 = Clock.nowMillis()) -> String {
        let seconds = max(0, (now - millis) / 1000)
        func plural(_ value: Int64, _ unit: String) -> String { "\(value) \(unit)\(value == 1 ? "" : "s") ago" }
        switch seconds {
        case ..<10: return "just now"
        case ..<60: return plural(seconds, "second")
        case ..<3600: return plural(seconds / 60, "minute")
        case ..<86_400: return plural(seconds / 3600, "hour")
        case ..<(86_400 * 60): return plural(seconds / 86_400, "day")
        default: return plural(seconds / (86_400 * 30), "month")
        }
    }
}

extension BrokerAPI {
    func addUIRoutes(to router: Router<BasicRequestContext>, ui: BrokerUI) {
        router.get("/ui") { request, _ -> Response in
            try await integrationsPage(request, ui: ui)
        }
        router.get("/ui/static/style.css") { _, _ -> Response in
            guard let css = ui.stylesheet else { throw BrokerError.notFound("the stylesheet is not available") }
            return Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=300"], body: ResponseBody(byteBuffer: css))
        }
        router.get("/ui/pacticipants/:pacticipant") { request, context -> Response in
            try await pacticipantPage(request, name: try parameter(context, "pacticipant"), ui: ui)
        }
        router.get("/ui/matrix") { request, _ -> Response in
            try await matrixPage(request, ui: ui)
        }
        router.get("/ui/network") { request, _ -> Response in
            try await networkPage(request, ui: ui)
        }
        router.get("/ui/network.svg") { request, _ -> Response in
            let svg = try await networkSVG(base: links(for: request).base)
            return Response(status: .ok, headers: [.contentType: "image/svg+xml"], body: ResponseBody(byteBuffer: ByteBuffer(string: svg)))
        }
        router.get("/ui/pacts/provider/:provider/consumer/:consumer/version/:version") { request, context -> Response in
            try await pactPage(request, provider: try parameter(context, "provider"), consumer: try parameter(context, "consumer"),
                               version: try parameter(context, "version"), ui: ui)
        }
    }

    /// Browsers asking for `/` get the UI; API clients (asking for HAL or JSON) get the index document.
    static func wantsHTML(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept]?.lowercased() else { return false }
        return accept.contains("text/html") && !accept.contains("application/hal+json")
    }

    private func pagePath(_ links: Links, provider: String, consumer: String, version: String) -> String {
        links.base + "/ui/pacts/provider/\(Links.segment(provider))/consumer/\(Links.segment(consumer))/version/\(Links.segment(version))"
    }

    struct IntegrationSummary: Sendable {
        var consumer: String
        var provider: String
        var consumerVersion: String
        var publishedAt: Int64
        var verification: VerificationRecord?
        var providerVersion: String?
    }

    private func integrationSummaries() async throws -> [IntegrationSummary] {
        try await database.read { db -> [IntegrationSummary] in
            let store = Store(db)
            var summaries: [IntegrationSummary] = []
            for publication in try await store.latestPublications() {
                guard let consumer = try await store.pacticipant(id: publication.consumerId), let provider = try await store.pacticipant(id: publication.providerId),
                      let version = try await store.version(id: publication.consumerVersionId) else { continue }
                let verification = try await store.verifications(pactVersionId: publication.pactVersionId).first
                let providerVersion = try await verification.asyncMap { try await store.version(id: $0.providerVersionId) }??.number
                summaries.append(IntegrationSummary(consumer: consumer.name, provider: provider.name, consumerVersion: version.number,
                                                    publishedAt: publication.createdAt, verification: verification, providerVersion: providerVersion))
            }
            return summaries.sorted { ($0.consumer, $0.provider) < ($1.consumer, $1.provider) }
        }
    }

    func integrationsPage(_ request: Request, ui: BrokerUI) async throws -> Response {
        let links = links(for: request)
        let rows: [[String: Any]] = try await integrationSummaries().map { item in
            var row: [String: Any] = [
                "base": links.base, "consumer": item.consumer, "provider": item.provider,
                "consumerPath": Links.segment(item.consumer), "providerPath": Links.segment(item.provider),
                "consumerVersion": item.consumerVersion, "pactPage": pagePath(links, provider: item.provider, consumer: item.consumer, version: item.consumerVersion),
                "publishedAt": Clock.iso(item.publishedAt), "publishedAge": BrokerUI.age(item.publishedAt),
            ]
            if let verification = item.verification {
                row["verified"] = true
                row["verificationClass"] = verification.succeeded ? "success" : "failure"
                row["verificationText"] = verification.succeeded ? "verified" : "failed"
                row["providerVersion"] = item.providerVersion ?? "?"
                row["verifiedAt"] = Clock.iso(verification.createdAt)
                row["verifiedAge"] = BrokerUI.age(verification.createdAt)
            }
            return row
        }
        return try ui.page("index", ["title": "Integrations", "base": links.base, "integrations": rows, "hasIntegrations": !rows.isEmpty])
    }

    private func pacticipantPage(_ request: Request, name: String, ui: BrokerUI) async throws -> Response {
        let links = links(for: request)
        let context = try await database.read { db -> PageContext in
            let store = Store(db)
            let pacticipant = try await requirePacticipant(store, name)
            let versions = try await store.versions(pacticipantId: pacticipant.id, limit: 50)
            let tags = try await store.tags(versionIds: versions.map(\.id))
            let branches = try await store.branchVersions(versionIds: versions.map(\.id))
            let environments = Dictionary(uniqueKeysWithValues: try await store.environments().map { ($0.id, $0.name) })
            var versionRows: [[String: Any]] = []
            for version in versions {
                let deployed = try await store.deployments(versionId: version.id).compactMap { environments[$0.environmentId] }
                let released = try await store.releases(versionId: version.id).compactMap { environments[$0.environmentId] }
                versionRows.append([
                    "number": version.number, "branches": (branches[version.id] ?? []).map(\.name), "tags": (tags[version.id] ?? []).map(\.name),
                    "environments": Array(Set(deployed + released)).sorted(), "createdAt": Clock.iso(version.createdAt), "createdAge": BrokerUI.age(version.createdAt),
                ])
            }
            var providers: [[String: Any]] = []
            var consumers: [[String: Any]] = []
            for integration in try await store.integrations() {
                if integration.consumerId == pacticipant.id, let other = try await store.pacticipant(id: integration.providerId) {
                    providers.append(["name": other.name, "path": Links.segment(other.name), "owner": Links.segment(name), "base": links.base])
                }
                if integration.providerId == pacticipant.id, let other = try await store.pacticipant(id: integration.consumerId) {
                    consumers.append(["name": other.name, "path": Links.segment(other.name), "owner": Links.segment(name), "base": links.base])
                }
            }
            var context: [String: Any] = [
                "title": name, "base": links.base, "name": name, "displayName": pacticipant.displayName ?? Representation.displayName(for: name),
                "createdAt": Clock.iso(pacticipant.createdAt), "createdAge": BrokerUI.age(pacticipant.createdAt),
                "versions": versionRows, "providers": providers, "consumers": consumers, "hasIntegrations": !(providers.isEmpty && consumers.isEmpty),
            ]
            if let branch = pacticipant.mainBranch { context["mainBranch"] = branch }
            if let url = pacticipant.repositoryUrl {
                context["repositoryUrl"] = url
                // Only web addresses become links: a javascript: or data: URL stays text.
                let scheme = url.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() }
                if scheme == "http" || scheme == "https" { context["repositoryLink"] = true }
            }
            return PageContext(context)
        }
        return try ui.page("pacticipant", context.values)
    }

    private func matrixPage(_ request: Request, ui: BrokerUI) async throws -> Response {
        let links = links(for: request)
        let consumerName = BrokerAPI.query(request, "consumer") ?? ""
        let providerName = BrokerAPI.query(request, "provider") ?? ""
        var context: [String: Any] = ["title": "Matrix", "base": links.base, "hasRows": false]
        guard !consumerName.isEmpty, !providerName.isEmpty else {
            context["message"] = "Choose a consumer and a provider to see every pact between them and its verifications."
            return try ui.page("matrix", context)
        }
        context["consumer"] = consumerName
        context["provider"] = providerName
        let found = try await database.read { db -> PageContext? in
            let store = Store(db)
            guard let consumer = try await store.pacticipant(named: consumerName), let provider = try await store.pacticipant(named: providerName) else { return nil }
            var rows: [[String: Any]] = []
            for version in try await store.versions(pacticipantId: consumer.id, limit: 100) {
                guard let publication = try await store.publication(consumerVersionId: version.id, providerId: provider.id) else { continue }
                let branch = try await store.branchVersions(versionIds: [version.id])[version.id]?.last?.name
                let verifications = try await store.latestVerifications(pactVersionId: publication.pactVersionId, providerVersionIds: nil)
                let providerVersions = try await store.versions(ids: verifications.map(\.providerVersionId))
                var base: [String: Any] = [
                    "consumerVersion": version.number, "pactPage": pagePath(links, provider: providerName, consumer: consumerName, version: version.number),
                    "publishedAt": Clock.iso(publication.createdAt), "publishedAge": BrokerUI.age(publication.createdAt),
                ]
                if let branch { base["consumerBranch"] = branch }
                if verifications.isEmpty {
                    var row = base
                    row["providerVersion"] = "—"
                    row["resultClass"] = "unknown"
                    row["resultText"] = "not verified"
                    rows.append(row)
                }
                for verification in verifications {
                    var row = base
                    row["providerVersion"] = providerVersions[verification.providerVersionId]?.number ?? "?"
                    row["resultClass"] = verification.succeeded ? "success" : "failure"
                    row["resultText"] = verification.succeeded ? "verified" : "failed"
                    row["verifiedAt"] = Clock.iso(verification.createdAt)
                    row["verifiedAge"] = BrokerUI.age(verification.createdAt)
                    rows.append(row)
                }
            }
            return PageContext(["rows": rows])
        }
        if let rows = found?.values["rows"] as? [[String: Any]] {
            context["rows"] = rows
            context["hasRows"] = !rows.isEmpty
            if rows.isEmpty { context["message"] = "\(consumerName) has published no pact with \(providerName)." }
        } else {
            context["message"] = "There is no pacticipant named \(consumerName) or \(providerName)."
        }
        return try ui.page("matrix", context)
    }

    private func networkPage(_ request: Request, ui: BrokerUI) async throws -> Response {
        let links = links(for: request)
        return try ui.page("network", ["title": "Network", "base": links.base, "svg": try await networkSVG(base: links.base)])
    }

    /// The consumers and providers on a circle, an arrow per integration, coloured by its latest verification.
    func networkSVG(base: String) async throws -> String {
        let summaries = try await integrationSummaries()
        let names = Array(Set(summaries.flatMap { [$0.consumer, $0.provider] })).sorted()
        let width = 900.0, height = 600.0
        let centerX = width / 2, centerY = height / 2
        let radius = names.count <= 1 ? 0 : min(width, height) / 2 - 90
        var position: [String: (x: Double, y: Double)] = [:]
        for (index, name) in names.enumerated() {
            let angle = Double(index) / Double(max(names.count, 1)) * 2 * Double.pi - Double.pi / 2
            position[name] = (centerX + radius * cos(angle), centerY + radius * sin(angle))
        }
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        func number(_ value: Double) -> String { String(format: "%.1f", value) }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="Network of consumers and providers">
            <defs>
            <marker id="arrow-success" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#1f7a3d"/></marker>
            <marker id="arrow-failure" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#b42318"/></marker>
            <marker id="arrow-unknown" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#9ca3af"/></marker>
            </defs>

            """
        if names.isEmpty {
            svg += ##"<text x="450" y="300" text-anchor="middle" font-family="sans-serif" font-size="16" fill="#6b7280">No pacts have been published yet.</text>"##
        }
        let nodeRadius = 34.0
        for item in summaries {
            guard let from = position[item.consumer], let to = position[item.provider] else { continue }
            let dx = to.x - from.x, dy = to.y - from.y
            let length = max((dx * dx + dy * dy).squareRoot(), 1)
            let startX = from.x + dx / length * nodeRadius, startY = from.y + dy / length * nodeRadius
            let endX = to.x - dx / length * (nodeRadius + 4), endY = to.y - dy / length * (nodeRadius + 4)
            let state = item.verification.map { $0.succeeded ? "success" : "failure" } ?? "unknown"
            let colour = state == "success" ? "#1f7a3d" : state == "failure" ? "#b42318" : "#9ca3af"
            svg += """
                <a href="\(escape(base))/ui/matrix?consumer=\(escape(Links.segment(item.consumer)))&amp;provider=\(escape(Links.segment(item.provider)))">\
                <line class="integration \(state)" x1="\(number(startX))" y1="\(number(startY))" x2="\(number(endX))" y2="\(number(endY))" stroke="\(colour)" stroke-width="2.5" marker-end="url(#arrow-\(state))">\
                <title>\(escape(item.consumer)) → \(escape(item.provider)): \(state == "success" ? "verified" : state == "failure" ? "verification failed" : "not verified")</title></line></a>

                """
        }
        for name in names {
            guard let point = position[name] else { continue }
            // The label sits outside the circle, away from the centre, where no arrow arrives.
            let offsetX = point.x - centerX, offsetY = point.y - centerY
            let distance = (offsetX * offsetX + offsetY * offsetY).squareRoot()
            let unitX = distance < 1 ? 0 : offsetX / distance, unitY = distance < 1 ? 1 : offsetY / distance
            let labelX = point.x + unitX * (nodeRadius + 10), labelY = point.y + unitY * (nodeRadius + 12) + 5
            let anchor = abs(unitX) < 0.35 ? "middle" : (unitX > 0 ? "start" : "end")
            svg += """
                <a href="\(escape(base))/ui/pacticipants/\(escape(Links.segment(name)))"><g class="pacticipant">\
                <circle cx="\(number(point.x))" cy="\(number(point.y))" r="\(Int(nodeRadius))" fill="#eef2ff" stroke="#2f5bd3" stroke-width="2"/>\
                <text x="\(number(labelX))" y="\(number(labelY))" text-anchor="\(anchor)" font-family="sans-serif" font-size="14" fill="#1d2330">\(escape(name))</text></g></a>

                """
        }
        return svg + "</svg>\n"
    }

    private func pactPage(_ request: Request, provider: String, consumer: String, version: String, ui: BrokerUI) async throws -> Response {
        let links = links(for: request)
        let found = try await database.read { db -> (PactVersionRecord, Int64)? in
            let store = Store(db)
            guard let consumerRecord = try await store.pacticipant(named: consumer), let providerRecord = try await store.pacticipant(named: provider),
                  let versionRecord = try await store.version(pacticipantId: consumerRecord.id, number: version),
                  let publication = try await store.publication(consumerVersionId: versionRecord.id, providerId: providerRecord.id),
                  let content = try await store.pactVersion(id: publication.pactVersionId) else { return nil }
            return (content, publication.createdAt)
        }
        guard let (content, publishedAt) = found else { throw BrokerError.notFound("no pact between \(consumer) version \(version) and \(provider) is published") }
        let json = (try? JSONParser.parse(content.content)) ?? .null
        let items = json["interactions"]?.arrayValue ?? json["messages"]?.arrayValue ?? []
        let interactions: [[String: Any]] = items.map { item in BrokerAPI.interactionView(item) }
        let metadata = json["metadata"]
        let specification = metadata?["pactSpecification"]?["version"]?.stringValue ?? metadata?["pact-specification"]?["version"]?.stringValue ?? "unknown"
        return try ui.page("pact", [
            "title": "\(consumer) → \(provider)", "base": links.base, "consumer": consumer, "provider": provider, "consumerVersion": version,
            "specification": specification, "sha": content.sha, "publishedAt": Clock.iso(publishedAt), "publishedAge": BrokerUI.age(publishedAt),
            "jsonURL": links.pact(provider: provider, consumer: consumer, version: version),
            "interactionCount": interactions.count, "interactions": interactions,
        ])
    }

    /// One interaction as the pact page shows it.
    static func interactionView(_ item: JSONValue) -> [String: Any] {
        var view: [String: Any] = ["description": item["description"]?.stringValue ?? "(no description)"]
        var states: [String] = []
        if let state = item["providerState"]?.stringValue { states.append(state) }
        for state in item["providerStates"]?.arrayValue ?? [] {
            guard let name = state["name"]?.stringValue else { continue }
            if let params = state["params"], case .object(let object) = params, !object.isEmpty {
                states.append("\(name) \(JSONWriter.compactString(params))")
            } else {
                states.append(name)
            }
        }
        view["states"] = states
        view["hasStates"] = !states.isEmpty
        func headers(_ value: JSONValue?) -> String? {
            guard case .object(let object)? = value, !object.isEmpty else { return nil }
            return object.entries.map { entry in
                let values = entry.value.arrayValue?.compactMap(\.stringValue) ?? [entry.value.stringValue ?? JSONWriter.compactString(entry.value)]
                return "\(entry.key): \(values.joined(separator: ", "))"
            }.joined(separator: "\n")
        }
        func body(_ value: JSONValue?) -> String? {
            guard let value, !value.isNull else { return nil }
            if case .object(let object) = value, object.contains("content") {
                let content = object["content"] ?? .null
                return content.stringValue ?? JSONWriter.string(content)
            }
            return value.stringValue ?? JSONWriter.string(value)
        }
        func query(_ value: JSONValue?) -> String? {
            switch value {
            case .string(let text)?: return text.isEmpty ? nil : text
            case .object(let object)?:
                let pairs = object.entries.flatMap { entry in (entry.value.arrayValue ?? [entry.value]).map { "\(entry.key)=\($0.stringValue ?? "")" } }
                return pairs.isEmpty ? nil : pairs.joined(separator: "&")
            default: return nil
            }
        }
        if let request = item["request"], let response = item["response"] {
            view["isHTTP"] = true
            view["method"] = request["method"]?.stringValue?.uppercased() ?? "GET"
            view["path"] = request["path"]?.stringValue ?? "/"
            if let text = query(request["query"]) { view["query"] = text }
            if let text = headers(request["headers"]) { view["requestHeaders"] = text }
            if let text = body(request["body"]) { view["requestBody"] = text }
            view["status"] = response["status"].map { $0.numberValue?.literal ?? $0.stringValue ?? "200" } ?? "200"
            if let text = headers(response["headers"]) { view["responseHeaders"] = text }
            if let text = body(response["body"]) { view["responseBody"] = text }
        } else {
            view["isHTTP"] = false
            view["raw"] = JSONWriter.string(item)
        }
        return view
    }
}

/// Template values built inside a database transaction and rendered after it: strings, numbers, booleans and
/// arrays or dictionaries of them, never shared or mutated across tasks.
struct PageContext: @unchecked Sendable {
    let values: [String: Any]

    init(_ values: [String: Any]) {
        self.values = values
    }
}
