import Foundation
import PactConsumer
import PactHTTP
import XCTest

/// Consumer pact tests also run under XCTest, where a failure is a thrown error carrying the full report.
final class ConsumerPactXCTests: XCTestCase {
    func testAMismatchThrowsAReadableReport() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-xctest-\(UUID().uuidString)")
        let pact = ConsumerPact(consumer: "App", provider: "API")
        pact.uponReceiving("get item").withRequest(method: .get, path: "/items/1").willRespondWith(status: 200)
        do {
            try await pact.run(output: PactOutput(directory: folder)) { url in
                let client = HTTPClient()
                defer { client.shutdown() }
                _ = try await client.send(HTTPClientRequest(url: url.absoluteString + "/items/2"))
            }
            XCTFail("the run should have failed")
        } catch let failure as PactTestFailure {
            XCTAssertTrue(failure.description.contains("expected but not received: 'get item'"), failure.description)
            XCTAssertTrue(failure.description.contains("unexpected request: GET /items/2 matches no interaction"), failure.description)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("App-API.json").path))
    }

    func testAPassingRunReturnsTheTestsResult() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-xctest-\(UUID().uuidString)")
        let pact = ConsumerPact(consumer: "App", provider: "API")
        pact.uponReceiving("get item").withRequest(method: .get, path: "/items/1").willRespondWith(status: 204)
        let status = try await pact.run(output: PactOutput(directory: folder)) { url in
            let client = HTTPClient()
            defer { client.shutdown() }
            return try await client.send(HTTPClientRequest(url: url.absoluteString + "/items/1")).status
        }
        XCTAssertEqual(status, 204)
    }
}
