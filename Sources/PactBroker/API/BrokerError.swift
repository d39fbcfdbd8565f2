import Foundation
import HTTPTypes
import Hummingbird
import NIOHTTP1
import NIOCore
import PactModel

/// An answer other than success, with the JSON body the Pact clients show to their users.
struct BrokerError: Error, HTTPResponseError, CustomStringConvertible {
    let status: HTTPResponse.Status
    let body: JSONValue

    /// A missing resource: 404 with `{"error": {"message": …}}`.
    static func notFound(_ message: String) -> BrokerError {
        BrokerError(status: .notFound, body: ["error": ["message": .string(message)]])
    }

    /// Input that cannot be used: 400 with `{"errors": {field: [messages]}}`.
    static func invalid(_ field: String, _ message: String) -> BrokerError {
        BrokerError(status: .badRequest, body: ["errors": .object(JSONObject([(field, .array([.string(message)]))]))])
    }

    /// Several validation failures at once.
    static func invalid(_ errors: [(field: String, message: String)]) -> BrokerError {
        var object = JSONObject()
        for error in errors {
            var messages = object[error.field]?.arrayValue ?? []
            messages.append(.string(error.message))
            object[error.field] = .array(messages)
        }
        return BrokerError(status: .badRequest, body: ["errors": .object(object)])
    }

    /// A request that is well formed but cannot be carried out: 400 with `{"errors": [message]}`.
    static func badRequest(_ message: String) -> BrokerError {
        BrokerError(status: .badRequest, body: ["errors": [.string(message)]])
    }

    /// A write that clashes with what is stored: 409.
    static func conflict(_ message: String, notices: [String] = []) -> BrokerError {
        var body: JSONObject = ["errors": [.string(message)]]
        if !notices.isEmpty { body["notices"] = .array(notices.map { ["type": "error", "text": .string($0)] }) }
        return BrokerError(status: .conflict, body: .object(body))
    }

    /// A body that is not JSON: 415.
    static func unsupportedMediaType(_ given: String?) -> BrokerError {
        let what = given.map { "'\($0)'" } ?? "no content type"
        return BrokerError(status: .unsupportedMediaType, body: ["error": ["message": .string("the request has \(what); send JSON with Content-Type: application/json")]])
    }

    /// A request the resource does not allow: 422.
    static func unprocessable(_ message: String) -> BrokerError {
        BrokerError(status: .unprocessableContent, body: ["errors": [.string(message)]])
    }

    var description: String { "\(status.code) \(JSONWriter.compactString(body))" }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        HAL.response(body, status: status)
    }
}

/// Turns every failure into a JSON answer: our errors as they are, Hummingbird's (404 for unknown routes, 413 for
/// oversized bodies) with a JSON body, and anything unexpected as a logged 500 that reveals no internals.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as BrokerError {
            return HAL.response(error.body, status: error.status)
        } catch let error as HTTPError {
            let message: String
            switch error.status {
            case .notFound: message = "there is no resource at \(request.method) \(request.uri.path)"
            case .contentTooLarge: message = "the request body is larger than the broker accepts"
            case .methodNotAllowed: message = "\(request.method) is not allowed on \(request.uri.path)"
            default: message = error.body ?? error.status.reasonPhrase
            }
            return HAL.response(["error": ["message": .string(message)]], status: error.status)
        } catch StoreError.concurrentChange(let what) {
            return HAL.response(["errors": [.string("\(what) was changed by another request at the same moment; retry")]], status: .conflict)
        } catch is NIOTooManyBytesError {
            return HAL.response(["error": ["message": "the request body is larger than the broker accepts"]], status: .contentTooLarge)
        } catch let error as HTTPParserError {
            // Bytes that are not HTTP/1.1 (a broken chunk, an unknown transfer coding, a body cut short) are the
            // client's fault: a 400 saying so, and a debug line rather than an error in the operator's log.
            context.logger.debug("malformed request", metadata: ["method": "\(request.method)", "path": "\(request.uri.path)", "error": "\(error)"])
            var response = HAL.response(["error": ["message": .string("the request is not valid HTTP/1.1 (\(error)); send a Content-Length or a well-formed chunked body")]], status: .badRequest)
            response.headers[.connection] = "close"
            return response
        } catch {
            context.logger.error("request failed", metadata: ["method": "\(request.method)", "path": "\(request.uri.path)", "error": "\(BrokerDatabase.describe(error))"])
            return HAL.response(["error": ["message": "the broker failed to handle the request; its log has the details"]], status: .internalServerError)
        }
    }
}

/// Refuses a body whose declared `Content-Length` is over the limit before any of it is read: 413 at once, instead of
/// reading up to the limit first. (Hummingbird then discards what the client still sends; the idle timeout ends a
/// client that stalls.)
struct DeclaredLengthMiddleware<Context: RequestContext>: RouterMiddleware {
    var maxBodyBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let declared = request.headers[.contentLength] {
            guard let length = Int(declared.trimmingCharacters(in: .whitespaces)), length >= 0 else {
                var response = HAL.response(["error": ["message": .string("Content-Length '\(declared)' is not a number of bytes")]], status: .badRequest)
                response.headers[.connection] = "close"
                return response
            }
            if length > maxBodyBytes {
                var response = HAL.response(["error": ["message": .string("the request body (\(length) bytes) is larger than the broker accepts (its limit is \(maxBodyBytes) bytes)")]],
                                            status: .contentTooLarge)
                response.headers[.connection] = "close"
                return response
            }
        }
        return try await next(request, context)
    }
}

/// Headers on every answer that keep a browser from running anything the broker serves: the UI and badges need no
/// script, so none may run, and no answer is read as another type than it declares.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var policy: String {
        "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.contentSecurityPolicy] = Self.policy
        return response
    }
}
