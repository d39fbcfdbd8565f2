import ArgumentParser
import Foundation
import PactBrokerClient
import PactModel

/// The connection and output options every broker client command takes; names follow the official `pact broker` CLI.
struct BrokerConnectionOptions: ParsableArguments {
    @Option(name: [.customShort("b"), .customLong("broker-base-url")], help: "The broker's URL (or PACT_BROKER_BASE_URL).")
    var brokerBaseURL: String?

    @Option(name: [.customShort("u"), .customLong("broker-username")], help: "Basic-auth user (or PACT_BROKER_USERNAME).")
    var brokerUsername: String?

    @Option(name: [.customShort("p"), .customLong("broker-password")], help: "Basic-auth password (or PACT_BROKER_PASSWORD).")
    var brokerPassword: String?

    @Option(name: [.customShort("k"), .customLong("broker-token")], help: "Bearer token (or PACT_BROKER_TOKEN); wins over basic auth.")
    var brokerToken: String?

    @Option(name: .long, help: "Retries of a request that failed with 5xx, 408, 429 or no answer, with backoff from 0.5 s (or PACT_BROKER_HTTP_RETRIES; default 4).")
    var retries: Int?

    @Option(name: [.customShort("o"), .long], help: "text, json or table.")
    var output: BrokerOutputFormat = .text

    func client() throws -> BrokerClient {
        do {
            return BrokerClient(configuration: try BrokerClientConfiguration.resolve(baseURL: brokerBaseURL, username: brokerUsername,
                                                                                      password: brokerPassword, token: brokerToken, retries: retries))
        } catch {
            throw CLIFailure.usage(error.description)
        }
    }

    /// Prints a command's result in the chosen format: the broker's JSON, sentences, or an aligned table.
    func emit(json: @autoclosure () -> JSONValue, text: @autoclosure () -> [String], table: @autoclosure () -> (header: [String], rows: [[String]])) {
        switch output {
        case .json: printJSON(json())
        case .text: for line in text() { Terminal.print(line) }
        case .table:
            let (header, rows) = table()
            printTable(header, rows)
        }
    }
}

/// The output formats of the broker client commands.
enum BrokerOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, table
}

/// Runs a broker call and turns its failure into the command's error.
func brokerCall<T>(_ body: () async throws(BrokerClientError) -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        throw CLIFailure.invalid(error.description)
    }
}

/// Prints a JSON document (for --output json).
func printJSON(_ value: JSONValue) {
    Terminal.printJSON(JSONWriter.string(value, style: .pretty).trimmingCharacters(in: .whitespacesAndNewlines))
}

/// Prints rows as an aligned table.
func printTable(_ header: [String], _ rows: [[String]]) {
    for line in tableLines(header, rows) { Terminal.print(line) }
}

/// The lines of an aligned table: a header, a rule, and the rows.
func tableLines(_ header: [String], _ rows: [[String]]) -> [String] {
    var widths = header.map(\.count)
    for row in rows { for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { index, cell in
            index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
        }.joined(separator: " | ")
    }
    return [line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "-|-")] + rows.map(line)
}
