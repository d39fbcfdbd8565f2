import PactConsumer
import PactModel
import Testing

/// Declared interactions survive being written as a pact file and read back.
@Suite("Pact file round trips")
struct RoundTripTests {
    /// A pact using every kind of matcher, generator and part.
    private func richPact(specification: PactSpecification) -> ConsumerPact {
        let pact = ConsumerPact(consumer: "BankingApp", provider: "BankingAPI", specification: specification)
        pact.uponReceiving("a request with every matcher")
            .given("account ACC001 exists", ["accountId": "ACC001", "balance": 700])
            .withRequest(method: .post, path: .regex("/api/accounts/ACC\\d+/search", example: "/api/accounts/ACC001/search"),
                         query: ["limit": .integer(10), "type": ["deposit", "fee"]],
                         headers: ["Authorization": .regex("Bearer .+", example: "Bearer t0k3n"), "X-Request-Id": .randomUUID()],
                         body: .json([
                            "name": .like("Alice"), "count": .integer(), "rate": .decimal(), "total": .number(12), "open": .bool(), "closed": .null(),
                            "day": .date(), "at": .time(), "stamp": .datetime(), "note": .includes("fund"), "id": .uuid(), "kind": .equal("savings"),
                            "items": .eachLike(["sku": .regex("[A-Z]{3}", example: "ABC"), "qty": .randomInt(min: 1, max: 5)], min: 1, max: 10),
                            "balances": .values(["ACC001": .decimal(1.5)]),
                         ]))
            .willRespondWith(status: 201, headers: ["Location": .mockServerURL(regex: ".*(/accounts/\\d+)$", example: "http://localhost/accounts/1")],
                             body: .json([
                                "ref": .randomRegex("REF\\d{4}"), "hex": .randomHexadecimal(digits: 4), "s": .randomString(size: 3),
                                "b": .randomBoolean(), "d": .randomDecimal(digits: 5), "gd": .generatedDate(expression: "+ 1 day"),
                                "gt": .generatedTime(), "gts": .generatedDateTime(), "owner": .fromProviderState("${accountId}", example: "ACC001"),
                             ]))
        pact.uponReceiving("a plain-text ping")
            .withRequest(method: .get, path: "/ping", query: ["verbose": "true"])
            .willRespondWith(status: 200, body: .text(.regex("pong \\d+", example: "pong 1")))
        pact.uponReceiving("a form login")
            .withRequest(method: .post, path: "/login", body: .form([("user", .regex("[a-z]+", example: "ann")), ("remember", "yes")]))
            .willRespondWith(status: 204)
        return pact
    }

