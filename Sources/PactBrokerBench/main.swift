// Broker benchmark driver, run by Scripts/bench/broker (never by the tests).
//   pactctl-broker-bench seed LOCATION            fills an empty database with BrokerSeeding's default shape
//   pactctl-broker-bench load URL PID [SECONDS]   measures can-i-deploy, pacts for verification and publishing
//                                                 against a running broker, and samples the broker's memory
//   pactctl-broker-bench webhooks URL [SECONDS]    measures webhook delivery while publishing (the broker must allow
//                                                 webhooks to 127.0.0.1: --webhook-host-allow 127.0.0.1)
import Foundation
import PactBroker
import PactHTTP

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(2)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let mode = arguments.first else { fail("usage: pactctl-broker-bench seed LOCATION | load URL PID [SECONDS] | webhooks URL [SECONDS]") }

/// Resident memory of a process in MB, from /proc.
func residentMB(_ pid: Int32) -> Double {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kb / 1024
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    let index = min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)
    return sorted[max(index, 0)]
}

struct Latencies {
    var name: String
    var milliseconds: [Double]
    var errors: Int
    var line: String {
        String(format: "%@: %d requests, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, errors %d", name, milliseconds.count,
               percentile(milliseconds, 0.5), percentile(milliseconds, 0.95), percentile(milliseconds, 0.99), errors)
    }
}

@MainActor func measure(_ name: String, count: Int, client: HTTPClient, request: (Int) -> HTTPClientRequest, check: (HTTPClientResponse) -> Bool) async -> Latencies {
    var result = Latencies(name: name, milliseconds: [], errors: 0)
    for index in 0..<(count + 20) {
        let started = ContinuousClock.now
        let response = try? await client.send(request(index))
        let elapsed = ContinuousClock.now - started
        if index < 20 { continue }
        if let response, check(response) {
            result.milliseconds.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
        } else {
            result.errors += 1
        }
    }
    return result
}

