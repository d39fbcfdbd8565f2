import ArgumentParser
import Foundation
import PactModel

/// `pactctl validate`: checks pact files and summarises what they contain.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check pact files (spec V1 to V4) and summarise their interactions.",
        discussion: "Exits with 0 when every file is a valid pact, 1 when one is not, and 2 on a usage error."
    )

    @Argument(help: "Pact files to check.")
    var files: [String]

    @Option(name: .long, help: "Output format: text or json.")
    var output: OutputFormat = .text

    func validate() throws {
        if files.isEmpty { throw ValidationError("Give at least one pact file.") }
    }

    func run() async throws {
        var failures: [String] = []
        var summaries: [JSONValue] = []
        for file in files {
            do {
                let loaded = try PactFiles.load(file)
                for warning in loaded.warnings { Terminal.warning("\(file): \(warning)") }
                let summary = PactSummary(loaded.pact)
                switch output {
                case .text: Terminal.print(summary.text(file: file))
                case .json: summaries.append(summary.json(file: file, warnings: loaded.warnings))
                }
            } catch {
                let failure = error
                failures.append(failure.message)
                if output == .json { summaries.append(["file": .string(file), "valid": false, "error": .string(failure.message)]) }
            }
        }
        if output == .json { Terminal.printJSON(JSONWriter.string(.array(summaries), style: .pretty)) }
        guard failures.isEmpty else {
            throw CLIFailure.invalid(failures.joined(separator: "\n"))
        }
    }
}

/// Text or JSON output.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// What a pact contains, for `validate`.
struct PactSummary {
    let pact: Pact

    init(_ pact: Pact) {
        self.pact = pact
    }

    var counts: (http: Int, asynchronous: Int, synchronous: Int) {
        var counts = (http: 0, asynchronous: 0, synchronous: 0)
        for interaction in pact.interactions {
            switch interaction {
            case .http: counts.http += 1
            case .asynchronousMessage: counts.asynchronous += 1
            case .synchronousMessages: counts.synchronous += 1
            }
        }
        return counts
    }

    var providerStates: [String] {
        var names: [String] = []
        for interaction in pact.interactions {
            for state in interaction.info.providerStates where !names.contains(state.name) { names.append(state.name) }
        }
        return names
    }

    var ruleCount: Int {
        pact.interactions.reduce(0) { total, interaction in
            switch interaction {
            case .http(let http):
                return total + count(http.request.matchingRules) + count(http.response.matchingRules)
            case .asynchronousMessage(let message):
                return total + count(message.message.matchingRules)
            case .synchronousMessages(let messages):
                return total + count(messages.request.matchingRules) + messages.responses.reduce(0) { $0 + count($1.matchingRules) }
            }
        }
    }

    private func count(_ rules: MatchingRules) -> Int {
        rules.categories.values.reduce(0) { $0 + $1.entries.reduce(0) { $0 + $1.rules.rules.count } }
    }

    func text(file: String) -> String {
        let counts = self.counts
        var kinds: [String] = []
        if counts.http > 0 { kinds.append("\(counts.http) HTTP") }
        if counts.asynchronous > 0 { kinds.append("\(counts.asynchronous) asynchronous message") }
        if counts.synchronous > 0 { kinds.append("\(counts.synchronous) synchronous message") }
        var lines = ["\(Terminal.green("valid")) \(file)"]
        lines.append("  \(pact.consumer) -> \(pact.provider), Pact specification \(pact.specification)")
        lines.append("  \(pact.interactions.count) interaction(s)" + (kinds.isEmpty ? "" : ": " + kinds.joined(separator: ", ")))
        for interaction in pact.interactions {
            var line = "    - \(interaction.description)"
            if case .http(let http) = interaction {
                line += " (\(http.request.method) \(http.request.path) -> \(http.response.status))"
            }
            if interaction.info.pending { line += " [pending]" }
            lines.append(line)
        }
        let states = providerStates
        lines.append("  \(states.count) provider state(s)" + (states.isEmpty ? "" : ": " + states.joined(separator: "; ")))
        lines.append("  \(ruleCount) matching rule(s)")
        return lines.joined(separator: "\n")
    }

    func json(file: String, warnings: [PactWarning]) -> JSONValue {
        let counts = self.counts
        return [
            "file": .string(file),
            "valid": true,
            "consumer": .string(pact.consumer),
            "provider": .string(pact.provider),
            "specification": .string(pact.specification.versionString),
            "interactions": .object([
                "total": .number(JSONNumber(pact.interactions.count)),
                "http": .number(JSONNumber(counts.http)),
                "asynchronousMessages": .number(JSONNumber(counts.asynchronous)),
                "synchronousMessages": .number(JSONNumber(counts.synchronous)),
            ]),
            "providerStates": .array(providerStates.map(JSONValue.string)),
            "matchingRules": .number(JSONNumber(ruleCount)),
            "warnings": .array(warnings.map { .string($0.description) }),
        ]
    }
}
