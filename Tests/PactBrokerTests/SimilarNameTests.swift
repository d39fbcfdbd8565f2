import Foundation
@testable import PactBroker
import PactModel
import Testing

@Suite("Broker: look-alike pacticipant names")
struct SimilarNameTests {
    @Test(arguments: [
        ("order-service", ["OrderService"], ["OrderService"]),
        ("orders", ["Order", "Orders API"], ["Order", "Orders API"]),
        ("Orders API", ["orders"], ["orders"]),
        ("APIClient", ["api_client", "client"], ["api_client", "client"]),
        ("BankingAPI", ["BankingApp"], []),
        ("order-service", ["order-service", "OrderService"], []),
        ("Payments", ["PaymentsV2", "Pay"], []),
    ])
    func wordsDecideWhetherNamesLookAlike(name: String, existing: [String], similar: [String]) {
        #expect(SimilarNames.similar(to: name, among: existing) == similar)
    }

    @Test("publishing under a look-alike of an existing name is refused with 409; creating it first lets it through", arguments: TestDatabase.available)
    func publishingUnderALookAlikeName(database: TestDatabase) async throws {
        try await withBroker(database) { broker in
            let suffix = broker.suffix
            try await broker.publish(consumer: "Checkout\(suffix)", version: "1", provider: "OrderService\(suffix)")
            let typo = try await broker.publish(consumer: "Checkout\(suffix)", version: "2", provider: "order-service\(suffix)")
            #expect(typo.status == 409, "\(typo.text)")
            #expect(typo.text.contains("OrderService\(suffix)"), "the message names the existing pacticipant: \(typo.text)")
            #expect(try await broker.get("/pacticipants/order-service\(suffix)").status == 404, "nothing was created")
            #expect(try await broker.get("/pacticipants/Checkout\(suffix)/versions/2").status == 404, "the whole publication was refused")

            // A pacticipant created on purpose is not a typo.
            #expect(try await broker.post("/pacticipants", ["name": .string("order-service\(suffix)")]).status == 201)
            #expect(try await broker.publish(consumer: "Checkout\(suffix)", version: "2", provider: "order-service\(suffix)").status == 200)
        }
    }
}
