import Foundation
import PactMatching
import PactMockServer
import PactModel
import TestSupport
import Testing

/// The Pact specification's own test cases (`../shared/pact-specification-testcases`, or the folder named by
/// `PACT_SPECIFICATION_TESTCASES`): each gives an expected and an actual request or response and whether they must
/// match. Request cases travel over real HTTP to a mock server serving the expected request, as a consumer's client
/// would send them; response cases are judged by the engine the verifier uses. Each prints one line per version and
/// kind, and the run fails below the floor reached (raise it as cases are fixed, never lower it).
@Suite("Pact specification test cases")
struct SpecificationCaseTests {
    /// Cases passing today, request and response together; the 5 requests with an empty path, which HTTP/1.1 cannot
    /// carry, are judged through the engine and counted in.
    static let floor = 720

    static let versions = ["version-1": "1.0.0", "version-1.1": "1.1.0", "version-2": "2.0.0", "version-3": "3.0.0", "version-4": "4.0"]

    static let root: URL? = {
        var candidates: [String] = []
        if let configured = ProcessInfo.processInfo.environment["PACT_SPECIFICATION_TESTCASES"], !configured.isEmpty { candidates.append(configured) }
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates += [package.appendingPathComponent("../shared/pact-specification-testcases").path,
                       package.appendingPathComponent("../../shared/pact-specification-testcases").path]
        return candidates.map { URL(fileURLWithPath: $0).standardizedFileURL }.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("version-1").path) }
    }()

    struct Case: Sendable {
        var version: String
        var file: String
        var match: Bool
        var expected: JSONValue
        var actual: JSONValue
    }

    static func cases(_ kind: String) throws -> [Case] {
        guard let root else { return [] }
        var cases: [Case] = []
        for version in versions.keys.sorted() {
            let folder = root.appendingPathComponent(version).appendingPathComponent(kind)
            guard let groups = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { continue }
            for group in groups.sorted() {
                let groupFolder = folder.appendingPathComponent(group)
                for name in (try? FileManager.default.contentsOfDirectory(atPath: groupFolder.path))?.sorted() ?? [] where name.hasSuffix(".json") {
                    let document = try JSONParser.parse(Array(try Data(contentsOf: groupFolder.appendingPathComponent(name))))
                    cases.append(Case(version: version, file: "\(version)/\(kind)/\(group)/\(name)", match: document["match"]?.boolValue ?? false,
                                      expected: document["expected"] ?? .null, actual: document["actual"] ?? .null))
                }
            }
        }
        return cases
    }

    /// A pact of one interaction in the case's version.
    static func pact(_ version: String, request: JSONValue, response: JSONValue) throws -> Pact {
        var interaction: JSONObject = ["description": "spec case", "request": request, "response": response]
        if version == "version-4" { interaction["type"] = "Synchronous/HTTP" }
        let document: JSONValue = [
            "consumer": ["name": "spec-consumer"], "provider": ["name": "spec-provider"], "interactions": [.object(interaction)],
            "metadata": ["pactSpecification": ["version": .string(versions[version] ?? "3.0.0")]],
        ]
        return try PactReader().read(document, source: "spec case").pact
    }

    /// The case's actual request as HTTP/1.1 bytes: method and headers as given (a value's line break unfolded to a
    /// space, as HTTP does), the query as written (V1, V2) or encoded from its map (V3, V4), the body as its text.
    static func rawRequest(_ version: String, _ actual: JSONValue) -> [UInt8] {
        var target = actual["path"]?.stringValue ?? "/"
        var query = ""
        switch actual["query"] {
        case .string(let raw)?: query = raw
        case .object(let map)?:
            var parts: [String] = []
            for (name, values) in map {
                for value in values.arrayValue ?? [values] {
                    let encodedName = percentEncoded(name)
                    parts.append(value.isNull ? encodedName : encodedName + "=" + percentEncoded(value.stringValue ?? JSONWriter.compactString(value)))
                }
            }
            query = parts.joined(separator: "&")
        default: break
        }
        if !query.isEmpty { target += "?" + query }
        var head = "\(actual["method"]?.stringValue ?? "GET") \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        var declaredType: String?
        let body = bodyBytes(version, actual, declaredType: &declaredType)
        var hasContentType = false
        for (name, value) in actual["headers"]?.objectValue ?? [:] {
            for item in value.arrayValue ?? [value] {
                let text = (item.stringValue ?? JSONWriter.compactString(item)).replacingOccurrences(of: "\r", with: "")
                    .components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
                head += "\(name): \(text)\r\n"
                if name.lowercased() == "content-type" { hasContentType = true }
            }
        }
        if let declaredType, !hasContentType, body != nil { head += "Content-Type: \(declaredType)\r\n" }
        head += "Content-Length: \(body?.count ?? 0)\r\nConnection: close\r\n\r\n"
        return Array(head.utf8) + (body ?? [])
    }

    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? text
    }

    /// The body's bytes: none when absent or null, a string as its text, other JSON as JSON text; a V4 body's
    /// content the same way (base64 decoded when encoded), its content type given back in `declaredType`.
    static func bodyBytes(_ version: String, _ part: JSONValue, declaredType: inout String?) -> [UInt8]? {
        guard let body = part["body"], !body.isNull else { return nil }
        if version == "version-4", case .object(let object) = body, object["content"] != nil || object.isEmpty || object["encoded"] != nil {
            declaredType = object["contentType"]?.stringValue
            guard let content = object["content"], !content.isNull else { return nil }
            if case .string(let text) = content {
                let encoded = object["encoded"]
                if encoded?.boolValue == true || encoded?.stringValue?.lowercased() == "base64" {
                    return Data(base64Encoded: text).map { Array($0) } ?? Array(text.utf8)
                }
                return Array(text.utf8)
            }
            return Array(JSONWriter.compactString(content).utf8)
        }
        if case .string(let text) = body { return Array(text.utf8) }
        return Array(JSONWriter.compactString(body).utf8)
    }

    /// Prints `spec-cases VERSION KIND: passed/total` for each version, and returns the total passed.
    static func report(_ kind: String, _ outcomes: [(Case, Bool)]) -> Int {
        for version in versions.keys.sorted() {
            let mine = outcomes.filter { $0.0.version == version }
            guard !mine.isEmpty else { continue }
            print("spec-cases \(version) \(kind): \(mine.filter(\.1).count)/\(mine.count)")
        }
        for (failed, passed) in outcomes where !passed {
            print("spec-cases failed: \(failed.file) (expected \(failed.match ? "a match" : "no match"))")
        }
        return outcomes.filter(\.1).count
    }

    @Test("request cases over HTTP to a mock server, and response cases through the verifier's engine")
    func specificationCases() async throws {
        try #require(Self.root != nil, "the specification test cases were not found; set PACT_SPECIFICATION_TESTCASES")
        var requestOutcomes: [(Case, Bool)] = []
        for testCase in try Self.cases("request") {
            guard let pact = try? Self.pact(testCase.version, request: testCase.expected, response: ["status": 200]) else {
                requestOutcomes.append((testCase, false))
                continue
            }
            if testCase.actual["path"]?.stringValue == "" {
                // An empty request-target cannot travel over HTTP/1.1: judged by the engine the mock server uses.
                let actual = try? Self.pact(testCase.version, request: testCase.actual, response: ["status": 200])
                let matched = actual.map { RequestMatcher.compare(expected: pact.httpInteractions[0].request, actual: $0.httpInteractions[0].request).isEmpty }
                requestOutcomes.append((testCase, matched == testCase.match))
                continue
            }
            let server = MockServer(pact: pact)
            try await server.start()
            let port = try #require(server.port)
            let bytes = Self.rawRequest(testCase.version, testCase.actual)
            let reply = try await onOwnThread {
                let socket = try RawSocket(port: port, readTimeout: 10)
                socket.send(bytes)
                return socket.receive(until: "\r\n")
            }
            await server.stop()
            requestOutcomes.append((testCase, reply.hasPrefix("HTTP/1.1 200") == testCase.match))
        }
        var responseOutcomes: [(Case, Bool)] = []
        for testCase in try Self.cases("response") {
            guard let expected = try? Self.pact(testCase.version, request: ["method": "GET", "path": "/"], response: testCase.expected),
                  let actual = try? Self.pact(testCase.version, request: ["method": "GET", "path": "/"], response: testCase.actual) else {
                responseOutcomes.append((testCase, false))
                continue
            }
            let matched = RequestMatcher.compare(expected: expected.httpInteractions[0].response, actual: actual.httpInteractions[0].response).isEmpty
            responseOutcomes.append((testCase, matched == testCase.match))
        }
        let passed = Self.report("request", requestOutcomes) + Self.report("response", responseOutcomes)
        let total = requestOutcomes.count + responseOutcomes.count
        print("spec-cases total: \(passed)/\(total)")
        #expect(passed >= Self.floor, "\(passed) of \(total) specification cases pass; the floor is \(Self.floor)")
    }
}
