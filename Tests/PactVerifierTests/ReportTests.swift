import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PactMatching
import PactModel
import PactVerifier
import Testing

/// The JSON and JUnit renderings of a report.
@Suite struct ReportTests {
    static let report = VerificationReport(results: [
        InteractionResult(consumer: "BankingApp", provider: "BankingAPI", description: "a request for the balance",
                          providerStates: ["account exists"], outcome: .passed, duration: .milliseconds(12)),
        InteractionResult(consumer: "BankingApp", provider: "BankingAPI", description: "a deposit <of> \"1000\" & more",
                          outcome: .failed([
                              Mismatch(kind: .status, expected: "200", actual: "500", message: "Expected status code 200 but received 500"),
                              Mismatch(kind: .body, path: "$.balance", expected: "1000", actual: "0", message: "Expected 1000 (Integer) but received 0 (Integer)"),
                          ]), duration: .milliseconds(1500), warnings: ["no provider state callback configured for provider state 'x'"]),
        InteractionResult(consumer: "BankingApp", provider: "BankingAPI", description: "a new feature", pending: true,
                          outcome: .failed([Mismatch(kind: .header, path: "X-New", message: "Expected a header 'X-New' but was missing")])),
        InteractionResult(consumer: "ReportingApp", provider: "BankingAPI", description: "a report\u{01}",
                          outcome: .error("Request to the provider failed: could not connect to http://127.0.0.1:1/report")),
        InteractionResult(consumer: "ReportingApp", provider: "BankingAPI", description: "an event", outcome: .skipped("messages are not verified")),
    ], excludedCount: 2)

    @Test func theReportCountsFailuresApartFromPendingOnes() {
        #expect(Self.report.passedCount == 1)
        #expect(Self.report.failedCount == 2)
        #expect(Self.report.pendingFailures.count == 1)
        #expect(Self.report.skippedCount == 1)
        #expect(!Self.report.isSuccess)
        #expect(Self.report.summary == "5 interactions, 1 passed, 2 failed, 1 pending failure, 1 skipped (2 excluded by filters)")
    }

    @Test func theJSONReportHasOneEntryPerInteractionAndTheSummary() throws {
        let json = JSONReport.render(Self.report)
        let summary = try #require(json["summary"]?.objectValue)
        #expect(summary["passed"] == 1)
        #expect(summary["failed"] == 2)
        #expect(summary["pendingFailures"] == 1)
        #expect(summary["success"] == false)
        let results = try #require(json["results"]?.arrayValue)
        #expect(results.map { $0["status"]?.stringValue } == ["passed", "failed", "failed", "error", "skipped"])
        #expect(results[0]["states"] == ["account exists"])
        #expect(results[0]["durationMs"] == 12)
        #expect(results[1]["durationMs"] == 1500)
        #expect(results[1]["mismatches"]?.arrayValue?.last == [
            "type": "body", "path": "$.balance", "expected": "1000", "actual": "0", "message": "Expected 1000 (Integer) but received 0 (Integer)",
        ])
        #expect(results[1]["categories"] == ["Response status did not match", "Body had differences"])
        #expect(results[1]["warnings"]?.arrayValue?.count == 1)
        #expect(results[2]["pending"] == true)
        #expect(results[3]["error"]?.stringValue?.hasPrefix("Request to the provider failed") == true)
        #expect(results[0]["error"] == .null)
        #expect(results[4]["reason"] == "messages are not verified")
        // It is valid JSON for any other tool.
        let text = JSONWriter.string(json)
        #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: Data(text.utf8)) }
    }

    @Test func theJUnitReportHasASuitePerPairAndACasePerInteraction() throws {
        let xml = JUnitReport.render(Self.report)
        let document = try XMLDocument(data: Data(xml.utf8))
        let suites = try document.nodes(forXPath: "/testsuites/testsuite")
        #expect(suites.compactMap { ($0 as? XMLElement)?.attribute(forName: "name")?.stringValue } == ["BankingApp-BankingAPI", "ReportingApp-BankingAPI"])
        let first = try #require(suites.first as? XMLElement)
        #expect(first.attribute(forName: "tests")?.stringValue == "3")
        #expect(first.attribute(forName: "failures")?.stringValue == "1")
        #expect(first.attribute(forName: "skipped")?.stringValue == "1")
        let cases = try document.nodes(forXPath: "//testcase").compactMap { $0 as? XMLElement }
        #expect(cases.count == 5)
        #expect(cases[0].attribute(forName: "name")?.stringValue == "a request for the balance (given account exists)")
        #expect(cases[0].attribute(forName: "time")?.stringValue == "0.012")
        #expect(cases[0].children == nil || cases[0].childCount == 0)

        #expect(cases[1].attribute(forName: "name")?.stringValue == "a deposit <of> \"1000\" & more")
        let failure = try #require(cases[1].elements(forName: "failure").first)
        #expect(failure.attribute(forName: "message")?.stringValue == "Response status did not match")
        #expect(failure.stringValue?.contains("body $.balance: Expected 1000 (Integer) but received 0 (Integer)") == true)
        #expect(cases[1].elements(forName: "system-out").first?.stringValue?.contains("warning: no provider state callback") == true)

        let pending = try #require(cases[2].elements(forName: "skipped").first)
        #expect(pending.attribute(forName: "message")?.stringValue == "pending: Headers had differences")
        #expect(cases[2].elements(forName: "failure").isEmpty)

        #expect(cases[3].attribute(forName: "name")?.stringValue == "a report\u{FFFD}")
        #expect(cases[3].elements(forName: "error").first?.attribute(forName: "message")?.stringValue == "Request to the provider failed")
        #expect(cases[4].elements(forName: "skipped").first?.attribute(forName: "message")?.stringValue == "messages are not verified")
    }

    @Test func theJUnitReportEscapesMarkupInEveryAttribute() {
        let xml = JUnitReport.render(Self.report)
        #expect(xml.contains("a deposit &lt;of&gt; &quot;1000&quot; &amp; more"))
        #expect(!xml.contains("\u{01}"))
    }
}
