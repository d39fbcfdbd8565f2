import PactMatching
import PactModel

/// Checks that each example satisfies its own rules, by matching the compiled request and response against themselves.
///
/// This uses the one matching engine, so an example that passes here is one the mock server and the verifier
/// accept: a regex example that does not match, a date in the wrong format, a key that breaks an `eachKey`
/// expression or a status outside its class are all reported, with the path where they are.
enum ExampleCheck {
    /// Every mismatch between the interaction's examples and its rules, as messages.
    static func problems(in interaction: HTTPInteraction) -> [String] {
        let request = RequestMatcher.compare(expected: interaction.request, actual: interaction.request)
        let response = RequestMatcher.compare(expected: interaction.response, actual: interaction.response)
        return request.map { describe($0, side: "request") } + response.map { describe($0, side: "response") }
    }

    private static func describe(_ mismatch: Mismatch, side: String) -> String {
        let location: String
        switch mismatch.kind {
        case .body, .bodyType: location = mismatch.path.isEmpty ? "\(side) body" : "\(side) body \(mismatch.path)"
        case .header: location = "\(side) header '\(mismatch.path)'"
        case .query: location = "\(side) query parameter '\(mismatch.path)'"
        case .metadata: location = "\(side) metadata '\(mismatch.path)'"
        case .method, .path, .status, .state: location = "\(side) \(mismatch.kind.rawValue)"
        }
        return "\(location): the example does not satisfy its own rules: \(mismatch.message)"
    }
}
