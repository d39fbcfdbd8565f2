import Foundation
import HTTPTypes
import Hummingbird
import PactModel

extension BrokerAPI {
    func addDeploymentRoutes(to router: Router<BasicRequestContext>) {
        router.post("/pacticipants/:pacticipant/versions/:version/deployed-versions/environment/:uuid") { request, context -> Response in
            let name = try parameter(context, "pacticipant"), number = try parameter(context, "version"), uuid = try parameter(context, "uuid")
            let body = try await jsonBody(request)
            // No application instance and an empty one are the same instance.
            let instance = (try body.string("applicationInstance") ?? body.string("target")).flatMap { $0.isEmpty ? nil : $0 }
            let links = links(for: request)
            let (document, created) = try await database.write { db -> (JSONValue, Bool) in
                let store = Store(db)
                let (version, environment) = try await versionAndEnvironment(store, name, number, uuid)
                let (record, created) = try await store.recordDeployment(version: version, environmentId: environment.id, applicationInstance: instance)
                return (Representation.deployedVersion(record, pacticipant: name, version: number, environment: environment, links: links), created)
            }
            return HAL.response(document, status: created ? .created : .ok)
        }
        router.post("/pacticipants/:pacticipant/versions/:version/released-versions/environment/:uuid") { request, context -> Response in
            let name = try parameter(context, "pacticipant"), number = try parameter(context, "version"), uuid = try parameter(context, "uuid")
            _ = try await jsonBody(request)
            let links = links(for: request)
            let (document, created) = try await database.write { db -> (JSONValue, Bool) in
                let store = Store(db)
                let (version, environment) = try await versionAndEnvironment(store, name, number, uuid)
                let (record, created) = try await store.recordRelease(version: version, environmentId: environment.id)
                return (Representation.releasedVersion(record, pacticipant: name, version: number, environment: environment, links: links), created)
            }
            return HAL.response(document, status: created ? .created : .ok)
        }
        router.get("/environments/:uuid/deployed-versions/currently-deployed") { request, context -> Response in
            let uuid = try parameter(context, "uuid")
            let pacticipantFilter = BrokerAPI.query(request, "pacticipant")
            let instanceFilter = BrokerAPI.query(request, "applicationInstance") ?? BrokerAPI.query(request, "target")
            let links = links(for: request)
            let items = try await database.read { db -> [JSONValue] in
                let store = Store(db)
                guard let environment = try await store.environment(uuid: uuid) else { throw BrokerError.notFound("there is no environment with uuid \(uuid)") }
                var items: [JSONValue] = []
                for record in try await store.currentDeployments(environmentId: environment.id) {
                    guard let version = try await store.version(id: record.versionId), let pacticipant = try await store.pacticipant(id: record.pacticipantId) else { continue }
                    if let pacticipantFilter, pacticipant.name != pacticipantFilter { continue }
                    if let instanceFilter, record.applicationInstance != instanceFilter { continue }
                    items.append(Representation.deployedVersion(record, pacticipant: pacticipant.name, version: version.number, environment: environment, links: links))
                }
                return items
            }
            return HAL.response(["_embedded": ["deployedVersions": .array(items)],
                                 "_links": ["self": HAL.link(links.environment(uuid) + "/deployed-versions/currently-deployed")]])
        }
        router.get("/environments/:uuid/released-versions/currently-supported") { request, context -> Response in
            let uuid = try parameter(context, "uuid")
            let pacticipantFilter = BrokerAPI.query(request, "pacticipant")
            let versionFilter = BrokerAPI.query(request, "version")
            let links = links(for: request)
            let items = try await database.read { db -> [JSONValue] in
                let store = Store(db)
                guard let environment = try await store.environment(uuid: uuid) else { throw BrokerError.notFound("there is no environment with uuid \(uuid)") }
                var items: [JSONValue] = []
                for record in try await store.currentReleases(environmentId: environment.id) {
                    guard let version = try await store.version(id: record.versionId), let pacticipant = try await store.pacticipant(id: record.pacticipantId) else { continue }
                    if let pacticipantFilter, pacticipant.name != pacticipantFilter { continue }
                    if let versionFilter, version.number != versionFilter { continue }
                    items.append(Representation.releasedVersion(record, pacticipant: pacticipant.name, version: version.number, environment: environment, links: links))
                }
                return items
            }
            return HAL.response(["_embedded": ["releasedVersions": .array(items)],
                                 "_links": ["self": HAL.link(links.environment(uuid) + "/released-versions/currently-supported")]])
        }
        router.get("/deployed-versions/:uuid") { request, context -> Response in
            try await deployedVersionResponse(request, context, change: nil)
        }
        router.patch("/deployed-versions/:uuid") { request, context -> Response in
            let body = try await jsonBody(request)
            guard let deployed = try body.bool("currentlyDeployed") else { throw BrokerError.invalid("currentlyDeployed", "is required") }
            if deployed { throw BrokerError.unprocessable("a deployment cannot be marked as deployed again; record a new deployment instead") }
            return try await deployedVersionResponse(request, context, change: false)
        }
        router.get("/released-versions/:uuid") { request, context -> Response in
            try await releasedVersionResponse(request, context, endSupport: false)
        }
        router.patch("/released-versions/:uuid") { request, context -> Response in
            let body = try await jsonBody(request)
            guard let supported = try body.bool("currentlySupported") else { throw BrokerError.invalid("currentlySupported", "is required") }
            if supported { throw BrokerError.unprocessable("support cannot be resumed here; record the release again instead") }
            return try await releasedVersionResponse(request, context, endSupport: true)
        }
    }

