import Foundation
import NIOConcurrencyHelpers
import PactModel

/// An HTTP API through which tests in any language create, verify and remove mock servers and write their pacts.
///
/// Routes (JSON in and out):
/// - `GET /mockservers` lists the running servers.
/// - `POST /mockservers[?port=N]` creates one from a pact document (any spec version) or `{consumer, provider, interactions}`.
/// - `GET /mockservers/{id}` describes one, with its report so far.
/// - `POST /mockservers/{id}/verify` answers 200 when every interaction was requested and every request matched, else 422.
/// - `POST /mockservers/{id}/pact[?dir=PATH]` writes (merges) the pact file after a successful verification.
/// - `DELETE /mockservers/{id}` stops and removes one and returns its final report.
/// - `GET`, `PUT` and `DELETE /mockservers/{id}/simulation` read, replace and clear its latency and faults
///   (`{"seed": 42, "rules": [{"path": "/a/**", "delay": "lognormal:150,0.4", "fault": "status:503:1@5%"}]}`).
/// - `GET`, `PUT` and `DELETE /mockservers/{id}/scenarios` read, load (a scenario document) and remove its scenarios;
///   `POST …/scenarios/reset` puts them back at their start; `PUT …/scenarios/{name}/state` sets one (`{"state": "S"}`).
/// - `GET` and `DELETE /mockservers/{id}/requests` list and clear its journal; `POST …/requests/count` and
///   `POST …/requests/find` take a WireMock-style request pattern (`{"method": "POST", "urlPath": "/a"}`).
/// - `PUT` and `DELETE /mockservers/{id}/provider-states` set (`{"states": […]}`) and clear the active provider states.
/// - `POST /recordings` starts a recording proxy (`{"target", "consumer", "provider", "matchers"?, "port"?}`);
///   `GET /recordings[/{id}]` shows what it recorded, `POST /recordings/{id}/pact[?dir=PATH]` writes it, and
///   `DELETE /recordings/{id}` stops it and returns the pact.
/// - `POST /openapi-mocks[?port=N]` with an OpenAPI document starts a mock of it (when the control server was given a
///   factory); `GET /openapi-mocks` lists them and `DELETE /openapi-mocks/{id}` stops one.
/// - `GET /health` answers `{"status": "ok"}`.
///
/// What a web page could use against a test machine is refused: a body must be JSON (`application/json` or a
/// `+json` type; 415 otherwise, so no cross-site form or `text/plain` request is accepted), a request whose
/// `Origin` is not a loopback address or the API's own host gets 403 (a page's requests, rebound DNS included),
/// pacts are written only inside the output folder (`dir` names a folder in it), and the number of servers it
/// starts is capped (503 beyond it).
/// A server the control API starts from a document other than a pact, such as an OpenAPI document.
public protocol DocumentServer: Sendable {
    /// Its base URL.
    var url: URL { get }
    /// Stops it.
    func stop() async
}

/// Starts a `DocumentServer` from a document's text with the given settings, or throws an error whose description
/// says what is wrong with the document.
public typealias DocumentServerFactory = @Sendable (_ text: String, _ configuration: MockServerConfiguration) async throws -> any DocumentServer

public final class ControlServer: Sendable {
    private struct Entry: Sendable {
        var id: String
        var server: MockServer
    }

    private let servers = NIOLockedValueBox<[String: Entry]>([:])
    private let recordings = NIOLockedValueBox<[String: RecordingProxy]>([:])
    private let documentServers = NIOLockedValueBox<[String: any DocumentServer]>([:])
    private let openAPIFactory: DocumentServerFactory?
    private let counter = NIOLockedValueBox(0)
    private let running = NIOLockedValueBox<HTTPServer?>(nil)
    private let defaults: MockServerConfiguration
    let outputDirectory: URL
    let maxServers: Int
    let ownHost = NIOLockedValueBox("127.0.0.1")
    /// Mock servers, recording proxies and OpenAPI mocks running or being started: at most `maxServers`.
    let slotsInUse = NIOLockedValueBox(0)

