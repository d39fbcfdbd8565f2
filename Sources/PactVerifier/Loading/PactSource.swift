/// Where pacts to verify come from.
public enum PactSource: Sendable, Hashable, CustomStringConvertible {
    /// One pact file.
    case file(String)
    /// Every `*.json` file in a folder (not its subfolders), in name order.
    case directory(String)
    /// A pact fetched with a GET request, such as a Pact Broker's pact URL.
    case url(String)

    /// The path or URL, as used in messages.
    public var description: String {
        switch self {
        case .file(let path): return path
        case .directory(let path): return path
        case .url(let url): return url
        }
    }
}
