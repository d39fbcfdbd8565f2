import ArgumentParser
import Foundation
import PactModel
import PactOpenAPI

/// `pactctl openapi-check`: the bi-directional check of pacts against a provider's OpenAPI document.
struct OpenAPICheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openapi-check",
        abstract: "Check that every interaction of pacts conforms to an OpenAPI document: exit 0 when all do, 1 otherwise.",
        discussion: """
            Each request must reach a documented operation and fit its parameters and body schema; each response must \
            have a documented status and fit that response's schema. Pacts written by the consumer and the document \
            published by the provider can so be checked against each other without running either.
            """
    )

    @Option(name: .long, help: "The OpenAPI 3.0/3.1 document (YAML or JSON).")
    var openapi: String

    @Option(name: .long, help: "A pact file (repeatable).")
    var pact: [String] = []

    @Option(name: [.customShort("o"), .long], help: "text or json.")
    var output: String = "text"

    func validate() throws {
        guard !pact.isEmpty else { throw ValidationError("give at least one --pact FILE") }
        guard ["text", "json"].contains(output) else { throw ValidationError("--output must be text or json") }
    }

    func run() async throws {
        let document: OpenAPIDocument
        do { document = try OpenAPIDocument(contentsOf: openapi) } catch { throw CLIFailure.invalid(error.description) }
        let check = OpenAPIPactCheck(document)
        var failures = 0
        var reports: [JSONValue] = []
        for file in pact {
            let loaded = try PactFiles.load(file)
            let results = check.check(loaded.pact)
            failures += results.filter { !$0.passed }.count
            if output == "json" {
                reports.append(["pact": .string(file), "results": .array(results.map { result in
                    ["interaction": .string(result.interaction), "operation": result.operation.map(JSONValue.string) ?? .null,
                     "passed": .bool(result.passed), "problems": .array(result.problems.map(JSONValue.string))]
                })])
                continue
            }
            Terminal.print("\(file) against \(document.title) \(document.version):")
            for result in results {
                let mark = result.passed ? Terminal.green("✓") : Terminal.red("✗")
                Terminal.print("  \(mark) \(result.interaction)" + (result.operation.map { " (\($0))" } ?? ""))
                for problem in result.problems { Terminal.print("      \(problem)") }
            }
        }
        if output == "json" {
            printJSON(["conforms": .bool(failures == 0), "pacts": .array(reports)])
        } else {
            Terminal.print("")
            Terminal.print(failures == 0 ? "Every interaction conforms to the document" : "\(failures) interaction(s) do not conform to the document")
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