    /// Creates a control server; new mock servers use `defaults`, and pacts are written in `outputDirectory` (or a
    /// folder inside it that a request names with `dir`). It runs at most `maxServers` mock servers, recording
    /// proxies and OpenAPI mocks at once. With `openAPIFactory`, `POST /openapi-mocks` starts mocks from OpenAPI
    /// documents too.
    public init(defaults: MockServerConfiguration = MockServerConfiguration(), outputDirectory: URL = PactFileWriter.defaultDirectory(),
                maxServers: Int = 100, openAPIFactory: DocumentServerFactory? = nil) {
        self.defaults = defaults
        self.outputDirectory = outputDirectory
        self.maxServers = max(1, maxServers)
        self.openAPIFactory = openAPIFactory
    }

    /// Puts a mock server started elsewhere (such as `pactctl mock --pact`) under the control API and returns its id.
    @discardableResult
    public func adopt(_ server: MockServer) -> String {
        let id = counter.withLockedValue { value -> String in
            value += 1
            return "ms\(value)"
        }
        servers.withLockedValue { $0[id] = Entry(id: id, server: server) }
        slotsInUse.withLockedValue { $0 += 1 }
        return id
    }

    /// Starts the control API and returns its port.
    public func start(host: String, port: Int) async throws(MockServerError) -> Int {
        let limits = HTTPLimits(maxBodyBytes: 64 << 20, maxHeaderBytes: 64 * 1024, idleTimeout: .seconds(300))
        let server = try await HTTPServer.start(host: host, port: port, limits: limits, responder: .deferred { [self] request in
            await handle(request)
        })
        running.withLockedValue { $0 = server }
        ownHost.withLockedValue { $0 = host }
        return server.port
    }

