import Foundation
import PactMockServer
import PactModel
import PactVerifier

/// Builds pacts from JSON text and runs stand-in providers for the verifier tests.
enum VerifierTestSupport {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let bankingPactPath = packageRoot.appendingPathComponent("Tests/Fixtures/pacts/banking-v4.json").path

    /// Reads a V4 pact whose `interactions` array is given as JSON text.
    static func pact(consumer: String = "Consumer", provider: String = "Provider", interactions: String) throws -> Pact {
        let document = """
        {"consumer": {"name": "\(consumer)"}, "provider": {"name": "\(provider)"},
         "metadata": {"pactSpecification": {"version": "4.0"}}, "interactions": \(interactions)}
        """
        return try PactReader().read(Array(document.utf8), source: "test").pact
    }

    static func bankingPact() throws -> Pact {
        try PactReader().read(contentsOf: URL(fileURLWithPath: bankingPactPath)).pact
    }

    /// One V4 HTTP interaction as JSON text.
    static func interaction(
        _ description: String, method: String = "GET", path: String, states: String = "[]", requestHeaders: String = "{}",
        requestBody: String? = nil, status: Int = 200, responseHeaders: String = "{}", responseBody: String? = nil,
        extra: String = "", requestExtra: String = ""
    ) -> String {
        let request = requestBody.map { #", "body": {"content": \#($0), "contentType": "application/json"}"# } ?? ""
        let response = responseBody.map { #", "body": {"content": \#($0), "contentType": "application/json"}"# } ?? ""
        return """
        {"type": "Synchronous/HTTP", "description": "\(description)", "providerStates": \(states)\(extra),
         "request": {"method": "\(method)", "path": "\(path)", "headers": \(requestHeaders)\(request)\(requestExtra)},
         "response": {"status": \(status), "headers": \(responseHeaders)\(response)}}
        """
    }

    /// Starts a stand-in provider that serves the responses of a pact's interactions.
    static func provider(_ pact: Pact) async throws -> MockServer {
        let server = MockServer(pact: pact)
        try await server.start()
        return server
    }

    static func baseURL(_ server: MockServer) -> String {
        server.url?.absoluteString ?? "http://127.0.0.1:1"
    }

    /// Options pointing at a stand-in provider.
    static func options(_ server: MockServer) -> VerifierOptions {
        VerifierOptions(providerBaseURL: baseURL(server), requestTimeout: .seconds(10))
    }

    /// The bodies of the requests a stand-in received, as compact JSON text or the query string, oldest first.
    static func received(_ server: MockServer) -> [String] {
        server.journal.recentEntries.map { entry in
            if let json = entry.request.body.json { return JSONWriter.string(json, style: .compactSorted) }
            return entry.request.rawQuery ?? ""
        }
    }

    static func temporaryDirectory() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pactctl-verifier-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}

/// A TCP port that accepts connections (the kernel completes them) but never answers: a provider that hangs.
final class SilentServer: @unchecked Sendable {
    let port: Int
    private let descriptor: Int32

    init() throws {
        (descriptor, port) = try SilentServer.listeningSocket()
    }

    /// A socket listening on a free loopback port, and that port.
    static func listeningSocket() throws -> (descriptor: Int32, port: Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard descriptor >= 0, bound == 0, listen(descriptor, 16) == 0 else {
            if descriptor >= 0 { close(descriptor) }
            throw CocoaError(.featureUnsupported)
        }
        return (descriptor, localPort(of: descriptor))
    }

    deinit { close(descriptor) }

    static func localPort(of descriptor: Int32) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A port nothing listens on: bound once to get a free number, then closed, so connecting is refused.
    static func closedPort() -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let port = localPort(of: descriptor)
        close(descriptor)
        return port
    }
}

/// Collects values from `@Sendable` closures, such as the calls a state handler receives.
final class Recorder<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Value] = []

    func append(_ value: Value) {
        lock.lock()
        stored.append(value)
        lock.unlock()
    }

    var values: [Value] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
