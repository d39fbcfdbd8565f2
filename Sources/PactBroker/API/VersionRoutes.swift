import HTTPTypes
import Hummingbird
import PactModel

extension BrokerAPI {
    func addVersionRoutes(to router: Router<BasicRequestContext>) {
        router.get("/pacticipants/:pacticipant/versions") { request, context -> Response in
            let name = try parameter(context, "pacticipant")
            let links = links(for: request)
            let size = try BrokerAPI.integerQuery(request, "pageSize", default: 100, range: 1...1000)
            let page = try BrokerAPI.integerQuery(request, "pageNumber", default: 1, range: 1...1_000_000)
            let documents = try await database.read { db -> [JSONValue] in
                let store = Store(db)
                let pacticipant = try await requirePacticipant(store, name)
                var documents: [JSONValue] = []
                for version in try await store.versions(pacticipantId: pacticipant.id, limit: size, offset: (page - 1) * size) {
                    documents.append(Representation.version(version, pacticipant: name, details: try await versionDetails(store, version), links: links))
                }
                return documents
            }
            return HAL.response([
                "_embedded": ["versions": .array(documents)],
                "_links": ["self": HAL.link(links.pacticipant(name) + "/versions"), "pb:pacticipant": HAL.link(links.pacticipant(name), name: name)],
            ])
        }
        router.get("/pacticipants/:pacticipant/versions/:version") { request, context -> Response in
            let name = try parameter(context, "pacticipant"), number = try parameter(context, "version")
            return try await versionResponse(request, pacticipant: name) { store, pacticipant in
                try await store.version(pacticipantId: pacticipant.id, number: number)
            } missing: { "there is no version '\(number)' of '\(name)'" }
        }
        router.get("/pacticipants/:pacticipant/latest-version") { request, context -> Response in
            let name = try parameter(context, "pacticipant")
            return try await versionResponse(request, pacticipant: name) { store, pacticipant in
                try await store.latestVersion(pacticipantId: pacticipant.id)
            } missing: { "'\(name)' has no versions" }
        }
        router.get("/pacticipants/:pacticipant/latest-version/:tag") { request, context -> Response in
            let name = try parameter(context, "pacticipant"), tag = try parameter(context, "tag")
            return try await versionResponse(request, pacticipant: name) { store, pacticipant in
                try await store.latestVersion(pacticipantId: pacticipant.id, tag: tag)
            } missing: { "'\(name)' has no version tagged '\(tag)'" }
        }
        router.put("/pacticipants/:pacticipant/versions/:version") { request, context -> Response in
            try await saveVersion(request, context, replacing: true)
        }
        router.patch("/pacticipants/:pacticipant/versions/:version") { request, context -> Response in
            try await saveVersion(request, context, replacing: false)
        }
        router.delete("/pacticipants/:pacticipant/versions/:version") { _, context -> Response in
            let name = try parameter(context, "pacticipant"), number = try parameter(context, "version")
            try await database.write { db in
                let store = Store(db)
                let pacticipant = try await requirePacticipant(store, name)
                guard let version = try await store.version(pacticipantId: pacticipant.id, number: number) else {
                    throw BrokerError.notFound("there is no version '\(number)' of '\(name)'")
                }
                try await store.deleteVersion(id: version.id)
            }
            return Response(status: .noContent)
        }

        // Tags.
        router.get("/pacticipants/:pacticipant/versions/:version/tags/:tag") { request, context -> Response in
            let name = try parameter(context, "pacticipant"), number = try parameter(context, "version"), tag = try parameter(context, "tag")
            let links = links(for: request)
            let record = try await database.read { db -> TagRecord in
                let store = Store(db)
                let pacticipant = try await requirePacticipant(store, name)
                guard let version = try await store.version(pacticipantId: pacticipant.id, number: number),
                      let record = try await store.tags(versionId: version.id).first(where: { $0.name == tag }) else {
                    throw BrokerError.notFound("version '\(number)' of '\(name)' has no tag '\(tag)'")
                }
                return record
            }
            return HAL.response(tagDocument(record, pacticipant: name, version: number, links: links))
        }
        router.put("/pacticipants/:pacticipant/versions/:version/tags/:tag") { request, context -> Response in
            let name = try parameter(context, "pacticipant"), number = try parameter(context, "version"), tag = try parameter(context, "tag")
            try validateName(name, field: "pacticipant")
            try validateName(number, field: "version")
            try validateName(tag, field: "tag")
            _ = try await jsonBody(request)
            let links = links(for: request)
            let (record, created) = try await database.write { db -> (TagRecord, Bool) in
                let store = Store(db)
                let pacticipant = try await store.ensurePacticipant(name)
                let version = try await store.ensureVersion(pacticipantId: pacticipant.id, number: number).0
                let created = try await store.tag(version, tag, pacticipant: pacticipant, firstTagAsBranch: options.useFirstTagAsBranch)
                if created, let environment = try await store.environment(named: tag) {
                    // As the Pact Broker does by default: a tag named after an environment records a deployment there.
                    _ = try await store.recordDeployment(version: version, environmentId: environment.id, applicationInstance: nil)
                }
                guard let record = try await store.tags(versionId: version.id).first(where: { $0.name == tag }) else { throw StoreError.vanished("tag \(tag)") }
                return (record, created)
            }
            return HAL.response(tagDocument(record, pacticipant: name, version: number, links: links), status: created ? .created : .ok,
                                headers: [(.location, links.tag(name, number, tag))])
        }
        router.delete("/pacticipants/:pacticipant/versions/:version/tags/:tag") { _, context -> Response in
            let name = try parameter(context, "pacticipant"), number = try parameter(context, "version"), tag = try parameter(context, "tag")
            try await database.write { db in
                let store = Store(db)
                let pacticipant = try await requirePacticipant(store, name)
                guard let version = try await store.version(pacticipantId: pacticipant.id, number: number),
                      try await store.deleteTag(tag, versionId: version.id) else {
                    throw BrokerError.notFound("version '\(number)' of '\(name)' has no tag '\(tag)'")
                }
            }
            return Response(status: .noContent)
        }

        // Branches.
        router.get("/pacticipants/:pacticipant/branches") { request, context -> Response in
            let name = try parameter(context, "pacticipant")
            let links = links(for: request)
            let branches = try await database.read { db -> [BranchRecord] in
                let store = Store(db)
                return try await store.branches(pacticipantId: try await requirePacticipant(store, name).id)
            }
            return HAL.response([
                "_embedded": ["branches": .array(branches.map { branchDocument($0, pacticipant: name, links: links) })],
                "_links": ["self": HAL.link(links.pacticipant(name) + "/branches")],
            ])
        }
        router.get("/pacticipants/:pacticipant/branches/:branch") { request, context -> Response in
            let name = try parameter(context, "pacticipant"), branch = try parameter(context, "branch")
            let links = links(for: request)
            let record = try await database.read { db -> BranchRecord in
                let store = Store(db)
                let pacticipant = try await requirePacticipant(store, name)
                guard let record = try await store.branch(pacticipantId: pacticipant.id, name: branch) else {
                    throw BrokerError.notFound("'\(name)' has no branch '\(branch)'")
                }
                return record
            }
            return HAL.response(branchDocument(record, pacticipant: name, links: links))
        }
        router.delete("/pacticipants/:pacticipant/branches/:branch") { _, context -> Response in
            let name = try parameter(context, "pacticipant"), branch = try parameter(context, "branch")
            try await database.write { db in
                let store = Store(db)
                let pacticipant = try await requirePacticipant(store, name)
                guard let record = try await store.branch(pacticipantId: pacticipant.id, name: branch) else {
                    throw BrokerError.notFound("'\(name)' has no branch '\(branch)'")
                }
                try await store.deleteBranch(id: record.id)
            }
            return Response(status: .noContent)
        }
        router.get("/pacticipants/:pacticipant/branches/:branch/versions/:version") { request, context -> Response in
            let name = try parameter(context, "pacticipant"), branch = try parameter(context, "branch"), number = try parameter(context, "version")
            let links = links(for: request)
            try await database.read { db in
                let store = Store(db)
                let pacticipant = try await requirePacticipant(store, name)
                guard let version = try await store.version(pacticipantId: pacticipant.id, number: number),
                      try await store.branchVersions(versionIds: [version.id])[version.id]?.contains(where: { $0.name == branch }) == true else {
                    throw BrokerError.notFound("version '\(number)' of '\(name)' is not on branch '\(branch)'")
                }
            }
            return HAL.response(branchVersionDocument(pacticipant: name, branch: branch, version: number, links: links))
        }
        router.put("/pacticipants/:pacticipant/branches/:branch/versions/:version") { request, context -> Response in
            let name = try parameter(context, "pacticipant"), branch = try parameter(context, "branch"), number = try parameter(context, "version")
            try validateName(name, field: "pacticipant")
            try validateName(branch, field: "branch")
            try validateName(number, field: "version")
            _ = try await jsonBody(request)
            let links = links(for: request)
            let created = try await database.write { db -> Bool in
                let store = Store(db)
                let pacticipant = try await store.ensurePacticipant(name)
                let version = try await store.ensureVersion(pacticipantId: pacticipant.id, number: number).0
                let created = try await store.addBranchVersion(branch, version: version)
                try await store.detectMainBranch(pacticipant, branch: branch)
                return created
            }
            return HAL.response(branchVersionDocument(pacticipant: name, branch: branch, version: number, links: links), status: created ? .created : .ok)
        }
    }

