import TestSupport
import Foundation
import PactHTTP
import PactModel
import Testing

/// Kills `pactctl broker` with SIGKILL while clients publish, restarts it, and checks that nothing acknowledged was lost.
@Suite(.serialized) struct BrokerReliabilityTests {
    /// A `pactctl broker` process on a free port.
    final class BrokerProcess: @unchecked Sendable {
        let process = ChildProcess()
        let url: String

        init(database: String) throws {
            process.executableURL = try PactctlCommandTests.binary()
            process.arguments = ["broker", "--port", "0", "--database", database]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            var text = ""
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline, !text.contains("\n") {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            guard let line = text.split(separator: "\n").first(where: { $0.contains("Broker listening on") }),
                  let url = MockCommandTests.url(in: String(line)) else {
                process.terminate()
                throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "the broker did not start: \(text)"])
            }
            self.url = url
        }

        func kill() {
            process.send(SIGKILL)
            process.waitUntilExit()
        }

        func stop() {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Acknowledged publishes so far, shared by the workers.
    final class Progress: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func increment() { lock.lock(); value += 1; lock.unlock() }
        var count: Int { lock.lock(); defer { lock.unlock() }; return value }
    }

    /// A `/contracts/publish` request for one new version, with a pact of its own.
    static func publish(to base: String, consumer: String, provider: String, version: String) -> HTTPClientRequest {
        HTTPClientRequest(method: "POST", url: base + "/contracts/publish", headers: [("Content-Type", "application/json")],
                          body: publishBody(consumer: consumer, provider: provider, version: version))
    }

    static func publishBody(consumer: String, provider: String, version: String) -> [UInt8] {
        let pact = #"{"consumer":{"name":"\#(consumer)"},"provider":{"name":"\#(provider)"},"interactions":[{"description":"call \#(version)","request":{"method":"GET","path":"/items/\#(version)"},"response":{"status":200}}],"metadata":{"pactSpecification":{"version":"3.0.0"}}}"#
        let content = Data(pact.utf8).base64EncodedString()
        let body = #"{"pacticipantName":"\#(consumer)","pacticipantVersionNumber":"\#(version)","branch":"main","contracts":[{"consumerName":"\#(consumer)","providerName":"\#(provider)","specification":"pact","contentType":"application/json","content":"\#(content)"}]}"#
        return Array(body.utf8)
    }

    static func databases() -> [String] {
        var databases = ["sqlite"]
        // A database of its own: brokers killed here leave leases that must not hold up other tests' webhooks.
        if let url = ProcessInfo.processInfo.environment["PACTCTL_TEST_POSTGRES_URL"], !url.isEmpty, let slash = url.lastIndex(of: "/") {
            databases.append(String(url[...slash]) + "pactctl_reliability")
        }
        return databases
    }

    @Test("every acknowledged publish survives SIGKILL, and the database passes its integrity check", arguments: databases())
    func killDuringPublishes(database: String) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-broker-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = database == "sqlite" ? "sqlite:" + folder.appendingPathComponent("broker.sqlite").path : database
        let run = String(UUID().uuidString.prefix(8))
        let consumer = "Consumer-\(run)", provider = "Provider-\(run)"

        let broker = try BrokerProcess(database: location)
        let base = broker.url
        let client = HTTPClient(configuration: HTTPClientConfiguration(requestTimeout: .seconds(5), connectTimeout: .seconds(2)))
        defer { client.shutdown() }
        let started = Date()
        let progress = Progress()
        let acknowledged = await withTaskGroup(of: [String].self) { group in
            for worker in 0..<20 {
                group.addTask {
                    var done: [String] = []
                    var attempt = 0
                    while Date().timeIntervalSince(started) < 30 {
                        attempt += 1
                        let version = "\(worker).\(attempt)"
                        let request = BrokerReliabilityTests.publish(to: base, consumer: consumer, provider: provider, version: version)
                        guard let response = try? await client.send(request) else { break }
                        if response.status == 200 {
                            done.append(version)
                            progress.increment()
                        }
                    }
                    return done
                }
            }
            // Kill it mid-stream: once a good number of publishes were acknowledged (however loaded the machine is).
            group.addTask {
                while progress.count < 60 && Date().timeIntervalSince(started) < 20 { try? await Task.sleep(for: .milliseconds(20)) }
                broker.kill()
                return []
            }
            var all: [String] = []
            for await versions in group { all += versions }
            return all
        }
        #expect(acknowledged.count > 20, "the clients published \(acknowledged.count) pacts before the kill; too few to mean anything")

        let check = try await PactctlCommandTests.runAsync(["broker", "check", "--database", location])
        #expect(check.status == 0, "\(check.output)\(check.error)")