    /// Stops the control API and every mock server it started.
    public func stop() async {
        let all = servers.withLockedValue { entries -> [Entry] in
            defer { entries = [:] }
            return Array(entries.values)
        }
        for entry in all { await entry.server.stop() }
        let proxies = recordings.withLockedValue { entries -> [RecordingProxy] in
            defer { entries = [:] }
            return Array(entries.values)
        }
        for proxy in proxies { await proxy.stop() }
        let documents = documentServers.withLockedValue { entries -> [any DocumentServer] in
            defer { entries = [:] }
            return Array(entries.values)
        }
        for document in documents { await document.stop() }
        slotsInUse.withLockedValue { $0 = 0 }
        let server = running.withLockedValue { value -> HTTPServer? in
            defer { value = nil }
            return value
        }
        await server?.stop()
    }

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        if let refusal = refusal(of: request) { return refusal }
        let parts = request.path.split(separator: "/").map(String.init)
        switch (request.method, parts.count) {
        case ("GET", 1) where parts[0] == "health":
            return Self.json(200, ["status": "ok"])
        case ("GET", 1) where parts[0] == "mockservers":
            let list = servers.withLockedValue { $0.values.sorted { $0.id < $1.id } }
            return Self.json(200, ["mockServers": .array(list.map(describe))])
        case ("POST", 1) where parts[0] == "mockservers":
            return await create(request)
        case (_, 1...) where parts[0] == "recordings":
            return await recording(request, parts: parts)
        case (_, 1...) where parts[0] == "openapi-mocks":
            return await openAPIMock(request, parts: parts)
        case (_, 2...) where parts[0] == "mockservers":
            guard let entry = servers.withLockedValue({ $0[parts[1]] }) else {
                return Self.error(404, "there is no mock server '\(parts[1])'; GET /mockservers lists them")
            }
            if parts.count > 2, parts[2] == "requests" {
                return requests(entry, method: request.method, path: Array(parts[2...]), request: request)
            }
            if parts.count > 2, ["scenarios", "provider-states"].contains(parts[2]) {
                return routing(entry, method: request.method, path: Array(parts[2...]), request: request)
            }
            return await act(on: entry, method: request.method, action: parts.count > 2 ? parts[2] : nil, request: request)
        default:
            return Self.error(404, "unknown route \(request.method) \(request.path); see the README for the control API")
        }
    }

    private func create(_ request: HTTPRequest) async -> HTTPResponse {
        guard request.body.hasContent else {
            return Self.error(400, "send a pact document (or {consumer, provider, interactions}) as the JSON body")
        }
        var document: JSONValue
        if let parsed = request.body.json {
            document = parsed
        } else {
            do { document = try JSONParser.parse(request.body.bytes) } catch {
                return Self.error(400, "the request body is not valid JSON: \(error.description)")
            }
        }
        if case .object(var object) = document, object["metadata"] == nil {
            // A bare list of interactions is read as V4 when it uses V4 types, V3 otherwise.
            let isV4 = object["interactions"]?.arrayValue?.contains { $0["type"] != nil } ?? false
            object["metadata"] = ["pactSpecification": ["version": .string(isV4 ? "4.0" : "3.0.0")]]
            document = .object(object)
        }
        let pact: Pact
        do { pact = try PactReader().read(document, source: "request body").pact } catch {
            return Self.error(400, error.description)
        }
        var configuration = defaults
        if let portText = request.query["port"]?.first ?? nil {
            guard let port = Int(portText), (0...65535).contains(port) else { return Self.error(400, "'\(portText)' is not a port number") }
            configuration.port = port
        }
        guard reserveSlot() else { return capacityRefusal }
        let server = MockServer(pact: pact, configuration: configuration)
        do { try await server.start() } catch {
            releaseSlot()
            return Self.error(409, error.description)
        }
        let id = counter.withLockedValue { value -> String in
            value += 1
            return "ms\(value)"
        }
        let entry = Entry(id: id, server: server)
        servers.withLockedValue { $0[id] = entry }
        return Self.json(201, describe(entry))
    }

    private func act(on entry: Entry, method: String, action: String?, request: HTTPRequest) async -> HTTPResponse {
        switch (method, action) {
        case ("GET", nil):
            var description = describe(entry)
            if case .object(var object) = description {
                object["report"] = entry.server.report().json
                description = .object(object)
            }
            return Self.json(200, description)
        case ("POST", "verify"?):
            let report = entry.server.report()
            return Self.json(report.isOK ? 200 : 422, report.json)
        case ("POST", "pact"?):
            let report = entry.server.report()
            guard report.isOK else {
                return Self.json(409, ["error": .string("the pact is not written because the test did not match: \(report.description)"), "report": report.json])
            }
            let directory: URL
            switch outputFolder(request) {
            case .success(let folder): directory = folder
            case .failure(let refusal): return refusal.response
            }
            do {
                let file = try PactFileWriter(directory: directory).write(entry.server.pact)
                return Self.json(201, ["path": .string(file.path)])
            } catch {
                return Self.error(500, error.description)
            }
        case ("GET", "simulation"?):
            return Self.json(200, entry.server.simulation?.json ?? ["rules": []])
        case ("PUT", "simulation"?), ("POST", "simulation"?):
            guard let document = request.body.json ?? (try? JSONParser.parse(request.body.bytes)) else {
                return Self.error(400, "send the simulation as JSON: {\"seed\": 42, \"rules\": [{\"delay\": \"fixed:100\"}]}")
            }
            do {
                let simulation = try Simulation(json: document)
                entry.server.simulation = simulation
                return Self.json(200, simulation.json)
            } catch {
                return Self.error(400, error.description)
            }
        case ("DELETE", "simulation"?):
            entry.server.simulation = nil
            return Self.json(200, ["rules": []])
        case ("DELETE", nil):
            guard servers.withLockedValue({ $0.removeValue(forKey: entry.id) }) != nil else {
                return Self.error(404, "mock server '\(entry.id)' was removed meanwhile")
            }
            releaseSlot()
            let report = entry.server.report()
            await entry.server.stop()
            return Self.json(200, ["id": .string(entry.id), "report": report.json])
        default:
            return Self.error(405, "\(method) \(action.map { "…/" + $0 } ?? "") is not supported; use GET, POST …/verify, POST …/pact, GET/PUT/DELETE …/simulation or DELETE")
        }
    }

    /// Mocks served from OpenAPI documents: start one from the document's text (YAML or JSON), list, stop.
    private func openAPIMock(_ request: HTTPRequest, parts: [String]) async -> HTTPResponse {
        guard let openAPIFactory else { return Self.error(404, "this control API does not serve OpenAPI mocks") }
        switch (request.method, parts.count) {
        case ("GET", 1):
            let list = documentServers.withLockedValue { $0.sorted { $0.key < $1.key } }
            return Self.json(200, ["openapiMocks": .array(list.map { ["id": .string($0.key), "url": .string($0.value.url.absoluteString)] })])
        case ("POST", 1):
            guard request.body.hasContent, let text = String(bytes: request.body.bytes, encoding: .utf8) else {
                return Self.error(400, "send the OpenAPI document (YAML or JSON) as the body")
            }
            var configuration = defaults
            if let portText = request.query["port"]?.first ?? nil {
                guard let port = Int(portText), (0...65535).contains(port) else { return Self.error(400, "'\(portText)' is not a port number") }
                configuration.port = port
            }
            guard reserveSlot() else { return capacityRefusal }
            let server: any DocumentServer
            do { server = try await openAPIFactory(text, configuration) } catch {
                releaseSlot()
                return Self.error(400, "\(error)")
            }
            let id = counter.withLockedValue { value -> String in
                value += 1
                return "oa\(value)"
            }
            documentServers.withLockedValue { $0[id] = server }
            return Self.json(201, ["id": .string(id), "url": .string(server.url.absoluteString)])
        case ("DELETE", 2):
            guard let server = documentServers.withLockedValue({ $0.removeValue(forKey: parts[1]) }) else {
                return Self.error(404, "there is no OpenAPI mock '\(parts[1])'")
            }
            releaseSlot()
            await server.stop()
            return Self.json(200, ["id": .string(parts[1])])
        default:
            return Self.error(405, "use GET or POST /openapi-mocks, or DELETE /openapi-mocks/{id}")
        }
    }

    /// Recording proxies: start one, read or write what it recorded, stop it.
    private func recording(_ request: HTTPRequest, parts: [String]) async -> HTTPResponse {
        if parts.count == 1 {
            switch request.method {
            case "GET":
                let list = recordings.withLockedValue { $0.sorted { $0.key < $1.key } }
                return Self.json(200, ["recordings": .array(list.map { ["id": .string($0.key), "target": .string($0.value.target),
                                                                        "interactions": .number(JSONNumber($0.value.interactionCount))] })])
            case "POST":
                guard let body = request.body.json ?? (try? JSONParser.parse(request.body.bytes)),
                      let target = body["target"]?.stringValue, let consumer = body["consumer"]?.stringValue, let provider = body["provider"]?.stringValue else {
                    return Self.error(400, "send {\"target\": \"http://localhost:8080\", \"consumer\": \"C\", \"provider\": \"P\"} (and optionally \"matchers\": true, \"port\": N)")
                }
                guard reserveSlot() else { return capacityRefusal }
                var configuration = defaults
                configuration.port = body["port"].flatMap { if case .number(let n) = $0 { return n.intValue } else { return nil } } ?? 0
                let proxy: RecordingProxy
                do {
                    proxy = try RecordingProxy(target: target, consumer: consumer, provider: provider,
                                               suggestMatchers: body["matchers"]?.boolValue ?? false, configuration: configuration)
                } catch {
                    releaseSlot()
                    return Self.error(400, error.description)
                }
                let url: URL
                do { url = try await proxy.start() } catch {
                    releaseSlot()
                    return Self.error(409, error.description)
                }
                let id = counter.withLockedValue { value -> String in
                    value += 1
                    return "rec\(value)"
                }
                recordings.withLockedValue { $0[id] = proxy }
                return Self.json(201, ["id": .string(id), "url": .string(url.absoluteString), "target": .string(proxy.target)])
            default:
                return Self.error(405, "use GET or POST /recordings")
            }
        }
        guard let proxy = recordings.withLockedValue({ $0[parts[1]] }) else {
            return Self.error(404, "there is no recording '\(parts[1])'; GET /recordings lists them")
        }
        let document = (try? PactWriter().document(for: proxy.pact, as: .v4).json) ?? .null
        switch (request.method, parts.count > 2 ? parts[2] : nil) {
        case ("GET", nil):
            return Self.json(200, ["id": .string(parts[1]), "interactions": .number(JSONNumber(proxy.interactionCount)), "pact": document])
        case ("POST", "pact"?):
            guard proxy.interactionCount > 0 else { return Self.error(409, "nothing has been recorded yet") }
            let directory: URL
            switch outputFolder(request) {
            case .success(let folder): directory = folder
            case .failure(let refusal): return refusal.response
            }
            do {
                let file = try PactFileWriter(directory: directory).write(proxy.pact)
                return Self.json(201, ["path": .string(file.path)])
            } catch {
                return Self.error(500, error.description)
            }
        case ("DELETE", nil):
            guard recordings.withLockedValue({ $0.removeValue(forKey: parts[1]) }) != nil else {
                return Self.error(404, "recording '\(parts[1])' was removed meanwhile")
            }
            releaseSlot()
            await proxy.stop()
            return Self.json(200, ["id": .string(parts[1]), "pact": document])
        default:
            return Self.error(405, "use GET or DELETE /recordings/{id}, or POST /recordings/{id}/pact")
        }
    }

    /// The journal of one mock server: list, count and find by a WireMock-style request pattern, or clear it.
    private func requests(_ entry: Entry, method: String, path: [String], request: HTTPRequest) -> HTTPResponse {
        let journal = entry.server.journal
        let interactions = entry.server.pact.httpInteractions
        switch (method, path.count > 1 ? path[1] : nil) {
        case ("GET", nil):
            return Self.json(200, ["requests": .array(journal.recentEntries.map { Self.describe($0, interactions) }),
                                   "total": .number(JSONNumber(journal.totalRequests))])
        case ("DELETE", nil):
            journal.reset()
            return Self.json(200, ["total": 0])
        case ("POST", "count"?), ("POST", "find"?):
            let document: JSONValue
            if request.body.hasContent {
                guard let parsed = request.body.json ?? (try? JSONParser.parse(request.body.bytes)) else {
                    return Self.error(400, "the request pattern is not valid JSON")
                }
                document = parsed
            } else {
                document = [:]
            }
            let pattern: RequestPattern
            do { pattern = try RequestPattern(json: document) } catch { return Self.error(400, error.description) }
            let found = journal.entries(matching: pattern)
            let complete = journal.totalRequests <= journal.recentEntries.count
            if path[1] == "count" {
                return Self.json(200, ["count": .number(JSONNumber(found.count)), "complete": .bool(complete),
                                       "total": .number(JSONNumber(journal.totalRequests))])
            }
            return Self.json(200, ["requests": .array(found.map { Self.describe($0, interactions) }), "complete": .bool(complete)])
        default:
            return Self.error(405, "\(method) …/\(path.joined(separator: "/")) is not supported; use GET or DELETE …/requests, POST …/requests/count or …/requests/find")
        }
    }

    static func describe(_ entry: JournalEntry, _ interactions: [HTTPInteraction]) -> JSONValue {
        let request = entry.request
        var headers = JSONObject()
        for header in request.headers { headers[header.name] = .string(header.values.joined(separator: ", ")) }
        var object: JSONObject = ["method": .string(request.method), "path": .string(request.path), "headers": .object(headers)]
        if let raw = request.rawQuery { object["query"] = .string(raw) }
        if request.body.hasContent { object["body"] = .string(request.body.text ?? "(\(request.body.bytes.count) bytes of binary)") }
        switch entry.outcome {
        case .matched(let index): object["matched"] = .string(index < interactions.count ? interactions[index].description : "?")
        case .mismatched(let index, _): object["mismatched"] = .string(index < interactions.count ? interactions[index].description : "?")
        case .unexpected: object["unexpected"] = true
        case .preflight: object["preflight"] = true
        }
        if let simulated = entry.simulated {
            let rounded = (simulated.addedDelayMilliseconds * 1000).rounded() / 1000
            let delay = rounded == rounded.rounded() && rounded < 1e15 ? JSONNumber(Int(rounded)) : JSONNumber(rounded)
            var delivery: JSONObject = ["addedDelayMs": .number(delay)]
            if let chunks = simulated.chunks { delivery["chunks"] = .number(JSONNumber(chunks)) }
            if let fault = simulated.fault { delivery["fault"] = .string(fault.description) }
            object["simulated"] = .object(delivery)
        }
        return .object(object)
    }

    /// Scenarios and provider states of one mock server.
    private func routing(_ entry: Entry, method: String, path: [String], request: HTTPRequest) -> HTTPResponse {
        let server = entry.server
        let body = request.body.hasContent ? (request.body.json ?? (try? JSONParser.parse(request.body.bytes))) : nil
        if request.body.hasContent && body == nil { return Self.error(400, "the request body is not valid JSON") }
        switch (method, path.count, path.first ?? "") {
        case ("GET", 1, "scenarios"), ("GET", 1, "provider-states"):
            return Self.json(200, server.scenariosJSON)
        case ("PUT", 1, "scenarios"), ("POST", 1, "scenarios"):
            guard let body else { return Self.error(400, "send a scenario document: {\"scenarios\": [{\"name\": …, \"steps\": […]}]}") }
            do {
                try server.loadScenarios(try ScenarioSet(json: body))
            } catch {
                return Self.error(400, error.description)
            }
            return Self.json(200, server.scenariosJSON)
        case ("DELETE", 1, "scenarios"):
            try? server.loadScenarios(nil)
            return Self.json(200, server.scenariosJSON)
        case ("POST", 2, "scenarios") where path[1] == "reset":
            server.resetScenarios()
            return Self.json(200, server.scenariosJSON)
        case ("PUT", 3, "scenarios") where path[2] == "state":
            guard let state = body?["state"]?.stringValue else { return Self.error(400, "send {\"state\": \"NAME\"}") }
            guard server.setScenarioState(state, of: path[1]) else {
                return Self.error(404, "there is no scenario '\(path[1])'; GET …/scenarios lists them")
            }
            return Self.json(200, server.scenariosJSON)
        case ("PUT", 1, "provider-states"), ("POST", 1, "provider-states"):
            guard let states = body?["states"]?.arrayValue?.compactMap(\.stringValue) ?? body?.arrayValue?.compactMap(\.stringValue) else {
                return Self.error(400, "send {\"states\": [\"account ACC001 exists\", …]}")
            }
            server.activeProviderStates = Set(states)
            return Self.json(200, server.scenariosJSON)
        case ("DELETE", 1, "provider-states"):
            server.activeProviderStates = nil
            return Self.json(200, server.scenariosJSON)
        default:
            return Self.error(405, "\(method) …/\(path.joined(separator: "/")) is not supported; see the control API in the README")
        }
    }

    private func describe(_ entry: Entry) -> JSONValue {
        [
            "id": .string(entry.id),
            "port": .number(JSONNumber(entry.server.port ?? 0)),
            "url": .string(entry.server.url?.absoluteString ?? ""),
            "consumer": .string(entry.server.pact.consumer),
            "provider": .string(entry.server.pact.provider),
            "interactions": .number(JSONNumber(entry.server.pact.httpInteractions.count)),
            "requests": .number(JSONNumber(entry.server.journal.totalRequests)),
        ]
    }

    static func json(_ status: Int, _ value: JSONValue) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: Body(json: value))
    }

    static func error(_ status: Int, _ message: String) -> HTTPResponse {
        json(status, ["error": .string(message)])
    }
}
