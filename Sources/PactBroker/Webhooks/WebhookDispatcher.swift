import Foundation
import Logging
import PactHTTP
import PactModel

/// Runs queued webhook executions in the background, with retries and backoff, and logs every attempt.
///
/// The queue lives in the database, so executions survive a restart, and several broker instances on one
/// PostgreSQL database share the work: each execution is claimed with a lease before it is sent.
final class WebhookDispatcher: Sendable {
    private let database: BrokerDatabase
    private let client: HTTPClient
    private let retryDelays: [Duration]
    private let logger: Logger
    private let pollInterval: Duration

    init(database: BrokerDatabase, retryDelays: [Duration], timeout: Duration, logger: Logger, pollInterval: Duration = .milliseconds(200)) {
        self.database = database
        self.retryDelays = retryDelays
        self.logger = logger
        self.pollInterval = pollInterval
        client = HTTPClient(configuration: HTTPClientConfiguration(requestTimeout: timeout, connectTimeout: min(timeout, .seconds(5))))
    }

    /// Works through the queue until the task is cancelled.
    func run() async {
        while !Task.isCancelled {
            do {
                try await runDue()
            } catch {
                logger.warning("webhook queue: \(BrokerDatabase.describe(error))")
            }
            try? await Task.sleep(for: pollInterval)
        }
        client.shutdown()
    }

    private func runDue() async throws {
        let now = Clock.nowMillis()
        let due = try await database.read { db in try await WebhookStore(db).due(now: now, limit: 16) }
        guard !due.isEmpty else { return }
        await withTaskGroup(of: Void.self) { group in
            for item in due {
                group.addTask { [self] in
                    do { try await self.attempt(item) } catch { self.logger.warning("webhook \(item.uuid): \(BrokerDatabase.describe(error))") }
                }
            }
        }
    }

    private func attempt(_ item: WebhookStore.Triggered) async throws {
        let claimed = try await database.write { db -> (Int64, WebhookStore.Row?)? in
            let store = WebhookStore(db)
            guard let attempt = try await store.claim(id: item.id, now: Clock.nowMillis(), leaseMillis: 120_000) else { return nil }
            return (attempt, try await store.webhookRow(id: item.webhookId))
        }
        guard let (attempt, row) = claimed else { return }
        let context = WebhookContext(json: (try? JSONParser.parse(item.context)) ?? .null)
        let outcome: WebhookOutcome
        if let webhook = row?.webhook() {
            outcome = await WebhookDispatcher.execute(webhook.request, context: context, client: client)
        } else {
            outcome = WebhookOutcome(success: false, statusCode: nil, log: "the webhook's stored request could not be read", request: .null, response: .null)
        }
        if Task.isCancelled && !outcome.success {
            // The broker is stopping: hand the execution back untouched for this or another instance to send.
            try await database.write { db in try await WebhookStore(db).release(id: item.id) }
            return
        }
        let retryAt: Int64? = outcome.success || Int(attempt) > retryDelays.count ? nil
            : Clock.nowMillis() + Int64(retryDelays[Int(attempt) - 1].components.seconds * 1000 + retryDelays[Int(attempt) - 1].components.attoseconds / 1_000_000_000_000_000)
        try await database.write { db in
            try await WebhookStore(db).finish(id: item.id, attempt: attempt, success: outcome.success, statusCode: outcome.statusCode, log: outcome.log, retryAt: retryAt)
        }
        if !outcome.success {
            logger.notice("webhook \(row?.uuid ?? "?") (\(item.event)) attempt \(attempt) failed\(retryAt == nil ? "; no retries left" : "; will retry")")
        }
    }

    /// Sends the rendered request; a 2xx answer is success. Secrets never enter the log.
    static func execute(_ request: WebhookRequest, context: WebhookContext, client: HTTPClient) async -> WebhookOutcome {
        let url = context.render(request.url)
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
        var log = "\(request.method) \(url)\n"
        for header in headers { log += "\(header.name): \(WebhookRequest.isSecret(header.name) ? "**********" : header.value)\n" }
        if let body { log += "\n" + String(decoding: body.prefix(4096), as: UTF8.self) + "\n" }
        let shownRequest: JSONValue = [
            "method": .string(request.method), "url": .string(url),
            "headers": .object(JSONObject(headers.map { ($0.name, JSONValue.string(WebhookRequest.isSecret($0.name) ? "**********" : $0.value)) })),
            "body": body.map { .string(String(decoding: $0.prefix(4096), as: UTF8.self)) } ?? .null,
        ]
        do {
            let response = try await client.send(HTTPClientRequest(method: request.method, url: url, headers: headers, body: body))
            let text = String(decoding: response.body.prefix(4096), as: UTF8.self)
            log += "\n-> \(response.status)\n\(text)\n"
            let success = (200..<300).contains(response.status)
            return WebhookOutcome(success: success, statusCode: response.status, log: log, request: shownRequest,
                                  response: ["status": .number(JSONNumber(response.status)), "body": .string(text)])
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
}
