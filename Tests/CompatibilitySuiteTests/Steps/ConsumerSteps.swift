import Foundation
import PactHTTP
import PactMatching
import PactMockServer
import PactModel

/// Steps of the `http_consumer.feature` files that drive a real mock server over HTTP.
enum ConsumerSteps {
    static let definitions: [StepDefinition] = [
        StepDefinition("the following HTTP interactions have been defined:") { world, _, step in
            for (row, values) in try world.rows(step).enumerated() {
                world.interactions.append(try interaction(world, number: Int(values["No"] ?? "") ?? row + 1, values: values))
            }
        },
        StepDefinition("the mock server is started with interaction {int}") { world, arguments, _ in
            try await start(world, numbers: [try number(arguments[0])])
        },
        StepDefinition("the mock server is started with interactions {string}") { world, arguments, _ in
            try await start(world, numbers: arguments[0].split(separator: ",").map { try number(String($0)) })
        },
        StepDefinition("the mock server is started with interaction {int} but with the following changes:") { world, arguments, step in
            let index = try number(arguments[0]) - 1
            let values = try world.row(step)
            if let description = values["body"] {
                let (body, type) = try world.body(description, contentType: nil)
                world.interactions[index].request.body = body
                world.interactions[index].request.headers.set("Content-Type", [type])
            }
            try await start(world, numbers: [index + 1])
        },
        StepDefinition("request {int} is made to the mock server") { world, arguments, _ in
            try await send(world, request: try interactionRequest(world, arguments[0]), rawHeaders: [])
        },
        StepDefinition("request {int} is made to the mock server with the following changes:") { world, arguments, step in
            var request = try interactionRequest(world, arguments[0])
            let values = try world.row(step)
            if let method = values["method"] { request.method = method }
            if let path = values["path"] { request.path = path }
            if let query = values["query"] { request.query = QueryParameters(parsing: query) }
            if let headers = values["headers"] { request.headers = CompatibilityWorld.headers(headers) }
            if let description = values["body"] {
                let (body, type) = try world.body(description, contentType: nil)
                request.body = body
                request.headers.set("Content-Type", [type])
            }
            var raw: [(String, String)] = []
            if let text = values["raw headers"] {
                for entry in CompatibilityWorld.headers(text) { for value in entry.values { raw.append((entry.name, value)) } }
                for entry in CompatibilityWorld.headers(text) { request.headers.remove(entry.name) }
            }
            try await send(world, request: request, rawHeaders: raw)
        },
        StepDefinition("a {int} success response is returned") { world, arguments, _ in
            try expectStatus(world, arguments[0])
        },
        StepDefinition("a {int} error response is returned") { world, arguments, _ in
            try expectStatus(world, arguments[0])
        },
        StepDefinition("the payload will contain the {string} JSON document") { world, arguments, _ in
            let expected = try world.fixtureJSON(arguments[0] + ".json")
            guard let body = world.response?.body, let actual = try? JSONParser.parse(body), actual == expected else {
                throw StepFailure("the response body is not the \(arguments[0]) document: \(world.response?.bodyText ?? "")")
            }
        },
        StepDefinition("the content type will be set as {string}") { world, arguments, _ in
            let type = world.response?.header("Content-Type")
            guard type == arguments[0] else { throw StepFailure("the content type is \(type ?? "missing")") }
        },
        StepDefinition("the pact test is done") { world, _, _ in
            guard let server = world.mockServer else { throw StepFailure("no mock server was started") }
            await server.stop()
            let report = server.report()
            world.report = report
            if report.isOK {
                let pact = Pact(consumer: "\(world.specification)-compatibility-suite-c", provider: "p",
                                interactions: server.pact.interactions, specification: world.specification)
                world.pactFile = try PactFileWriter(directory: world.scratch, specification: world.specification).write(pact)
            }
        },
        StepDefinition("the mock server status will be OK") { world, _, _ in
            guard let report = world.report, report.isOK else { throw StepFailure("the mock server reported: \(world.report?.description ?? "nothing")") }
        },
        StepDefinition("the mock server status will NOT be OK") { world, _, _ in
            guard let report = world.report, !report.isOK else { throw StepFailure("the mock server status is OK") }
        },
        StepDefinition("the mock server status will be mismatches") { world, _, _ in
            guard let report = world.report, !report.mismatched.isEmpty else { throw StepFailure("there are no mismatched requests") }
        },
        StepDefinition("the mock server will write out a Pact file for the interaction(s) when done") { world, _, _ in
            guard let file = world.pactFile, FileManager.default.fileExists(atPath: file.path) else { throw StepFailure("no pact file was written") }
            let loaded = try PactReader().read(contentsOf: file)
            guard loaded.pact.specification == world.specification else {
                throw StepFailure("the pact file is \(loaded.pact.specification), expected \(world.specification)")
            }
            world.writtenPact = loaded.pact
        },
        StepDefinition("the mock server will NOT write out a Pact file for the interaction(s) when done") { world, _, _ in
            let written = (try? FileManager.default.contentsOfDirectory(atPath: world.scratch.path))?.filter { $0.hasSuffix(".json") } ?? []
            guard world.pactFile == nil, written.isEmpty else { throw StepFailure("a pact file was written: \(written)") }
        },
        StepDefinition("the pact file will contain \\{{int}} interaction(s)") { world, arguments, _ in
            let count = world.writtenPact?.interactions.count ?? 0
            guard count == (try number(arguments[0])) else { throw StepFailure("the pact file has \(count) interaction(s)") }
        },
        StepDefinition("the \\{{word}} interaction request will be for a {string}") { world, arguments, _ in
            let request = try writtenRequest(world, arguments[0])
            guard request.method == arguments[1] else { throw StepFailure("the method is \(request.method)") }
        },
        StepDefinition("the \\{{word}} interaction response will contain the {string} document") { world, arguments, _ in
            let interaction = try writtenInteraction(world, arguments[0])
            guard interaction.response.body.json == (try world.fixtureJSON(arguments[1])) else {
                throw StepFailure("the response body is \(interaction.response.body.text ?? "")")
            }
        },
        StepDefinition("the \\{{word}} interaction request will contain the {string} document") { world, arguments, _ in
            let request = try writtenRequest(world, arguments[0])
            guard request.body.json == (try world.fixtureJSON(arguments[1])) else { throw StepFailure("the request body is \(request.body.text ?? "")") }
        },
        StepDefinition("the \\{{word}} interaction request query parameters will be {string}") { world, arguments, _ in
            let request = try writtenRequest(world, arguments[0])
            guard request.query == QueryParameters(parsing: arguments[1]) else { throw StepFailure("the query is \(request.query.encoded)") }
        },
        StepDefinition("the \\{{word}} interaction request will contain the header {string} with value {string}") { world, arguments, _ in
            let request = try writtenRequest(world, arguments[0])
            guard request.headers[arguments[1]]?.joined(separator: ", ") == arguments[2] else {
                throw StepFailure("the header \(arguments[1]) is \(request.headers[arguments[1]] ?? [])")
            }
        },
        StepDefinition("the \\{{word}} interaction request content type will be {string}") { world, arguments, _ in
            let request = try writtenRequest(world, arguments[0])
            guard request.contentType?.essence == arguments[1] else { throw StepFailure("the content type is \(request.contentType?.description ?? "missing")") }
        },
        StepDefinition("the mock server status will be an expected but not received error for interaction \\{{int}}") { world, arguments, _ in
            let interaction = world.interactions[try number(arguments[0]) - 1]
            guard world.report?.missing.contains(interaction.description) == true else {
                throw StepFailure("'\(interaction.description)' is not reported as missing: \(world.report?.description ?? "")")
            }
        },
        StepDefinition("the mock server status will be an unexpected {string} request received error for interaction \\{{int}}") { world, arguments, _ in
            let interaction = world.interactions[try number(arguments[1]) - 1]
            let found = world.report?.unexpected.contains {
                $0.method == arguments[0] && $0.path == interaction.request.path && $0.query == interaction.request.query
            } ?? false
            guard found else { throw StepFailure("no unexpected \(arguments[0]) request for interaction \(arguments[1])") }
        },
        StepDefinition("the mock server status will be an unexpected {string} request received error for path {string}") { world, arguments, _ in
            let found = world.report?.unexpected.contains { $0.method == arguments[0] && $0.path == arguments[1] } ?? false
            guard found else { throw StepFailure("no unexpected \(arguments[0]) request for \(arguments[1]): \(world.report?.description ?? "")") }
        },
        StepDefinition("the mismatches will contain a {string} mismatch with error {string}") { world, arguments, _ in
            try expectMismatch(world, kind: arguments[0], path: nil, message: arguments[1])
        },
        StepDefinition("the mismatches will contain a {string} mismatch with path {string} with error {string}") { world, arguments, _ in
            try expectMismatch(world, kind: arguments[0], path: arguments[1], message: arguments[2])
        },
    ]

