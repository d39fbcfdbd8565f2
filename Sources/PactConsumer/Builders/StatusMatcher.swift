import PactModel

/// A response status that matches a class of codes (a V4 `statusCode` rule), with the code the mock server sends.
public struct StatusMatcher: Sendable, Hashable {
    /// The codes that match.
    public let statusClass: StatusCodeClass
    /// The code the mock server sends and the pact records.
    public let example: Int

    /// A matcher for a class of codes with its example.
    public init(_ statusClass: StatusCodeClass, example: Int) {
        self.statusClass = statusClass
        self.example = example
    }

    /// Any 2xx code.
    public static func success(example: Int = 200) -> StatusMatcher { StatusMatcher(.success, example: example) }
    /// Any 4xx code.
    public static func clientError(example: Int = 400) -> StatusMatcher { StatusMatcher(.clientError, example: example) }
    /// Any 5xx code.
    public static func serverError(example: Int = 500) -> StatusMatcher { StatusMatcher(.serverError, example: example) }
    /// Any 3xx code.
    public static func redirect(example: Int = 302) -> StatusMatcher { StatusMatcher(.redirect, example: example) }
    /// Any 1xx code.
    public static func information(example: Int = 100) -> StatusMatcher { StatusMatcher(.information, example: example) }
    /// Any code below 400.
    public static func nonError(example: Int = 200) -> StatusMatcher { StatusMatcher(.nonError, example: example) }
    /// Any code of 400 or above.
    public static func error(example: Int = 500) -> StatusMatcher { StatusMatcher(.error, example: example) }
    /// One of the listed codes; the example defaults to the first.
    public static func codes(_ codes: [Int], example: Int? = nil) -> StatusMatcher {
        StatusMatcher(.codes(codes), example: example ?? codes.first ?? 200)
    }
}
