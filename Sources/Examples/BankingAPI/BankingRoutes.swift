import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The HTTP API of the bank: the provider in the BankingApp ↔ BankingAPI contract.
///
/// | request | response |
/// |---|---|
/// | `POST /api/accounts {"customerId"}` | 201 the new account |
/// | `GET /api/accounts/{id}` | 200 the account |
/// | `POST /api/accounts/{id}/deposit {"amount"}` | 200 the transaction with the new balance |
/// | `POST /api/accounts/{id}/withdraw {"amount"}` | 200 the transaction, or 400 `INSUFFICIENT_FUNDS` |
/// | `POST /api/transfers {"fromAccount","toAccount","amount"}` | 200 the completed transfer |
/// | `GET /api/accounts/{id}/transactions` | 200 the history, oldest first |
///
/// Every error is JSON: `{"error": message, "code": CODE}`, plus the balances for `INSUFFICIENT_FUNDS`.
/// With provider states (verification runs only), `POST /_pact/provider-states` and `POST /_pact/messages` are on.
public struct BankingRoutes: Sendable {
    /// The bank the routes act on.
    public let bank: Bank
    /// Provider-state set-up, served at `POST /_pact/provider-states` when present (never in production).
    public let providerStates: BankProviderStates?
    /// The largest request body accepted.
    public let maxBodyBytes: Int

    /// Creates the routes over a bank; pass provider states only for contract verification runs.
    public init(bank: Bank, providerStates: BankProviderStates? = nil, maxBodyBytes: Int = 64 * 1024) {
        self.bank = bank
        self.providerStates = providerStates
        self.maxBodyBytes = maxBodyBytes
    }