switch mode {
case "seed":
    guard arguments.count >= 2 else { fail("seed needs a database location") }
    let location: DatabaseLocation
    do { location = try DatabaseLocation(parsing: arguments[1]) } catch { fail("\(error)") }
    let shape = BrokerSeeding.Shape()
    let started = Date()
    do {
        try await BrokerSeeding.seed(location, shape: shape) { what, done, total in
            if done == total || done % max(total / 10, 1) < max(total / 50, 1) {
                print("  seeded \(done)/\(total) \(what)")
            }
        }
    } catch {
        fail("seeding failed: \(error)")
    }
    print(String(format: "seeded %d pacticipants, %d versions, %d pact publications, %d verification results in %.1f s",
                 shape.pacticipants, shape.versions, shape.publications, shape.verifications, Date().timeIntervalSince(started)))

case "load":
    guard arguments.count >= 3, let pid = Int32(arguments[2]) else { fail("load needs URL PID") }
    let base = arguments[1]
    let seconds = Double(arguments.dropFirst(3).first ?? "") ?? 10
    let shape = BrokerSeeding.Shape()
    let half = shape.pacticipants / 2
    let client = HTTPClient()
    var generator = SystemRandomNumberGenerator()
    let consumers = (0..<200).map { _ in Int.random(in: 0..<half, using: &generator) }
    let versions = (0..<200).map { _ in Int.random(in: (shape.versionsPerPacticipant - 100)..<shape.versionsPerPacticipant, using: &generator) }
    let providers = (0..<200).map { _ in Int.random(in: 0..<half, using: &generator) }
    let memoryAtStart = residentMB(pid)

    func canIDeploy(_ index: Int) -> HTTPClientRequest {
        let consumer = BrokerSeeding.consumerName(consumers[index % consumers.count])
        let version = BrokerSeeding.versionNumber(versions[index % versions.count])
        return HTTPClientRequest(url: "\(base)/matrix?q[][pacticipant]=\(consumer)&q[][version]=\(version)&latestby=cvpv&environment=production",
                                 headers: [("Accept", "application/hal+json")])
    }
    func forVerification(_ index: Int) -> HTTPClientRequest {
        let provider = BrokerSeeding.providerName(providers[index % providers.count])
        let body = #"{"consumerVersionSelectors":[{"mainBranch":true},{"deployedOrReleased":true}],"providerVersionBranch":"main","includePendingStatus":true}"#
        return HTTPClientRequest(method: "POST", url: "\(base)/pacts/provider/\(provider)/for-verification",
                                 headers: [("Content-Type", "application/json"), ("Accept", "application/hal+json")], body: Array(body.utf8))
    }
    let isMatrix: (HTTPClientResponse) -> Bool = { $0.status == 200 && (String(decoding: $0.body, as: UTF8.self).contains("\"deployable\"")) }
    let isPacts: (HTTPClientResponse) -> Bool = { $0.status == 200 && (String(decoding: $0.body, as: UTF8.self).contains("\"shortDescription\"")) }

    let deploy1 = await measure("can-i-deploy", count: 300, client: client, request: canIDeploy, check: isMatrix)
    print(deploy1.line)
    let pacts1 = await measure("pacts for verification", count: 300, client: client, request: forVerification, check: isPacts)
    print(pacts1.line)
    let memoryAfterReads = residentMB(pid)

    // Publishing: 20 clients, each publishing new versions as fast as the broker acknowledges them.
    let started = Date()
    let counts = await publishConcurrently(base: base, seconds: seconds) { worker, sequence in
        let consumer = BrokerSeeding.consumerName(worker % half)
        let provider = BrokerSeeding.providerName(BrokerSeeding.providers(ofConsumer: worker % half, shape: shape)[0])
        let pact = #"{"consumer":{"name":"\#(consumer)"},"provider":{"name":"\#(provider)"},"interactions":[{"description":"published by worker \#(worker), block \#(sequence / 10)","request":{"method":"GET","path":"/items/\#(sequence / 10)"},"response":{"status":200,"body":{"id":\#(sequence / 10)}}}],"metadata":{"pactSpecification":{"version":"3.0.0"}}}"#
        return publishBody(consumer: consumer, provider: provider, version: "9.\(worker).\(sequence)", pact: pact, tags: ["bench"])
    }
    let elapsed = Date().timeIntervalSince(started)
    let rate = Double(counts.0) / elapsed
    print(String(format: "publishing: 20 clients for %.1f s, %d published (%.0f/s), errors %d", elapsed, counts.0, rate, counts.1))
    let memoryAfterPublishes = residentMB(pid)

    // The reads again, on a database that has grown: latency should hold and memory stay flat.
    let deploy2 = await measure("can-i-deploy (again, after publishing)", count: 300, client: client, request: canIDeploy, check: isMatrix)
    print(deploy2.line)
    let pacts2 = await measure("pacts for verification (again)", count: 300, client: client, request: forVerification, check: isPacts)
    print(pacts2.line)
    let memoryAtEnd = residentMB(pid)
    print(String(format: "broker memory (RSS): %.1f MB at start, %.1f MB after reads, %.1f MB after publishing, %.1f MB at the end",
                 memoryAtStart, memoryAfterReads, memoryAfterPublishes, memoryAtEnd))

    let deployP95 = max(percentile(deploy1.milliseconds, 0.95), percentile(deploy2.milliseconds, 0.95))
    let pactsP95 = max(percentile(pacts1.milliseconds, 0.95), percentile(pacts2.milliseconds, 0.95))
    let flat = memoryAtEnd <= memoryAfterPublishes * 1.10 + 5
    var failures: [String] = []
    print("targets:")
    func target(_ ok: Bool, _ text: String) {
        print("  \(ok ? "met " : "MISS") \(text)")
        if !ok { failures.append(text) }
    }
    target(deployP95 <= 25, String(format: "can-i-deploy p95 %.1f ms ≤ 25 ms", deployP95))
    target(pactsP95 <= 50, String(format: "pacts for verification p95 %.1f ms ≤ 50 ms", pactsP95))
    target(rate >= 500 && counts.1 == 0, String(format: "%.0f publishes/s ≥ 500 with 20 clients and 0 errors (%d errors)", rate, counts.1))
    target(deploy1.errors + deploy2.errors + pacts1.errors + pacts2.errors == 0, "no failed reads")
    target(flat, String(format: "memory flat: %.1f MB at the end vs %.1f MB after publishing", memoryAtEnd, memoryAfterPublishes))
    client.shutdown()
    exit(failures.isEmpty ? 0 : 1)

case "webhooks":
    guard arguments.count >= 2 else { fail("webhooks needs the broker's URL") }
    let seconds = Double(arguments.dropFirst(2).first ?? "") ?? 10
    // One webhook: does the queue keep up with publishing? Four: each publish queues more than one instance can
    // send while publishing goes on, so the run measures how many deliveries per second the instance makes.
    let single = await webhookBench(base: arguments[1], seconds: seconds, webhooks: 1)
    let four = await webhookBench(base: arguments[1], seconds: seconds, webhooks: 4)
    var met = true
    print("targets:")
    func target(_ ok: Bool, _ text: String) {
        print("  \(ok ? "met " : "MISS") \(text)")
        met = met && ok
    }
    target(single.lagSeconds < 2 && single.drained && single.drainSeconds < 5,
           String(format: "the queue keeps up with publishing: one webhook's queue is %.1f s of publishing behind when it stops (< 2 s), and empty %.1f s later (< 5 s)",
                  single.lagSeconds, single.drainSeconds))
    target(four.drained && four.rate >= 200, String(format: "%.0f deliveries/s on one instance with 5%% slow targets (≥ 200)", four.rate))
    target(single.duplicates + four.duplicates == 0 && single.publishErrors + four.publishErrors == 0, "no duplicate deliveries, no failed publishes")
    exit(met ? 0 : 1)

default:
    fail("unknown mode \(mode)")
}