    private func versionAndEnvironment(_ store: Store, _ name: String, _ number: String, _ uuid: String) async throws -> (VersionRecord, EnvironmentRecord) {
        let pacticipant = try await requirePacticipant(store, name)
        guard let version = try await store.version(pacticipantId: pacticipant.id, number: number) else {
            throw BrokerError.notFound("there is no version '\(number)' of '\(name)'")
        }
        guard let environment = try await store.environment(uuid: uuid) else { throw BrokerError.notFound("there is no environment with uuid \(uuid)") }
        return (version, environment)
    }

    private func deployedVersionResponse(_ request: Request, _ context: BasicRequestContext, change: Bool?) async throws -> Response {
        let uuid = try parameter(context, "uuid")
        let links = links(for: request)
        let work: @Sendable (Store) async throws -> JSONValue = { store in
            guard var record = try await store.deployedVersion(uuid: uuid) else { throw BrokerError.notFound("there is no deployed version \(uuid)") }
            if change == false {
                try await store.markUndeployed(id: record.id)
                record = try await store.deployedVersion(uuid: uuid) ?? record
            }
            guard let version = try await store.version(id: record.versionId), let pacticipant = try await store.pacticipant(id: record.pacticipantId),
                  let environment = try await store.environment(id: record.environmentId) else { throw StoreError.vanished("deployed version") }
            return Representation.deployedVersion(record, pacticipant: pacticipant.name, version: version.number, environment: environment, links: links)
        }
        let document = change == nil ? try await database.read { try await work(Store($0)) } : try await database.write { try await work(Store($0)) }
        return HAL.response(document)
    }

    private func releasedVersionResponse(_ request: Request, _ context: BasicRequestContext, endSupport: Bool) async throws -> Response {
        let uuid = try parameter(context, "uuid")
        let links = links(for: request)
        let work: @Sendable (Store) async throws -> JSONValue = { store in
            guard var record = try await store.releasedVersion(uuid: uuid) else { throw BrokerError.notFound("there is no released version \(uuid)") }
            if endSupport {
                try await store.endSupport(id: record.id)
                record = try await store.releasedVersion(uuid: uuid) ?? record
            }
            guard let version = try await store.version(id: record.versionId), let pacticipant = try await store.pacticipant(id: record.pacticipantId),
                  let environment = try await store.environment(id: record.environmentId) else { throw StoreError.vanished("released version") }
            return Representation.releasedVersion(record, pacticipant: pacticipant.name, version: version.number, environment: environment, links: links)
        }
        let document = endSupport ? try await database.write { try await work(Store($0)) } : try await database.read { try await work(Store($0)) }
        return HAL.response(document)
    }
}
