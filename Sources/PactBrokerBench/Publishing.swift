import Foundation
import PactHTTP

/// `clients` concurrent clients POSTing `/contracts/publish` for `seconds`, each as fast as the broker acknowledges;
/// `body(worker, sequence)` gives each request's body (the sequence counts that worker's publishes from 1).
/// Returns the publishes acknowledged with 200 and the others.
func publishConcurrently(base: String, seconds: Double, clients: Int = 20,
                         body: @escaping @Sendable (_ worker: Int, _ sequence: Int) -> String) async -> (ok: Int, errors: Int) {
    let started = Date()
    return await withTaskGroup(of: (Int, Int).self) { group in
        for worker in 0..<clients {
            group.addTask {
                let publisher = HTTPClient()
                defer { publisher.shutdown() }
                var ok = 0, errors = 0, sequence = 0
                while Date().timeIntervalSince(started) < seconds {
                    sequence += 1
                    let response = try? await publisher.send(HTTPClientRequest(method: "POST", url: "\(base)/contracts/publish",
                                                                               headers: [("Content-Type", "application/json")],
                                                                               body: Array(body(worker, sequence).utf8)))
                    if response?.status == 200 { ok += 1 } else { errors += 1 }
                }
                return (ok, errors)
            }
        }
        var total = (ok: 0, errors: 0)
        for await count in group { total = (total.ok + count.0, total.errors + count.1) }
        return total
    }
}

/// The body of a `/contracts/publish` request for one pact.
func publishBody(consumer: String, provider: String, version: String, pact: String, tags: [String] = []) -> String {
    let tagList = tags.isEmpty ? "" : #","tags":[\#(tags.map { "\"\($0)\"" }.joined(separator: ","))]"#
    return #"{"pacticipantName":"\#(consumer)","pacticipantVersionNumber":"\#(version)","branch":"main"\#(tagList),"contracts":[{"consumerName":"\#(consumer)","providerName":"\#(provider)","specification":"pact","contentType":"application/json","content":"\#(Data(pact.utf8).base64EncodedString())"}]}"#
}
