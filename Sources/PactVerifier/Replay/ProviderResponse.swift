import PactHTTP
import PactModel

/// Reads the provider's raw response as the model's response, so the matching engine can compare it.
enum ProviderResponse {
    /// Status, every header value (repeated names collected), and the body bytes typed by `Content-Type`.
    static func model(of response: HTTPClientResponse) -> HTTPResponse {
        let headers = HTTPHeaders(response.headers.map { ($0.name, $0.value) })
        var body = Body.missing
        if !response.body.isEmpty {
            // An unparseable Content-Type leaves the type to detection; a body that is not what it claims becomes a body mismatch.
            body = Body(bytes: response.body, contentType: headers.first("Content-Type").flatMap(ContentType.init))
        }
        return HTTPResponse(status: response.status, headers: headers, body: body)
    }
}
