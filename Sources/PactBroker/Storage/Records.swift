import Foundation

/// A consumer or provider application.
struct PacticipantRecord: Sendable, Decodable, Equatable {
    var id: Int64
    var name: String
    var displayName: String?
    var mainBranch: String?
    var repositoryUrl: String?
    var repositoryName: String?
    var repositoryNamespace: String?
    var createdAt: Int64
    var updatedAt: Int64
}

/// A label on a pacticipant, such as a team name.
struct LabelRecord: Sendable, Decodable, Equatable {
    var pacticipantId: Int64
    var name: String
    var createdAt: Int64
}

/// One version of a pacticipant; `id` grows with creation, so it orders versions.
struct VersionRecord: Sendable, Decodable, Equatable {
    var id: Int64
    var pacticipantId: Int64
    var number: String
    var buildUrl: String?
    var createdAt: Int64
}

/// A tag on a version.
struct TagRecord: Sendable, Decodable, Equatable {
    var versionId: Int64
    var name: String
    var createdAt: Int64
}

/// A branch of a pacticipant.
struct BranchRecord: Sendable, Decodable, Equatable {
    var id: Int64
    var pacticipantId: Int64
    var name: String
    var createdAt: Int64
}

/// A distinct pact content between one consumer and one provider.
struct PactVersionRecord: Sendable, Decodable, Equatable {
    var id: Int64
    var consumerId: Int64
    var providerId: Int64
    var sha: String
    var content: String
    var createdAt: Int64
}

/// A pact published for a consumer version, pointing at its content.
struct PublicationRecord: Sendable, Decodable, Equatable {
    var id: Int64
    var consumerVersionId: Int64
    var consumerId: Int64
    var providerId: Int64
    var pactVersionId: Int64
    var revision: Int64
    var createdAt: Int64
}

/// A verification of a pact content by a provider version.
struct VerificationRecord: Sendable, Decodable, Equatable {
    var id: Int64
    var pactVersionId: Int64
    var providerVersionId: Int64
    var providerId: Int64
    var consumerId: Int64
    var success: Int64
    var buildUrl: String?
    var verifiedBy: String?
    var testResults: String?
    var metadata: String?
    var wip: Int64
    var createdAt: Int64

    var succeeded: Bool { success != 0 }
}

/// A deployment target such as `test` or `production`.
struct EnvironmentRecord: Sendable, Decodable, Equatable {
    var id: Int64
    var uuid: String
    var name: String
    var displayName: String?
    var production: Int64
    var contacts: String?
    var createdAt: Int64
    var updatedAt: Int64
}

/// A version deployed to an environment (one application instance).
struct DeployedVersionRecord: Sendable, Decodable, Equatable {
    var id: Int64
    var uuid: String
    var versionId: Int64
    var pacticipantId: Int64
    var environmentId: Int64
    var applicationInstance: String?
    var currentlyDeployed: Int64
    var createdAt: Int64
    var undeployedAt: Int64?
}

/// A version released to an environment.
struct ReleasedVersionRecord: Sendable, Decodable, Equatable {
    var id: Int64
    var uuid: String
    var versionId: Int64
    var pacticipantId: Int64
    var environmentId: Int64
    var currentlySupported: Int64
    var createdAt: Int64
    var supportEndedAt: Int64?
}
