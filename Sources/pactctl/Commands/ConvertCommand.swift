import ArgumentParser
import Foundation
import PactModel

/// `pactctl convert`: rewrites a pact in another specification version.
struct ConvertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Rewrite a pact file in another Pact specification version (V1 to V4).",
        discussion: """
            Older pacts are upgraded in memory and can be written as any version. What the target version cannot \
            hold (for example V3 rules in a V2 pact) is reported as a warning; messages need V3 or V4.
            """
    )

    @Argument(help: "The pact file to convert.")
    var file: String

    @Option(name: .long, help: "Target version: v1, v1.1, v2, v3 or v4.")
    var to: String = "v4"

    @Option(name: [.short, .long], help: "Where to write the result; standard output when omitted.")
    var output: String?

    func run() async throws {
        let version = try PactFiles.specification(to)
        let loaded = try PactFiles.load(file)
        for warning in loaded.warnings { Terminal.warning("\(file): \(warning)") }
        let written: (bytes: [UInt8], warnings: [PactWarning])
        do {
            written = try PactWriter(tool: (name: "pactctl", version: PactctlVersion.current)).bytes(for: loaded.pact, as: version)
        } catch {
            throw CLIFailure.invalid("\(file): cannot write as \(version): \(error.reason)")
        }
        for warning in written.warnings { Terminal.warning("\(file): \(warning)") }
        if let output {
            do {
                try Data(written.bytes).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw CLIFailure.invalid("\(output): could not write the file: \(error.localizedDescription)")
            }
        } else {
            FileHandle.standardOutput.write(Data(written.bytes))
        }
    }
}
