/// A failure that ends the command with a message and an exit code.
struct CLIFailure: Error {
    /// What went wrong, where, and how to fix it.
    var message: String
    /// 1 for invalid input or failed checks, 2 for usage errors.
    var exitCode: Int32

    /// An invalid pact or a failed check (exit code 1).
    static func invalid(_ message: String) -> CLIFailure { CLIFailure(message: message, exitCode: 1) }
    /// A usage error (exit code 2).
    static func usage(_ message: String) -> CLIFailure { CLIFailure(message: message, exitCode: 2) }
}
