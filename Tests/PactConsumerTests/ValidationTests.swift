import PactConsumer
import PactModel
import Testing

/// Problems in declarations become validation errors naming the interaction and the path; nothing crashes.
@Suite("Validation")
struct ValidationTests {
    private func errors(_ body: PactValue) throws -> [String] {
        try compileResponseBody(body).errors
    }

    @Test func regexExampleThatDoesNotMatchIsReported() throws {
        #expect(try errors(["accountId": .regex("ACC\\d+", example: "CUST1")]) == [
            "interaction 'a request': response body $.accountId: the example does not satisfy its own rules: Expected 'CUST1' to match 'ACC\\d+'",
        ])
    }

    @Test func invalidRegexIsReportedAndLeavesNoRule() throws {
        let body = try compileResponseBody(["a": .regex("([", example: "x")])
        #expect(body.errors == [
            "interaction 'a request': response body $.a: regex: the regex '([' is not a valid regular expression (fix the expression; it is compiled with ICU, Java-like, syntax)",
        ])
        #expect(body.rules.isEmpty)
        #expect(body.example == ["a": "x"])
    }

    @Test func invalidDateFormatIsReported() throws {
        let found = try errors(["day": .date("yyyy-MM-dd'T", example: "2026-01-01")])
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("interaction 'a request': response body $.day: date: the format 'yyyy-MM-dd'T' is invalid") == true)
    }

    @Test func dateExampleNotMatchingItsFormatIsReported() throws {
        let found = try errors(["items": .eachLike(["at": .datetime(example: "24/11/2026 10:00")])])
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("interaction 'a request': response body $.items[0].at: the example does not satisfy its own rules: Expected '24/11/2026 10:00' to match a timestamp pattern of") == true)
    }

    @Test func impossibleDateIsReported() throws {
        #expect(try errors(["day": .date(example: "2026-02-30")]).count == 1)
    }

    @Test func badBoundsAndGeneratorParametersAreReported() throws {
        let found = try errors([
            "a": .eachLike(1, min: 3, max: 2), "b": .eachLike(1, min: -1), "c": .randomInt(min: 5, max: 1),
            "d": .randomString(size: 0), "e": .generatedDate(expression: "next blursday"), "f": .fromProviderState("accountId", example: "x"),
        ])
        #expect(found.count == 6)
        #expect(found.contains("interaction 'a request': response body $.a: eachLike: min (3) and max (2) must satisfy 0 <= min <= max and max >= 1"))
        #expect(found.contains("interaction 'a request': response body $.b: eachLike: min (-1) must not be negative"))
        #expect(found.contains("interaction 'a request': response body $.c: randomInt: min (5) is greater than max (1)"))
        #expect(found.contains("interaction 'a request': response body $.d: randomString: size must be between 1 and 1000000, not 0"))
        #expect(found.contains { $0.hasPrefix("interaction 'a request': response body $.e: generatedDate: invalid date/time expression 'next blursday'") })
        #expect(found.contains("interaction 'a request': response body $.f: fromProviderState: the expression 'accountId' names no provider state value; write it like ${accountId}"))
    }

    @Test func eachKeyExampleKeyBreakingTheExpressionIsReported() throws {
        #expect(try errors(["accounts": .eachKey(["acc-1": 1], matching: "ACC\\d+")]) == [
            "interaction 'a request': response body $.accounts['acc-1']: the example does not satisfy its own rules: Expected 'acc-1' to match 'ACC\\d+'",
        ])
    }

    @Test func valuesNeedsAMap() throws {
        #expect(try errors(["a": .values([1, 2])]) == ["interaction 'a request': response body $.a: values needs a map (a dictionary literal) as its example, not Array"])
    }

    @Test func statusExampleOutsideItsClassIsReported() throws {
        let (_, errors) = try declareOne { pact in
            pact.uponReceiving("a failure").withRequest(method: .get, path: "/").willRespondWith(status: .clientError(example: 500))
        }
        #expect(errors == ["interaction 'a failure': response status: the example does not satisfy its own rules: Expected status code 500 to be a Client error (400–499)"])
    }

    @Test func impossibleStatusAndPathAreReported() throws {
        let (_, errors) = try declareOne { pact in
            pact.uponReceiving("odd").withRequest(method: .get, path: "accounts").willRespondWith(status: 999)
        }
        #expect(errors == [
            "interaction 'odd': request path 'accounts' must start with '/'",
            "interaction 'odd': response status 999 is not an HTTP status code (100–599)",
        ])
    }

    @Test func headerRulesInsideAnObjectAreReported() throws {
        let (_, errors) = try declareOne { pact in
            pact.uponReceiving("odd headers").withRequest(method: .get, path: "/", headers: ["X-A": ["k": .integer(1)]]).willRespondWith(status: 200)
        }
        #expect(errors.contains("interaction 'odd headers': request header 'X-A': a value must be a string, number or boolean (or an array of them), not Object"))
        #expect(errors.contains("interaction 'odd headers': request header 'X-A': the rules at $.k inside the value cannot apply to a list of strings; put the matcher around the value"))
    }

    @Test func jsonBodyWithNonJSONContentTypeIsReported() throws {
        let (_, errors) = try declareOne { pact in
            pact.uponReceiving("odd body").withRequest(method: .post, path: "/", body: .json(["a": 1], contentType: "text/plain")).willRespondWith(status: 200)
        }
        #expect(errors == ["interaction 'odd body': request body: a JSON body needs a JSON content type such as application/json, not 'text/plain'; use PactBody.text for other types"])
    }

    @Test func invalidMediaTypeIsReported() throws {
        let (_, errors) = try declareOne { pact in
            pact.uponReceiving("odd type").withRequest(method: .post, path: "/", body: .text("hi", contentType: "plain")).willRespondWith(status: 200)
        }
        #expect(errors.first == "interaction 'odd type': request body: 'plain' is not a media type; write it as type/subtype, such as application/json")
    }

    @Test func sameDescriptionWithOtherContentIsReported() {
        let pact = ConsumerPact(consumer: "C", provider: "P")
        pact.uponReceiving("a request").withRequest(method: .get, path: "/a").willRespondWith(status: 200)
        pact.uponReceiving("a request").withRequest(method: .get, path: "/a").willRespondWith(status: 200)
        #expect(pact.validationErrors().isEmpty)
        pact.uponReceiving("a request").withRequest(method: .get, path: "/b").willRespondWith(status: 200)
        #expect(pact.validationErrors().count == 1)
        #expect(pact.validationErrors().first?.contains("same description and provider states") == true)
    }

    @Test func errorsAreKeptAfterTakingAndThrownByValidate() {
        let pact = ConsumerPact(consumer: "C", provider: "P")
        pact.uponReceiving("bad").withRequest(method: .get, path: "/").willRespondWith(status: 200, body: .json(["a": .regex("\\d+", example: "x")]))
        let pending = pact.takePending()
        #expect(pending.interactions.count == 1)
        #expect(pending.validationErrors.count == 1)
        #expect(pact.takePending().validationErrors.isEmpty)
        #expect(pact.validationErrors().count == 1)
        #expect(throws: PactConsumerError.invalidInteractions(pact.validationErrors())) { try pact.validate() }
        #expect(PactConsumerError.invalidInteractions(["x"]).description == "the pact's interactions have 1 problem:\n  - x")
    }

    @Test func matchersNestedTooDeeplyAreReportedWithoutCrashing() throws {
        var value: PactValue = .integer(1)
        for _ in 0..<300 { value = ["a": .like(value)] }
        let body = try compileResponseBody(value)
        #expect(body.errors.count == 1)
        #expect(body.errors.first?.contains("like: matchers nested deeper than 50 levels are not supported") == true)
        #expect(body.rules.entries.count == 49)
    }

    @Test func valuesNestedTooDeeplyAreReportedWithoutCrashing() throws {
        var value: PactValue = 1
        for _ in 0..<600 { value = [value] }
        let body = try compileResponseBody(value)
        #expect(body.errors.count == 1)
        #expect(body.errors.first?.contains("values nested deeper than 500 levels cannot be written to a pact file") == true)
    }

    @Test func regexThatCannotGenerateAnExampleAsksForOne() throws {
        let found = try errors(["a": .regex("(?=a)a")])
        #expect(found.contains("interaction 'a request': response body $.a: regex: no example was given and none could be generated from the regex '(?=a)a'; pass example:"))
    }
}
