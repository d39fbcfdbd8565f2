import Foundation
import PactModel
import PactVerifier
import Testing

/// A provider that accepts each connection, reads the request, and resets the connection without answering.
final class ResettingServer: @unchecked Sendable {
    let port: Int
    private let descriptor: Int32
    private let thread: Thread

    init() throws {
        let (descriptor, port) = try SilentServer.listeningSocket()
        self.descriptor = descriptor
        self.port = port
        thread = Thread {
            while true {
                let connection = accept(descriptor, nil, nil)
                if connection < 0 {
                    if errno == EINTR { continue }
                    return
                }
                var buffer = [UInt8](repeating: 0, count: 4096)
                _ = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
                // SO_LINGER with a zero timeout turns close() into a reset.
                var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                setsockopt(connection, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
                close(connection)
            }
        }
        thread.start()
    }

    deinit {
        shutdown(descriptor, Int32(SHUT_RDWR))
        close(descriptor)
    }
}

@Suite("Provider faults: resets and bodies that are not UTF-8")
struct ResetAndEncodingFaultTests {
    typealias Support = VerifierTestSupport

    @Test func aProviderThatResetsTheConnectionGivesAnErrorResult() async throws {
        let resetting = try ResettingServer()
        let options = VerifierOptions(providerBaseURL: "http://127.0.0.1:\(resetting.port)", requestTimeout: .seconds(5))
        let pact = try Support.pact(interactions: "[\(Support.interaction("x", path: "/a"))]")
        let clock = ContinuousClock()
        let start = clock.now
        let report = try await Verifier(options: options).verify([pact])
        #expect(clock.now - start < .seconds(30), "a reset must give an error, not a wait for the 5 s timeout and beyond")
        let result = try #require(report.results.first)
        guard case .error(let message) = result.outcome else { Issue.record("expected an error, got \(result.outcome)"); return }
        #expect(message.hasPrefix("Request to the provider failed"))
        #expect(message.contains("127.0.0.1:\(resetting.port)"))
        #expect(!report.isSuccess)
        withExtendedLifetime(resetting) {}
    }

    @Test func aBodyThatIsNotUTF8IsABodyMismatchNotACrash() async throws {
        // 0xFF 0xFE are never valid in UTF-8; the stand-in sends them as its "JSON" body.
        let served = #"""
        {"type": "Synchronous/HTTP", "description": "x", "request": {"method": "GET", "path": "/a"},
         "response": {"status": 200, "headers": {"Content-Type": ["application/json"]},
                      "body": {"content": "//57InggOiAxfQ==", "contentType": "application/octet-stream", "encoded": "base64"}}}
        """#
        let provider = try await Support.provider(try Support.pact(interactions: "[\(served)]"))
        defer { Task { await provider.stop() } }
        let expected = Support.interaction("x", path: "/a", responseHeaders: #"{"Content-Type": ["application/json"]}"#, responseBody: #"{"x": 1}"#)
        let report = try await Verifier(options: Support.options(provider)).verify([try Support.pact(interactions: "[\(expected)]")])
        let result = try #require(report.results.first)
        guard case .failed(let mismatches) = result.outcome else { Issue.record("expected a body mismatch, got \(result.outcome)"); return }
        #expect(mismatches.first?.kind == .body)
        #expect(mismatches.first?.message.contains("Failed to parse the actual body as JSON") == true)
        #expect(result.errorSummary.first == "Body had differences")
    }
}
