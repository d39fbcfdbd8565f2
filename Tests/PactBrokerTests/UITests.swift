import TestSupport
import Foundation
import PactModel
import Testing

/// The server-rendered UI, read as HTML and loaded in a real headless Chromium.
@Suite("Broker: web UI")
struct UITests {
    static let chromium: String? = {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
                let path = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        return nil
    }()
    /// CI installs Chromium, so there its absence is a failure; elsewhere the browser test is skipped.
    static let browserTestRuns = chromium != nil || ProcessInfo.processInfo.environment["CI"] == "true"

    /// Two consumers of one provider: one verified, one failing, plus an environment.
    private func seed(_ broker: TestBroker) async throws -> (web: String, mobile: String, api: String) {
        let web = broker.name("Web"), mobile = broker.name("Mobile"), api = broker.name("API")
        try await broker.publish(consumer: web, version: "1.0.0", provider: api, branch: "main", descriptions: ["a request for an account"])
        try await broker.publish(consumer: mobile, version: "2.0.0", provider: api, branch: "main", descriptions: ["a request for the balance"])
        try await broker.verify(consumer: web, version: "1.0.0", provider: api, providerVersion: "p1", success: true, branch: "main")
        try await broker.verify(consumer: mobile, version: "2.0.0", provider: api, providerVersion: "p1", success: false, branch: "main")
        _ = try await broker.createEnvironment(broker.name("production"), production: true)
        try await broker.deploy(api, "p1", to: broker.name("production"))
        return (web, mobile, api)
    }

    @Test("the pages render the integrations, a pacticipant, the matrix, the network and a pact, with HTML escaped")
    func pages() async throws {
        try await withBroker(.sqlite) { broker in
            let (web, mobile, api) = try await seed(broker)
            let index = try await broker.request("GET", "/ui", headers: [("Accept", "text/html")])
            #expect(index.status == 200)
            #expect(index.header("Content-Type")?.hasPrefix("text/html") == true)
            #expect(index.text.contains(web) && index.text.contains(mobile) && index.text.contains(api))
            #expect(index.text.contains("badge success") && index.text.contains("badge failure"))

            let redirect = try await broker.request("GET", "/", headers: [("Accept", "text/html,application/xhtml+xml")])
            #expect(redirect.status == 303 && redirect.header("Location")?.hasSuffix("/ui") == true)
            #expect(try await broker.get("/").status == 200, "API clients still get the HAL index")

            let pacticipant = try await broker.get("/ui/pacticipants/\(api)")
            #expect(pacticipant.text.contains("p1") && pacticipant.text.contains(broker.name("production")))
            let matrix = try await broker.get("/ui/matrix?consumer=\(mobile)&provider=\(api)")
            #expect(matrix.text.contains("2.0.0") && matrix.text.contains("failed"))
            let network = try await broker.get("/ui/network")
            #expect(network.text.contains("<svg") && network.text.contains("class=\"integration success\"") && network.text.contains("class=\"integration failure\""))
            let pact = try await broker.get("/ui/pacts/provider/\(api)/consumer/\(web)/version/1.0.0")
            #expect(pact.text.contains("a request for an account") && pact.text.contains("GET /accounts/1"))
            #expect(try await broker.get("/ui/pacts/provider/\(api)/consumer/\(web)/version/9.9.9").status == 404)
            #expect(try await broker.get("/ui/static/style.css").header("Content-Type")?.hasPrefix("text/css") == true)

            let hostile = "x<script>alert(1)</script>"
            try await broker.publish(consumer: broker.name("Evil"), version: "1", provider: api, descriptions: [hostile])
            let escaped = try await broker.get("/ui/pacts/provider/\(api)/consumer/\(broker.name("Evil"))/version/1")
            #expect(!escaped.text.contains("<script>alert(1)</script>") && escaped.text.contains("&lt;script&gt;"))
        }
    }

    @Test("a headless Chromium shows the pages; screenshots are kept in .build/broker-ui", .enabled(if: browserTestRuns))
    func browser() async throws {
        let chromium = try #require(UITests.chromium, "Chromium is not installed; Scripts/test installs the Debian package chromium")
        let screenshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/broker-ui")
        try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)
        try await withBroker(.sqlite) { broker in
            let (web, mobile, api) = try await seed(broker)
            let pages: [(name: String, path: String, expected: [String])] = [
                ("integrations", "/ui", [web, mobile, "verified", "failed"]),
                ("pacticipant", "/ui/pacticipants/\(api)", ["p1", "Versions"]),
                ("matrix", "/ui/matrix?consumer=\(web)&provider=\(api)", ["1.0.0", "verified"]),
                ("network", "/ui/network", ["<svg", "integration success", "integration failure"]),
                ("pact", "/ui/pacts/provider/\(api)/consumer/\(web)/version/1.0.0", ["a request for an account", "Request", "Response"]),
            ]
            for page in pages {
                let dom = try await UITests.runChromium(chromium, ["--dump-dom", broker.url + page.path])
                for text in page.expected {
                    #expect(dom.contains(text), "\(page.name) page as Chromium rendered it lacks '\(text)'")
                }
                let file = screenshots.appendingPathComponent("\(page.name).png")
                try? FileManager.default.removeItem(at: file)
                _ = try await UITests.runChromium(chromium, ["--screenshot=\(file.path)", "--window-size=1280,900", "--hide-scrollbars", broker.url + page.path])
                let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
                #expect(size > 10_000, "the \(page.name) screenshot is missing or blank (\(size) bytes)")
            }
        }
    }

    /// Runs headless Chromium on a thread of its own (never blocking the concurrency pool the broker under test
    /// runs on) and returns what it printed; it is stopped after 60 seconds.
    static func runChromium(_ chromium: String, _ arguments: [String]) async throws -> String {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                             "--user-data-dir=\(profile.path)", "--virtual-time-budget=3000"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        let data: Data = await withCheckedContinuation { continuation in
            let thread = Thread {
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: data)
            }
            thread.start()
        }
        watchdog.cancel()
        return String(decoding: data, as: UTF8.self)
    }
}

@Suite("Broker: badges")
struct BadgeTests {
    @Test("pact and can-i-deploy badges show the state as SVG", arguments: TestDatabase.available)
    func badges(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let web = broker.name("Web"), api = broker.name("API"), production = broker.name("production")
            _ = try await broker.createEnvironment(production)
            try await broker.publish(consumer: web, version: "1", provider: api, tags: ["main"])
            let unknown = try await broker.get("/pacts/provider/\(api)/consumer/\(web)/latest/badge")
            #expect(unknown.status == 200)
            #expect(unknown.header("Content-Type")?.hasPrefix("image/svg+xml") == true)
            #expect(unknown.text.contains("unknown"))
            try await broker.verify(consumer: web, version: "1", provider: api, providerVersion: "p1", success: true)
            #expect(try await broker.get("/pacts/provider/\(api)/consumer/\(web)/latest/badge").text.contains("verified"))
            #expect(try await broker.get("/pacts/provider/\(api)/consumer/\(web)/latest/main/badge?label=contract").text.contains(">contract<"))
            let before = try await broker.get("/pacticipants/\(web)/latest-version/main/can-i-deploy/to/\(production)/badge")
            #expect(before.text.contains(">unknown<"))
            try await broker.deploy(api, "p1", to: production)
            #expect(try await broker.get("/pacticipants/\(web)/latest-version/main/can-i-deploy/to/\(production)/badge").text.contains(">yes<"))
            #expect(try await broker.get("/pacts/provider/\(api)/consumer/\(broker.name("nobody"))/latest/badge").text.contains("unknown"))
        }
    }
}