        let restarted = try BrokerProcess(database: location)
        defer { restarted.stop() }
        var missing: [String] = []
        for version in acknowledged {
            let response = try await client.send(HTTPClientRequest(url: restarted.url + "/pacts/provider/\(provider)/consumer/\(consumer)/version/\(version)"))
            if response.status != 200 { missing.append(version) }
        }
        #expect(missing.isEmpty, "acknowledged but lost after SIGKILL: \(missing)")
    }

    /// The base URLs the workers send to; an instance's entry changes when it is restarted on a new port.
    final class Endpoints: @unchecked Sendable {
        private let lock = NSLock()
        private var urls: [String]
        init(_ urls: [String]) { self.urls = urls }
        subscript(index: Int) -> String {
            get { lock.lock(); defer { lock.unlock() }; return urls[index % urls.count] }
            set { lock.lock(); urls[index] = newValue; lock.unlock() }
        }
    }

    /// A value shared by the test's tasks.
    final class Holder<Value>: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Value
        init(_ value: Value) { stored = value }
        var value: Value {
            get { lock.lock(); defer { lock.unlock() }; return stored }
            set { lock.lock(); stored = newValue; lock.unlock() }
        }
    }

    static func postgresOnly() -> [String] { databases().filter { $0.hasPrefix("postgres") } }

    @Test("two instances on one PostgreSQL database: one is killed mid-load and restarted, and every acknowledged publish reads the same through both",
          .enabled(if: !postgresOnly().isEmpty, "needs PACTCTL_TEST_POSTGRES_URL"), arguments: postgresOnly())
    func killOneOfTwoInstances(database: String) async throws {
        let run = String(UUID().uuidString.prefix(8))
        let consumer = "Consumer-\(run)", provider = "Provider-\(run)"
        let first = Holder(try await onOwnThread { try BrokerProcess(database: database) })
        let second = try await onOwnThread { try BrokerProcess(database: database) }
        defer { second.stop() }
        let endpoints = Endpoints([first.value.url, second.url])
        let client = HTTPClient(configuration: HTTPClientConfiguration(requestTimeout: .seconds(10), connectTimeout: .seconds(2)))
        defer { client.shutdown() }
        let started = Date()
        let progress = Progress()
        let killed = Progress()
        let afterRestart = Progress()
        let acknowledged = await withTaskGroup(of: [String].self) { group in
            // Eight clients, and only until both instances have taken load after the restart: the other PostgreSQL
            // tests run beside this one, and a longer flood made their requests wait past their timeouts.
            for worker in 0..<8 {
                group.addTask {
                    var done: [String] = []
                    var attempt = 0
                    while Date().timeIntervalSince(started) < 60 && (killed.count < 2 || afterRestart.count < 40) {
                        attempt += 1
                        let version = "\(worker).\(attempt)"
                        let request = BrokerReliabilityTests.publish(to: endpoints[worker + attempt], consumer: consumer, provider: provider, version: version)
                        // The killed instance refuses connections until it is back: the client tries again elsewhere.
                        guard let response = try? await client.send(request) else { continue }
                        if response.status == 200 {
                            done.append(version)
                            progress.increment()
                            if killed.count == 2 { afterRestart.increment() }
                        }
                    }
                    return done
                }
            }
            group.addTask {
                while progress.count < 40 && Date().timeIntervalSince(started) < 20 { try? await Task.sleep(for: .milliseconds(20)) }
                first.value.kill()
                killed.increment()
                if let restarted = try? await onOwnThread({ try BrokerProcess(database: database) }) {
                    first.value = restarted
                    endpoints[0] = restarted.url
                }
                killed.increment()
                return []
            }
            var all: [String] = []
            for await versions in group { all += versions }
            return all
        }
        defer { first.value.stop() }
        #expect(killed.count == 2)
        #expect(acknowledged.count > 30, "only \(acknowledged.count) publishes were acknowledged; too few to mean anything")

        var missing: [String] = []
        var disagreeing: [String] = []
        for version in acknowledged {
            var seen: [JSONValue] = []
            for base in [endpoints[0], endpoints[1]] {
                let response = try await client.send(HTTPClientRequest(url: base + "/pacts/provider/\(provider)/consumer/\(consumer)/version/\(version)"))
                if response.status != 200 { missing.append("\(version) via \(base)"); continue }
                seen.append((try? JSONParser.parse(response.body))?["interactions"] ?? .null)
            }
            if seen.count == 2 && seen[0] != seen[1] { disagreeing.append(version) }
        }
        #expect(missing.isEmpty, "acknowledged but not readable: \(missing.prefix(20))")
        #expect(disagreeing.isEmpty, "the instances disagree about: \(disagreeing.prefix(20))")
        let counts = try await [endpoints[0], endpoints[1]].asyncMap { base in
            let response = try await client.send(HTTPClientRequest(url: base + "/pacticipants/\(consumer)/versions?pageSize=1000"))
            return (try? JSONParser.parse(response.body))?["_embedded"]?["versions"]?.arrayValue?.count ?? -1
        }
        #expect(counts[0] == counts[1] && counts[0] >= acknowledged.count, "versions seen through each instance: \(counts), acknowledged \(acknowledged.count)")
        let check = try await PactctlCommandTests.runAsync(["broker", "check", "--database", database])
        #expect(check.status == 0, "\(check.output)\(check.error)")
    }
}

extension Array {
    /// The elements mapped one after another by an async function.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
