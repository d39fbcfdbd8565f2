import TestSupport
import Foundation
import PactMockServer
import PactModel
import Testing

@Suite("Pact file writing") struct PactFileWriterTests {
    typealias Support = MockServerTestSupport

    @Test func interactionsAreSortedSoParallelTestsGiveTheSameFile() throws {
        let one = Support.temporaryDirectory()
        let two = Support.temporaryDirectory()
        for name in ["b", "c", "a"] { try PactFileWriter(directory: one).write(Support.pact([Support.interaction(name, path: "/\(name)")])) }
        for name in ["c", "a", "b"] { try PactFileWriter(directory: two).write(Support.pact([Support.interaction(name, path: "/\(name)")])) }
        let first = try Data(contentsOf: one.appendingPathComponent("Consumer-Provider.json"))
        #expect(first == (try Data(contentsOf: two.appendingPathComponent("Consumer-Provider.json"))))
        #expect(try PactReader().read([UInt8](first), source: "x").pact.interactions.map(\.description) == ["a", "b", "c"])
    }

    @Test func mergesReplacingInteractionsWithTheSameDescriptionAndStates() throws {
        let folder = Support.temporaryDirectory()
        let writer = PactFileWriter(directory: folder)
        try writer.write(Support.pact([Support.interaction("a", path: "/old"), Support.interaction("b", path: "/b")]))
        let file = try writer.write(Support.pact([Support.interaction("a", path: "/new"), Support.interaction("c", path: "/c")]))
        #expect(file.lastPathComponent == "Consumer-Provider.json")
        let pact = try PactReader().read(contentsOf: file).pact
        #expect(pact.httpInteractions.map(\.description) == ["a", "b", "c"])
        #expect(pact.httpInteractions.first?.request.path == "/new")
        #expect(pact.specification == .v4)
    }

    static func message(_ description: String) -> Interaction {
        .asynchronousMessage(AsynchronousMessage(info: InteractionInfo(description: description),
                                                 message: MessageContents(contents: Body(json: ["event": "x"], contentType: .json))))
    }

    @Test func anHTTPInteractionAndAMessageWithTheSameDescriptionAreBothKept() throws {
        let folder = Support.temporaryDirectory()
        let writer = PactFileWriter(directory: folder)
        try writer.write(Support.pact([Support.interaction("account ACC001", path: "/a")]))
        let file = try writer.write(Pact(consumer: "Consumer", provider: "Provider", interactions: [Self.message("account ACC001")]))
        let kinds = try PactReader().read(contentsOf: file).pact.interactions.map(\.typeName)
        #expect(kinds.sorted() == ["Asynchronous/Messages", "Synchronous/HTTP"])
    }

