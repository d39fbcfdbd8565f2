import Foundation
import PactModel

/// The JSON documents of the API, shaped like the Pact Broker's decorators.
enum Representation {
    static func label(_ label: LabelRecord, pacticipant: String, links: Links) -> JSONValue {
        [
            "name": .string(label.name),
            "createdAt": .string(Clock.iso(label.createdAt)),
            "_links": [
                "self": HAL.link(links.label(pacticipant: pacticipant, label.name), title: "Label"),
                "pacticipant": HAL.link(links.pacticipant(pacticipant), title: pacticipant),
            ],
        ]
    }

    static func pacticipant(_ p: PacticipantRecord, links: Links, latestVersion: VersionRecord? = nil, labels: [LabelRecord] = []) -> JSONValue {
        let base = links.pacticipant(p.name)
        var object: JSONObject = [
            "name": .string(p.name),
            "displayName": .string(p.displayName ?? displayName(for: p.name)),
        ]
        if let value = p.mainBranch { object["mainBranch"] = .string(value) }
        if let value = p.repositoryUrl { object["repositoryUrl"] = .string(value) }
        if let value = p.repositoryName { object["repositoryName"] = .string(value) }
        if let value = p.repositoryNamespace { object["repositoryNamespace"] = .string(value) }
        object["createdAt"] = .string(Clock.iso(p.createdAt))
        object["updatedAt"] = .string(Clock.iso(p.updatedAt))
        var embedded = JSONObject()
        if let latestVersion {
            embedded["latestVersion"] = ["number": .string(latestVersion.number), "_links": ["self": HAL.link(links.version(p.name, latestVersion.number))]]
        }
        embedded["labels"] = .array(labels.map { label($0, pacticipant: p.name, links: links) })
        object["_embedded"] = .object(embedded)
        object["_links"] = [
            "self": HAL.link(base, title: p.name),
            "pb:versions": HAL.link(base + "/versions"),
            "pb:version": HAL.link(base + "/versions/{version}", title: "Get, create or delete a pacticipant version", templated: true),
            "pb:version-tag": HAL.link(base + "/versions/{version}/tags/{tag}", title: "Get, create or delete a tag for a version", templated: true),
            "pb:branches": HAL.link(base + "/branches"),
            "pb:branch-version": HAL.link(base + "/branches/{branch}/versions/{version}", title: "Get or add a version to a branch", templated: true),
            "pb:latest-version": HAL.link(base + "/latest-version"),
            "pb:label": HAL.link(base + "/labels/{label}", title: "Get, create or delete a label for this pacticipant", templated: true),
            "pb:can-i-deploy-badge": HAL.link(base + "/latest-version/{tag}/can-i-deploy/to/{environment}/badge", templated: true),
        ]
        return .object(object)
    }

