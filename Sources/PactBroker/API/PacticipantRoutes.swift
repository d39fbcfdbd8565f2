import HTTPTypes
import Hummingbird
import PactModel

extension BrokerAPI {
    func addPacticipantRoutes(to router: Router<BasicRequestContext>) {
        router.get("/pacticipants") { request, _ -> Response in
            let links = links(for: request)
            let (records, labels) = try await database.read { db in
                let store = Store(db)
                return (try await store.pacticipants(), try await store.allLabels())
            }
            let items = records.map { Representation.pacticipant($0, links: links, labels: labels[$0.id] ?? []) }
            return HAL.response([
                "_embedded": ["pacticipants": .array(items)],
                "pacticipants": .array(items),
                "_links": ["self": HAL.link(links.url("pacticipants"))],
            ])
        }
        router.post("/pacticipants") { request, _ -> Response in
            let links = links(for: request)
            let body = try await jsonBody(request)
            let name = try body.requiredString("name")
            try validateName(name, field: "name")
            var collected = PacticipantFields()
            try collected.merge(body)
            let fields = collected
            let record = try await database.write { db -> PacticipantRecord in
                let store = Store(db)
                if try await store.pacticipant(named: name) != nil {
                    throw BrokerError.invalid("name", "a pacticipant named '\(name)' already exists")
                }
                return try await store.savePacticipant(fields, name: name).0
            }
            return HAL.response(Representation.pacticipant(record, links: links), status: .created,
                                headers: [(.location, links.pacticipant(name))])
        }
        router.get("/pacticipants/:pacticipant") { request, context -> Response in
            try await getPacticipant(try parameter(context, "pacticipant"), request)
        }
        // PATCH merges the given fields (and creates a missing pacticipant); PUT replaces them all.
        router.patch("/pacticipants/:pacticipant") { request, context -> Response in
            try await savePacticipant(try parameter(context, "pacticipant"), request, replacing: false)
        }
        router.put("/pacticipants/:pacticipant") { request, context -> Response in
            try await savePacticipant(try parameter(context, "pacticipant"), request, replacing: true)
        }
        router.delete("/pacticipants/:pacticipant") { _, context -> Response in
            try await deletePacticipant(try parameter(context, "pacticipant"))
        }
        // `/pacticipants/label/{l}` lists by label, so the router sends `/pacticipants/label` down that branch: a
        // pacticipant named "label" gets its own routes here. (`/pacticipants/label/versions` and the like stay label
        // lists, as in the Pact Broker.)
        router.get("/pacticipants/label") { request, _ -> Response in try await getPacticipant("label", request) }
        router.patch("/pacticipants/label") { request, _ -> Response in try await savePacticipant("label", request, replacing: false) }
        router.put("/pacticipants/label") { request, _ -> Response in try await savePacticipant("label", request, replacing: true) }
        router.delete("/pacticipants/label") { _, _ -> Response in try await deletePacticipant("label") }
        addLabelRoutes(to: router)
    }

    private func getPacticipant(_ name: String, _ request: Request) async throws -> Response {
        let links = links(for: request)
        let (record, latest, labels) = try await database.read { db -> (PacticipantRecord, VersionRecord?, [LabelRecord]) in
            let store = Store(db)
            guard let record = try await store.pacticipant(named: name) else { throw BrokerError.notFound("there is no pacticipant named '\(name)'") }
            return (record, try await store.latestVersion(pacticipantId: record.id), try await store.labels(pacticipantId: record.id))
        }
        return HAL.response(Representation.pacticipant(record, links: links, latestVersion: latest, labels: labels))
    }

    private func deletePacticipant(_ name: String) async throws -> Response {
        try await database.write { db in
            let store = Store(db)
            guard let record = try await store.pacticipant(named: name) else { throw BrokerError.notFound("there is no pacticipant named '\(name)'") }
            try await store.deletePacticipant(id: record.id)
        }
        return Response(status: .noContent)
    }

