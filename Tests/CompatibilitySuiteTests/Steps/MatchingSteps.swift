import Foundation
import PactMatching
import PactModel

/// Steps of `http_matching.feature` and the `matching_rules.feature` files.
enum MatchingSteps {
    static let definitions: [StepDefinition] = [
        StepDefinition("an expected request with a(n) {string} header of {string}") { world, arguments, _ in
            world.expectedRequest.headers.set(arguments[0], [arguments[1]])
        },
        StepDefinition("a request is received with a(n) {string} header of {string}") { world, arguments, _ in
            world.receivedRequests.append(HTTPRequest(headers: HTTPHeaders([(arguments[0], arguments[1])])))
        },
        StepDefinition("an expected request configured with the following:") { world, _, step in
            let values = try world.row(step)
            try world.configure(&world.expectedRequest, with: values)
            if let rules = values["matching rules"], !rules.isEmpty {
                world.expectedRequest.matchingRules = try world.matchingRules(rules)
            }
        },
        StepDefinition("a request is received with the following:") { world, _, step in
            var request = HTTPRequest()
            try world.configure(&request, with: try world.row(step))
            world.receivedRequests.append(request)
        },
        StepDefinition("the following requests are received:") { world, _, step in
            for values in try world.rows(step) {
                var request = HTTPRequest()
                var withoutType = values
                withoutType["content type"] = nil
                try world.configure(&request, with: withoutType)
                world.receivedRequests.append(request)
            }
        },
        StepDefinition("the request is compared to the expected one") { world, _, _ in
            guard let first = world.receivedRequests.first else { throw StepFailure("no request was received") }
            world.requestResults.append(RequestMatcher.compare(expected: world.expectedRequest, actual: first))
        },
        StepDefinition("the requests are compared to the expected one") { world, _, _ in
            for request in world.receivedRequests {
                world.requestResults.append(RequestMatcher.compare(expected: world.expectedRequest, actual: request))
            }
        },
        StepDefinition("the comparison should be OK") { world, _, _ in
            let mismatches = world.requestResults.flatMap { $0 }
            guard mismatches.isEmpty else { throw StepFailure("expected no mismatches but got \(mismatches)") }
        },
        StepDefinition("the comparison should NOT be OK") { world, _, _ in
            guard world.requestResults.contains(where: { !$0.isEmpty }) else { throw StepFailure("every request matched") }
        },
        StepDefinition("the mismatches will contain a mismatch with error {string} -> {string}") { world, arguments, _ in
            let (path, error) = (arguments[0], arguments[1])
            let all = world.requestResults.flatMap { $0 }
            let found = all.contains { mismatch in
                guard [.query, .header, .body, .metadata].contains(mismatch.kind), mismatch.path == path else { return false }
                return mismatch.message.contains(error) || Self.regexFinds(error, in: mismatch.message)
            }
            guard found else { throw StepFailure("no mismatch at '\(path)' with '\(error)' among \(all)") }
        },
        StepDefinition("an expected response configured with the following:") { world, _, step in
            let values = try world.row(step)
            var response = HTTPResponse()
            if let status = values["status"], let code = Int(status) { response.status = code }
            if let description = values["body"], !description.isEmpty {
                let (body, type) = try world.body(description, contentType: values["content type"])
                response.body = body
                response.headers.set("Content-Type", [type])
            }
            if let rules = values["matching rules"], !rules.isEmpty { response.matchingRules = try world.matchingRules(rules) }
            world.expectedResponse = response
        },
        StepDefinition("a status {int} response is received") { world, arguments, _ in
            guard let status = Int(arguments[0]) else { throw StepFailure("'\(arguments[0])' is not a status") }
            world.receivedResponses.append(HTTPResponse(status: status))
        },
        StepDefinition("the response is compared to the expected one") { world, _, _ in
            guard let first = world.receivedResponses.first else { throw StepFailure("no response was received") }
            world.responseResults += RequestMatcher.compare(expected: world.expectedResponse, actual: first)
        },
        StepDefinition("the response comparison should be OK") { world, _, _ in
            guard world.responseResults.isEmpty else { throw StepFailure("expected no mismatches but got \(world.responseResults)") }
        },
        StepDefinition("the response comparison should NOT be OK") { world, _, _ in
            guard !world.responseResults.isEmpty else { throw StepFailure("the response matched") }
        },
        StepDefinition("the response mismatches will contain a {string} mismatch with error {string}") { world, arguments, _ in
            let found = world.responseResults.contains { $0.kind.rawValue == arguments[0] && $0.message == arguments[1] }
            guard found else { throw StepFailure("no \(arguments[0]) mismatch '\(arguments[1])' among \(world.responseResults)") }
        },
    ]

    static func regexFinds(_ pattern: String, in text: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..<text.endIndex, in: text)) != nil
    }
}