    /// Rules and bodies only V4 can hold.
    private func addV4Only(to pact: ConsumerPact) {
        pact.uponReceiving("a V4-only interaction")
            .pending()
            .key("v4-only")
            .comment("uses V4 rules")
            .testName("RoundTripTests.v4")
            .withRequest(method: .get, path: "/v4", query: ["flag": nil])
            .willRespondWith(status: .success(example: 200), body: .json([
                "version": .semver(), "tags": .notEmpty(["x"]),
                "accounts": .eachKey(["ACC001": .like(["balance": 1])], matching: "ACC\\d{3}"),
                "codes": .eachValue(["a": "X1"], .regex("[A-Z]\\d", example: "X1")),
                "tx": .arrayContaining([["type": "deposit", "amount": .integer(1)], ["type": .regex("fee|charge", example: "fee")]]),
            ]))
        pact.uponReceiving("a picture")
            .withRequest(method: .get, path: "/picture")
            .willRespondWith(status: 200, body: .contentType("image/png", example: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    }

    @Test func v4PactReadsBackEqual() throws {
        let consumerPact = richPact(specification: .v4)
        addV4Only(to: consumerPact)
        let pending = consumerPact.takePending()
        #expect(pending.validationErrors.isEmpty)
        let pact = consumerPact.pact(with: pending.interactions)
        let (bytes, warnings) = try PactWriter().bytes(for: pact, as: .v4)
        #expect(warnings.isEmpty)
        let loaded = try PactReader().read(bytes, source: "consumer.json")
        #expect(loaded.warnings.isEmpty)
        #expect(loaded.pact.consumer == "BankingApp")
        #expect(loaded.pact.provider == "BankingAPI")
        #expect(loaded.pact.specification == .v4)
        #expect(loaded.pact.interactions.count == 5)
        for (read, written) in zip(loaded.pact.interactions, pact.interactions) {
            #expect(read == written, "\(written.description)")
        }
        let (again, _) = try PactWriter().bytes(for: loaded.pact, as: .v4)
        #expect(again == bytes)
    }

    @Test func v4FileHasTheExpectedRuleJSON() throws {
        let consumerPact = ConsumerPact(consumer: "C", provider: "P")
        consumerPact.uponReceiving("a list")
            .withRequest(method: .get, path: "/items")
            .willRespondWith(status: 200, body: .json(["items": .eachLike(["id": .integer(1)], min: 2)]))
        let pact = consumerPact.pact(with: consumerPact.takePendingInteractions())
        let (document, _) = try PactWriter().document(for: pact, as: .v4)
        let rules = document["interactions"]?.arrayValue?.first?["response"]?["matchingRules"]
        #expect(rules == (try json(#"""
            {"body": {
              "$.items": {"combine": "AND", "matchers": [{"match": "type", "min": 2}]},
              "$.items[*].id": {"combine": "AND", "matchers": [{"match": "integer"}]}
            }}
            """#)))
        #expect(document["interactions"]?.arrayValue?.first?["response"]?["body"]?["content"] == ["items": [["id": 1], ["id": 1]]])
    }

    @Test func v3PactReadsBackEqualApartFromV4Attributes() throws {
        let consumerPact = richPact(specification: .v3)
        let pending = consumerPact.takePending()
        #expect(pending.validationErrors.isEmpty)
        let pact = consumerPact.pact(with: pending.interactions)
        let (bytes, warnings) = try PactWriter().bytes(for: pact, as: .v3)
        #expect(warnings.isEmpty)
        let loaded = try PactReader().read(bytes, source: "consumer-v3.json")
        #expect(loaded.pact.specification == .v3)
        #expect(loaded.pact.interactions.count == 3)
        for (read, written) in zip(loaded.pact.httpInteractions, pact.httpInteractions) {
            #expect(read.info.description == written.info.description)
            #expect(read.info.providerStates == written.info.providerStates)
            #expect(read.request == written.request, "\(written.description)")
            #expect(read.response == written.response, "\(written.description)")
        }
    }

    @Test func v3PactReportsWhatOnlyV4CanHold() throws {
        let consumerPact = ConsumerPact(consumer: "C", provider: "P", specification: .v3)
        addV4Only(to: consumerPact)
        let errors = consumerPact.validationErrors()
        #expect(errors.contains("interaction 'a V4-only interaction': pending, key and comments need spec V4, but this pact is written as V3"))
        #expect(errors.contains("interaction 'a V4-only interaction': response status: the statusCode rule needs spec V4, but this pact is written as V3"))
        #expect(errors.contains("interaction 'a V4-only interaction': response body $.accounts: the eachKey rule needs spec V4, but this pact is written as V3"))
        #expect(errors.contains("interaction 'a V4-only interaction': response body $.codes: the eachValue rule needs spec V4, but this pact is written as V3"))
        #expect(errors.contains("interaction 'a V4-only interaction': response body $.tx: the arrayContains rule needs spec V4, but this pact is written as V3"))
        #expect(errors.contains("interaction 'a V4-only interaction': response body $.version: the semver rule needs spec V4, but this pact is written as V3"))
        #expect(errors.contains("interaction 'a V4-only interaction': response body $.tags: the notEmpty rule needs spec V4, but this pact is written as V3"))
        #expect(errors.count == 7)
    }

    @Test func v2PactReportsGeneratorsAndV3Rules() throws {
        let consumerPact = ConsumerPact(consumer: "C", provider: "P", specification: .v2)
        consumerPact.uponReceiving("a v2 request")
            .withRequest(method: .get, path: "/")
            .willRespondWith(status: 200, body: .json(["id": .randomInt(min: 1, max: 2), "name": .like("x")]))
        #expect(consumerPact.validationErrors() == [
            "interaction 'a v2 request': response body $.id: the integer rule needs spec V3, but this pact is written as V2",
            "interaction 'a v2 request': response: generators need spec V3, but this pact is written as V2",
        ])
    }
}