    /// Labels group pacticipants (by team, say); webhooks can select their consumer or provider by label.
    private func addLabelRoutes(to router: Router<BasicRequestContext>) {
        router.get("/pacticipants/label/:label") { request, context -> Response in
            let label = try parameter(context, "label")
            let links = links(for: request)
            let (records, labels) = try await database.read { db in
                let store = Store(db)
                return (try await store.pacticipants(label: label), try await store.allLabels())
            }
            let items = records.map { Representation.pacticipant($0, links: links, labels: labels[$0.id] ?? []) }
            return HAL.response([
                "_embedded": ["pacticipants": .array(items)],
                "_links": ["self": HAL.link(links.url("pacticipants", "label", Links.segment(label)))],
            ])
        }
        router.get("/labels") { request, _ -> Response in
            let links = links(for: request)
            let names = try await database.read { db in try await Store(db).labelNames() }
            return HAL.response([
                "_embedded": ["labels": .array(names.map { ["name": .string($0)] })],
                "_links": ["self": HAL.link(links.url("labels"))],
            ])
        }
        router.get("/pacticipants/:pacticipant/labels/:label") { request, context -> Response in
            let (name, label) = (try parameter(context, "pacticipant"), try parameter(context, "label"))
            let links = links(for: request)
            let record = try await database.read { db -> LabelRecord in
                let store = Store(db)
                guard let pacticipant = try await store.pacticipant(named: name),
                      let record = try await store.labels(pacticipantId: pacticipant.id).first(where: { $0.name == label }) else {
                    throw BrokerError.notFound("pacticipant '\(name)' has no label '\(label)'")
                }
                return record
            }
            return HAL.response(Representation.label(record, pacticipant: name, links: links))
        }
        // PUT creates the pacticipant too when it is missing, as the Pact Broker does.
        router.put("/pacticipants/:pacticipant/labels/:label") { request, context -> Response in
            let (name, label) = (try parameter(context, "pacticipant"), try parameter(context, "label"))
            try validateName(name, field: "pacticipant")
            try validateLabel(label, field: "label")
            let links = links(for: request)
            let (record, created) = try await database.write { db -> (LabelRecord, Bool) in
                let store = Store(db)
                let pacticipant = try await store.ensurePacticipant(name)
                return try await store.addLabel(label, pacticipantId: pacticipant.id)
            }
            return HAL.response(Representation.label(record, pacticipant: name, links: links), status: created ? .created : .ok,
                                headers: created ? [(.location, links.label(pacticipant: name, label))] : [])
        }
        router.delete("/pacticipants/:pacticipant/labels/:label") { _, context -> Response in
            let (name, label) = (try parameter(context, "pacticipant"), try parameter(context, "label"))
            try await database.write { db in
                let store = Store(db)
                guard let pacticipant = try await store.pacticipant(named: name),
                      try await store.labels(pacticipantId: pacticipant.id).contains(where: { $0.name == label }) else {
                    throw BrokerError.notFound("pacticipant '\(name)' has no label '\(label)'")
                }
                try await store.deleteLabel(label, pacticipantId: pacticipant.id)
            }
            return Response(status: .noContent)
        }
    }

    private func savePacticipant(_ name: String, _ request: Request, replacing: Bool) async throws -> Response {
        try validateName(name, field: "name")
        let links = links(for: request)
        let body = try await jsonBody(request)
        if let given = try body.string("name"), given != name {
            throw BrokerError.invalid("name", "is '\(given)' but the URL names '\(name)'; a pacticipant cannot be renamed here")
        }
        let (record, created, labels) = try await database.write { db -> (PacticipantRecord, Bool, [LabelRecord]) in
            let store = Store(db)
            let existing = try await store.pacticipant(named: name)
            if replacing && existing == nil { throw BrokerError.notFound("there is no pacticipant named '\(name)'; create it with POST /pacticipants or PATCH") }
            var fields = replacing ? PacticipantFields() : PacticipantFields(existing)
            try fields.merge(body)
            let (record, created) = try await store.savePacticipant(fields, name: name)
            return (record, created, try await store.labels(pacticipantId: record.id))
        }
        return HAL.response(Representation.pacticipant(record, links: links, labels: labels), status: created ? .created : .ok)
    }
}

extension PacticipantFields {
    /// Takes every field present in the body (null clears it).
    mutating func merge(_ body: JSONObject) throws {
        if body.contains("displayName") { displayName = try body.string("displayName") }
        if body.contains("mainBranch") { mainBranch = try body.string("mainBranch") }
        if body.contains("repositoryUrl") { repositoryUrl = try body.string("repositoryUrl") }
        if body.contains("repositoryName") { repositoryName = try body.string("repositoryName") }
        if body.contains("repositoryNamespace") { repositoryNamespace = try body.string("repositoryNamespace") }
    }
}

/// Checks a label: a name without commas (webhook contexts list labels comma-separated) or surrounding spaces.
func validateLabel(_ value: String, field: String) throws {
    try validateName(value, field: field)
    if value.contains(",") { throw BrokerError.invalid(field, "must not contain a comma") }
    if value != value.trimmingCharacters(in: .whitespaces) { throw BrokerError.invalid(field, "must not start or end with a space") }
}
