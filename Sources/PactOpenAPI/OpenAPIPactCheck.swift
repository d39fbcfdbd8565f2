import Foundation
import PactModel

/// Checks that every HTTP interaction of a pact conforms to an OpenAPI document: its request must reach a documented
/// operation and fit its parameters and body schema, and its response must have a documented status and fit that
/// response's schema. This is the bi-directional contract check: the consumer's pact against the provider's document.
public struct OpenAPIPactCheck: Sendable {
    /// The verdict on one interaction.
    public struct Result: Sendable {
        public var interaction: String
        /// The operation it was checked against, such as `GET /accounts/{accountId}`.
        public var operation: String?
        public var problems: [String]
        public var passed: Bool { problems.isEmpty }
    }

    private let validator: OpenAPIValidator

    /// Creates a check against a document.
    public init(_ document: OpenAPIDocument) {
        validator = OpenAPIValidator(document)
    }

    /// Checks each HTTP interaction of the pact.
    public func check(_ pact: Pact) -> [Result] {
        pact.httpInteractions.map { interaction in
            let request = interaction.request
            switch validator.route(method: request.method, path: request.path) {
            case .notFound:
                return Result(interaction: interaction.description, operation: nil,
                              problems: ["\(request.method) \(request.path) is not a path of the document"])
            case .methodNotAllowed(let allowed):
                return Result(interaction: interaction.description, operation: nil,
                              problems: ["\(request.path) does not take \(request.method) in the document (it takes \(allowed.joined(separator: ", ")))"])
            case .operation(let operation, let parameters):
                let problems = validator.problems(request: request, operation: operation, pathParameters: parameters)
                    + validator.problems(response: interaction.response, operation: operation)
                return Result(interaction: interaction.description, operation: "\(operation.method) \(operation.path)", problems: problems)
            }
        }
    }
}
