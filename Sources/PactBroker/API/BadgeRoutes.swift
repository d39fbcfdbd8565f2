import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension BrokerAPI {
    func addBadgeRoutes(to router: Router<BasicRequestContext>) {
        // The verification status of the latest pact (optionally the latest with a tag), as the Pact Broker's badges.
        router.get("/pacts/provider/:provider/consumer/:consumer/latest/badge") { request, context -> Response in
            try await pactBadge(request, provider: try parameter(context, "provider"), consumer: try parameter(context, "consumer"), tag: nil)
        }
        router.get("/pacts/provider/:provider/consumer/:consumer/latest/:tag/badge") { request, context -> Response in
            try await pactBadge(request, provider: try parameter(context, "provider"), consumer: try parameter(context, "consumer"), tag: try parameter(context, "tag"))
        }
        // Can the latest version with a tag be deployed to an environment?
        router.get("/pacticipants/:pacticipant/latest-version/:tag/can-i-deploy/to/:environment/badge") { request, context -> Response in
            let name = try parameter(context, "pacticipant"), tag = try parameter(context, "tag"), environment = try parameter(context, "environment")
            let label = BrokerAPI.query(request, "label") ?? "can-i-deploy"
            let deployable: Bool?? = try await database.read { db -> Bool?? in
                let store = Store(db)
                guard let pacticipant = try await store.pacticipant(named: name), try await store.environment(named: environment) != nil,
                      let version = try await store.latestVersion(pacticipantId: pacticipant.id, tag: tag) else { return .some(nil) }
                var selector = MatrixSelector(pacticipant: name)
                selector.version = version.number
                var query = MatrixQuery(selectors: [selector])
                query.environment = environment
                query.latestBy = .cvpv
                return .some(try await MatrixCalculator(store: store).compute(query).deployable)
            }
            let status: Badge.Status
            switch deployable {
            case .some(.some(true)): status = .success("yes")
            case .some(.some(false)): status = .failure("no")
            default: status = .unknown("unknown")
            }
            return Badge(label: label, status: status).response
        }
    }

    private func pactBadge(_ request: Request, provider: String, consumer: String, tag: String?) async throws -> Response {
        let label = BrokerAPI.query(request, "label") ?? "pact"
        let state = try await database.read { db -> Bool?? in
            let store = Store(db)
            guard let consumerRecord = try await store.pacticipant(named: consumer), let providerRecord = try await store.pacticipant(named: provider),
                  let publication = try await store.latestPublication(consumerId: consumerRecord.id, providerId: providerRecord.id, tag: tag) else { return .some(nil) }
            return .some(try await store.verifications(pactVersionId: publication.pactVersionId).first.map(\.succeeded))
        }
        let status: Badge.Status
        switch state {
        case .some(.some(true)): status = .success("verified")
        case .some(.some(false)): status = .failure("failed")
        default: status = .unknown("unknown")
        }
        return Badge(label: label, status: status).response
    }
}

/// A small flat SVG badge in the familiar two-part style.
struct Badge {
    enum Status {
        case success(String), failure(String), unknown(String)

        var text: String {
            switch self {
            case .success(let text), .failure(let text), .unknown(let text): return text
            }
        }

        var colour: String {
            switch self {
            case .success: return "#2e8540"
            case .failure: return "#c0392b"
            case .unknown: return "#8a8f98"
            }
        }
    }

    let label: String
    let status: Status

    var svg: String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
                .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
        }
        let label = String(self.label.prefix(100))
        // About 7 px per character at 11 px Verdana, plus padding.
        let labelWidth = 10 + label.count * 7, statusWidth = 10 + status.text.count * 7
        let width = labelWidth + statusWidth
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="20" role="img" aria-label="\(escape(label)): \(escape(status.text))">\
            <title>\(escape(label)): \(escape(status.text))</title>\
            <rect width="\(labelWidth)" height="20" fill="#555"/><rect x="\(labelWidth)" width="\(statusWidth)" height="20" fill="\(status.colour)"/>\
            <g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">\
            <text x="\(labelWidth / 2)" y="14">\(escape(label))</text><text x="\(labelWidth + statusWidth / 2)" y="14">\(escape(status.text))</text></g></svg>
            """
    }

    var response: Response {
        Response(status: .ok, headers: [.contentType: "image/svg+xml;charset=utf-8", .cacheControl: "no-cache"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: svg)))
    }
}
