import Foundation

/// Why the bank refused a request; each case maps to an HTTP status and a stable `code` for clients.
public enum BankError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The balance does not cover a withdrawal or transfer.
    case insufficientFunds(accountId: String, currentBalance: Decimal, requestedAmount: Decimal)
    /// No account has this id.
    case accountNotFound(String)
    /// The amount is not a positive number with at most two decimal places.
    case invalidAmount(String)
    /// The request is malformed: not JSON, a missing field, a wrong type.
    case invalidRequest(String)
    /// A provider state the service does not know how to set up.
    case unknownProviderState(String)
    /// A message (by its pact description) the service does not publish.
    case unknownMessage(String)

    /// The HTTP status the API answers with.
    public var status: Int {
        switch self {
        case .insufficientFunds, .invalidAmount, .invalidRequest, .unknownProviderState: 400
        case .unknownMessage: 404
        case .accountNotFound: 404
        }
    }

    /// A stable, machine-readable code.
    public var code: String {
        switch self {
        case .insufficientFunds: "INSUFFICIENT_FUNDS"
        case .accountNotFound: "ACCOUNT_NOT_FOUND"
        case .invalidAmount: "INVALID_AMOUNT"
        case .invalidRequest: "INVALID_REQUEST"
        case .unknownProviderState: "UNKNOWN_PROVIDER_STATE"
        case .unknownMessage: "UNKNOWN_MESSAGE"
        }
    }

    /// The short message in the `error` field.
    public var message: String {
        switch self {
        case .insufficientFunds: "Insufficient funds"
        case .accountNotFound(let id): "Account \(id) not found"
        case .invalidAmount(let reason): "Invalid amount: \(reason)"
        case .invalidRequest(let reason): "Invalid request: \(reason)"
        case .unknownProviderState(let name): "Unknown provider state '\(name)'"
        case .unknownMessage(let description): "Unknown message '\(description)'"
        }
    }

    public var description: String { "\(code): \(message)" }
}
