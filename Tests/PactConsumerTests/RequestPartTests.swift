import PactConsumer
import PactMatching
import PactModel
import Testing

/// Path, query, headers, status, bodies of every kind, and the interaction's own attributes.
@Suite("Request and response parts")
struct RequestPartTests {
    @Test func pathMatcherGoesToThePathCategory() throws {
        let (interaction, errors) = try declareOne { pact in
            pact.uponReceiving("a request for an account")
                .withRequest(method: .get, path: .regex("/api/accounts/ACC\\d+", example: "/api/accounts/ACC001"))
                .willRespondWith(status: 200)
        }
        #expect(errors.isEmpty)
        #expect(interaction.request.method == "GET")
        #expect(interaction.request.path == "/api/accounts/ACC001")
        #expect(interaction.request.matchingRules["path"] == (try category([("$", [try regexRule("/api/accounts/ACC\\d+")])])))
    }

    @Test func pathFromProviderStateWritesAPathGenerator() throws {
        let (interaction, errors) = try declareOne { pact in
            pact.uponReceiving("a request for an account")
                .withRequest(method: .get, path: .fromProviderState("/api/accounts/${accountId}", example: "/api/accounts/ACC001"))
                .willRespondWith(status: 200)
        }
        #expect(errors.isEmpty)
        #expect(interaction.request.generators.path == .providerState(expression: "/api/accounts/${accountId}", dataType: .string))
        #expect(interaction.request.matchingRules["path"] == (try category([("$", [try regexRule("/api/accounts/.+")])])))
        #expect(RequestMatcher.compare(expected: interaction.request, actual: HTTPRequest(method: "GET", path: "/api/accounts/ACC777")).isEmpty)
        #expect(RequestMatcher.compare(expected: interaction.request, actual: HTTPRequest(method: "GET", path: "/api/customers/1")).map(\.kind) == [.path])
    }

    @Test func queryMatchersAreKeyedByName() throws {
        let (interaction, errors) = try declareOne { pact in
            pact.uponReceiving("a page of transactions")
                .withRequest(method: .get, path: "/tx", query: ["limit": .integer(10), "type": ["deposit", "fee"], "from": .date(example: "2026-01-01"), "flag": nil])
                .willRespondWith(status: 200)
        }
        #expect(errors.isEmpty)
        #expect(interaction.request.query.names == ["flag", "from", "limit", "type"])
        #expect(interaction.request.query["limit"] == ["10"])
        #expect(interaction.request.query["type"] == ["deposit", "fee"])
        #expect(interaction.request.query["flag"] == [nil])
        #expect(interaction.request.matchingRules["query"] == (try category([("from", [.date(try pattern("yyyy-MM-dd"))]), ("limit", [.integer])])))
    }

