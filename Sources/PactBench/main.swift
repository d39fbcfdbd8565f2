// Matching benchmark: compares realistic requests against every interaction of a 100-interaction pact
// and reports request-against-interaction comparisons per second. Run it through Scripts/bench/matching.
import Foundation
import PactMatching
import PactModel

let interactionCount = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 100
let seconds = Double(CommandLine.arguments.dropFirst(2).first ?? "") ?? 3.0

/// A customer record of about 1 KB, varied by index.
func customerBody(_ index: Int, amount: Int) -> JSONValue {
    var transactions: [JSONValue] = []
    for item in 0..<4 {
        transactions.append([
            "transactionId": .string("TXN\(index)\(item)00"), "type": .string(item % 2 == 0 ? "deposit" : "withdrawal"),
            "amount": .number(JSONNumber(amount + item)), "balanceAfter": .number(JSONNumber(amount * 2 + item)),
            "timestamp": .string("2026-11-24T10:15:3\(item)Z"),
        ])
    }
    return [
        "accountId": .string("ACC\(1000 + index)"), "customerId": .string("CUST\(500 + index)"),
        "currency": "USD", "status": "active", "amount": .number(JSONNumber(amount)),
        "reference": .string("invoice-\(index)-2026"), "memo": "monthly savings transfer to the holiday account",
        "owner": ["name": "Ada Lovelace", "email": "ada@example.com", "phone": "+44 20 7946 0000", "verified": true],
        "limits": ["daily": 5000, "monthly": 20000.5, "overdraft": 0],
        "tags": ["savings", "priority", "retail"],
        "transactions": .array(transactions),
    ]
}

func rules(_ index: Int) throws -> MatchingRules {
    let json = try JSONParser.parse("""
    {"body": {
      "$.accountId": {"combine": "AND", "matchers": [{"match": "regex", "regex": "ACC\\\\d+"}]},
      "$.customerId": {"combine": "AND", "matchers": [{"match": "type"}]},
      "$.amount": {"combine": "AND", "matchers": [{"match": "integer"}]},
      "$.owner.email": {"combine": "AND", "matchers": [{"match": "regex", "regex": "[^@]+@[^@]+"}]},
      "$.limits.monthly": {"combine": "AND", "matchers": [{"match": "decimal"}]},
      "$.transactions": {"combine": "AND", "matchers": [{"match": "type", "min": 1}]},
      "$.transactions[*].timestamp": {"combine": "AND", "matchers": [{"match": "timestamp", "format": "yyyy-MM-dd'T'HH:mm:ssXXX"}]},
      "$.transactions[*].type": {"combine": "AND", "matchers": [{"match": "regex", "regex": "deposit|withdrawal"}]}
    },
    "header": {"X-Request-Id": {"combine": "AND", "matchers": [{"match": "regex", "regex": "[0-9a-f-]+"}]}}}
    """)
    _ = index
    return try MatchingRules(json: json)
}

let methods = ["GET", "POST", "PUT", "DELETE"]
var interactions: [HTTPInteraction] = []
for index in 0..<interactionCount {
    var request = HTTPRequest(method: methods[index % methods.count], path: "/api/accounts/ACC\(1000 + index)/operations")
    request.query = QueryParameters([("page", "1"), ("limit", "20")])
    request.headers = HTTPHeaders([("Content-Type", "application/json"), ("X-Request-Id", "4f1c-\(index)")])
    request.body = Body(json: customerBody(index, amount: 100 + index))
    request.matchingRules = try rules(index)
    interactions.append(HTTPInteraction(info: InteractionInfo(description: "operation \(index)"), request: request, response: HTTPResponse()))
}

// Requests as a client sends them: fresh values, so rules (not equality) decide.
var requests: [HTTPRequest] = []
for index in 0..<interactionCount {
    let body = JSONWriter.bytes(customerBody(index, amount: 900 + index), style: .compact)
    requests.append(HTTPRequest(
        method: methods[index % methods.count], path: "/api/accounts/ACC\(1000 + index)/operations",
        query: QueryParameters([("page", "1"), ("limit", "20")]),
        headers: HTTPHeaders([("Content-Type", "application/json"), ("X-Request-Id", "9a2b-\(index)")]),
        body: Body(bytes: body, contentType: .json)))
}
let bodySize = requests[0].body.bytes.count

// Sanity check: each request matches its own interaction and no other.
for (index, request) in requests.enumerated() {
    let own = RequestMatcher.compare(expected: interactions[index].request, actual: request)
    guard own.isEmpty else { fatalError("request \(index) does not match its interaction: \(own)") }
}

/// Runs `body` over and over for the given time and returns how many times per second it ran.
func measure(_ label: String, _ body: () -> Int) -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start.advanced(by: .milliseconds(Int(seconds * 1000)))
    var count = 0
    if let fixed = ProcessInfo.processInfo.environment["BENCH_ITERATIONS"].flatMap(Int.init) {
        // A fixed amount of work, for instruction counting under callgrind.
        for _ in 0..<fixed { count += body() }
    } else {
        while clock.now < deadline { count += body() }
    }
    let elapsed = start.duration(to: clock.now)
    let rate = Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    print(String(format: "%@: %.0f comparisons/s (%.2f µs each)", label, rate, 1e6 / rate))
    return rate
}

print("interactions: \(interactionCount), request body: \(bodySize) bytes, rules per interaction: 9")
// 1. What a mock server does per request: test it against every interaction, stopping at the first difference.
let onlyFull = ProcessInfo.processInfo.environment["BENCH_ONLY_FULL"] != nil
let quick = onlyFull ? 1 : measure("quick match against all \(interactionCount) interactions") {
    var found = 0
    for request in requests { for interaction in interactions where RequestMatcher.matches(expected: interaction.request, actual: request) { found += 1 } }
    precondition(found == requests.count, "every request must match exactly its own interaction")
    return requests.count * interactions.count
}
// 2. The worst case: a full comparison of a request with the interaction it matches (whole body, every rule).
let full = measure("full comparison with the matching interaction") {
    for (index, request) in requests.enumerated() { precondition(RequestMatcher.compare(expected: interactions[index].request, actual: request).isEmpty) }
    return requests.count
}
// 3. Full mismatch lists against every interaction, as when reporting the closest interaction for an unmatched request.
let detailed = onlyFull ? 1 : measure("full mismatch lists against all \(interactionCount) interactions") {
    var total = 0
    for request in requests.prefix(10) { for interaction in interactions { total += RequestMatcher.compare(expected: interaction.request, actual: request).isEmpty ? 0 : 1 } }
    return 10 * interactions.count
}
print(String(format: "requests matched against the whole pact per second: %.0f", quick / Double(interactionCount)))
print(String(format: "headline: %.0f request-against-interaction comparisons per second on one core (target 200000)", quick))
_ = (full, detailed)
