import Foundation
import PactHTTP
import PactModel

/// Reads pacts from files, folders and URLs, naming the source in every error.
public struct PactLoader: Sendable {
    private let client: HTTPClient

    /// Creates a loader that fetches URLs with the given client.
    public init(client: HTTPClient) {
        self.client = client
    }

    /// Loads every pact of every source, in order; the first source that cannot be read stops loading.
    public func load(_ sources: [PactSource]) async throws(VerifierError) -> [LoadedPact] {
        var loaded: [LoadedPact] = []
        for source in sources {
            loaded += try await load(source)
        }
        return loaded
    }

    /// Loads the pacts of one source.
    public func load(_ source: PactSource) async throws(VerifierError) -> [LoadedPact] {
        switch source {
        case .file(let path):
            return [try loadFile(path)]
        case .directory(let path):
            return try loadDirectory(path)
        case .url(let url):
            return [try await loadURL(url)]
        }
    }

    private func loadFile(_ path: String) throws(VerifierError) -> LoadedPact {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadableSource(source: path, reason: "no such file; check the path")
        }
        guard !isDirectory.boolValue else {
            throw .unreadableSource(source: path, reason: "is a folder; pass it as a pact folder (--pact-dir) instead")
        }
        do {
            return try PactReader().read(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .invalidPact(error)
        }
    }

    private func loadDirectory(_ path: String) throws(VerifierError) -> [LoadedPact] {
        let files: [String]
        do { files = try PactFolder.pactFiles(in: path).pacts } catch {
            throw .unreadableSource(source: path, reason: "the folder could not be read; check that it exists and is readable")
        }
        guard !files.isEmpty else {
            throw .unreadableSource(source: path, reason: "holds no .json pact files; check the folder")
        }
        var loaded: [LoadedPact] = []
        for file in files {
            loaded.append(try loadFile(file))
        }
        return loaded
    }

    private func loadURL(_ url: String) async throws(VerifierError) -> LoadedPact {
        let response: HTTPClientResponse
        do {
            response = try await client.send(HTTPClientRequest(url: url, headers: [("Accept", "application/hal+json, application/json")]))
        } catch {
            throw .unreadableSource(source: url, reason: "the pact could not be fetched: \(error.description)")
        }
        guard (200..<300).contains(response.status) else {
            throw .unreadableSource(source: url, reason: "the pact could not be fetched: the server answered HTTP \(response.status); check the URL")
        }
        do {
            return try PactReader().read(response.body, source: url)
        } catch {
            throw .invalidPact(error)
        }
    }
}
