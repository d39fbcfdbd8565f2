import Foundation

/// Writes to the terminal: results on standard output, diagnostics on standard error, colour only on a TTY.
///
/// Whatever is printed may hold text from input (a pact's descriptions, a request's path), so control characters are
/// shown escaped (`\u{1B}`), never sent raw: a pact cannot move the cursor, retitle the window or hide a line. Only
/// this type's own colour codes pass.
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
        FileHandle.standardOutput.write(Data((escaped(line) + "\n").utf8))
    }

    /// Prints JSON text on standard output as it is: the writer escapes C0 controls already, and a JSON reader
    /// must get every other character, DEL, C1 and bidirectional overrides included, unchanged.
    static func printJSON(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
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

    static func writeError(_ line: String) {
        FileHandle.standardError.write(Data((escaped(line) + "\n").utf8))
    }

    /// The colour codes this type writes, the only escape sequences that reach the terminal.
    private static let colourCodes: [[Unicode.Scalar]] = ["[31m", "[32m", "[33m", "[0m"].map { Array($0.unicodeScalars) }

    /// The text with every control character but line feed and tab written as `\u{…}`: C0, DEL, C1, and the
    /// bidirectional overrides that reorder what is shown. The colour codes above are kept.
    static func escaped(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.contains(where: needsEscaping) else { return text }
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\u{1B}", let code = colourCodes.first(where: { scalars[(index + 1)...].starts(with: $0) }) {
                result.append(scalar)
                result.append(contentsOf: code)
                index += 1 + code.count
                continue
            }
            if needsEscaping(scalar) {
                result.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                result.append(scalar)
            }
            index += 1
        }
        return String(result)
    }

    private static func needsEscaping(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: false
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
