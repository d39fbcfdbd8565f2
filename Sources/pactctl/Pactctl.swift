import ArgumentParser
import Foundation

/// The `pactctl` command: consumer-driven contract testing compatible with Pact.
@main
struct Pactctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pactctl",
        abstract: "Consumer-driven contract testing, compatible with Pact.",
        discussion: """
            Exit codes: 0 success, 1 an invalid pact or a failed check, 2 a usage error.
            """,
        version: PactctlVersion.current,
        subcommands: [ValidateCommand.self, ConvertCommand.self, MergeCommand.self, MockCommand.self, RecordCommand.self, OpenAPICheckCommand.self, VerifyCommand.self, BrokerCommand.self,
                      PublishCommand.self, CanIDeployCommand.self, RecordDeploymentCommand.self, RecordReleaseCommand.self,
                      RecordUndeploymentCommand.self, RecordSupportEndedCommand.self, DescribeVersionCommand.self, CreateVersionTagCommand.self,
                      CreateOrUpdatePacticipantCommand.self, ListLatestPactVersionsCommand.self, CreateOrUpdateWebhookCommand.self,
                      CreateEnvironmentCommand.self, ListEnvironmentsCommand.self, DescribeEnvironmentCommand.self]
    )

    /// Runs the command and maps every failure to its exit code in one place.
    static func main() async {
        do {
            var arguments = Array(CommandLine.arguments.dropFirst())
            if let name = arguments.first, [CanIDeployCommand.configuration.commandName, DescribeVersionCommand.configuration.commandName].contains(name) {
                arguments = CanIDeployArguments.prepare(arguments)
            }
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CLIFailure {
            Terminal.error(failure.message)
            Foundation.exit(failure.exitCode)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                // Usage errors exit with 2, as documented, instead of the parser's default 64.
                Terminal.writeError(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// The version printed by `pactctl --version` and written into pact metadata.
enum PactctlVersion {
    static let current = "0.1.0"
}
