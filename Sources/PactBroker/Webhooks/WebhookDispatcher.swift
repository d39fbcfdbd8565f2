import Foundation
import Logging
import NIOConcurrencyHelpers
import PactHTTP
import PactModel

/// Runs queued webhook executions in the background, with retries and backoff, and logs every attempt.
///
/// The queue lives in the database, so executions survive a restart, and several broker instances on one
/// PostgreSQL database share the work. Executions are claimed in batches with a lease (`FOR UPDATE SKIP LOCKED`
/// on PostgreSQL, so instances never wait for each other's claims), and up to `maxInFlight` are sent at once:
/// a slow target holds only its own slot, and a free slot is filled as soon as it frees.
///
/// Delivery is at least once. An instance that dies while sending leaves its lease to run out (the request
/// timeout plus 10 seconds), after which any instance sends again; every attempt carries the execution's
/// `Idempotency-Key` so that a receiver can tell a repeat.
final class WebhookDispatcher: Sendable {
    private let database: BrokerDatabase
    private let sender: WebhookSender
    private let retryDelays: [Duration]
    private let logger: Logger
    private let pollInterval: Duration
    private let maxInFlight: Int
    private let leaseMillis: Int64
    private let results: WebhookResults

    init(database: BrokerDatabase, sender: WebhookSender, retryDelays: [Duration], logger: Logger, pollInterval: Duration = .milliseconds(200),
         maxInFlight: Int = 64) {
        self.database = database
        self.sender = sender
        self.retryDelays = retryDelays
        self.logger = logger
        self.pollInterval = pollInterval
        self.maxInFlight = max(maxInFlight, 1)
        leaseMillis = WebhookDispatcher.millis(sender.timeout) + 10_000
        results = WebhookResults(database: database, logger: logger)
    }

    /// Works through the queue until the task is cancelled.
    ///
    /// Each delivery frees its slot itself when it ends and wakes the loop, which claims as many executions as there
    /// are free slots at once; a ticker wakes it every `pollInterval` to look for new or retried work. (Counting
    /// slots free only as the loop collected finished deliveries one by one made every claim wait for the one
    /// before it, which under publishing load let through one delivery in several hundred milliseconds.)
    ///
    /// Cancelling stops the claiming; deliveries already sent are let finish (each is bounded by the webhook
    /// timeout) and their results written, so stopping an instance never makes a target see a request twice.
    func run() async {
        let stopping = NIOLockedValueBox(false)
        let (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        // The work runs in a task of its own, which the caller's cancellation does not reach: it sets `stopping`.
        let work = Task { await self.work(stopping: stopping, wakeups: wakeups, wake: wake) }
        await withTaskCancellationHandler {
            await work.value
        } onCancel: {
            stopping.withLockedValue { $0 = true }
            wake.yield()
        }
        sender.shutdown()
    }

    private func work(stopping: NIOLockedValueBox<Bool>, wakeups: AsyncStream<Void>, wake: AsyncStream<Void>.Continuation) async {
        let inFlight = NIOLockedValueBox(0)
        await withDiscardingTaskGroup { group in
            group.addTask { [pollInterval] in
                while !stopping.withLockedValue({ $0 }) {
                    try? await Task.sleep(for: pollInterval)
                    wake.yield()
                }
            }
            var iterator = wakeups.makeAsyncIterator()
            while !stopping.withLockedValue({ $0 }) {
                let free = maxInFlight - inFlight.withLockedValue { $0 }
                if free > 0 {
                    let wanted = min(free, 32)
                    let claimed: [Claimed]
                    do {
                        claimed = try await claim(limit: wanted)
                    } catch {
                        logger.warning("webhook queue: \(BrokerDatabase.describe(error))")
                        claimed = []
                    }
                    inFlight.withLockedValue { $0 += claimed.count }
                    for item in claimed {
                        group.addTask { [self] in
                            do { try await self.deliver(item) } catch { self.logger.warning("webhook \(item.execution.uuid): \(BrokerDatabase.describe(error))") }
                            inFlight.withLockedValue { $0 -= 1 }
                            wake.yield()
                        }
                    }
                    // A full batch: more may be due now.
                    if claimed.count == wanted { continue }
                }
                // Wait for a delivery to end (a free slot) or for the next look at the queue.
                guard await iterator.next() != nil else { break }
            }
            // The group now waits for the deliveries under way; nothing new is claimed.
        }
        wake.finish()
    }

    /// A claimed execution with its webhook and the number of this attempt.
    struct Claimed: Sendable {
        var execution: WebhookStore.Triggered
        var webhook: WebhookStore.Row?
    }

    private func claim(limit: Int) async throws -> [Claimed] {
        let lease = leaseMillis
        // A look without a transaction first: an idle queue costs one indexed read per poll, not a write.
        let now = Clock.nowMillis()
        guard try await database.session({ db in try await WebhookStore(db).anyDue(now: now) }) else { return [] }
        return try await database.write { db -> [Claimed] in
            let store = WebhookStore(db)
            let executions = try await store.claimDue(now: Clock.nowMillis(), limit: limit, leaseMillis: lease)
            guard !executions.isEmpty else { return [] }
            let webhooks = try await store.webhookRows(ids: executions.map(\.webhookId))
            return executions.map { Claimed(execution: $0, webhook: webhooks[$0.webhookId]) }
        }
    }

    private func deliver(_ item: Claimed) async throws {
        let execution = item.execution
        let attempt = execution.attempts
        let context = WebhookContext(json: (try? JSONParser.parse(execution.context)) ?? .null)
        let outcome: WebhookOutcome
        if let webhook = item.webhook?.webhook() {
            var request = webhook.request
            if !request.headers.contains(where: { $0.name.lowercased() == "idempotency-key" }) {
                request.headers.append((name: "Idempotency-Key", value: execution.uuid))
            }
            outcome = await sender.send(request, context: context)
        } else {
            outcome = WebhookOutcome(success: false, statusCode: nil, log: "the webhook's stored request could not be read", request: .null, response: .null)
        }
        let retryAt: Int64? = outcome.success || Int(attempt) > retryDelays.count || attempt < 1 ? nil
            : Clock.nowMillis() + WebhookDispatcher.millis(retryDelays[Int(attempt) - 1])
        try await results.write(WebhookResults.Result(id: execution.id, attempt: attempt, success: outcome.success, statusCode: outcome.statusCode,
                                                      log: outcome.log, retryAt: retryAt))
        if !outcome.success {
            logger.notice("webhook \(item.webhook?.uuid ?? "?") (\(execution.event)) attempt \(attempt) failed\(retryAt == nil ? "; no retries left" : "; will retry")")
        }
    }

    static func millis(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        return overflow ? Int64.max / 4 : scaled + attoseconds / 1_000_000_000_000_000
    }
}

/// Sends webhook requests within the broker's `WebhookPolicy`: hosts listed by name may be reached at any address,
/// others only at public ones, checked on each address when the connection opens.
final class WebhookSender: Sendable {
    let policy: WebhookPolicy
    let timeout: Duration
    private let restricted: HTTPClient
    private let listed: HTTPClient

