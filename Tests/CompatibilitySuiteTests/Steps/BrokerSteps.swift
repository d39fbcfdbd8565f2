import Foundation
import PactBroker
import PactBrokerClient
import PactModel
import PactVerifier

/// The `http_provider.feature` steps that verify pacts from a Pact broker. They use a real `pactctl broker` on a
/// scratch SQLite file: each pact is published for consumer `c_N`, the verifier fetches them as pacts for
/// verification, and results are read back from the broker.
enum BrokerSteps {
    static let definitions: [StepDefinition] = [
        StepDefinition("a Pact file for interaction {int} is to be verified from a Pact broker") { world, arguments, _ in
            let number = try ConsumerSteps.number(arguments[0])
            let broker = try await startBroker(world)
            let interaction = try ProviderSteps.interaction(world, arguments[0])
            let consumer = "c_\(number)"
            let pact = Pact(consumer: consumer, provider: "p", interactions: [.http(interaction)], specification: world.specification)
            let json = try PactWriter().document(for: pact, as: world.specification).json
            let client = BrokerClient(configuration: BrokerClientConfiguration(baseURL: broker.url))
            _ = try await client.publish([PactToPublish(source: consumer, json: json)], version: "1.0.\(number)", branch: "main", tags: [], buildURL: nil)
            world.brokerConsumers[number] = consumer
        },
        StepDefinition("publishing of verification results is enabled") { world, _, _ in
            world.publishResults = true
        },
        StepDefinition("a verification result will NOT be published back") { world, _, _ in
            for number in world.brokerConsumers.keys where try await latestResult(world, number) != nil {
                throw StepFailure("a verification result was published for interaction \(number)")
            }
        },
        StepDefinition("a successful verification result will be published back for interaction \\{{int}}") { world, arguments, _ in
            try await expectResult(world, try ConsumerSteps.number(arguments[0]), success: true)
        },
        StepDefinition("a failed verification result will be published back for the interaction \\{{int}}") { world, arguments, _ in
            try await expectResult(world, try ConsumerSteps.number(arguments[0]), success: false)
        },
    ]

    static func startBroker(_ world: CompatibilityWorld) async throws -> BrokerServer {
        if let broker = world.broker { return broker }
        try FileManager.default.createDirectory(at: world.scratch, withIntermediateDirectories: true)
        let broker = try await BrokerServer.start(BrokerConfiguration(database: .sqlite(path: world.scratch.appendingPathComponent("broker.sqlite").path), port: 0))
        world.broker = broker
        return broker
    }

    /// Verifies every pact the broker selects for provider `p`, publishing results when enabled.
    static func verify(_ world: CompatibilityWorld, _ verifier: Verifier) async throws -> VerificationReport {
        guard let broker = world.broker else { throw StepFailure("no broker was started") }
        let client = BrokerClient(configuration: BrokerClientConfiguration(baseURL: broker.url))
        let options = BrokerVerificationOptions(provider: "p", selectors: [["mainBranch": true]], providerBranch: "main",
                                                publishVersion: world.publishResults ? "2.0.0" : nil, verifierVersion: "compatibility")
        return try await verifier.verify(fromBroker: client, options)
    }

    static func latestResult(_ world: CompatibilityWorld, _ number: Int) async throws -> HALResource? {
        guard let broker = world.broker, let consumer = world.brokerConsumers[number] else { throw StepFailure("interaction \(number) was not published to the broker") }
        let client = BrokerClient(configuration: BrokerClientConfiguration(baseURL: broker.url))
        let pact = try await client.get("/pacts/provider/p/consumer/\(consumer)/latest")
        guard let href = pact.href("pb:latest-verification-results") else { throw StepFailure("the pact has no pb:latest-verification-results link") }
        return try await client.getIfPresent(href)
    }

    static func expectResult(_ world: CompatibilityWorld, _ number: Int, success: Bool) async throws {
        guard let result = try await latestResult(world, number) else { throw StepFailure("no verification result was published for interaction \(number)") }
        guard result.json["success"]?.boolValue == success else {
            throw StepFailure("the published result has success \(result.json["success"].map(JSONWriter.compactString) ?? "missing"), expected \(success)")
        }
        guard let entries = result.json["testResults"]?.arrayValue, !entries.isEmpty,
              entries.allSatisfy({ $0["success"]?.boolValue == success }) else {
            throw StepFailure("the published result does not carry per-interaction results with success \(success)")
        }
    }
}
