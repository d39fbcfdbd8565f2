import Foundation
import Testing

/// The README's command reference is `pactctl help` itself, for every command, so the two cannot drift apart.
///
/// Regenerate it with `Scripts/command-reference` (which runs this test with `PACTCTL_UPDATE_REFERENCE=1`).
@Suite struct CommandReferenceTests {
    static let begin = "<!-- command reference: generated from `pactctl help` by Scripts/command-reference; do not edit -->"
    static let end = "<!-- end of command reference -->"
    static let readme = PactctlCommandTests.packageRoot.appendingPathComponent("README.md")

    /// `pactctl help …` at the width a pipe gets, 80 columns.
    static func help(_ path: [String]) throws -> String {
        let result = try PactctlCommandTests.run(["help"] + path, environment: ["COLUMNS": "80"])
        guard result.status == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "pactctl help \(path.joined(separator: " ")) exited with \(result.status): \(result.error)"])
        }
        return result.output
    }

    /// The names listed under SUBCOMMANDS in a help text.
    static func subcommands(in help: String) -> [String] {
        var names: [String] = [], inSection = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "SUBCOMMANDS:" { inSection = true; continue }
            guard inSection else { continue }
            if line.isEmpty { break }
            // A name sits two spaces in; descriptions that wrap are indented further.
            guard line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first else { continue }
            names.append(String(name))
        }
        return names
    }

    /// Every command path, depth first, in the order `pactctl help` lists them.
    static func commandPaths(under path: [String] = []) throws -> [(path: [String], help: String)] {
        let text = try help(path)
        var all = [(path, text)]
        for name in subcommands(in: text) where name != "help" {
            all += try commandPaths(under: path + [name])
        }
        return all
    }

    static func reference() throws -> String {
        var lines = [begin, ""]
        for (path, text) in try commandPaths() {
            let name = (["pactctl"] + path).joined(separator: " ")
            // The overview's first paragraph, unwrapped.
            let afterOverview = text.components(separatedBy: "OVERVIEW: ").dropFirst().first ?? ""
            let overview = (afterOverview.components(separatedBy: "\n\n").first ?? "").split(separator: "\n").joined(separator: " ")
            lines.append("<details><summary><code>\(name)</code>: \(overview)</summary>")
            lines.append("")
            lines.append("```text")
            lines.append(text.trimmingCharacters(in: .newlines))
            lines.append("```")
            lines.append("")
            lines.append("</details>")
            lines.append("")
        }
        lines.append(end)
        return lines.joined(separator: "\n")
    }

    @Test func theReadmeCommandReferenceIsWhatPactctlHelpPrints() throws {
        let readme = try String(contentsOf: Self.readme, encoding: .utf8)
        let generated = try Self.reference()
        guard let start = readme.range(of: Self.begin), let stop = readme.range(of: Self.end, range: start.upperBound..<readme.endIndex) else {
            Issue.record("README.md has no command reference between '\(Self.begin)' and '\(Self.end)'")
            return
        }
        let current = String(readme[start.lowerBound..<stop.upperBound])
        if current != generated, ProcessInfo.processInfo.environment["PACTCTL_UPDATE_REFERENCE"] == "1" {
            try readme.replacingCharacters(in: start.lowerBound..<stop.upperBound, with: generated).write(to: Self.readme, atomically: true, encoding: .utf8)
            return
        }
        #expect(current == generated, "the README's command reference differs from `pactctl help`; run Scripts/command-reference")
    }

    @Test func everyCommandIsInTheReference() throws {
        let paths = try Self.commandPaths().map { $0.path.joined(separator: " ") }
        for command in ["verify", "mock", "broker", "broker token create", "broker clean", "publish", "can-i-deploy", "record-deployment", "openapi-check"] {
            #expect(paths.contains(command), "\(command) is missing from \(paths)")
        }
    }
}
