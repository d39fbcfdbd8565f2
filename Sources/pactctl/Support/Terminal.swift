import Foundation

/// Writes to the terminal: results on standard output, diagnostics on standard error, colour only on a TTY.
enum Terminal {
    /// True when colour codes may be written to standard output.
    static let colourOutput: Bool = colourAllowed && isatty(STDOUT_FILENO) == 1
    /// True when colour codes may be written to standard error.
    static let colourError: Bool = colourAllowed && isatty(STDERR_FILENO) == 1
    /// False when `NO_COLOR` is set to anything but the empty string (https://no-color.org), or `TERM` is `dumb`.
    private static let colourAllowed: Bool = {
        let environment = ProcessInfo.processInfo.environment
        return (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
    }()

    /// Prints a line on standard output, unbuffered, so a reader of a pipe sees it at once.
    static func print(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Prints `error: message` on standard error.
    static func error(_ message: String) {
        writeError((colourError ? "\u{1B}[31merror:\u{1B}[0m " : "error: ") + message)
    }

    /// Prints `warning: message` on standard error.
    static func warning(_ message: String) {
        writeError((colourError ? "\u{1B}[33mwarning:\u{1B}[0m " : "warning: ") + message)
    }

    /// Wraps text in a colour code when standard output is a TTY.
    static func green(_ text: String) -> String { colourOutput ? "\u{1B}[32m\(text)\u{1B}[0m" : text }

    /// Wraps text in a colour code when standard output is a TTY.
    static func red(_ text: String) -> String { colourOutput ? "\u{1B}[31m\(text)\u{1B}[0m" : text }

    private static func writeError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
