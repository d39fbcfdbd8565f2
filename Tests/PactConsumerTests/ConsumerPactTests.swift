import PactConsumer
import PactModel
import Testing

/// Registration, taking pending interactions, and building the pact.
@Suite("ConsumerPact")
struct ConsumerPactTests {
    @Test func interactionIsRegisteredOnlyByWillRespondWith() {
        let pact = ConsumerPact(consumer: "C", provider: "P")
        let builder = pact.uponReceiving("a request").withRequest(method: .get, path: "/")
        #expect(pact.takePendingInteractions().isEmpty)
        builder.willRespondWith(status: 200)
        #expect(pact.takePendingInteractions().map(\.description) == ["a request"])
        #expect(pact.takePendingInteractions().isEmpty)
    }

    @Test func buildersAreValuesSoABaseCanBeReused() {
        let pact = ConsumerPact(consumer: "C", provider: "P")
        let base = pact.uponReceiving("a request").given("a state")
        base.withRequest(method: .get, path: "/a").willRespondWith(status: 200)
        base.given("another state").withRequest(method: .get, path: "/b").willRespondWith(status: 200)
        let interactions = pact.takePendingInteractions()
        #expect(interactions.map(\.info.providerStates.count) == [1, 2])
        #expect(interactions.map(\.request.path) == ["/a", "/b"])
        #expect(pact.validationErrors().isEmpty)
    }

    @Test func pactHoldsIdenticalInteractionsOnce() {
        let pact = ConsumerPact(consumer: "C", provider: "P", specification: .v3)
        for _ in 0..<3 { pact.uponReceiving("a request").withRequest(method: .get, path: "/").willRespondWith(status: 200) }
        pact.uponReceiving("another").withRequest(method: .get, path: "/x").willRespondWith(status: 200)
        let built = pact.pact(with: pact.takePendingInteractions())
        #expect(built.interactions.map(\.description) == ["a request", "another"])
        #expect(built.consumer == "C")
        #expect(built.provider == "P")
        #expect(built.specification == .v3)
    }

    @Test func interactionsCanBeDeclaredFromManyTasks() async {
        let pact = ConsumerPact(consumer: "C", provider: "P")
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<64 {
                group.addTask {
                    pact.uponReceiving("request \(index)").withRequest(method: .get, path: "/items/\(index)")
                        .willRespondWith(status: 200, body: .json(["id": .integer(index)]))
                }
            }
        }
        let pending = pact.takePending()
        #expect(pending.interactions.count == 64)
        #expect(Set(pending.interactions.map(\.description)).count == 64)
        #expect(pending.validationErrors.isEmpty)
    }

    @Test func httpMethodsAreUpperCased() {
        #expect(HTTPMethod.get.rawValue == "GET")
        #expect(HTTPMethod(custom: "propfind") == HTTPMethod(rawValue: "PROPFIND"))
        #expect(HTTPMethod.options.description == "OPTIONS")
    }
}
