import Foundation
import HTTPTypes
import Hummingbird
import PactModel

extension BrokerAPI {
    func addVerificationRoutes(to router: Router<BasicRequestContext>) {
        router.post("/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/verification-results") { request, context -> Response in
            try await publishVerification(request, context, metadata: nil)
        }
        router.post("/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/metadata/:metadata/verification-results") { request, context -> Response in
            try await publishVerification(request, context, metadata: try parameter(context, "metadata"))
        }
        router.get("/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/verification-results/latest") { request, context -> Response in
            try await verificationResponse(request, context, id: nil)
        }
        router.get("/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/verification-results/:id") { request, context -> Response in
            guard let id = Int64(try parameter(context, "id")) else { throw BrokerError.notFound("verification results are numbered") }
            return try await verificationResponse(request, context, id: id)
        }
    }

    private func publishVerification(_ request: Request, _ context: BasicRequestContext, metadata: String?) async throws -> Response {
        let providerName = try parameter(context, "provider"), consumerName = try parameter(context, "consumer"), sha = try parameter(context, "sha")
        let body = try await jsonBody(request)
        guard let success = try body.bool("success") else { throw BrokerError.invalid("success", "is required (true or false)") }
        let providerVersion = try body.requiredString("providerApplicationVersion")
        try validateName(providerVersion, field: "providerApplicationVersion")
        let buildUrl = try body.string("buildUrl")
        let verifiedBy = body["verifiedBy"].map { JSONWriter.string($0, style: .compact) }
        let testResults: String?
        if let results = body["testResults"] {
            guard results.arrayValue != nil else { throw BrokerError.invalid("testResults", "must be an array") }
            testResults = JSONWriter.string(results, style: .compact)
        } else {
            testResults = nil
        }
        let wip = VerificationMetadata(encoded: metadata)?.wip ?? false
        let links = links(for: request)
        let document = try await database.write { db -> JSONValue in
            let store = Store(db)
            guard let consumer = try await store.pacticipant(named: consumerName), let provider = try await store.pacticipant(named: providerName),
                  let content = try await store.pactVersion(consumerId: consumer.id, providerId: provider.id, sha: sha) else {
                throw BrokerError.notFound("no pact between \(consumerName) and \(providerName) has content \(sha)")
            }
            let version = try await store.ensureVersion(pacticipantId: provider.id, number: providerVersion).0
            let record = try await store.addVerification(pactVersion: content, providerVersion: version, success: success, buildUrl: buildUrl,
                                                         verifiedBy: verifiedBy, testResults: testResults, metadata: metadata, wip: wip)
            try await triggerVerificationEvents(store, verification: record, consumer: consumer, provider: provider, providerVersion: version, content: content, links: links)
            return verificationDocument(record, provider: providerName, consumer: consumerName, sha: sha, providerVersion: providerVersion, links: links)
        }
        let location = document["_links"]?["self"]?["href"]?.stringValue ?? ""
        return HAL.response(document, status: .created, headers: [(.location, location)])
    }

    private func verificationResponse(_ request: Request, _ context: BasicRequestContext, id: Int64?) async throws -> Response {
        let providerName = try parameter(context, "provider"), consumerName = try parameter(context, "consumer"), sha = try parameter(context, "sha")
        let links = links(for: request)
        let document = try await database.read { db -> JSONValue? in
            let store = Store(db)
            guard let consumer = try await store.pacticipant(named: consumerName), let provider = try await store.pacticipant(named: providerName),
                  let content = try await store.pactVersion(consumerId: consumer.id, providerId: provider.id, sha: sha) else { return nil }
            let record: VerificationRecord?
            if let id {
                record = try await store.verification(id: id).flatMap { $0.pactVersionId == content.id ? $0 : nil }
            } else {
                record = try await store.verifications(pactVersionId: content.id).first
            }
            guard let record, let version = try await store.version(id: record.providerVersionId) else { return nil }
            return verificationDocument(record, provider: providerName, consumer: consumerName, sha: sha, providerVersion: version.number, links: links)
        }
        guard let document else { throw BrokerError.notFound("there is no such verification result for the pact between \(consumerName) and \(providerName)") }
        return HAL.response(document)
    }

    func verificationDocument(_ record: VerificationRecord, provider: String, consumer: String, sha: String, providerVersion: String, links: Links) -> JSONValue {
        var object: JSONObject = [
            "providerName": .string(provider),
            "providerApplicationVersion": .string(providerVersion),
            "success": .bool(record.succeeded),
            "verificationDate": .string(Clock.iso(record.createdAt)),
        ]
        if let url = record.buildUrl { object["buildUrl"] = .string(url) }
        if let text = record.verifiedBy, let value = try? JSONParser.parse(text) { object["verifiedBy"] = value }
        if let text = record.testResults, let value = try? JSONParser.parse(text) { object["testResults"] = value }
        object["_links"] = [
            "self": HAL.link(links.verification(provider: provider, consumer: consumer, sha: sha, id: record.id), title: "Verification result", name: "Verification result \(record.id)"),
            "pb:pact-version": HAL.link(links.pactVersion(provider: provider, consumer: consumer, sha: sha), title: "Pact"),
            "pb:provider-version": HAL.link(links.version(provider, providerVersion), title: "Provider version", name: providerVersion),
        ]
        return .object(object)
    }
}

/// What the broker puts into `metadata/{m}` links of pacts for verification, and reads back from published results.
struct VerificationMetadata: Sendable, Equatable {
    var wip: Bool
    var pending: Bool
    var consumerVersions: [String]

    init(wip: Bool, pending: Bool, consumerVersions: [String]) {
        self.wip = wip
        self.pending = pending
        self.consumerVersions = consumerVersions
    }

    /// Reads the base64url blob; nil when it is not ours.
    init?(encoded: String?) {
        guard let encoded else { return nil }
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64.append("=") }
        guard let data = Data(base64Encoded: base64), let value = try? JSONParser.parse(Array(data)) else { return nil }
        wip = value["w"]?.boolValue ?? false
        pending = value["p"]?.boolValue ?? false
        consumerVersions = value["cv"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    var encoded: String {
        let value: JSONValue = ["w": .bool(wip), "p": .bool(pending), "cv": .array(consumerVersions.map(JSONValue.string))]
        return Data(JSONWriter.bytes(value, style: .compact)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
