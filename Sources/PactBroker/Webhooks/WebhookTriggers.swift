import Foundation
import PactModel

extension BrokerAPI {
    /// Queues the contract events of one stored pact.
    func triggerContractEvents(_ store: Store, consumerVersion: VersionRecord, consumer: String, provider: PacticipantRecord,
                               content: PactVersionRecord, previousContentId: Int64?, links: Links) async throws {
        let webhooks = WebhookStore(store.db)
        guard try await webhooks.any() else { return }
        let context = try await contractContext(store, consumerVersion: consumerVersion, consumer: consumer, provider: provider, content: content, links: links)
        try await webhooks.trigger(.contractPublished, context: context)
        if previousContentId != content.id {
            try await webhooks.trigger(.contractContentChanged, context: context)
        }
        if try await store.successfulVerifications(pactVersionId: content.id).isEmpty {
            var requiring = context
            if let branch = provider.mainBranch, let head = try await store.latestVersion(pacticipantId: provider.id, branch: branch) {
                requiring.values["providerVersionNumber"] = head.number
                requiring.values["providerVersionBranch"] = branch
            }
            try await webhooks.trigger(.contractRequiringVerificationPublished, context: requiring)
        }
    }

    /// Queues the verification events of one published result.
    func triggerVerificationEvents(_ store: Store, verification: VerificationRecord, consumer: PacticipantRecord, provider: PacticipantRecord,
                                   providerVersion: VersionRecord, content: PactVersionRecord, links: Links) async throws {
        let webhooks = WebhookStore(store.db)
        guard try await webhooks.any() else { return }
        let consumerVersion = try await store.consumerVersions(pactVersionId: content.id).first
        var context: WebhookContext
        if let consumerVersion {
            context = try await contractContext(store, consumerVersion: consumerVersion, consumer: consumer.name, provider: provider, content: content, links: links)
        } else {
            context = WebhookContext(values: ["consumerName": consumer.name, "providerName": provider.name])
            context.values["consumerLabels"] = try await labels(store, consumer.name)
            context.values["providerLabels"] = try await labels(store, provider.name)
        }
        context.values["providerVersionNumber"] = providerVersion.number
        context.values["providerVersionTags"] = try await store.tags(versionId: providerVersion.id).map(\.name).joined(separator: ", ")
        context.values["providerVersionBranch"] = try await store.branchVersions(versionIds: [providerVersion.id])[providerVersion.id]?.last?.name ?? ""
        context.values["verificationResultUrl"] = links.verification(provider: provider.name, consumer: consumer.name, sha: content.sha, id: verification.id)
        context.values["buildUrl"] = verification.buildUrl ?? ""
        let success = verification.succeeded
        context.values["githubVerificationStatus"] = success ? "success" : "failure"
        context.values["bitbucketVerificationStatus"] = success ? "SUCCESSFUL" : "FAILED"
        context.values["gitlabVerificationStatus"] = success ? "success" : "failed"
        context.values["azureDevOpsVerificationStatus"] = success ? "succeeded" : "failed"
        try await webhooks.trigger(.providerVerificationPublished, context: context)
        try await webhooks.trigger(success ? .providerVerificationSucceeded : .providerVerificationFailed, context: context)
    }

    private func contractContext(_ store: Store, consumerVersion: VersionRecord, consumer: String, provider: PacticipantRecord,
                                 content: PactVersionRecord, links: Links) async throws -> WebhookContext {
        let tags = try await store.tags(versionId: consumerVersion.id).map(\.name)
        let branch = try await store.branchVersions(versionIds: [consumerVersion.id])[consumerVersion.id]?.last?.name
        return WebhookContext(values: [
            "consumerName": consumer,
            "providerName": provider.name,
            "consumerVersionNumber": consumerVersion.number,
            "consumerVersionTags": tags.joined(separator: ", "),
            "consumerVersionBranch": branch ?? "",
            "pactUrl": links.pactVersion(provider: provider.name, consumer: consumer, sha: content.sha),
            "buildUrl": consumerVersion.buildUrl ?? "",
            "providerVersionNumber": "",
            "providerVersionTags": "",
            "providerVersionBranch": "",
            "verificationResultUrl": "",
            "githubVerificationStatus": "pending",
            "bitbucketVerificationStatus": "INPROGRESS",
            "gitlabVerificationStatus": "running",
            "azureDevOpsVerificationStatus": "pending",
            "consumerLabels": try await labels(store, consumer),
            "providerLabels": try await labels(store, provider.name),
        ])
    }

    /// A pacticipant's labels as `${pactbroker.consumerLabels}` shows them: sorted, comma-separated.
    private func labels(_ store: Store, _ pacticipant: String) async throws -> String {
        try await store.labelNames(pacticipant: pacticipant).sorted().joined(separator: ", ")
    }
}