    init(policy: WebhookPolicy, timeout: Duration) {
        self.policy = policy
        self.timeout = timeout
        var configuration = HTTPClientConfiguration(requestTimeout: timeout, connectTimeout: min(timeout, .seconds(5)))
        listed = HTTPClient(configuration: configuration)
        configuration.allowsConnection = { [policy] address in policy.allows(address) }
        restricted = HTTPClient(configuration: configuration)
    }

    func shutdown() {
        restricted.shutdown()
        listed.shutdown()
    }

    /// Sends the rendered request; a 2xx answer is success. Secrets never enter the log.
    func send(_ request: WebhookRequest, context: WebhookContext) async -> WebhookOutcome {
        // Parameters in the URL are percent-encoded, so a value cannot change the path, query or target.
        let url = context.render(request.url, encoding: .urlComponent)
        var headers = request.headers.map { (name: $0.name, value: context.render($0.value)) }
        if let username = request.username {
            let credentials = Data("\(username):\(request.password ?? "")".utf8).base64EncodedString()
            headers.append(("Authorization", "Basic \(credentials)"))
        }
        var body: [UInt8]?
        switch request.body {
        case .string(let text)?: body = Array(context.render(text).utf8)
        case let value?: body = JSONWriter.bytes(context.render(value), style: .compact)
        case nil: body = nil
        }
        if body != nil && !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            headers.append(("Content-Type", "application/json"))
        }
        var log = "\(request.method) \(WebhookRequest.maskedURL(url))\n"
        for header in headers { log += "\(header.name): \(WebhookRequest.isSecret(header.name) ? "**********" : header.value)\n" }
        if let body { log += "\n" + String(decoding: body.prefix(4096), as: UTF8.self) + "\n" }
        let shownRequest: JSONValue = [
            "method": .string(request.method), "url": .string(WebhookRequest.maskedURL(url)),
            "headers": .object(JSONObject(headers.map { ($0.name, JSONValue.string(WebhookRequest.isSecret($0.name) ? "**********" : $0.value)) })),
            "body": body.map { .string(String(decoding: $0.prefix(4096), as: UTF8.self)) } ?? .null,
        ]
        if let refusal = policy.refusal(for: url) {
            log += "\n-> not sent: \(refusal)\n"
            return WebhookOutcome(success: false, statusCode: nil, log: log, request: shownRequest, response: ["error": .string(refusal)])
        }
        let client = WebhookPolicy.schemeAndHost(url).map { policy.allowsByName($0.host) } == true ? listed : restricted
        do {
            let response = try await client.send(HTTPClientRequest(method: request.method, url: url, headers: headers, body: body))
            let text = String(decoding: response.body.prefix(4096), as: UTF8.self)
            // The execution log is readable by read-only users, so it keeps the status and the body's size, not the
            // body: a target's answer may hold what only the target should tell. Whoever runs the webhook by hand
            // (POST …/execute, which needs write access) sees the body in that answer.
            log += "\n-> \(response.status) (\(response.body.count) bytes of body, not kept in this log)\n"
            let success = (200..<300).contains(response.status)
            return WebhookOutcome(success: success, statusCode: response.status, log: log, request: shownRequest,
                                  response: ["status": .number(JSONNumber(response.status)), "body": .string(text)], responseText: text)
        } catch {
            log += "\n-> error: \(error)\n"
            return WebhookOutcome(success: false, statusCode: nil, log: log, request: shownRequest, response: ["error": .string("\(error)")])
        }
    }
}

/// What one webhook attempt did.
struct WebhookOutcome: Sendable {
    var success: Bool
    var statusCode: Int?
    var log: String
    var request: JSONValue
    var response: JSONValue
    /// The start of the target's answer, shown only to the caller of `POST /webhooks/{uuid}/execute`.
    var responseText: String? = nil
}