    static func number(_ text: String) throws -> Int {
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else { throw StepFailure("'\(text)' is not a number") }
        return value
    }

    static func interaction(_ world: CompatibilityWorld, number: Int, values: [String: String]) throws -> HTTPInteraction {
        var request = HTTPRequest(method: values["method"] ?? "GET", path: values["path"] ?? "/")
        try world.configure(&request, with: ["query": values["query"] ?? "", "headers": values["headers"] ?? "", "body": values["body"] ?? ""])
        if let rules = values["matching rules"], !rules.isEmpty { request.matchingRules = try world.matchingRules(rules) }
        var response = HTTPResponse(status: Int(values["response"] ?? "") ?? 200)
        if let headers = values["response headers"], !headers.isEmpty {
            for entry in CompatibilityWorld.headers(headers) { response.headers.set(entry.name, entry.values) }
        }
        if let rules = values["response matching rules"], !rules.isEmpty { response.matchingRules = try world.matchingRules(rules) }
        if let description = values["response body"], !description.isEmpty {
            let (body, type) = try world.body(description, contentType: values["response content"].flatMap { $0.isEmpty ? nil : $0 })
            response.body = body
            response.headers.set("Content-Type", [type])
        } else if let type = values["response content"], !type.isEmpty {
            response.headers.set("Content-Type", [type])
        }
        return HTTPInteraction(info: InteractionInfo(description: "Interaction \(number)"), request: request, response: response)
    }

