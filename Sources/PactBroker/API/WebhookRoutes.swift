import Foundation
import HTTPTypes
import Hummingbird
import PactHTTP
import PactModel

extension BrokerAPI {
    func addWebhookRoutes(to router: Router<BasicRequestContext>) {
        router.get("/webhooks") { request, _ -> Response in
            let links = links(for: request)
            let rows = try await database.read { db in try await WebhookStore(db).all() }
            let webhooks = rows.compactMap { $0.webhook() }
            return HAL.response([
                "_embedded": ["webhooks": .array(webhooks.map { $0.document(links) })],
                "_links": [
                    "self": HAL.link(links.url("webhooks"), title: "Webhooks"),
                    "pb:webhooks": .array(webhooks.map { HAL.link(links.url("webhooks", $0.uuid), title: $0.description ?? "Webhook", name: $0.uuid) }),
                ],
            ])
        }
        router.post("/webhooks") { request, _ -> Response in
            try await createWebhook(request, consumer: nil, provider: nil)
        }
        router.post("/webhooks/provider/:provider/consumer/:consumer") { request, context -> Response in
            try await createWebhook(request, consumer: try parameter(context, "consumer"), provider: try parameter(context, "provider"))
        }
        router.post("/webhooks/provider/:provider") { request, context -> Response in
            try await createWebhook(request, consumer: nil, provider: try parameter(context, "provider"))
        }
        router.post("/webhooks/consumer/:consumer") { request, context -> Response in
            try await createWebhook(request, consumer: try parameter(context, "consumer"), provider: nil)
        }
        router.get("/webhooks/:uuid") { request, context -> Response in
            let uuid = try parameter(context, "uuid")
            let row = try await database.read { db in try await WebhookStore(db).row(uuid: uuid) }
            guard let webhook = row?.webhook() else { throw BrokerError.notFound("there is no webhook \(uuid)") }
            return HAL.response(webhook.document(links(for: request)))
        }
        router.put("/webhooks/:uuid") { request, context -> Response in
            let uuid = try parameter(context, "uuid")
            guard uuid.count >= 16, uuid.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw BrokerError.invalid("uuid", "must be at least 16 characters of letters, digits, - and _")
            }
            let webhook = try Webhook(uuid: uuid, body: try await jsonBody(request))
            try checkPolicy(webhook)
            let created = try await database.write { db in
                try await checkParties(Store(db), webhook)
                return try await WebhookStore(db).save(webhook)
            }
            return HAL.response(webhook.document(links(for: request)), status: created ? .created : .ok)
        }
        router.delete("/webhooks/:uuid") { _, context -> Response in
            let uuid = try parameter(context, "uuid")
            try await database.write { db in
                let store = WebhookStore(db)
                guard try await store.row(uuid: uuid) != nil else { throw BrokerError.notFound("there is no webhook \(uuid)") }
                try await store.delete(uuid: uuid)
            }
            return Response(status: .noContent)
        }
        router.post("/webhooks/:uuid/execute") { request, context -> Response in
            let uuid = try parameter(context, "uuid")
            let links = links(for: request)
            let (webhook, sample) = try await database.read { db -> (Webhook, WebhookContext) in
                guard let webhook = try await WebhookStore(db).row(uuid: uuid)?.webhook() else { throw BrokerError.notFound("there is no webhook \(uuid)") }
                return (webhook, try await sampleContext(Store(db), webhook, links: links))
            }
            let outcome = await webhookSender.send(webhook.request, context: sample)
            var document: JSONObject = [
                "request": outcome.request,
                "response": outcome.response,
                "logs": .string(outcome.log + (outcome.responseText.map { $0 + "\n" } ?? "")),
                "success": .bool(outcome.success),
            ]
            if !outcome.success { document["message"] = .string("the webhook's target did not answer with 2xx; the logs show what was sent and received") }
            document["_links"] = ["webhook": HAL.link(links.url("webhooks", uuid))]
            return HAL.response(.object(document))
        }
        router.get("/webhooks/:uuid/executions") { request, context -> Response in
            let uuid = try parameter(context, "uuid")
            let links = links(for: request)
            let items = try await database.read { db -> [JSONValue] in
                let store = WebhookStore(db)
                guard let row = try await store.row(uuid: uuid) else { throw BrokerError.notFound("there is no webhook \(uuid)") }
                let executions = try await store.executions(webhookId: row.id, limit: 100)
                let attempts = try await store.attempts(triggeredIds: executions.map(\.id))
                return executions.map { execution in
                    [
                        "uuid": .string(execution.uuid),
                        "event": .string(execution.event),
                        "status": .string(execution.status),
                        "attempts": .number(JSONNumber(Int(execution.attempts))),
                        "createdAt": .string(Clock.iso(execution.createdAt)),
                        "nextAttemptAt": execution.status == "retrying" || execution.status == "pending" ? .string(Clock.iso(execution.nextAttemptAt)) : .null,
                        "log": .array((attempts[execution.id] ?? []).map { attempt in
                            [
                                "attempt": .number(JSONNumber(Int(attempt.attempt))),
                                "success": .bool(attempt.success != 0),
                                "status": attempt.statusCode.map { .number(JSONNumber(Int($0))) } ?? .null,
                                "at": .string(Clock.iso(attempt.createdAt)),
                                "text": .string(attempt.log),
                            ]
                        }),
                    ]
                }
            }
            return HAL.response(["_embedded": ["executions": .array(items)], "_links": ["self": HAL.link(links.url("webhooks", uuid, "executions"))]])
        }
    }

    /// 400 for a webhook whose target the policy refuses (the check is made again at every delivery).
    private func checkPolicy(_ webhook: Webhook) throws {
        if let refusal = webhookSender.policy.refusal(for: webhook.request.url) { throw BrokerError.invalid("request.url", refusal) }
    }

    private func createWebhook(_ request: Request, consumer: String?, provider: String?) async throws -> Response {
        let webhook = try Webhook(uuid: UUID().uuidString.lowercased(), body: try await jsonBody(request), consumer: consumer, provider: provider)
        try checkPolicy(webhook)
        try await database.write { db in
            try await checkParties(Store(db), webhook)
            _ = try await WebhookStore(db).save(webhook)
        }
        let links = links(for: request)
        return HAL.response(webhook.document(links), status: .created, headers: [(.location, links.url("webhooks", webhook.uuid))])
    }

    /// A webhook for a named consumer or provider needs that pacticipant to exist.
    private func checkParties(_ store: Store, _ webhook: Webhook) async throws {
        for name in [webhook.consumer, webhook.provider].compactMap({ $0 }) where try await store.pacticipant(named: name) == nil {
            throw BrokerError.notFound("there is no pacticipant named '\(name)'")
        }
    }

    /// For a test execution: the context of the latest matching pact, or placeholder values.
    private func sampleContext(_ store: Store, _ webhook: Webhook, links: Links) async throws -> WebhookContext {
        var values: [String: String] = [
            "consumerName": webhook.consumer ?? "Example Consumer", "providerName": webhook.provider ?? "Example Provider",
            "consumerVersionNumber": "1.0.0", "providerVersionNumber": "", "eventName": webhook.events.first?.rawValue ?? "",
        ]
        if let consumer = try await webhook.consumer.asyncMap({ try await store.pacticipant(named: $0) }) ?? nil,
           let provider = try await webhook.provider.asyncMap({ try await store.pacticipant(named: $0) }) ?? nil,
           let publication = try await store.latestPublication(consumerId: consumer.id, providerId: provider.id),
           let version = try await store.version(id: publication.consumerVersionId),
           let content = try await store.pactVersion(id: publication.pactVersionId) {
            values["consumerVersionNumber"] = version.number
            values["pactUrl"] = links.pactVersion(provider: provider.name, consumer: consumer.name, sha: content.sha)
        }
        return WebhookContext(values: values)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