    /// "order-service" → "Order Service", as the Pact Broker derives display names.
    static func displayName(for name: String) -> String {
        var words: [String] = []
        var current = ""
        for character in name {
            if character == "-" || character == "_" || character == " " {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else if character.isUppercase, let last = current.last, last.isLowercase {
                words.append(current)
                current = String(character)
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }

    struct VersionDetails: Sendable {
        var tags: [TagRecord] = []
        var branches: [(name: String, latest: Bool)] = []
        var environments: [EnvironmentRecord] = []
        var deployments: [(DeployedVersionRecord, EnvironmentRecord)] = []
        var releases: [(ReleasedVersionRecord, EnvironmentRecord)] = []
        var pacts: [(provider: String, sha: String)] = []
    }

    static func version(_ v: VersionRecord, pacticipant: String, details: VersionDetails, links: Links) -> JSONValue {
        let base = links.version(pacticipant, v.number)
        var object: JSONObject = ["number": .string(v.number)]
        if let url = v.buildUrl { object["buildUrl"] = .string(url) }
        object["createdAt"] = .string(Clock.iso(v.createdAt))
        let tags: [JSONValue] = details.tags.map { tag in
            ["name": .string(tag.name), "createdAt": .string(Clock.iso(tag.createdAt)),
             "_links": ["self": HAL.link(links.tag(pacticipant, v.number, tag.name))]]
        }
        let branchVersions: [JSONValue] = details.branches.map { branch in
            ["name": .string(branch.name), "latest": .bool(branch.latest),
             "_links": ["self": HAL.link(links.branchVersion(pacticipant, branch.name, v.number))]]
        }
        object["_embedded"] = ["tags": .array(tags), "branchVersions": .array(branchVersions)]
        object["_links"] = [
            "self": HAL.link(base, title: "Version", name: v.number),
            "pb:pacticipant": HAL.link(links.pacticipant(pacticipant), title: "Pacticipant", name: pacticipant),
            "pb:tag": HAL.link(base + "/tags/{tag}", title: "Get, create or delete a tag for this pacticipant version", templated: true),
            "pb:latest-verification-results-where-pacticipant-is-consumer": HAL.link(base + "/latest-verification-results-where-pacticipant-is-consumer"),
            "pb:pact-versions": .array(details.pacts.map { pact in
                HAL.link(links.pact(provider: pact.provider, consumer: pacticipant, version: v.number), title: "Pact", name: "Pact between \(pacticipant) (\(v.number)) and \(pact.provider)")
            }),
            "pb:deployed-environments": .array(details.deployments.map { deployment, environment in
                HAL.link(links.deployedVersion(deployment.uuid), title: "Version deployed to \(environment.displayName ?? environment.name)", name: environment.name)
            }),
            "pb:released-environments": .array(details.releases.map { release, environment in
                HAL.link(links.releasedVersion(release.uuid), title: "Version released to \(environment.displayName ?? environment.name)", name: environment.name)
            }),
            "pb:record-deployment": .array(details.environments.map { environment in
                HAL.link(base + "/deployed-versions/environment/\(environment.uuid)", title: "Record deployment to \(environment.displayName ?? environment.name)", name: environment.name)
            }),
            "pb:record-release": .array(details.environments.map { environment in
                HAL.link(base + "/released-versions/environment/\(environment.uuid)", title: "Record release to \(environment.displayName ?? environment.name)", name: environment.name)
            }),
        ]
        return .object(object)
    }

    static func environment(_ e: EnvironmentRecord, links: Links) -> JSONValue {
        let base = links.environment(e.uuid)
        var object: JSONObject = [
            "uuid": .string(e.uuid),
            "name": .string(e.name),
            "displayName": .string(e.displayName ?? displayName(for: e.name)),
            "production": .bool(e.production != 0),
        ]
        if let contacts = e.contacts, let value = try? JSONParser.parse(contacts) { object["contacts"] = value }
        object["createdAt"] = .string(Clock.iso(e.createdAt))
        object["updatedAt"] = .string(Clock.iso(e.updatedAt))
        object["_links"] = [
            "self": HAL.link(base, title: "Environment", name: e.name),
            "pb:currently-deployed-deployed-versions": HAL.link(base + "/deployed-versions/currently-deployed", title: "Versions currently deployed to \(e.name)"),
            "pb:currently-supported-released-versions": HAL.link(base + "/released-versions/currently-supported", title: "Versions released and supported in \(e.name)"),
            "pb:environments": HAL.link(links.url("environments"), title: "Environments"),
        ]
        return .object(object)
    }

    static func deployedVersion(_ d: DeployedVersionRecord, pacticipant: String, version: String, environment: EnvironmentRecord, links: Links) -> JSONValue {
        var object: JSONObject = [
            "uuid": .string(d.uuid),
            "currentlyDeployed": .bool(d.currentlyDeployed != 0),
            "applicationInstance": d.applicationInstance.map(JSONValue.string) ?? .null,
            "target": d.applicationInstance.map(JSONValue.string) ?? .null,
        ]
        object["undeployedAt"] = d.undeployedAt.map { .string(Clock.iso($0)) } ?? .null
        object["createdAt"] = .string(Clock.iso(d.createdAt))
        object["_embedded"] = [
            "pacticipant": ["name": .string(pacticipant), "_links": ["self": HAL.link(links.pacticipant(pacticipant))]],
            "version": ["number": .string(version), "_links": ["self": HAL.link(links.version(pacticipant, version))]],
            "environment": Representation.environment(environment, links: links),
        ]
        object["_links"] = ["self": HAL.link(links.deployedVersion(d.uuid))]
        return .object(object)
    }

    static func releasedVersion(_ r: ReleasedVersionRecord, pacticipant: String, version: String, environment: EnvironmentRecord, links: Links) -> JSONValue {
        var object: JSONObject = [
            "uuid": .string(r.uuid),
            "currentlySupported": .bool(r.currentlySupported != 0),
        ]
        object["supportEndedAt"] = r.supportEndedAt.map { .string(Clock.iso($0)) } ?? .null
        object["createdAt"] = .string(Clock.iso(r.createdAt))
        object["_embedded"] = [
            "pacticipant": ["name": .string(pacticipant), "_links": ["self": HAL.link(links.pacticipant(pacticipant))]],
            "version": ["number": .string(version), "_links": ["self": HAL.link(links.version(pacticipant, version))]],
            "environment": Representation.environment(environment, links: links),
        ]
        object["_links"] = ["self": HAL.link(links.releasedVersion(r.uuid))]
        return .object(object)
    }
}