    static func start(_ world: CompatibilityWorld, numbers: [Int]) async throws {
        let chosen = try numbers.map { number -> Interaction in
            guard number >= 1 && number <= world.interactions.count else { throw StepFailure("there is no interaction \(number)") }
            return .http(world.interactions[number - 1])
        }
        let server = MockServer(pact: Pact(consumer: "c", provider: "p", interactions: chosen, specification: world.specification))
        try await server.start()
        world.mockServer = server
    }

    static func interactionRequest(_ world: CompatibilityWorld, _ argument: String) throws -> HTTPRequest {
        let index = try number(argument) - 1
        guard index >= 0 && index < world.interactions.count else { throw StepFailure("there is no interaction \(argument)") }
        return world.interactions[index].request
    }

    static func send(_ world: CompatibilityWorld, request: HTTPRequest, rawHeaders: [(String, String)]) async throws {
        guard let base = world.mockServer?.url?.absoluteString else { throw StepFailure("no mock server is running") }
        let query = request.query.encoded
        let path = request.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? request.path
        var headers: [(name: String, value: String)] = []
        for entry in request.headers { for value in entry.values { headers.append((entry.name, value)) } }
        for (name, value) in rawHeaders { headers.append((name, value)) }
        let outgoing = HTTPClientRequest(
            method: request.method, url: base + path + (query.isEmpty ? "" : "?" + query), headers: headers,
            body: request.body.hasContent ? request.body.bytes : nil)
        // One CI run on a loaded 2-core machine saw a fresh connection closed with no reply (not reproduced in
        // 12,000 connections here). The mock server never answers that way on purpose, so the harness tries a
        // second fresh connection once and says so on stderr, rather than failing a matching scenario.
        if let response = try await sendOnce(outgoing, retryingEmptyReply: true) {
            world.response = response
        } else {
            FileHandle.standardError.write(Data("compatibility: retrying \(outgoing.url) once after an empty reply\n".utf8))
            world.response = try await sendOnce(outgoing, retryingEmptyReply: false)
        }
    }

    /// Sends on a fresh client; returns nil for an empty reply when a retry is allowed.
    private static func sendOnce(_ request: HTTPClientRequest, retryingEmptyReply: Bool) async throws -> HTTPClientResponse? {
        let client = HTTPClient()
        defer { client.shutdown() }
        let result: Result<HTTPClientResponse, HTTPClientError>
        do { result = .success(try await client.send(request)) } catch { result = .failure(error) }
        switch result {
        case .success(let response): return response
        case .failure(let error) where retryingEmptyReply && error.isEmptyReply: return nil
        case .failure(let error): throw error
        }
    }

    static func expectStatus(_ world: CompatibilityWorld, _ argument: String) throws {
        let status = try number(argument)
        guard let response = world.response else { throw StepFailure("no request was made") }
        guard response.status == status else { throw StepFailure("the status is \(response.status): \(response.bodyText ?? "")") }
    }

    static func writtenInteraction(_ world: CompatibilityWorld, _ ordinal: String) throws -> HTTPInteraction {
        let index = ["first": 0, "second": 1, "third": 2][ordinal] ?? 0
        guard let interactions = world.writtenPact?.httpInteractions, index < interactions.count else {
            throw StepFailure("the pact file has no \(ordinal) interaction")
        }
        return interactions[index]
    }

    static func writtenRequest(_ world: CompatibilityWorld, _ ordinal: String) throws -> HTTPRequest {
        try writtenInteraction(world, ordinal).request
    }

    static func expectMismatch(_ world: CompatibilityWorld, kind: String, path: String?, message: String) throws {
        let mismatches = world.report.map { $0.mismatched.flatMap(\.mismatches) } ?? lastResponseMismatches(world)
        let all = mismatches.isEmpty ? lastResponseMismatches(world) : mismatches
        let found = all.contains { mismatch in
            mismatch.kind.rawValue == kind && (path == nil || mismatch.path == path) && mismatch.message.contains(message)
        }
        guard found else { throw StepFailure("no \(kind) mismatch '\(message)' among \(all.map(\.description))") }
    }

    /// Mismatches from the server's journal when the test has not finished yet.
    static func lastResponseMismatches(_ world: CompatibilityWorld) -> [Mismatch] {
        world.mockServer?.report().mismatched.flatMap(\.mismatches) ?? []
    }
}

extension HTTPClientError {
    /// The server accepted the connection and closed it without a byte of reply.
    fileprivate var isEmptyReply: Bool {
        if case .transport(_, let reason) = self { return reason.contains("without sending a response") }
        return false
    }
}
