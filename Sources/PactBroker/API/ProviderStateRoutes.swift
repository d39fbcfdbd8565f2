import Foundation
import Hummingbird
import PactModel

extension BrokerAPI {
    /// Which pacts a provider-states listing reads.
    enum ProviderStateScope: Sendable {
        /// Each consumer's latest pact from its main branch.
        case mainBranch
        /// Each consumer's latest pact from this branch.
        case branch(String)
        /// The pacts of the consumer versions deployed or released (and supported) in this environment, by uuid or name.
        case environment(String)
    }

    func addProviderStateRoutes(to router: Router<BasicRequestContext>) {
        // The provider states a provider must be able to set up (`pact broker provider-states list`).
        router.get("/pacts/provider/:provider/provider-states") { _, context -> Response in
            try await providerStates(provider: try parameter(context, "provider"), scope: .mainBranch)
        }
        router.get("/pacts/provider/:provider/provider-states/branch/:branch") { _, context -> Response in
            try await providerStates(provider: try parameter(context, "provider"), scope: .branch(try parameter(context, "branch")))
        }
        router.get("/pacts/provider/:provider/provider-states/environment/:environment") { _, context -> Response in
            try await providerStates(provider: try parameter(context, "provider"), scope: .environment(try parameter(context, "environment")))
        }
    }

    /// `{"providerStates": [{"name", "params"?, "consumers": [...]}]}`, one entry per distinct state and parameters,
    /// sorted by name, each naming the consumers whose pacts need it.
    private func providerStates(provider name: String, scope: ProviderStateScope) async throws -> Response {
        let contents = try await database.read { db -> [(consumer: String, content: String)] in
            let store = Store(db)
            guard let provider = try await store.pacticipant(named: name) else { throw BrokerError.notFound("there is no pacticipant named '\(name)'") }
            var environmentId: Int64?
            if case .environment(let key) = scope {
                // The Pact Broker's route takes the environment's uuid; the official CLI sends its name. Both work.
                if let byUUID = try await store.environment(uuid: key) {
                    environmentId = byUUID.id
                } else if let byName = try await store.environment(named: key) {
                    environmentId = byName.id
                } else {
                    throw BrokerError.notFound("there is no environment with the uuid or name '\(key)'")
                }
            }
            var found: [(consumer: String, content: String)] = []
            for consumerId in try await store.consumers(ofProvider: provider.id) {
                guard let consumer = try await store.pacticipant(id: consumerId) else { continue }
                var publications: [PublicationRecord] = []
                switch scope {
                case .mainBranch:
                    if let main = consumer.mainBranch, let latest = try await store.latestPublication(consumerId: consumerId, providerId: provider.id, branch: main) {
                        publications = [latest]
                    }
                case .branch(let branch):
                    if let latest = try await store.latestPublication(consumerId: consumerId, providerId: provider.id, branch: branch) {
                        publications = [latest]
                    }
                case .environment:
                    // Always set for this scope above; an unknown environment was already a 404.
                    guard let environment = environmentId else { break }
                    let deployed = try await store.currentDeployments(environmentId: environment, pacticipantId: consumerId).map(\.versionId)
                    let released = try await store.currentReleases(environmentId: environment, pacticipantId: consumerId).map(\.versionId)
                    let versions = deployed + released
                    for versionId in Set(versions).sorted() {
                        if let publication = try await store.publication(consumerVersionId: versionId, providerId: provider.id) { publications.append(publication) }
                    }
                }
                for publication in publications {
                    if let content = try await store.pactVersion(id: publication.pactVersionId) { found.append((consumer.name, content.content)) }
                }
            }
            return found
        }
        // Keyed by name and compact parameters, which is also the listing's order.
        var states: [String: (name: String, params: JSONObject, consumers: Set<String>)] = [:]
        for (consumer, content) in contents {
            // Stored pacts were read when they were published; one that no longer reads contributes nothing.
            guard let pact = try? PactReader().read(Array(content.utf8), source: "stored pact").pact else { continue }
            for state in pact.interactions.flatMap(\.info.providerStates) {
                let key = state.name + "\u{0}" + JSONWriter.string(.object(state.params), style: .compact)
                states[key, default: (state.name, state.params, [])].consumers.insert(consumer)
            }
        }
        let listed: [JSONValue] = states.sorted { $0.key < $1.key }.map(\.value)
            .map { state in
                var entry: JSONObject = ["name": .string(state.name)]
                if !state.params.isEmpty { entry["params"] = .object(state.params) }
                entry["consumers"] = .array(state.consumers.sorted().map(JSONValue.string))
                return .object(entry)
            }
        return HAL.response(["providerStates": .array(listed)])
    }
}
