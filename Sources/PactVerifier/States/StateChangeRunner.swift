import Foundation
import PactHTTP
import PactModel

/// What one state change call produced.
enum StateChangeResult: Sendable {
    /// The state was changed; these values (possibly none) feed the request's generators.
    case applied(JSONObject)
    /// Nothing could change the state; the interaction goes on with this warning.
    case skipped(warning: String)
    /// The call failed, with the reason.
    case failed(String)
}

/// Makes the state change calls of the configured ``StateChange``: HTTP requests or in-process handlers.
struct StateChangeRunner: Sendable {
    let stateChange: StateChange
    let client: HTTPClient

    /// Sets up or tears down one state.
    func run(_ state: ProviderState, _ action: ProviderStateAction) async -> StateChangeResult {
        switch stateChange {
        case .none:
            return .skipped(warning: "no provider state callback configured for provider state '\(state.name)'")
        case .url(let url, let asQuery, _):
            return await call(url, asQuery: asQuery, state: state, action: action)
        case .handlers(let handlers):
            return await call(handlers, state: state, action: action)
        }
    }

    private func call(_ handlers: StateHandlers, state: ProviderState, action: ProviderStateAction) async -> StateChangeResult {
        do {
            if let handler = handlers.handlers[state.name] {
                return .applied(try await handler(action, state.params) ?? JSONObject())
            }
            if let fallback = handlers.fallback {
                return .applied(try await fallback(state.name, action, state.params) ?? JSONObject())
            }
        } catch {
            return .failed("the \(action.rawValue) handler threw: \(error)")
        }
        return .skipped(warning: "no provider state handler for provider state '\(state.name)' (add a handler for it or a fallback)")
    }

    private func call(_ url: String, asQuery: Bool, state: ProviderState, action: ProviderStateAction) async -> StateChangeResult {
        let request: HTTPClientRequest
        if asQuery {
            var query = QueryParameters([("state", state.name), ("action", action.rawValue)])
            for (name, value) in state.params { query.add(name, value.plainText) }
            request = HTTPClientRequest(method: "POST", url: url + (url.contains("?") ? "&" : "?") + query.encoded)
        } else {
            let body: JSONValue = ["state": .string(state.name), "params": .object(state.params), "action": .string(action.rawValue)]
            request = HTTPClientRequest(method: "POST", url: url, headers: [("Content-Type", "application/json")],
                                        body: JSONWriter.bytes(body, style: .compact))
        }
        let response: HTTPClientResponse
        do { response = try await client.send(request) } catch {
            return .failed(error.description)
        }
        guard (200..<300).contains(response.status) else {
            return .failed("the state change URL \(url) answered HTTP \(response.status)\(Self.preview(response.body)); "
                + "check the provider's state change endpoint")
        }
        // Only a JSON object carries values; any other body (often empty) just acknowledges the change.
        if !response.body.isEmpty, case .object(let values)? = try? JSONParser.parse(response.body) {
            return .applied(values)
        }
        return .applied(JSONObject())
    }

    private static func preview(_ body: [UInt8]) -> String {
        guard !body.isEmpty else { return "" }
        let text = String(decoding: body.prefix(200), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
        return ": " + text + (body.count > 200 ? "…" : "")
    }
}
