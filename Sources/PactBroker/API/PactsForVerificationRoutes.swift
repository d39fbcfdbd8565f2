import HTTPTypes
import Hummingbird

extension BrokerAPI {
    func addPactsForVerificationRoutes(to router: Router<BasicRequestContext>) {
    }
}
