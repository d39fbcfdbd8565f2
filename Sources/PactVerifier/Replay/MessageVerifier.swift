import Foundation
import PactHTTP
import PactMatching
import PactModel

/// Verifies one message interaction: has the provider produce the message, then compares its contents and metadata
/// with the pact's. Provider states are handled by ``InteractionVerifier``, as for HTTP.
struct MessageVerifier: Sendable {
    let client: HTTPClient
    let requests: ProviderRequestBuilder
    let options: VerifierOptions

    /// `stateValues` are the provider states' parameters and the values their set-up returned, for the
    /// `ProviderState` generators of a synchronous message's request.
    func verify(_ interaction: Interaction, stateValues: JSONObject, warnings: inout [String]) async -> InteractionOutcome {
        let expected: MessageContents?
        let request: MessageRequest
        switch interaction {
        case .asynchronousMessage(let message):
            expected = message.message
            request = MessageRequest(description: message.info.description, providerStates: message.info.providerStates)
        case .synchronousMessages(let messages):
            expected = messages.responses.first
            if messages.responses.count > 1 {
                warnings.append("the pact expects \(messages.responses.count) response messages; only the first is verified, as other Pact verifiers do")
            } else if messages.responses.isEmpty {
                warnings.append("the pact expects no response message, so only that the provider answered is checked")
            }
            let generated = GeneratorApplier(mode: .provider, context: GeneratorContext(providerState: stateValues)).apply(to: messages.request)
            warnings += generated.errors.map { "generator for the request message's \($0.location) kept the recorded example: \($0.reason)" }
            request = MessageRequest(description: messages.info.description, providerStates: messages.info.providerStates, request: generated.message)
        case .http:
            return .error("\(FailureCategory.providerRequest): an HTTP interaction was given to the message verifier")
        }
        let produced: ProducedMessage
        switch await produce(request, warnings: &warnings) {
        case .success(let message): produced = message
        case .failure(let error): return .error(error.message)
        }
        guard let expected else {
            return .passed
        }
        let mismatches = RequestMatcher.compare(expected: expected, actual: Self.contents(of: produced))
        return mismatches.isEmpty ? .passed : .failed(mismatches)
    }

    /// The produced message as the model's message: the content type is also metadata (`contentType`), as other Pact
    /// implementations record it, unless the metadata names one itself.
    static func contents(of produced: ProducedMessage) -> MessageContents {
        let type = produced.contentType.flatMap(ContentType.init)
        var metadata = produced.metadata
        if let contentType = produced.contentType, !contentType.isEmpty, !metadata.contains(where: { RequestMatcher.isContentTypeKey($0.key) }) {
            metadata["contentType"] = .string(contentType)
        }
        let body = produced.contents.isEmpty ? Body.missing : Body(bytes: produced.contents, contentType: type)
        return MessageContents(contents: body, metadata: metadata)
    }

    private struct Failure: Error {
        let message: String
    }

    private func produce(_ request: MessageRequest, warnings: inout [String]) async -> Result<ProducedMessage, Failure> {
        switch options.messages {
        case .handlers(let handlers):
            guard let handler = handlers.handlers[request.description] ?? handlers.fallback else {
                return .failure(Failure(message: "\(FailureCategory.messageProducer): no message handler for '\(request.description)' "
                    + "(add a handler for this description or a fallback)"))
            }
            do { return .success(try await handler(request)) } catch {
                return .failure(Failure(message: "\(FailureCategory.messageProducer): the handler for '\(request.description)' threw: \(error)"))
            }
        case .http(let path):
            return await fetch(request, url: requests.url(for: HTTPRequest(method: "POST", path: path)), warnings: &warnings)
        case .url(let url):
            return await fetch(request, url: url, warnings: &warnings)
        }
    }

    private func fetch(_ message: MessageRequest, url: String, warnings: inout [String]) async -> Result<ProducedMessage, Failure> {
        var body: JSONObject = ["description": .string(message.description)]
        if !message.providerStates.isEmpty {
            body["providerStates"] = .array(message.providerStates.map { state in
                var object: JSONObject = ["name": .string(state.name)]
                if !state.params.isEmpty { object["params"] = .object(state.params) }
                return .object(object)
            })
        }
        if let request = message.request { body["request"] = PactWriter.json(of: request) }
        let request: HTTPRequest
        switch await options.prepare(HTTPRequest(method: "POST", path: "/", headers: ["Content-Type": "application/json"],
                                                 body: Body(bytes: JSONWriter.bytes(.object(body), style: .compact), contentType: .json))) {
        case .success(let prepared): request = prepared
        case .failure(let error): return .failure(Failure(message: error.message))
        }
        // The URL is the producer's, whatever path the request carries.
        let sent = requests.clientRequest(for: request, url: url)
        let response: HTTPClientResponse
        do { response = try await client.send(sent) } catch {
            return .failure(Failure(message: "\(FailureCategory.providerRequest): \(error.description)"))
        }
        guard (200..<300).contains(response.status) else {
            let preview = String(decoding: response.body.prefix(200), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
            return .failure(Failure(message: "\(FailureCategory.providerRequest): POST \(sent.url) for the message '\(message.description)' "
                + "answered HTTP \(response.status)\(preview.isEmpty ? "" : ": " + preview); the provider's message endpoint must answer 2xx "
                + "with the message"))
        }
        let headers = HTTPHeaders(response.headers.map { ($0.name, $0.value) })
        var metadata = JSONObject()
        if let encoded = headers.first("Pact-Message-Metadata") {
            if let data = Data(base64Encoded: encoded.trimmingCharacters(in: .whitespaces)), case .object(let object)? = try? JSONParser.parse([UInt8](data)) {
                metadata = object
            } else {
                warnings.append("the Pact-Message-Metadata header is not base64-encoded JSON object text, so it was ignored")
            }
        }
        return .success(ProducedMessage(contents: response.body, contentType: headers.first("Content-Type"), metadata: metadata))
    }
}
