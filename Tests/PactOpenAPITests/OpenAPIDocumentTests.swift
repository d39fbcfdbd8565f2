import Foundation
import PactHTTP
import PactMockServer
import PactModel
import PactOpenAPI
import Testing

/// OpenAPI documents: reading, validation of requests and responses, the pact check and the mock.
@Suite("OpenAPI") struct OpenAPIDocumentTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let banking = root.appendingPathComponent("Tests/Fixtures/openapi/banking.yaml").path

    static func document(_ yaml: String) throws(OpenAPIError) -> OpenAPIDocument {
        try OpenAPIDocument(text: yaml, source: "test.yaml")
    }

    static func request(_ method: String, _ pathAndQuery: String, json: String? = nil, headers: [(String, String)] = []) -> HTTPRequest {
        let parts = pathAndQuery.split(separator: "?", maxSplits: 1).map(String.init)
        var request = HTTPRequest(method: method, path: parts[0])
        if parts.count == 2 {
            request.rawQuery = parts[1]
            request.query = QueryParameters(parsing: parts[1])
        }
        for (name, value) in headers { request.headers.add(name, value) }
        if let json {
            request.headers.add("Content-Type", "application/json")
            request.body = Body(bytes: Array(json.utf8), contentType: .json)
        }
        return request
    }

    static let library = """
        openapi: 3.1.0
        info: {title: Library, version: "2"}
        paths:
          /books:
            get:
              parameters:
                - {name: limit, in: query, required: true, schema: {type: integer, minimum: 1, maximum: 50}}
                - {name: X-Tenant, in: header, required: true, schema: {type: string, format: uuid}}
              responses:
                "200":
                  description: Books
                  content:
                    application/json:
                      schema: {type: array, items: {$ref: "#/components/schemas/Book"}}
          /books/new:
            get:
              responses: {"200": {description: the literal path wins}}
          /books/{isbn}:
            get:
              parameters: [{name: isbn, in: path, required: true, schema: {type: string, pattern: "^[0-9]{13}$"}}]
              responses:
                "200": {description: A book, content: {application/json: {schema: {$ref: "#/components/schemas/Book"}}}}
                "4XX": {description: Client error}
        components:
          schemas:
            Book:
              type: object
              required: [isbn, title]
              properties:
                isbn: {type: string}
                title: {type: string, minLength: 1}
                subtitle: {type: [string, "null"]}
                price: {type: number, exclusiveMinimum: 0, multipleOf: 0.01}
                format: {oneOf: [{const: paper}, {const: ebook}]}
                published: {type: string, format: date}
        """

    @Test func bothVersionsAreReadWithTheirReferencesResolved() throws {
        let banking = try OpenAPIDocument(contentsOf: Self.banking)
        #expect(banking.title == "BankingAPI" && banking.operations.count == 6)
        #expect(banking.operations.map { "\($0.method) \($0.path)" }.contains("GET /api/accounts/{accountId}"))
        let library = try Self.document(Self.library)
        let book = try #require(library.operations.first { $0.path == "/books/{isbn}" })
        #expect(book.responses.map(\.status) == ["200", "4XX"])
        #expect(book.responses.first?.response.content.first?.schema?["properties"]?["isbn"] != nil, "the $ref is resolved")
    }

    @Test func badDocumentsAreRefusedWithTheReason() {
        let cases: [(String, String)] = [
            ("openapi: 3.0.0\ninfo: {title: x}\npaths: {}", "`version` key"),
            (#"{"swagger": "2.0"}"#, "Swagger 2.0 is not supported"),
            ("openapi: 4.0.0\ninfo: {title: x, version: '1'}\npaths: {}", "OpenAPI 4.0.0 is not supported"),
            ("openapi: [", "not valid YAML or JSON"),
            ("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Gone'}}}}",
             "'Gone' was not found"),
            ("just text", "must be a mapping"),
        ]
        for (text, expected) in cases {
            do {
                _ = try Self.document(text)
                Issue.record("accepted: \(text)")
            } catch {
                #expect(error.description.hasPrefix("test.yaml: ") && error.description.contains(expected), "\(error.description)")
            }
        }
    }

    @Test func requestsAreRoutedAndCheckedAgainstParametersAndBodies() throws {
        let validator = OpenAPIValidator(try Self.document(Self.library))
        guard case .operation(let literal, _) = validator.route(method: "GET", path: "/books/new") else { Issue.record("no route"); return }
        #expect(literal.path == "/books/new", "a literal segment wins over a parameter")
        guard case .operation(let byISBN, let parameters) = validator.route(method: "get", path: "/books/9780131103627") else { Issue.record("no route"); return }
        #expect(byISBN.path == "/books/{isbn}" && parameters == ["isbn": "9780131103627"])
        guard case .methodNotAllowed(let allowed) = validator.route(method: "DELETE", path: "/books") else { Issue.record("not 405"); return }
        #expect(allowed == ["GET"])
        guard case .notFound = validator.route(method: "GET", path: "/authors") else { Issue.record("not 404"); return }

        #expect(validator.problems(request: Self.request("GET", "/books/123"), operation: byISBN, pathParameters: ["isbn": "123"])
                == ["path parameter 'isbn': '123' does not match the pattern ^[0-9]{13}$"])
        guard case .operation(let list, _) = validator.route(method: "GET", path: "/books") else { return }
        let good = Self.request("GET", "/books?limit=10", headers: [("X-Tenant", "3fa85f64-5717-4562-b3fc-2c963f66afa6")])
        #expect(validator.problems(request: good, operation: list, pathParameters: [:]).isEmpty)
        let bad = validator.problems(request: Self.request("GET", "/books?limit=99", headers: [("x-tenant", "nope")]), operation: list, pathParameters: [:])
        #expect(bad == ["query parameter 'limit': 99 is above the maximum 50", "header parameter 'X-Tenant': 'nope' is not a valid uuid"])
        #expect(validator.problems(request: Self.request("GET", "/books"), operation: list, pathParameters: [:])
                == ["query parameter 'limit' is required but missing", "header parameter 'X-Tenant' is required but missing"])
    }

    @Test func responsesAreCheckedAgainstTheirStatusAndSchema() throws {
        let validator = OpenAPIValidator(try Self.document(Self.library))
        guard case .operation(let book, _) = validator.route(method: "GET", path: "/books/1") else { Issue.record("no route"); return }
        func response(_ status: Int, _ json: String?) -> HTTPResponse {
            var response = HTTPResponse(status: status)
            if let json { response.headers.add("Content-Type", "application/json"); response.body = Body(bytes: Array(json.utf8), contentType: .json) }
            return response
        }
        #expect(validator.problems(response: response(200, #"{"isbn": "1", "title": "C", "subtitle": null, "price": 12.5, "format": "paper", "published": "2026-02-03"}"#), operation: book).isEmpty)
        #expect(validator.problems(response: response(404, nil), operation: book).isEmpty, "4XX covers 404")
        #expect(validator.problems(response: response(500, nil), operation: book) == ["status 500 is not documented for GET /books/{isbn} (it documents 200, 4XX)"])
        let problems = validator.problems(response: response(200, #"{"isbn": 7, "title": "", "price": 0.015, "format": "scroll", "published": "2026-13-01"}"#), operation: book)
        #expect(problems.contains("response body $.isbn: expected string but got integer"))
        #expect(problems.contains("response body $.title: shorter than 1 characters"))
        #expect(problems.contains("response body $.price: 0.015 is not a multiple of 0.01"))
        #expect(problems.contains("response body $.format: matches 0 of the oneOf schemas; exactly one must match"))
        #expect(problems.contains("response body $.published: '2026-13-01' is not a valid date"))
        let missing = validator.problems(response: response(200, #"{"isbn": "1"}"#), operation: book)
        #expect(missing == ["response body $: the required property 'title' is missing"])
    }

    @Test func pactsAreCheckedInteractionByInteraction() throws {
        let check = OpenAPIPactCheck(try OpenAPIDocument(contentsOf: Self.banking))
        let contract = try PactReader().read(contentsOf: Self.root.appendingPathComponent("Contracts/BankingApp-BankingAPI.json")).pact
        let failing = check.check(contract).filter { !$0.passed }
        #expect(failing.isEmpty, "\(failing)")

        var drifted = contract
        drifted.interactions = contract.httpInteractions.map { interaction in
            var changed = interaction
            if interaction.description == "a request for the balance" {
                changed.response.body = Body(bytes: Array(#"{"accountId": "ACC001", "balance": "1000", "currency": "USD", "status": "frozen"}"#.utf8), contentType: .json)
            }
            if interaction.description == "a deposit of 1000" { changed.request.path = "/api/accounts/ACC001/top-up" }
            return .http(changed)
        }
        let results = check.check(drifted)
        let balance = try #require(results.first { $0.interaction == "a request for the balance" })
        #expect(balance.problems == ["response body $.balance: expected number but got string",
                                     "response body $.status: \"frozen\" is not one of \"active\", \"closed\""])
        let deposit = try #require(results.first { $0.interaction == "a deposit of 1000" })
        #expect(deposit.operation == nil && deposit.problems == ["POST /api/accounts/ACC001/top-up is not a path of the document"])
        #expect(results.filter(\.passed).count == 6)
    }

    @Test func theMockValidatesRequestsAndAnswersFromExamplesOrSchemas() async throws {
        let document = try OpenAPIDocument(contentsOf: Self.banking)
        let mock = OpenAPIMock(document: document)
        let url = try await mock.start().absoluteString
        defer { Task { await mock.stop() } }
        let client = HTTPClient()
        defer { client.shutdown() }
        func send(_ method: String, _ path: String, _ json: String? = nil) async throws -> (Int, JSONValue, HTTPClientResponse) {
            let response = try await client.send(HTTPClientRequest(method: method, url: url + path, headers: json == nil ? [] : [("Content-Type", "application/json")],
                                                                   body: json.map { Array($0.utf8) }))
            return (response.status, (try? JSONParser.parse(response.body)) ?? .null, response)
        }
        let opened = try await send("POST", "/api/accounts", #"{"customerId": "CUST001"}"#)
        #expect(opened.0 == 201 && opened.1["accountId"] == "ACC001", "the document's example is served")
        let account = try await send("GET", "/api/accounts/ACC001")
        #expect(account.0 == 200)
        // A body built from the schema fits the schema.
        let validator = OpenAPIValidator(document)
        guard case .operation(let getAccount, _) = validator.route(method: "GET", path: "/api/accounts/ACC001") else { Issue.record("no route"); return }
        var built = HTTPResponse(status: 200)
        built.headers.add("Content-Type", "application/json")
        built.body = Body(bytes: account.2.body, contentType: .json)
        #expect(validator.problems(response: built, operation: getAccount).isEmpty, "\(account.1)")

        let invalid = try await send("POST", "/api/accounts/ACC001/deposit", #"{"amount": 0, "note": "x"}"#)
        #expect(invalid.0 == 422)
        #expect(invalid.1["problems"]?.arrayValue?.compactMap(\.stringValue) == ["request body $.amount: 0 must be above 0",
                                                                                 "request body $.note: the property is not allowed (additionalProperties is false)"],
                "\(invalid.1)")
        let missingBody = try await send("POST", "/api/transfers")
        #expect(missingBody.0 == 422 && missingBody.1["problems"]?.arrayValue?.first == "request body is required but missing")
        let wrongMethod = try await send("DELETE", "/api/transfers")
        #expect(wrongMethod.0 == 405 && wrongMethod.2.header("Allow") == "POST")
        #expect(try await send("GET", "/elsewhere").0 == 404)
    }
}

extension OpenAPIDocumentTests {
    @Test func theControlAPIStartsAndStopsOpenAPIMocks() async throws {
        let control = ControlServer(outputDirectory: FileManager.default.temporaryDirectory, openAPIFactory: OpenAPIMock.controlFactory)
        let port = try await control.start(host: "127.0.0.1", port: 0)
        defer { Task { await control.stop() } }
        let client = HTTPClient()
        defer { client.shutdown() }
        func call(_ method: String, _ url: String, _ body: String? = nil) async throws -> (Int, JSONValue) {
            let response = try await client.send(HTTPClientRequest(method: method, url: url, headers: [("Content-Type", "application/json")],
                                                                   body: body.map { Array($0.utf8) }))
            return (response.status, (try? JSONParser.parse(response.body)) ?? .null)
        }
        let base = "http://127.0.0.1:\(port)"
        let yaml = try String(contentsOfFile: Self.banking, encoding: .utf8)
        let started = try await call("POST", base + "/openapi-mocks", yaml)
        #expect(started.0 == 201, "\(started.1)")
        let id = try #require(started.1["id"]?.stringValue), url = try #require(started.1["url"]?.stringValue)
        #expect(try await call("POST", url + "/api/transfers", #"{"fromAccount": "ACC001"}"#).0 == 422)
        #expect(try await call("GET", base + "/openapi-mocks").1["openapiMocks"]?.arrayValue?.count == 1)
        let bad = try await call("POST", base + "/openapi-mocks", "openapi: 3.0.0\ninfo: {title: x}\npaths: {}")
        #expect(bad.0 == 400 && bad.1["error"]?.stringValue?.contains("`version`") == true, "\(bad.1)")
        #expect(try await call("DELETE", base + "/openapi-mocks/" + id).0 == 200)
        #expect(try await call("DELETE", base + "/openapi-mocks/" + id).0 == 404)
    }

    @Test("a YAML alias bomb is refused with an error naming the document, before it is expanded")
    func aliasBomb() throws {
        // Ten levels of nine aliases each: under 600 bytes that stand for 9^10 (about 3.5 billion) strings.
        var yaml = "openapi: 3.0.3\ninfo: {title: bomb, version: '1'}\npaths: {}\nx-a0: &a0 [\"lol\"]\n"
        for level in 1...10 {
            yaml += "x-a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ",") + "]\n"
        }
        let started = ContinuousClock.now
        do {
            _ = try OpenAPIDocument(text: yaml, source: "bomb.yaml")
            Issue.record("the alias bomb was accepted")
        } catch {
            #expect(error.source == "bomb.yaml")
            #expect(error.problem.contains("YAML aliases"), "\(error.problem)")
        }
        #expect(ContinuousClock.now - started < .seconds(10), "refused before the expansion")
        // Aliases in moderation are fine.
        let modest = "openapi: 3.0.3\ninfo: {title: ok, version: '1'}\npaths: {}\nx-shared: &shared {a: 1}\nx-use: [*shared, *shared]\n"
        #expect(throws: Never.self) { _ = try OpenAPIDocument(text: modest, source: "ok.yaml") }
    }
}
