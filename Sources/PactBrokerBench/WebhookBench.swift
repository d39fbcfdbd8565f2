import Foundation
import HTTPTypes
import Hummingbird
import PactHTTP

/// What the webhook receiver saw: each delivery's version number, counted, and when the deliveries arrived.
final class Deliveries: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    private var arrivals: [Date] = []

    func record(_ key: String) {
        lock.lock()
        counts[key, default: 0] += 1
        arrivals.append(Date())
        lock.unlock()
    }

    /// Distinct deliveries, repeated ones, and how many arrived before `moment`.
    func summary(before moment: Date) -> (distinct: Int, duplicates: Int, before: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (counts.count, counts.values.reduce(0) { $0 + max($1 - 1, 0) }, arrivals.filter { $0 < moment }.count)
    }
}

/// A shared counter for the publishers' version numbers.
final class Sequence: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}

/// Webhook delivery under publishing load: a receiver in this process whose every twentieth version's deliveries
/// answer after a second; `webhooks` webhooks on `contract_published` aimed at it, so each publish queues that many
/// deliveries (more than one instance can send while 20 clients publish, so the queue grows and its emptying measures
/// what the instance delivers); 20 clients publishing new versions for `seconds`. Reports deliveries per second from
/// the first publish to the last delivery.
func webhookBench(base: String, seconds: Double, webhooks: Int) async -> WebhookFigures {
    let deliveries = Deliveries()
    let router = Router()
    router.post("/hook/:webhook/:number") { _, context -> Response in
        let number = Int(context.parameters.get("number") ?? "") ?? 0
        if number % 20 == 0 { try await Task.sleep(for: .seconds(1)) }
        deliveries.record("\(context.parameters.get("webhook") ?? "")/\(number)")
        return Response(status: .ok)
    }
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let application = Application(router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
                                  onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) })
    let server = Task { try await application.runService(gracefulShutdownSignals: []) }
    defer { server.cancel() }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next(), port > 0 else { fail("the webhook receiver did not start") }

    let client = HTTPClient()
    defer { client.shutdown() }
    let run = String(UUID().uuidString.prefix(8))
    let consumer = "Hooked-\(run)", provider = "Hooks-\(run)"
    _ = try? await client.send(HTTPClientRequest(method: "POST", url: "\(base)/pacticipants", headers: [("Content-Type", "application/json")],
                                                 body: Array(#"{"name":"\#(consumer)"}"#.utf8)))
    for index in 0..<webhooks {
        let hook = #"{"description":"bench \#(index)","consumer":{"name":"\#(consumer)"},"events":[{"name":"contract_published"}],"request":{"method":"POST","url":"http://127.0.0.1:\#(port)/hook/\#(index)/${pactbroker.consumerVersionNumber}","headers":{"Content-Type":"application/json"},"body":{"pact":"${pactbroker.pactUrl}"}}}"#
        guard let created = try? await client.send(HTTPClientRequest(method: "POST", url: "\(base)/webhooks", headers: [("Content-Type", "application/json")],
                                                                     body: Array(hook.utf8))), created.status == 201 else {
            fail("the webhook was not created (start the broker with --webhook-host-allow 127.0.0.1)")
        }
    }

    let sequence = Sequence()
    let started = Date()
    let counts = await publishConcurrently(base: base, seconds: seconds) { _, _ in
        let pact = #"{"consumer":{"name":"\#(consumer)"},"provider":{"name":"\#(provider)"},"interactions":[{"description":"a request","request":{"method":"GET","path":"/items/1"},"response":{"status":200}}],"metadata":{"pactSpecification":{"version":"3.0.0"}}}"#
        return publishBody(consumer: consumer, provider: provider, version: "\(sequence.next())", pact: pact)
    }
    let publishingEnded = Date()
    let publishingSeconds = publishingEnded.timeIntervalSince(started)
    // Wait for the queue to empty: every acknowledged publish delivered, or two minutes without it.
    var drained = false
    while Date().timeIntervalSince(publishingEnded) < 120 {
        if deliveries.summary(before: .distantFuture).distinct >= counts.0 * webhooks { drained = true; break }
        try? await Task.sleep(for: .milliseconds(100))
    }
    let drainSeconds = Date().timeIntervalSince(publishingEnded)
    let total = deliveries.summary(before: .distantFuture)
    let figures = WebhookFigures(webhooks: webhooks, published: counts.0, publishErrors: counts.1, publishingSeconds: publishingSeconds,
                                 deliveredWhilePublishing: deliveries.summary(before: publishingEnded).before, delivered: total.distinct,
                                 drained: drained, drainSeconds: drainSeconds, duplicates: total.duplicates)
    print(String(format: "webhooks ×%d: 20 clients published %d versions in %.1f s (%.0f/s, %d errors), queuing %d deliveries; 5%% of targets take 1 s",
                 webhooks, counts.0, publishingSeconds, Double(counts.0) / publishingSeconds, counts.1, figures.queued))
    print(String(format: "  %d delivered while publishing (%.0f%%); all %@ %.1f s after the last publish; %.0f deliveries/s from the first publish to the last delivery; %d duplicates",
                 figures.deliveredWhilePublishing, figures.keptUp * 100, drained ? "delivered" : "NOT delivered", drainSeconds, figures.rate, total.duplicates))
    _ = try? await client.send(HTTPClientRequest(method: "DELETE", url: "\(base)/pacticipants/\(consumer)"))
    return figures
}

/// What one webhook run measured.
struct WebhookFigures {
    var webhooks: Int
    var published: Int
    var publishErrors: Int
    var publishingSeconds: Double
    var deliveredWhilePublishing: Int
    var delivered: Int
    var drained: Bool
    var drainSeconds: Double
    var duplicates: Int

    var queued: Int { published * webhooks }
    /// The share of the deliveries queued that arrived before publishing ended.
    var keptUp: Double { queued == 0 ? 0 : Double(deliveredWhilePublishing) / Double(queued) }
    /// How far behind the queue is when publishing stops: the deliveries still to make, in seconds of publishing.
    var lagSeconds: Double {
        let perSecond = Double(published) * Double(webhooks) / publishingSeconds
        return perSecond > 0 ? Double(queued - deliveredWhilePublishing) / perSecond : 0
    }
    /// Deliveries per second from the first publish to the last delivery.
    var rate: Double { Double(delivered) / (publishingSeconds + drainSeconds) }
}
