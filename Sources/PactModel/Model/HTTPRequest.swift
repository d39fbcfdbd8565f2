/// An HTTP request, as expected by a pact or as received.
public struct HTTPRequest: Sendable, Hashable {
    /// The method, upper-case.
    public var method: String
    /// The path, starting with `/`.
    public var path: String
    /// The query parameters.
    public var query: QueryParameters
    /// The raw query string of a V1 pact, compared exactly instead of `query`.
    public var rawQuery: String?
    /// The headers.
    public var headers: HTTPHeaders
    /// The body.
    public var body: Body
    /// Matching rules for the request parts.
    public var matchingRules: MatchingRules
    /// Generators for the request parts.
    public var generators: Generators

    /// Creates a request.
    public init(
        method: String = "GET", path: String = "/", query: QueryParameters = QueryParameters(), rawQuery: String? = nil,
        headers: HTTPHeaders = HTTPHeaders(), body: Body = .missing,
        matchingRules: MatchingRules = MatchingRules(), generators: Generators = Generators()
    ) {
        self.method = method.uppercased()
        self.path = path
        self.query = query
        self.rawQuery = rawQuery
        self.headers = headers
        self.body = body
        self.matchingRules = matchingRules
        self.generators = generators
    }

    /// The body's content type: the `Content-Type` header, then the body's declared or detected type.
    public var contentType: ContentType? {
        headers.first("Content-Type").flatMap(ContentType.init) ?? body.contentType
    }
}

/// An HTTP response, as expected by a pact or as received.
public struct HTTPResponse: Sendable, Hashable {
    /// The status code.
    public var status: Int
    /// The headers.
    public var headers: HTTPHeaders
    /// The body.
    public var body: Body
    /// Matching rules for the response parts.
    public var matchingRules: MatchingRules
    /// Generators for the response parts.
    public var generators: Generators

    /// Creates a response.
    public init(
        status: Int = 200, headers: HTTPHeaders = HTTPHeaders(), body: Body = .missing,
        matchingRules: MatchingRules = MatchingRules(), generators: Generators = Generators()
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.matchingRules = matchingRules
        self.generators = generators
    }

    /// The body's content type: the `Content-Type` header, then the body's declared or detected type.
    public var contentType: ContentType? {
        headers.first("Content-Type").flatMap(ContentType.init) ?? body.contentType
    }
}