    @Test func headerMatchersAndGeneratorsAreKeyedByName() throws {
        let (interaction, errors) = try declareOne { pact in
            pact.uponReceiving("an authorised request")
                .withRequest(method: .get, path: "/", headers: ["Authorization": .regex("Bearer [a-z0-9]+", example: "Bearer abc123"), "X-Request-Id": .randomUUID()])
                .willRespondWith(status: 200, headers: ["Location": .mockServerURL(regex: ".*(/accounts/\\d+)", example: "http://localhost/accounts/1")])
        }
        #expect(errors.isEmpty)
        #expect(interaction.request.headers.first("Authorization") == "Bearer abc123")
        #expect(interaction.request.matchingRules["header"] == (try category([
            ("Authorization", [try regexRule("Bearer [a-z0-9]+")]),
            ("X-Request-Id", [try regexRule("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]),
        ])))
        #expect(interaction.request.generators.headers.map(\.name) == ["X-Request-Id"])
        #expect(interaction.response.generators.headers.map(\.generator) == [.mockServerURL(example: "http://localhost/accounts/1", regex: ".*(/accounts/\\d+)")])
    }

    @Test func statusMatcherWritesAStatusCodeRule() throws {
        let (interaction, errors) = try declareOne { pact in
            pact.uponReceiving("a bad request").withRequest(method: .post, path: "/x").willRespondWith(status: .clientError(example: 422))
        }
        #expect(errors.isEmpty)
        #expect(interaction.response.status == 422)
        #expect(interaction.response.matchingRules["status"] == (try category([("$", [.statusCode(.clientError)])])))
        let other = HTTPResponse(status: 404)
        #expect(RequestMatcher.compare(expected: interaction.response, actual: other).isEmpty)
        #expect(RequestMatcher.compare(expected: interaction.response, actual: HTTPResponse(status: 500)).map(\.kind) == [.status])
    }

    @Test(arguments: [
        (StatusMatcher.success(), StatusCodeClass.success, 200), (.redirect(), .redirect, 302), (.information(), .information, 100),
        (.serverError(), .serverError, 500), (.nonError(), .nonError, 200), (.error(), .error, 500), (.codes([201, 204]), .codes([201, 204]), 201),
    ])
    func statusMatchersHaveTheirClassAndExample(matcher: StatusMatcher, statusClass: StatusCodeClass, example: Int) {
        #expect(matcher.statusClass == statusClass)
        #expect(matcher.example == example)
    }

    @Test func jsonBodySetsContentTypeHeaderUnlessGiven() throws {
        let (interaction, _) = try declareOne { pact in
            pact.uponReceiving("a deposit")
                .withRequest(method: .post, path: "/d", body: .json(["amount": 1]))
                .willRespondWith(status: 200, headers: ["content-type": "application/hal+json"], body: .json(["ok": true], contentType: "application/hal+json"))
        }
        #expect(interaction.request.headers["Content-Type"] == ["application/json"])
        #expect(interaction.request.body == Body(json: ["amount": 1], contentType: .json))
        #expect(interaction.response.headers["Content-Type"] == ["application/hal+json"])
        #expect(interaction.response.headers.count == 1)
    }

    @Test func textBodyWithRegexAppliesToTheWholeText() throws {
        let (interaction, errors) = try declareOne { pact in
            pact.uponReceiving("a ping").withRequest(method: .get, path: "/ping")
                .willRespondWith(status: 200, body: .text(.regex("pong \\d+", example: "pong 1")))
        }
        #expect(errors.isEmpty)
        #expect(interaction.response.body.text == "pong 1")
        #expect(interaction.response.headers["Content-Type"] == ["text/plain"])
        #expect(interaction.response.matchingRules.body == (try category([("$", [try regexRule("pong \\d+")])])))
        let actual = HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"], body: Body(text: "pong 42"))
        #expect(RequestMatcher.compare(expected: interaction.response, actual: actual).isEmpty)
    }

    @Test func binaryXMLAndContentTypeBodies() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
        let (interaction, errors) = try declareOne { pact in
            pact.uponReceiving("an upload")
                .withRequest(method: .put, path: "/doc", body: .xml("<doc><id>1</id></doc>"))
                .willRespondWith(status: 200, body: .contentType("image/png", example: png))
        }
        #expect(errors.isEmpty)
        #expect(interaction.request.body.text == "<doc><id>1</id></doc>")
        #expect(interaction.request.headers["Content-Type"] == ["application/xml"])
        #expect(interaction.response.body.bytes == png)
        #expect(interaction.response.matchingRules.body == (try category([("$", [.contentType("image/png")])])))
        let (binary, _) = try declareOne { pact in
            pact.uponReceiving("a download").withRequest(method: .get, path: "/f").willRespondWith(status: 200, body: .binary([1, 2, 3], contentType: "application/octet-stream"))
        }
        #expect(binary.response.body.bytes == [1, 2, 3])
        #expect(binary.response.matchingRules.isEmpty)
    }

    @Test func formBodyFieldsCarryRulesAtTheirPaths() throws {
        let (interaction, errors) = try declareOne { pact in
            pact.uponReceiving("a login")
                .withRequest(method: .post, path: "/login", body: .form([("user", .regex("[a-z]+", example: "ann")), ("remember", "yes"), ("tag", ["a", "b"])]))
                .willRespondWith(status: 204)
        }
        #expect(errors.isEmpty)
        #expect(interaction.request.body.text == "user=ann&remember=yes&tag=a&tag=b")
        #expect(interaction.request.headers["Content-Type"] == ["application/x-www-form-urlencoded"])
        #expect(interaction.request.matchingRules.body == (try category([("$.user", [try regexRule("[a-z]+")])])))
        var actual = HTTPRequest(method: "POST", path: "/login", headers: ["Content-Type": "application/x-www-form-urlencoded"])
        actual.body = Body(text: "user=bob&remember=yes&tag=a&tag=b", contentType: .form)
        #expect(RequestMatcher.compare(expected: interaction.request, actual: actual).isEmpty)
    }

    @Test func providerStatesPendingKeyAndComments() throws {
        let (interaction, errors) = try declareOne { pact in
            pact.uponReceiving("a request for the balance")
                .given("account exists", ["accountId": .regex("ACC\\d+", example: "ACC001"), "balance": 1000])
                .given("the bank is open")
                .pending()
                .key("balance-v1")
                .comment("first")
                .comment("second")
                .testName("BalanceTests.balance")
                .withRequest(method: .init(custom: "report"), path: "/")
                .willRespondWith(status: 200)
        }
        #expect(errors.isEmpty)
        #expect(interaction.info.providerStates == [ProviderState("account exists", params: ["accountId": "ACC001", "balance": 1000]), ProviderState("the bank is open")])
        #expect(interaction.info.pending)
        #expect(interaction.info.key == "balance-v1")
        #expect(interaction.info.comments == ["text": ["first", "second"], "testname": "BalanceTests.balance"])
        #expect(interaction.request.method == "REPORT")
    }

    @Test func requestWithoutWithRequestIsGetRoot() throws {
        let (interaction, _) = try declareOne { pact in pact.uponReceiving("a default").willRespondWith(status: 200) }
        #expect(interaction.request.method == "GET")
        #expect(interaction.request.path == "/")
    }
}