    /// A router with every route and the JSON error handling.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        router.get("/health") { _, _ in try Self.json(["status": "ok"]) }
        router.post("/api/accounts") { request, _ in
            let body = try await decode(OpenAccountRequest.self, from: request)
            return try Self.json(try await bank.openAccount(customerId: body.customerId), status: .created)
        }
        router.get("/api/accounts/:accountId") { _, context in
            try Self.json(try await bank.account(try Self.accountId(context)))
        }
        router.post("/api/accounts/:accountId/deposit") { request, context in
            let id = try Self.accountId(context)
            let body = try await decode(AmountRequest.self, from: request)
            let transaction = try await bank.deposit(body.amount, into: id)
            return try Self.json(TransactionResponse(transaction))
        }
        router.post("/api/accounts/:accountId/withdraw") { request, context in
            let id = try Self.accountId(context)
            let body = try await decode(AmountRequest.self, from: request)
            let transaction = try await bank.withdraw(body.amount, from: id)
            return try Self.json(TransactionResponse(transaction))
        }
        router.get("/api/accounts/:accountId/transactions") { _, context in
            let id = try Self.accountId(context)
            return try Self.json(HistoryResponse(accountId: id, transactions: try await bank.history(id)))
        }
        router.post("/api/transfers") { request, _ in
            let body = try await decode(TransferRequest.self, from: request)
            let transfer = try await bank.transfer(body.amount, from: body.fromAccount, to: body.toAccount)
            return try Self.json(TransferResponse(transfer))
        }
        if let providerStates {
            router.post("/_pact/provider-states") { request, _ in
                let body = try await decode(ProviderStateRequest.self, from: request)
                let values = try await providerStates.apply(body.state, action: body.action ?? "setup", params: body.params?.mapValues(\.text) ?? [:])
                return try Self.json(values)
            }
            let producer = BankEventProducer(bank: bank)
            router.post("/_pact/messages") { request, _ in
                let body = try await decode(MessageRequest.self, from: request)
                let event = try await producer.event(for: body.description)
                var headers: HTTPFields = [.contentType: "application/json"]
                if let name = HTTPField.Name("Pact-Message-Metadata") {
                    headers[name] = try Self.encoder.encode(BankEventProducer.metadata).base64EncodedString()
                }
                return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: try BankingEvents.encode(event))))
            }
        }
        return router
    }

    // MARK: Bodies

    struct OpenAccountRequest: Decodable { var customerId: String }
    struct AmountRequest: Decodable { var amount: Decimal }
    struct TransferRequest: Decodable { var fromAccount: String; var toAccount: String; var amount: Decimal }
    struct MessageRequest: Decodable { var description: String }
    struct ProviderStateRequest: Decodable {
        var state: String
        var action: String?
        var params: [String: LooseValue]?
    }

    /// A provider-state parameter of any JSON type, kept as its text.
    struct LooseValue: Decodable {
        var text: String
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let string = try? container.decode(String.self) { text = string }
            else if let number = try? container.decode(Decimal.self) { text = "\(number)" }
            else if let bool = try? container.decode(Bool.self) { text = "\(bool)" }
            else if container.decodeNil() { text = "" }
            else { throw DecodingError.typeMismatch(String.self, .init(codingPath: decoder.codingPath, debugDescription: "a parameter must be a string, number or boolean")) }
        }
    }

    struct TransactionResponse: Encodable {
        var transactionId: String
        var type: String
        var amount: Decimal
        var balance: Decimal
        init(_ transaction: Bank.Transaction) {
            transactionId = transaction.transactionId
            type = transaction.type.rawValue
            amount = transaction.amount
            balance = transaction.balanceAfter
        }
    }

    struct TransferResponse: Encodable {
        var transferId: String
        var fromAccount: String
        var toAccount: String
        var amount: Decimal
        var status = "completed"
        var balance: Decimal
        init(_ transfer: Bank.Transfer) {
            transferId = transfer.transferId
            fromAccount = transfer.fromAccount
            toAccount = transfer.toAccount
            amount = transfer.amount
            balance = transfer.balance
        }
    }

    struct HistoryResponse: Encodable {
        var accountId: String
        var transactions: [Bank.Transaction]
    }

    // MARK: Helpers

    /// Reads a JSON body into `Body`, turning every way it can be wrong into a 400 that names the field.
    func decode<Body: Decodable>(_ type: Body.Type, from request: Request) async throws -> Body {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge)
        }
        if let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/json") {
            throw BankError.invalidRequest("the body must be JSON (Content-Type: application/json), not \(type)")
        }
        let data = Data(buffer.readableBytesView)
        guard !data.isEmpty else { throw BankError.invalidRequest("the request needs a JSON body") }
        do {
            return try JSONDecoder().decode(Body.self, from: data)
        } catch DecodingError.keyNotFound(let key, let context) {
            throw BankError.invalidRequest("the field '\(Self.path(context.codingPath + [key]))' is missing")
        } catch DecodingError.typeMismatch(let expected, let context) {
            if context.codingPath.isEmpty { throw BankError.invalidRequest("the body must be a JSON object") }
            throw BankError.invalidRequest("the field '\(Self.path(context.codingPath))' must be \(Self.describe(expected))")
        } catch DecodingError.valueNotFound(let expected, let context) {
            if context.codingPath.isEmpty { throw BankError.invalidRequest("the body must be a JSON object, not null") }
            throw BankError.invalidRequest("the field '\(Self.path(context.codingPath))' must be \(Self.describe(expected)), not null")
        } catch {
            throw BankError.invalidRequest("the body is not valid JSON")
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map(\.stringValue).joined(separator: ".")
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Decimal.Type: "a number"
        case is String.Type: "a string"
        default: "a \(type)"
        }
    }

    static func accountId(_ context: BasicRequestContext) throws -> String {
        guard let raw = context.parameters.get("accountId"), !raw.isEmpty else { throw BankError.invalidRequest("the path has no account id") }
        guard let id = raw.removingPercentEncoding else {
            throw BankError.invalidRequest("the account id '\(raw)' in the path is not valid percent-encoding")
        }
        return id
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Turns every error into a JSON body with a status, so no client ever sees an HTML page or an empty 500.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    struct Problem: Encodable {
        var error: String
        var code: String
        var currentBalance: Decimal?
        var requestedAmount: Decimal?
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as BankError {
            var problem = Problem(error: error.message, code: error.code)
            if case .insufficientFunds(_, let current, let requested) = error {
                problem.currentBalance = current
                problem.requestedAmount = requested
            }
            return try BankingRoutes.json(problem, status: HTTPResponse.Status(code: error.status))
        } catch let error as HTTPError {
            let problem: Problem = switch error.status {
            case .notFound: Problem(error: "No route for \(request.method) \(request.uri.path)", code: "NOT_FOUND")
            case .methodNotAllowed: Problem(error: "\(request.method) is not allowed on \(request.uri.path)", code: "METHOD_NOT_ALLOWED")
            case .contentTooLarge: Problem(error: "The request body is too large", code: "BODY_TOO_LARGE")
            default: Problem(error: error.body ?? error.status.reasonPhrase, code: "HTTP_\(error.status.code)")
            }
            return try BankingRoutes.json(problem, status: error.status)
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return try BankingRoutes.json(Problem(error: "The request failed; the service log has the details", code: "INTERNAL_ERROR"), status: .internalServerError)
        }
    }
}
