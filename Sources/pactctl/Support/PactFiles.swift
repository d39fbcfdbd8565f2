import Foundation
import PactModel

/// Loads pact files for commands, turning load errors into exit-code-1 failures.
enum PactFiles {
    /// Reads one pact file.
    static func load(_ path: String) throws(CLIFailure) -> LoadedPact {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .invalid("\(path): no such file; check the path")
        }
        guard !isDirectory.boolValue else {
            throw .invalid("\(path): is a folder; pass the pact JSON files inside it")
        }
        do {
            return try PactReader().read(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .invalid(error.description)
        }
    }

    /// The pact files in a folder; other JSON there (such as a scenario file) is left out, with a note on stderr.
    static func inFolder(_ path: String) throws(CLIFailure) -> [String] {
        let found: (pacts: [String], skipped: [String])
        do { found = try PactFolder.pactFiles(in: path) } catch {
            throw .invalid("\(path): the folder could not be read; check the path")
        }
        for file in found.skipped { Terminal.warning("\(file): not a pact (it names no consumer or provider); left out") }
        if found.pacts.isEmpty { throw .invalid("\(path): holds no .json pact files") }
        return found.pacts
    }

    /// Parses `v2`, `V3`, `4`, `3.0.0` and similar.
    static func specification(_ text: String) throws(CLIFailure) -> PactSpecification {
        guard let version = PactSpecification(parsing: text) else {
            throw .usage("'\(text)' is not a Pact specification version; use v1, v1.1, v2, v3 or v4")
        }
        return version
    }
}
