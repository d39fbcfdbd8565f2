import ArgumentParser
import Foundation
import PactMockServer
import PactModel

/// `pactctl merge`: merges pact files into the pact file of their consumer and provider in a folder.
struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge pact files into Consumer-Provider.json files in a folder, as test runs do.",
        discussion: """
            An interaction with the same description and provider states replaces the one already in the file; \
            others are added. Writes are atomic and take a lock, so several processes can merge into one folder at once.
            """
    )

    @Argument(help: "Pact files to merge.")
    var files: [String]

    @Option(name: .long, help: "The folder holding the merged pact files.")
    var into: String

    @Option(name: .long, help: "Version to write: v1, v1.1, v2, v3 or v4.")
    var to: String = "v4"

    func validate() throws {
        if files.isEmpty { throw ValidationError("Give at least one pact file to merge.") }
    }

    func run() async throws {
        let version = try PactFiles.specification(to)
        let writer = PactFileWriter(directory: URL(fileURLWithPath: into), specification: version,
                                    tool: (name: "pactctl", version: PactctlVersion.current))
        for file in files {
            let loaded = try PactFiles.load(file)
            do {
                let target = try writer.write(loaded.pact)
                Terminal.print("merged \(file) into \(target.path)")
            } catch {
                throw CLIFailure.invalid(error.description)
            }
        }
    }
}
