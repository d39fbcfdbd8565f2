import Foundation
import PactBrokerClient
import PactMatching
import PactModel

/// What to verify from a broker, and whether to publish the results.
public struct BrokerVerificationOptions: Sendable {
    public var provider: String
    /// Consumer version selectors as the broker takes them, such as `{"mainBranch": true}`.
    public var selectors: [JSONValue]
    public var providerBranch: String?
    public var providerTags: [String]
    public var includePending: Bool
    public var includeWipPactsSince: String?
    /// The provider version to publish results for; nil to publish nothing.
    public var publishVersion: String?
    public var buildURL: String?
    /// Written into the results' `verifiedBy`.
    public var verifierVersion: String

    public init(provider: String, selectors: [JSONValue] = [], providerBranch: String? = nil, providerTags: [String] = [], includePending: Bool = false,
                includeWipPactsSince: String? = nil, publishVersion: String? = nil, buildURL: String? = nil, verifierVersion: String = "0") {
        self.provider = provider
        self.selectors = selectors
        self.providerBranch = providerBranch
        self.providerTags = providerTags
        self.includePending = includePending
        self.includeWipPactsSince = includeWipPactsSince
        self.publishVersion = publishVersion
        self.buildURL = buildURL
        self.verifierVersion = verifierVersion
    }
}

/// What happens during a verification from a broker, in order, for printing.
public enum BrokerVerificationEvent: Sendable {
    /// A notice from the broker, to show as it is.
    case notice(String)
    case result(InteractionResult)
    case published(consumer: String)
    case publishFailed(consumer: String, reason: String)
}

/// Why a verification from a broker could not run.
public enum BrokerVerificationError: Error, Sendable, CustomStringConvertible {
    case broker(BrokerClientError)
    case noPacts(provider: String)
    case invalidPact(url: String, reason: String)

    public var description: String {
        switch self {
        case .broker(let error): return error.description
        case .noPacts(let provider): return "the broker has no pacts for \(provider) matching the selectors"
        case .invalidPact(let url, let reason): return "\(url): \(reason)"
        }
    }
}

extension Verifier {
    /// Fetches the pacts for verification, verifies each one (a pending or WIP pact's failures do not fail the run),
    /// and publishes each pact's results with one entry per interaction when a version is given.
    public func verify(fromBroker client: BrokerClient, _ options: BrokerVerificationOptions,
                       events: @escaping @Sendable (BrokerVerificationEvent) -> Void = { _ in }) async throws(BrokerVerificationError) -> VerificationReport {
        let pacts: [VerifiablePact]
        do {
            pacts = try await client.pactsForVerification(provider: options.provider, selectors: options.selectors, providerBranch: options.providerBranch,
                                                          providerTags: options.providerTags, includePending: options.includePending,
                                                          includeWipPactsSince: options.includeWipPactsSince)
        } catch {
            throw .broker(error)
        }
        guard !pacts.isEmpty else { throw .noPacts(provider: options.provider) }
        var all: [InteractionResult] = []
        var excluded = 0
        for pact in pacts {
            for text in pact.notices(when: "before_verification") { events(.notice(text)) }
            let loaded: LoadedPact
            do { loaded = try PactReader().read(pact.json, source: pact.url) } catch {
                throw .invalidPact(url: pact.url, reason: "\(error)")
            }
            let report = await verify([(pact: loaded.pact, pending: pact.pending || pact.wip)], progress: { events(.result($0)) })
            all += report.results
            excluded += report.excludedCount
            let success = !report.results.contains { $0.isFailure }
            var published = false
            if let version = options.publishVersion {
                do {
                    _ = try await client.publishVerification(pact, success: success, providerVersion: version, providerBranch: options.providerBranch,
                                                             providerTags: options.providerTags, buildURL: options.buildURL,
                                                             testResults: report.results.map(Verifier.testResult), verifierVersion: options.verifierVersion)
                    published = true
                    events(.published(consumer: loaded.pact.consumer))
                } catch {
                    events(.publishFailed(consumer: loaded.pact.consumer, reason: error.description))
                }
            }
            for text in pact.notices(when: "after_verification:success_\(success)_published_\(published)") { events(.notice(text)) }
        }
        return VerificationReport(results: all, excludedCount: excluded)
    }

    /// One interaction's entry in published results.
    static func testResult(_ result: InteractionResult) -> JSONValue {
        var object: JSONObject = ["interactionDescription": .string(result.description), "success": .bool(!result.isFailure)]
        switch result.outcome {
        case .failed(let mismatches):
            object["mismatches"] = .array(mismatches.map { ["attribute": .string(FailureCategory.of($0)), "description": .string($0.description)] })
        case .error(let message):
            object["exceptions"] = [["message": .string(message)]]
        default:
            break
        }
        return .object(object)
    }
}
