import HTTPTypes
import Hummingbird
import PactModel

extension BrokerAPI {
    func addIndexRoutes(to router: Router<BasicRequestContext>) {
        router.get("/") { request, _ -> Response in
            if BrokerAPI.wantsHTML(request) {
                return Response(status: .seeOther, headers: [.location: links(for: request).base + "/ui"])
            }
            return HAL.response(indexDocument(links(for: request)))
        }
        router.get("/diagnostic/status/heartbeat") { request, _ -> Response in
            HAL.response(["ok": true, "_links": ["self": HAL.link(links(for: request).url("diagnostic", "status", "heartbeat"))]])
        }
        router.get("/diagnostic/status/dependencies") { request, _ -> Response in
            let ok: Bool
            do { ok = try await database.read { db in try await db.value(Int.self, "one", "SELECT 1 AS one") == 1 } } catch { ok = false }
            return HAL.response(["ok": .bool(ok), "dependencies": ["database": ["ok": .bool(ok)]]], status: ok ? .ok : .internalServerError)
        }
    }

    func indexDocument(_ links: Links) -> JSONValue {
        func link(_ path: String, _ title: String, templated: Bool = false) -> JSONValue {
            HAL.link(links.base + path, title: title, templated: templated)
        }
        return [
            "_links": [
                "self": link("", "Index"),
                "pb:publish-contracts": link("/contracts/publish", "Publish contracts"),
                "pb:publish-pact": link("/pacts/provider/{provider}/consumer/{consumer}/version/{consumerApplicationVersion}", "Publish a pact", templated: true),
                "pb:latest-pact-versions": link("/pacts/latest", "Latest pact versions"),
                "pb:pacticipants": link("/pacticipants", "Pacticipants"),
                "pb:pacticipant": link("/pacticipants/{pacticipant}", "Fetch pacticipant by name", templated: true),
                "pb:pacticipant-version": link("/pacticipants/{pacticipant}/versions/{version}", "Get, create or delete a pacticipant version", templated: true),
                "pb:pacticipant-version-tag": link("/pacticipants/{pacticipant}/versions/{version}/tags/{tag}", "Get, create or delete a tag for a version", templated: true),
                "pb:pacticipant-branch": link("/pacticipants/{pacticipant}/branches/{branch}", "Get or delete a pacticipant branch", templated: true),
                "pb:pacticipant-branch-version": link("/pacticipants/{pacticipant}/branches/{branch}/versions/{version}", "Get or add a version to a branch", templated: true),
                "pb:latest-version": link("/pacticipants/{pacticipant}/latest-version", "Latest version of a pacticipant", templated: true),
                "pb:latest-tagged-version": link("/pacticipants/{pacticipant}/latest-version/{tag}", "Latest version of a pacticipant with a tag", templated: true),
                "pb:latest-provider-pacts": link("/pacts/provider/{provider}/latest", "Latest pacts by provider", templated: true),
                "pb:latest-provider-pacts-with-tag": link("/pacts/provider/{provider}/latest/{tag}", "Latest pacts for provider with the specified tag", templated: true),
                "pb:provider-pacts-for-verification": link("/pacts/provider/{provider}/for-verification", "Pact versions to be verified for the specified provider", templated: true),
                "beta:provider-pacts-for-verification": link("/pacts/provider/{provider}/for-verification", "Pact versions to be verified for the specified provider", templated: true),
                "pb:environments": link("/environments", "Environments"),
                "pb:environment": link("/environments/{uuid}", "Environment", templated: true),
                "pb:matrix": link("/matrix", "The matrix of consumer and provider versions"),
                "pb:can-i-deploy-pacticipant-version-to-environment": link("/can-i-deploy?pacticipant={pacticipant}&version={version}&environment={environment}", "Can a version be deployed to an environment", templated: true),
                "pb:webhooks": link("/webhooks", "Webhooks"),
                "pb:webhook": link("/webhooks/{uuid}", "Webhook", templated: true),
                "curies": [["name": "pb", "href": .string(links.base + "/doc/{rel}?context=index"), "templated": true]],
            ],
        ]
    }
}
