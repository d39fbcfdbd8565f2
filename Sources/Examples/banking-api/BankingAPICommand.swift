import ArgumentParser
import BankingAPI
import Dispatch
import Foundation

/// `banking-api`: the example provider of the BankingApp ↔ BankingAPI contract, as a process.
@main
struct BankingAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "banking-api",
        abstract: "Run the example banking service (the provider in Contracts/BankingApp-BankingAPI.json).",
        discussion: """
        Accounts, deposits, withdrawals with the insufficient-funds rule, atomic transfers and transaction history, \
        kept in memory. Prints 'BankingAPI listening on URL' when ready; stops on SIGINT or SIGTERM.
        """
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on; 0 picks a free one.")
    var port = 8080

    @Flag(help: "Serve POST /_pact/provider-states and POST /_pact/messages, for contract verification. Never in production.")
    var providerStates = false

    func run() async throws {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let (stops, stop) = AsyncStream<Int32>.makeStream()
        let sources = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.yield(number) }
            source.resume()
            return source
        }
        let server: BankingServer
        do {
            server = try await BankingServer.start(host: host, port: port, providerStates: providerStates)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        let ready = "BankingAPI listening on \(server.url.absoluteString)\(providerStates ? " (provider states at /_pact/provider-states)" : "")\n"
        FileHandle.standardOutput.write(Data(ready.utf8))
        // Stop on a signal, or end when the server stops by itself.
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for await _ in stops { break } }
            group.addTask { await server.wait() }
            await group.next()
            // The group ends only when both tasks have: stopping the server ends the waiting one, and finishing the
            // stream ends the other.
            await server.stop()
            stop.finish()
        }
        sources.forEach { $0.cancel() }
    }
}
