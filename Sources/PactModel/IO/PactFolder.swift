import Foundation

/// The pact files in a folder, for commands that take a folder of pacts.
///
/// Folders such as `Contracts/` also hold JSON that is not a pact (a mock server's scenario file, for one), so a
/// `.json` file counts as a pact only when it is a JSON object naming a consumer or a provider. A file that is not
/// JSON at all still counts, so that a damaged pact is reported rather than skipped.
public enum PactFolder {
    /// The pact files in `path`, sorted by name, and the other `.json` files that were left out.
    public static func pactFiles(in path: String) throws(PactLoadError) -> (pacts: [String], skipped: [String]) {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw PactLoadError(source: path, path: "", problem: "the folder could not be read", hint: "check that it exists and is readable")
        }
        var pacts: [String] = []
        var skipped: [String] = []
        for name in names.filter({ $0.hasSuffix(".json") }).sorted() {
            let file = URL(fileURLWithPath: path).appendingPathComponent(name).path
            if isPact(file) { pacts.append(file) } else { skipped.append(file) }
        }
        return (pacts, skipped)
    }

    private static func isPact(_ file: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: file), let json = try? JSONParser.parse(Array(data)) else { return true }
        guard case .object(let object) = json else { return false }
        return object["consumer"] != nil || object["provider"] != nil
    }
}
