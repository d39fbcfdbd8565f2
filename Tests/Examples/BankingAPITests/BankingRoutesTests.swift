import BankingAPI
import BankingClient
import Foundation
import PactHTTP
import Testing

/// BankingAPI over HTTP: the banking day through the app's own client, and every kind of bad request.
@Suite("BankingAPI routes")
struct BankingRoutesTests {
    static func send(_ server: BankingServer, _ method: String, _ path: String, body: String? = nil,
                     contentType: String? = "application/json") async throws -> (status: Int, json: [String: Any]) {
        let client = HTTPClient()
        defer { client.shutdown() }
        var headers: [(name: String, value: String)] = []
        if body != nil, let contentType { headers.append(("Content-Type", contentType)) }
        let response = try await client.send(HTTPClientRequest(method: method, url: server.url.absoluteString + path, headers: headers, body: body.map { Array($0.utf8) }))
        #expect(response.headers.first { $0.name.lowercased() == "content-type" }?.value == "application/json", "\(method) \(path)")
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return (response.status, object ?? [:])
    }

    @Test func theBankingDayThroughTheAppsClient() async throws {
        let server = try await BankingServer.start()
        let http = HTTPClient()
        defer { http.shutdown() }
        do {
            let app = BankingClient(baseURL: server.url, http: http)
            let account = try await app.openAccount(customerId: "CUST001")
            #expect(account.accountId == "ACC001" && account.balance == 0 && account.currency == "USD" && account.status == "active")
            #expect(try await app.deposit(1000, into: "ACC001").balance == 1000)
            #expect(try await app.account("ACC001").balance == 1000)
            #expect(try await app.withdraw(300, from: "ACC001").balance == 700)
            #expect(try await app.account("ACC001").balance == 700)
            await #expect(throws: BankingClient.BankingError.insufficientFunds(currentBalance: 700, requestedAmount: 1000)) {
                try await app.withdraw(1000, from: "ACC001")
            }
            _ = try await app.openAccount(customerId: "CUST002")
            let transfer = try await app.transfer(200, from: "ACC001", to: "ACC002")
            #expect(transfer.status == "completed" && transfer.balance == 500 && transfer.transferId.hasPrefix("TRF"))
            let history = try await app.history("ACC001")
            #expect(history.transactions.map(\.type) == ["deposit", "withdrawal", "transfer_out"])
            #expect(history.transactions.map(\.balanceAfter) == [1000, 700, 500])
            #expect(history.transactions.last?.relatedAccount == "ACC002")
            #expect(history.transactions.allSatisfy { $0.timestamp?.hasSuffix("Z") == true })
            #expect(try await app.account("ACC002").balance == 200)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func badRequestsGetAJSONErrorNamingTheProblem() async throws {
        let server = try await BankingServer.start()
        defer { Task { await server.stop() } }
        _ = try await Self.send(server, "POST", "/api/accounts", body: #"{"customerId":"CUST001"}"#)

        let notJSON = try await Self.send(server, "POST", "/api/accounts/ACC001/deposit", body: "{amount")
        #expect(notJSON.status == 400 && notJSON.json["code"] as? String == "INVALID_REQUEST")

        let missing = try await Self.send(server, "POST", "/api/accounts/ACC001/deposit", body: "{}")
        #expect(missing.status == 400 && missing.json["error"] as? String == "Invalid request: the field 'amount' is missing")

        let wrongType = try await Self.send(server, "POST", "/api/accounts/ACC001/deposit", body: #"{"amount":"lots"}"#)
        #expect(wrongType.status == 400 && wrongType.json["error"] as? String == "Invalid request: the field 'amount' must be a number")

        let negative = try await Self.send(server, "POST", "/api/accounts/ACC001/withdraw", body: #"{"amount":-5}"#)
        #expect(negative.status == 400 && negative.json["code"] as? String == "INVALID_AMOUNT")

        let wrongMediaType = try await Self.send(server, "POST", "/api/accounts", body: "customerId=CUST001", contentType: "application/x-www-form-urlencoded")
        #expect(wrongMediaType.status == 400 && (wrongMediaType.json["error"] as? String)?.contains("Content-Type: application/json") == true)

        let empty = try await Self.send(server, "POST", "/api/transfers", body: "")
        #expect(empty.status == 400)

        let unknown = try await Self.send(server, "GET", "/api/accounts/ACC404")
        #expect(unknown.status == 404 && unknown.json["code"] as? String == "ACCOUNT_NOT_FOUND")

        let noRoute = try await Self.send(server, "GET", "/api/nothing")
        #expect(noRoute.status == 404 && noRoute.json["code"] as? String == "NOT_FOUND")

        let overdraw = try await Self.send(server, "POST", "/api/accounts/ACC001/withdraw", body: #"{"amount":1}"#)
        #expect(overdraw.status == 400 && overdraw.json["code"] as? String == "INSUFFICIENT_FUNDS")
        #expect(overdraw.json["currentBalance"] as? Int == 0 && overdraw.json["requestedAmount"] as? Int == 1)
    }

    @Test func anOversizedBodyIsRefused() async throws {
        let server = try await BankingServer.start()
        defer { Task { await server.stop() } }
        let huge = #"{"customerId":""# + String(repeating: "x", count: 100_000) + #""}"#
        let response = try await Self.send(server, "POST", "/api/accounts", body: huge)
        #expect(response.status == 413 && response.json["code"] as? String == "BODY_TOO_LARGE")
    }

    @Test func providerStatesAreServedOnlyWhenAskedFor() async throws {
        let plain = try await BankingServer.start()
        let withStates = try await BankingServer.start(providerStates: true)
        defer { Task { await plain.stop(); await withStates.stop() } }
        let state = #"{"state":"account ACC001 exists with balance 700","params":{"accountId":"ACC001","balance":700},"action":"setup"}"#
        #expect(try await Self.send(plain, "POST", "/_pact/provider-states", body: state).status == 404)
        #expect(try await Self.send(withStates, "POST", "/_pact/provider-states", body: state).status == 200)
        let account = try await Self.send(withStates, "GET", "/api/accounts/ACC001")
        #expect(account.json["balance"] as? Int == 700)

        let unknown = try await Self.send(withStates, "POST", "/_pact/provider-states", body: #"{"state":"the moon is full","action":"setup"}"#)
        #expect(unknown.status == 400 && unknown.json["code"] as? String == "UNKNOWN_PROVIDER_STATE")

        #expect(try await Self.send(withStates, "POST", "/_pact/provider-states", body: #"{"state":"x","action":"teardown"}"#).status == 200)
        #expect(try await Self.send(withStates, "GET", "/api/accounts/ACC001").status == 404)
    }
}

extension BankingRoutesTests {
    @Test func bodiesThatAreNotObjectsAndBrokenPathsAreNamed() async throws {
        let server = try await BankingServer.start()
        defer { Task { await server.stop() } }
        for body in ["[]", "null", "42"] {
            let reply = try await Self.send(server, "POST", "/api/accounts", body: body)
            #expect(reply.status == 400 && (reply.json["error"] as? String)?.hasPrefix("Invalid request: the body must be a JSON object") == true, "\(body): \(reply.json)")
        }
        let fraction = try await Self.send(server, "POST", "/api/accounts", body: #"{"customerId":"C"}"#)
        #expect(fraction.status == 201)
        let deposit = try await Self.send(server, "POST", "/api/accounts/ACC001/deposit", body: #"{"amount":12.34}"#)
        #expect(deposit.status == 200 && (deposit.json["balance"] as? NSNumber)?.decimalValue == Decimal(string: "12.34"), "\(deposit.json)")
        let badEscape = try await Self.send(server, "GET", "/api/accounts/ACC%zz")
        #expect(badEscape.status == 400 && (badEscape.json["error"] as? String)?.contains("percent-encoding") == true, "\(badEscape.json)")
        let unknownTarget = try await Self.send(server, "POST", "/api/transfers", body: #"{"fromAccount":"ACC001","toAccount":"ACC999","amount":1}"#)
        #expect(unknownTarget.status == 404 && unknownTarget.json["code"] as? String == "ACCOUNT_NOT_FOUND")
    }
}