    func requirePacticipant(_ store: Store, _ name: String) async throws -> PacticipantRecord {
        guard let record = try await store.pacticipant(named: name) else { throw BrokerError.notFound("there is no pacticipant named '\(name)'") }
        return record
    }

    /// Tags, branches, environments, deployments, releases and pacts of a version, for its document.
    func versionDetails(_ store: Store, _ version: VersionRecord) async throws -> Representation.VersionDetails {
        var details = Representation.VersionDetails()
        details.tags = try await store.tags(versionId: version.id)
        details.branches = try await store.branchVersions(versionIds: [version.id])[version.id] ?? []
        let environments = try await store.environments()
        details.environments = environments
        let byId = Dictionary(uniqueKeysWithValues: environments.map { ($0.id, $0) })
        details.deployments = try await store.deployments(versionId: version.id).compactMap { d in byId[d.environmentId].map { (d, $0) } }
        details.releases = try await store.releases(versionId: version.id).compactMap { r in byId[r.environmentId].map { (r, $0) } }
        for publication in try await store.publications(consumerVersionId: version.id) {
            if let provider = try await store.pacticipant(id: publication.providerId), let content = try await store.pactVersion(id: publication.pactVersionId) {
                details.pacts.append((provider.name, content.sha))
            }
        }
        return details
    }

