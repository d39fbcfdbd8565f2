import Foundation
import PactConsumer
import PactHTTP
import PactModel
import Testing

/// What happens when the client does not do what the pact promises.
@Suite("Consumer pact failures")
struct ConsumerPactFailureTests {
    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-consumer-\(UUID().uuidString)")
    }

    @Test func aPassingRunWritesThePactWhereAsked() async throws {
        let folder = Self.temporaryDirectory()
        let pact = ConsumerPact(consumer: "App", provider: "API")
        pact.uponReceiving("ping").withRequest(method: .get, path: "/ping").willRespondWith(status: 200, body: .json(["ok": true]))
        let status = try await pact.run(output: PactOutput(directory: folder)) { url in
            let client = HTTPClient()
            defer { client.shutdown() }
            return try await client.send(HTTPClientRequest(url: url.absoluteString + "/ping")).status
        }
        #expect(status == 200)
        let written = try PactReader().read(contentsOf: folder.appendingPathComponent("App-API.json")).pact
        #expect(written.interactions.map(\.description) == ["ping"])
    }

    @Test func aWrongRequestFailsWithTheDifferences() async throws {
        let folder = Self.temporaryDirectory()
        let pact = ConsumerPact(consumer: "App", provider: "API")
        pact.uponReceiving("create").withRequest(method: .post, path: "/items", body: .json(["name": .like("x")])).willRespondWith(status: 201)
        var failure: PactTestFailure?
        try await withKnownIssue {
            do {
                try await pact.run(output: PactOutput(directory: folder)) { url in
                    let client = HTTPClient()
                    defer { client.shutdown() }
                    let response = try await client.send(HTTPClientRequest(method: "POST", url: url.absoluteString + "/items",
                                                                           headers: [("Content-Type", "application/json")], body: Array(#"{"name": 7}"#.utf8)))
                    #expect(response.status == 500)
                }
            } catch let error as PactTestFailure {
                failure = error
            }
        } matching: { issue in
            issue.description.contains("$.name: Expected 7 (Integer) to be the same type as 'x' (String)")
        }
        #expect(failure?.report?.mismatched.first?.mismatches.map(\.message) == ["Expected 7 (Integer) to be the same type as 'x' (String)"])
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("App-API.json").path))
    }

    @Test func aMissedInteractionFailsTheTestAndWritesNothing() async throws {
        let folder = Self.temporaryDirectory()
        let pact = ConsumerPact(consumer: "App", provider: "API")
        pact.uponReceiving("ping").withRequest(method: .get, path: "/ping").willRespondWith(status: 200)
        await withKnownIssue {
            try await pact.run(output: PactOutput(directory: folder)) { _ in }
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("App-API.json").path))
    }
}
