import Foundation
import HTTPTypes
import Hummingbird
import PactModel

extension BrokerAPI {
    func addEnvironmentRoutes(to router: Router<BasicRequestContext>) {
        router.get("/environments") { request, _ -> Response in
            let links = links(for: request)
            let wanted = BrokerAPI.query(request, "name")
            let records = try await database.read { db in try await Store(db).environments() }.filter { wanted == nil || $0.name == wanted }
            let items = records.map { Representation.environment($0, links: links) }
            return HAL.response([
                "_embedded": ["environments": .array(items)],
                "_links": [
                    "self": HAL.link(links.url("environments"), title: "Environments"),
                    "pb:environments": .array(records.map { HAL.link(links.environment($0.uuid), title: "Environment", name: $0.name) }),
                ],
            ])
        }
        router.post("/environments") { request, _ -> Response in
            let links = links(for: request)
            let fields = try EnvironmentFields(try await jsonBody(request))
            let record = try await database.write { db -> EnvironmentRecord in
                let store = Store(db)
                if try await store.environment(named: fields.name) != nil {
                    throw BrokerError.invalid("name", "an environment named '\(fields.name)' already exists")
                }
                return try await store.createEnvironment(uuid: fields.uuid ?? UUID().uuidString.lowercased(), name: fields.name, displayName: fields.displayName,
                                                         production: fields.production, contacts: fields.contacts)
            }
            return HAL.response(Representation.environment(record, links: links), status: .created, headers: [(.location, links.environment(record.uuid))])
        }
        router.get("/environments/:uuid") { request, context -> Response in
            let uuid = try parameter(context, "uuid")
            let links = links(for: request)
            let record = try await database.read { db in try await Store(db).environment(uuid: uuid) }
            guard let record else { throw BrokerError.notFound("there is no environment with uuid \(uuid)") }
            return HAL.response(Representation.environment(record, links: links))
        }
        router.put("/environments/:uuid") { request, context -> Response in
            let uuid = try parameter(context, "uuid")
            let links = links(for: request)
            let fields = try EnvironmentFields(try await jsonBody(request))
            let record = try await database.write { db -> EnvironmentRecord in
                let store = Store(db)
                guard let existing = try await store.environment(uuid: uuid) else { throw BrokerError.notFound("there is no environment with uuid \(uuid)") }
                if let other = try await store.environment(named: fields.name), other.id != existing.id {
                    throw BrokerError.invalid("name", "another environment is already named '\(fields.name)'")
                }
                try await store.updateEnvironment(id: existing.id, name: fields.name, displayName: fields.displayName, production: fields.production, contacts: fields.contacts)
                guard let updated = try await store.environment(uuid: uuid) else { throw StoreError.vanished("environment") }
                return updated
            }
            return HAL.response(Representation.environment(record, links: links))
        }
        router.delete("/environments/:uuid") { _, context -> Response in
            let uuid = try parameter(context, "uuid")
            try await database.write { db in
                let store = Store(db)
                guard let existing = try await store.environment(uuid: uuid) else { throw BrokerError.notFound("there is no environment with uuid \(uuid)") }
                try await store.deleteEnvironment(id: existing.id)
            }
            return Response(status: .noContent)
        }
    }
}

/// The fields of an environment in a POST or PUT body.
struct EnvironmentFields: Sendable {
    var uuid: String?
    var name: String
    var displayName: String?
    var production: Bool
    var contacts: String?

    init(_ body: JSONObject) throws {
        var problems: [(field: String, message: String)] = []
        let name = (try? body.string("name")) ?? nil
        if name == nil || name?.isEmpty == true { problems.append(("name", "is required")) }
        if let name, name.contains(where: \.isWhitespace) { problems.append(("name", "must not contain spaces")) }
        let production = (try? body.bool("production")) ?? nil
        if production == nil { problems.append(("production", "is required (true or false)")) }
        if let uuid = try? body.string("uuid"), uuid.count < 16 || !uuid.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
            problems.append(("uuid", "must be at least 16 characters of letters, digits, - and _"))
        }
        if let contacts = body["contacts"], contacts.arrayValue == nil, !contacts.isNull { problems.append(("contacts", "must be an array")) }
        guard problems.isEmpty, let name, let production else { throw BrokerError.invalid(problems) }
        try validateName(name, field: "name")
        self.uuid = try body.string("uuid")
        self.name = name
        self.displayName = try body.string("displayName")
        self.production = production
        self.contacts = body["contacts"].flatMap { $0.isNull ? nil : JSONWriter.string($0, style: .compact) }
    }
}