    @Test func messagesAreNotMergedIntoAV3FileOfHTTPInteractions() throws {
        let folder = Support.temporaryDirectory()
        let writer = PactFileWriter(directory: folder, specification: .v3)
        let file = try writer.write(Support.pact([Support.interaction("a", path: "/a")]))
        let before = try Data(contentsOf: file)
        #expect {
            try writer.write(Pact(consumer: "Consumer", provider: "Provider", interactions: [Self.message("an event")]))
        } throws: { error in
            let text = "\(error)"
            return text.contains("the file holds HTTP interactions and this pact adds messages") && text.contains("write the pact as V4")
                && text.contains("Provider-events")
        }
        #expect(try Data(contentsOf: file) == before)
    }

    @Test func aNewerFileIsNotRewrittenInAnOlderVersion() throws {
        let folder = Support.temporaryDirectory()
        let file = try PactFileWriter(directory: folder, specification: .v4).write(Support.pact([Support.interaction("a", path: "/a")]))
        let before = try Data(contentsOf: file)
        #expect {
            try PactFileWriter(directory: folder, specification: .v3).write(Support.pact([Support.interaction("b", path: "/b")]))
        } throws: { error in
            "\(error)".contains("the file holds a V4 pact and this pact is written as V3")
        }
        #expect(try Data(contentsOf: file) == before)
        // The same or a newer version merges as usual.
        try PactFileWriter(directory: folder, specification: .v4).write(Support.pact([Support.interaction("b", path: "/b")]))
        #expect(try PactReader().read(contentsOf: file).pact.interactions.count == 2)
    }

    @Test func writesTheChosenSpecificationVersion() throws {
        let folder = Support.temporaryDirectory()
        let file = try PactFileWriter(directory: folder, specification: .v2).write(Support.pact([Support.interaction("a", path: "/a")]))
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("\"version\": \"2.0.0\""))
        #expect(try PactReader().read(contentsOf: file).pact.specification == .v2)
    }

    @Test func rewritingTheSamePactGivesIdenticalBytes() throws {
        let folder = Support.temporaryDirectory()
        let writer = PactFileWriter(directory: folder)
        let pact = Support.pact([Support.interaction("a", path: "/a", responseBody: ["x": 1.50, "big": .number(JSONNumber(literal: "123456789012345678901234567890") ?? JSONNumber(0))])])
        let file = try writer.write(pact)
        let first = try Data(contentsOf: file)
        try writer.write(pact)
        #expect(try Data(contentsOf: file) == first)
    }

    @Test func aCorruptExistingFileIsReportedNotOverwritten() throws {
        let folder = Support.temporaryDirectory()
        let file = folder.appendingPathComponent("Consumer-Provider.json")
        try Data("{ not json".utf8).write(to: file)
        #expect(throws: MockServerError.self) { try PactFileWriter(directory: folder).write(Support.pact([Support.interaction("a", path: "/a")])) }
        #expect(try String(contentsOf: file, encoding: .utf8) == "{ not json")
    }

    @Test func parallelWritersInOneProcessLoseNothing() async throws {
        let folder = Support.temporaryDirectory()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writerIndex in 0..<8 {
                group.addTask {
                    for item in 0..<10 {
                        try PactFileWriter(directory: folder).write(Support.pact([Support.interaction("w\(writerIndex)-\(item)", path: "/\(item)")]))
                    }
                }
            }
            try await group.waitForAll()
        }
        let pact = try PactReader().read(contentsOf: folder.appendingPathComponent("Consumer-Provider.json")).pact
        #expect(pact.interactions.count == 80)
        #expect(Set(pact.interactions.map(\.description)).count == 80)
    }

    @Test func parallelWriterProcessesLoseNothing() async throws {
        let binary = try PactctlBinary.locate()
        let folder = Support.temporaryDirectory()
        var inputs: [String] = []
        for process in 0..<8 {
            let interactions = (0..<10).map { Support.interaction("p\(process)-\($0)", path: "/\($0)") }
            let file = folder.appendingPathComponent("input-\(process).json")
            try Data(try PactWriter().bytes(for: Support.pact(interactions), as: .v4).bytes).write(to: file)
            inputs.append(file.path)
        }
        let target = folder.appendingPathComponent("merged")
        var processes: [ChildProcess] = []
        for round in 0..<3 {
            for input in inputs {
                let process = ChildProcess()
                process.executableURL = binary
                process.arguments = ["merge", input, "--into", target.path]
                process.standardOutput = FileHandle.nullDevice
                try process.run()
                processes.append(process)
            }
            _ = round
        }
        for process in processes { process.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        let pact = try PactReader().read(contentsOf: target.appendingPathComponent("Consumer-Provider.json")).pact
        #expect(pact.interactions.count == 80)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: target.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }
}

/// Finds the built `pactctl` next to the test bundle.
enum PactctlBinary {
    static func locate() throws -> URL {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("pactctl"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("pactctl"),
            root.appendingPathComponent(".build/debug/pactctl"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw CocoaError(.fileNoSuchFile)
        }
        return found
    }
}