    private func versionResponse(_ request: Request, pacticipant name: String,
                                 find: @escaping @Sendable (Store, PacticipantRecord) async throws -> VersionRecord?,
                                 missing: @escaping @Sendable () -> String) async throws -> Response {
        let links = links(for: request)
        let document = try await database.read { db -> JSONValue in
            let store = Store(db)
            let pacticipant = try await requirePacticipant(store, name)
            guard let version = try await find(store, pacticipant) else { throw BrokerError.notFound(missing()) }
            return Representation.version(version, pacticipant: name, details: try await versionDetails(store, version), links: links)
        }
        return HAL.response(document)
    }

    private func saveVersion(_ request: Request, _ context: BasicRequestContext, replacing: Bool) async throws -> Response {
        let name = try parameter(context, "pacticipant"), number = try parameter(context, "version")
        try validateName(name, field: "pacticipant")
        try validateName(number, field: "version")
        let body = try await jsonBody(request)
        let buildUrl = try body.string("buildUrl")
        var tags: [String] = []
        if let value = body["tags"] {
            guard let array = value.arrayValue else { throw BrokerError.invalid("tags", "must be an array of {\"name\": …}") }
            for item in array {
                guard let tag = item["name"]?.stringValue else { throw BrokerError.invalid("tags", "each tag needs a string name") }
                try validateName(tag, field: "tags")
                tags.append(tag)
            }
        }
        let links = links(for: request)
        let tagList = tags
        let (document, created) = try await database.write { db -> (JSONValue, Bool) in
            let store = Store(db)
            let pacticipant = try await store.ensurePacticipant(name)
            var (version, created) = try await store.ensureVersion(pacticipantId: pacticipant.id, number: number)
            if replacing || body.contains("buildUrl") {
                try await store.setBuildURL(versionId: version.id, buildUrl)
                version.buildUrl = buildUrl
            }
            for tag in tagList { _ = try await store.addTag(tag, to: version) }
            return (Representation.version(version, pacticipant: name, details: try await versionDetails(store, version), links: links), created)
        }
        return HAL.response(document, status: created ? .created : .ok)
    }

    func tagDocument(_ tag: TagRecord, pacticipant: String, version: String, links: Links) -> JSONValue {
        [
            "name": .string(tag.name),
            "createdAt": .string(Clock.iso(tag.createdAt)),
            "_links": [
                "self": HAL.link(links.tag(pacticipant, version, tag.name), title: "Tag", name: tag.name),
                "pb:version": HAL.link(links.version(pacticipant, version), title: "Version", name: version),
                "pb:pacticipant": HAL.link(links.pacticipant(pacticipant), title: "Pacticipant", name: pacticipant),
            ],
        ]
    }

    func branchDocument(_ branch: BranchRecord, pacticipant: String, links: Links) -> JSONValue {
        [
            "name": .string(branch.name),
            "createdAt": .string(Clock.iso(branch.createdAt)),
            "_links": [
                "self": HAL.link(links.branch(pacticipant, branch.name), title: "Branch", name: branch.name),
                "pb:pacticipant": HAL.link(links.pacticipant(pacticipant), title: "Pacticipant", name: pacticipant),
            ],
        ]
    }

    func branchVersionDocument(pacticipant: String, branch: String, version: String, links: Links) -> JSONValue {
        [
            "name": .string(branch),
            "_links": [
                "self": HAL.link(links.branchVersion(pacticipant, branch, version)),
                "pb:branch": HAL.link(links.branch(pacticipant, branch), name: branch),
                "pb:version": HAL.link(links.version(pacticipant, version), name: version),
            ],
        ]
    }
}
