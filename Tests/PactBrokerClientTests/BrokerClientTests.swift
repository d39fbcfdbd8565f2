import Foundation
import PactBroker
import PactBrokerClient
import PactModel
import Testing

/// The broker client against a real `pactctl broker` in the same process.
@Suite struct BrokerClientTests {
    static func withBroker(auth: BrokerAuthConfiguration = BrokerAuthConfiguration(), _ body: (BrokerServer) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try await BrokerServer.start(BrokerConfiguration(database: .sqlite(path: folder.appendingPathComponent("b.sqlite").path), port: 0, auth: auth))
        do { try await body(server) } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    static func pact(_ consumer: String, _ provider: String, _ description: String = "a request") -> JSONValue {
        [
            "consumer": ["name": .string(consumer)], "provider": ["name": .string(provider)],
            "interactions": [["description": .string(description), "request": ["method": "GET", "path": "/"], "response": ["status": 200]]],
            "metadata": ["pactSpecification": ["version": "3.0.0"]],
        ]
    }

    @Test func publishesThenAsksCanIDeployAndRecordsDeployments() async throws {
        try await Self.withBroker { server in
            let client = BrokerClient(configuration: BrokerClientConfiguration(baseURL: server.url))
            let outcomes = try await client.publish([PactToPublish(source: "web.json", json: Self.pact("Web", "API"))], version: "1.0.0",
                                                    branch: "main", tags: ["dev"], buildURL: "https://ci.example.com/1")
            #expect(outcomes.count == 1)
            #expect(outcomes[0].notices.contains { $0.text.contains("Pact published") })

            _ = try await client.createEnvironment(name: "production", displayName: nil, production: true)
            #expect(try await client.environments().compactMap { $0["name"]?.stringValue } == ["production"])

            let unknown = try await client.canIDeploy([DeploySelector(pacticipant: "Web", version: "1.0.0")], toEnvironment: "production", toTag: nil, ignore: [])
            #expect(unknown.deployable == nil)
            #expect(unknown.rows.count == 1 && unknown.rows[0].provider == "API" && unknown.rows[0].success == nil)

            let ignored = try await client.canIDeploy([DeploySelector(pacticipant: "Web", version: "1.0.0")], toEnvironment: "production", toTag: nil,
                                                      ignore: [("API", nil)])
            #expect(ignored.deployable == true)

            let deployment = try await client.recordDeployment(pacticipant: "Web", version: "1.0.0", environment: "production", applicationInstance: "eu")
            #expect(deployment.json["currentlyDeployed"] == .bool(true))
            #expect(deployment.json["applicationInstance"] == "eu")
            let release = try await client.recordRelease(pacticipant: "Web", version: "1.0.0", environment: "production")
            #expect(release.json["currentlySupported"] == .bool(true))

            await #expect(throws: BrokerClientError.self) {
                _ = try await client.recordDeployment(pacticipant: "Web", version: "1.0.0", environment: "staging", applicationInstance: nil)
            }
            await #expect(throws: BrokerClientError.self) {
                _ = try await client.recordDeployment(pacticipant: "Web", version: "9.9.9", environment: "production", applicationInstance: nil)
            }
        }
    }

    @Test func aChangedPactForAnExistingVersionIsReportedWithTheBrokersReason() async throws {
        try await Self.withBroker { server in
            let client = BrokerClient(configuration: BrokerClientConfiguration(baseURL: server.url))
            _ = try await client.publish([PactToPublish(source: "a", json: Self.pact("Web", "API"))], version: "1", branch: nil, tags: [], buildURL: nil)
            do {
                _ = try await client.publish([PactToPublish(source: "b", json: Self.pact("Web", "API", "changed"))], version: "1", branch: nil, tags: [], buildURL: nil)
                Issue.record("the broker accepted a changed pact for an existing version")
            } catch let error as BrokerClientError {
                guard case .rejected(409, _, let message) = error else { Issue.record("unexpected \(error)"); return }
                #expect(message.contains("new consumer version"))
            }
        }
    }

    @Test func credentialsAreSentAndAMissingOneIsExplained() async throws {
        let auth = BrokerAuthConfiguration(basic: [BasicCredential(username: "ci", password: "secret", role: .readWrite)])
        try await Self.withBroker(auth: auth) { server in
            let good = BrokerClient(configuration: BrokerClientConfiguration(baseURL: server.url, authentication: .basic(username: "ci", password: "secret")))
            #expect(try await good.index().href("pb:pacticipants") != nil)
            let anonymous = BrokerClient(configuration: BrokerClientConfiguration(baseURL: server.url, attempts: 1))
            do {
                _ = try await anonymous.index()
                Issue.record("the broker answered without credentials")
            } catch let error as BrokerClientError {
                #expect(error.description.contains("401") && error.description.contains("credentials"))
            }
        }
    }

    @Test func anUnreachableBrokerIsReportedAfterTheRetries() async throws {
        let client = BrokerClient(configuration: BrokerClientConfiguration(baseURL: "http://127.0.0.1:1", attempts: 2, retryDelay: .milliseconds(10)))
        do {
            _ = try await client.index()
            Issue.record("an unreachable broker answered")
        } catch let error as BrokerClientError {
            guard case .unreachable = error else { Issue.record("unexpected \(error)"); return }
        }
    }

    @Test func configurationComesFromArgumentsThenTheOfficialEnvironmentVariables() throws {
        let environment = ["PACT_BROKER_BASE_URL": "https://broker.example.com/", "PACT_BROKER_USERNAME": "u", "PACT_BROKER_PASSWORD": "p"]
        let fromEnvironment = try BrokerClientConfiguration.resolve(baseURL: nil, username: nil, password: nil, token: nil, environment: environment)
        #expect(fromEnvironment.baseURL == "https://broker.example.com")
        #expect(fromEnvironment.authentication == .basic(username: "u", password: "p"))
        let withToken = try BrokerClientConfiguration.resolve(baseURL: nil, username: nil, password: nil, token: "t", environment: environment)
        #expect(withToken.authentication == .bearer(token: "t"), "a token wins over basic auth")
        #expect(throws: BrokerClientError.self) { try BrokerClientConfiguration.resolve(baseURL: nil, username: nil, password: nil, token: nil, environment: [:]) }
        #expect(throws: BrokerClientError.self) { try BrokerClientConfiguration.resolve(baseURL: "ftp://x", username: nil, password: nil, token: nil, environment: [:]) }
    }

    @Test func linksAreFollowedOnTheConfiguredHostAndTemplatesAreEncoded() {
        let client = BrokerClient(configuration: BrokerClientConfiguration(baseURL: "https://pact.example.com:8443"))
        #expect(client.resolve("http://internal:9292/pacticipants/Web?x=1") == "https://pact.example.com:8443/pacticipants/Web?x=1")
        #expect(client.resolve("/environments") == "https://pact.example.com:8443/environments")
        #expect(BrokerClient.expand("/pacticipants/{pacticipant}/versions/{version}", ["pacticipant": "team/app", "version": "1.0 rc"])
                == "/pacticipants/team%2Fapp/versions/1.0%20rc")
    }
}
