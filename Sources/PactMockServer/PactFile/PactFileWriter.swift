import Foundation
import PactModel

/// Writes pact files safely when many test processes share them: merge, write a temporary file, rename, under a lock.
public struct PactFileWriter: Sendable {
    /// The folder pact files go into.
    public var directory: URL
    /// The specification version written.
    public var specification: PactSpecification
    /// Tool name and version written into the metadata.
    public var tool: (name: String, version: String)

    /// Creates a writer.
    public init(directory: URL, specification: PactSpecification = .v4, tool: (name: String, version: String) = ("pactctl", "0.1.0")) {
        self.directory = directory
        self.specification = specification
        self.tool = tool
    }

    /// The default folder: `PACT_OUTPUT_DIR` when set, otherwise `Contracts/` in the package root above `start`.
    public static func defaultDirectory(startingAt start: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> URL {
        if let configured = ProcessInfo.processInfo.environment["PACT_OUTPUT_DIR"], !configured.isEmpty {
            return URL(fileURLWithPath: configured)
        }
        var folder = start
        for _ in 0..<12 {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                return folder.appendingPathComponent("Contracts")
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        return start.appendingPathComponent("Contracts")
    }

    /// The file name for a consumer and provider: `Consumer-Provider.json`.
    public static func fileName(consumer: String, provider: String) -> String {
        func clean(_ name: String) -> String {
            String(name.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" })
        }
        return "\(clean(consumer))-\(clean(provider)).json"
    }

    /// Merges the pact's interactions into the file for its consumer and provider and returns the file's URL.
    ///
    /// An interaction of the same kind with the same description and provider states as one in the file replaces it; others are
    /// added, and the interactions are kept sorted by description and provider states. The file is replaced atomically while an exclusive lock on `<file>.lock` is held, so parallel
    /// writers never lose interactions or leave a torn file.
    /// With `file`, that file is written instead of `Consumer-Provider.json` in the directory.
    @discardableResult
    public func write(_ pact: Pact, to explicitFile: URL? = nil) throws(MockServerError) -> URL {
        let file = explicitFile ?? directory.appendingPathComponent(PactFileWriter.fileName(consumer: pact.consumer, provider: pact.provider))
        let directory = file.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .pactWriteFailed(path: file.path, reason: "the folder could not be created (\(error.localizedDescription))")
        }
        let lockPath = file.path + ".lock"
        let descriptor = open(lockPath, O_CREAT | O_RDWR, 0o644)
        guard descriptor >= 0 else { throw .pactWriteFailed(path: file.path, reason: "the lock file \(lockPath) could not be opened") }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            if errno != EINTR { throw .pactWriteFailed(path: file.path, reason: "the lock could not be taken (errno \(errno))") }
        }
        defer { flock(descriptor, LOCK_UN) }

        var merged = pact
        merged.interactions = PactFileWriter.sorted(pact.interactions)
        if FileManager.default.fileExists(atPath: file.path) {
            let existing: Pact
            do { existing = try PactReader().read(contentsOf: file).pact } catch {
                throw .pactWriteFailed(path: file.path, reason: "the existing file is not a valid pact (\(error)); move it away or fix it")
            }
            if existing.specification > specification {
                throw .pactWriteFailed(path: file.path, reason: "the file holds a \(existing.specification) pact and this pact is written as \(specification), "
                    + "which would drop what only \(existing.specification) can hold; write it as \(existing.specification), or delete the file first")
            }
            if specification < .v4, PactFileWriter.holdsHTTP(existing) != PactFileWriter.holdsHTTP(pact), !existing.interactions.isEmpty {
                let (held, added) = PactFileWriter.holdsHTTP(existing) ? ("HTTP interactions", "messages") : ("messages", "HTTP interactions")
                throw .pactWriteFailed(path: file.path, reason: "the file holds \(held) and this pact adds \(added), but a \(specification) pact holds "
                    + "one kind only; write the pact as V4, or give the message provider a name of its own (such as \"\(pact.provider)-events\")")
            }
            merged = PactFileWriter.merge(existing: existing, new: pact)
        }
        let bytes: [UInt8]
        do { bytes = try PactWriter(tool: tool).bytes(for: merged, as: specification).bytes } catch {
            throw .pactWriteFailed(path: file.path, reason: error.reason)
        }
        let temporary = directory.appendingPathComponent(".\(file.lastPathComponent).\(getpid()).\(UUID().uuidString).tmp")
        do {
            try Data(bytes).write(to: temporary)
            guard rename(temporary.path, file.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "rename failed (errno \(errno))"])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw .pactWriteFailed(path: file.path, reason: error.localizedDescription)
        }
        return file
    }

    /// Existing interactions, with those the new pact redefines replaced and new ones added, sorted by description and
    /// provider states, so the file is the same whatever order parallel tests finish in.
    static func merge(existing: Pact, new: Pact) -> Pact {
        var result = existing
        result.metadata = new.metadata.isEmpty ? existing.metadata : new.metadata
        for interaction in new.interactions {
            let key = identity(interaction)
            if let position = result.interactions.firstIndex(where: { identity($0) == key }) {
                result.interactions[position] = interaction
            } else {
                result.interactions.append(interaction)
            }
        }
        result.interactions = sorted(result.interactions)
        return result
    }

    static func sorted(_ interactions: [Interaction]) -> [Interaction] {
        interactions.enumerated().sorted { lhs, rhs in
            let left = identity(lhs.element)
            let right = identity(rhs.element)
            return left == right ? lhs.offset < rhs.offset : left.utf8.lexicographicallyPrecedes(right.utf8)
        }.map(\.element)
    }

    /// True when the pact's interactions are HTTP ones (an empty pact counts as HTTP).
    private static func holdsHTTP(_ pact: Pact) -> Bool {
        pact.interactions.allSatisfy { $0.http != nil }
    }

    /// Description, provider states and kind: an HTTP interaction and a message that share a description are two
    /// interactions, and neither replaces the other.
    private static func identity(_ interaction: Interaction) -> String {
        interaction.description + "\u{0}" + interaction.info.providerStates.map { state in
            state.name + JSONWriter.string(.object(state.params), style: .compactSorted)
        }.joined(separator: "\u{0}") + "\u{0}" + interaction.typeName
    }
}
