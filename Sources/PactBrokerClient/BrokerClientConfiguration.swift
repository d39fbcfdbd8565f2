import Foundation

/// How a broker client reaches and authenticates to a Pact Broker (or `pactctl broker`).
public struct BrokerClientConfiguration: Sendable {
    /// Credentials sent with every request.
    public enum Authentication: Sendable, Equatable {
        case none
        case basic(username: String, password: String)
        case bearer(token: String)
    }

    /// The broker's base URL, such as `https://pact.example.com`.
    public var baseURL: String
    public var authentication: Authentication
    /// Attempts per request (the first one included) when the broker answers 5xx, 408 or 429 or cannot be reached.
    public var attempts: Int
    /// The wait before the first retry; it doubles with each retry up to 4 s (and `Retry-After` is honoured), so the
    /// default five attempts give up after about 7.5 s.
    public var retryDelay: Duration
    public var requestTimeout: Duration
    /// Extra headers for every request.
    public var headers: [(name: String, value: String)]

    public init(baseURL: String, authentication: Authentication = .none, attempts: Int = 5, retryDelay: Duration = .milliseconds(500),
                requestTimeout: Duration = .seconds(30), headers: [(name: String, value: String)] = []) {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.baseURL = trimmed
        self.authentication = authentication
        self.attempts = max(attempts, 1)
        self.retryDelay = retryDelay
        self.requestTimeout = requestTimeout
        self.headers = headers
    }

    /// Fills what the arguments leave out from the variables the official Pact tools read: `PACT_BROKER_BASE_URL`,
    /// `PACT_BROKER_USERNAME`, `PACT_BROKER_PASSWORD`, `PACT_BROKER_TOKEN` (a token wins over basic auth) and
    /// `PACT_BROKER_HTTP_RETRIES` (retries after the first attempt; 4 unless given).
    public static func resolve(baseURL: String?, username: String?, password: String?, token: String?, retries: Int? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws(BrokerClientError) -> BrokerClientConfiguration {
        func value(_ given: String?, _ name: String) -> String? {
            if let given, !given.isEmpty { return given }
            if let found = environment[name], !found.isEmpty { return found }
            return nil
        }
        guard let base = value(baseURL, "PACT_BROKER_BASE_URL") else {
            throw .invalidConfiguration("no broker URL: pass --broker-base-url or set PACT_BROKER_BASE_URL")
        }
        guard let components = URLComponents(string: base), let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
              components.host?.isEmpty == false else {
            throw .invalidConfiguration("the broker URL '\(base)' is not an http(s) URL such as https://pact.example.com")
        }
        var authentication = Authentication.none
        if let token = value(token, "PACT_BROKER_TOKEN") {
            authentication = .bearer(token: token)
        } else if let username = value(username, "PACT_BROKER_USERNAME") {
            authentication = .basic(username: username, password: value(password, "PACT_BROKER_PASSWORD") ?? "")
        }
        var retryCount = 4
        if let retries {
            retryCount = retries
        } else if let text = value(nil, "PACT_BROKER_HTTP_RETRIES") {
            guard let parsed = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw .invalidConfiguration("PACT_BROKER_HTTP_RETRIES is '\(text)'; it must be a whole number of retries such as 4")
            }
            retryCount = parsed
        }
        guard (0...20).contains(retryCount) else {
            throw .invalidConfiguration("the number of retries is \(retryCount); give 0 to 20")
        }
        return BrokerClientConfiguration(baseURL: base, authentication: authentication, attempts: retryCount + 1)
    }
}

/// Why a broker request failed, worded for the person running the command.
public enum BrokerClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The options are unusable.
    case invalidConfiguration(String)
    /// No answer from the broker, after the retries.
    case unreachable(url: String, reason: String)
    /// The broker answered with an error status.
    case rejected(status: Int, url: String, message: String)
    /// The broker's answer lacks a link the client needs.
    case missingRelation(String, url: String, available: [String])
    /// The broker's answer is not what the API describes.
    case invalidResponse(url: String, reason: String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let message):
            return message
        case .unreachable(let url, let reason):
            return "could not reach the broker at \(url): \(reason)"
        case .rejected(let status, let url, let message):
            let hint: String
            switch status {
            case 401: hint = " (check the credentials: --broker-username/--broker-password or --broker-token)"
            case 403: hint = " (these credentials may not write; use read-write ones)"
            case 404: hint = ""
            default: hint = ""
            }
            return "the broker answered \(status) to \(url): \(message)\(hint)"
        case .missingRelation(let relation, let url, let available):
            return "the broker's answer at \(url) has no '\(relation)' link (it has: \(available.sorted().joined(separator: ", "))); is this a Pact Broker?"
        case .invalidResponse(let url, let reason):
            return "the broker's answer at \(url) cannot be used: \(reason)"
        }
    }
}
