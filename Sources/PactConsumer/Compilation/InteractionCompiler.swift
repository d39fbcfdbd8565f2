import PactModel

/// Compiles a declared interaction into an `HTTPInteraction`, with every problem found on the way.
enum InteractionCompiler {
    /// The interaction and its problems, each naming the interaction and where the problem is.
    static func compile(_ declaration: InteractionDeclaration, response: InteractionDeclaration.Response,
                        specification: PactSpecification) -> (interaction: HTTPInteraction, problems: [String]) {
        var problems: [String] = []
        let info = compileInfo(declaration, problems: &problems)
        let request = compileRequest(declaration.request, problems: &problems)
        let compiledResponse = compileResponse(response, problems: &problems)
        let interaction = HTTPInteraction(info: info, request: request, response: compiledResponse)
        problems += ExampleCheck.problems(in: interaction)
        problems += SpecificationCheck.problems(in: interaction, specification: specification)
        let prefix = "interaction '\(declaration.description)': "
        return (interaction, problems.map { prefix + $0 })
    }

    static func compileInfo(_ declaration: InteractionDeclaration, problems: inout [String]) -> InteractionInfo {
        if declaration.description.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append("the description is empty; describe the request, such as 'a request for the balance'")
        }
        let states = declaration.states.map { state in
            var params = JSONObject()
            for (name, value) in state.params {
                // Provider state parameters are plain data for the provider; matchers only contribute their examples.
                params[name] = value.example
            }
            return ProviderState(state.name, params: params)
        }
        var comments = JSONObject()
        if !declaration.comments.isEmpty { comments["text"] = .array(declaration.comments.map(JSONValue.string)) }
        if let testName = declaration.testName { comments["testname"] = .string(testName) }
        return InteractionInfo(description: declaration.description, providerStates: states, key: declaration.key,
                               pending: declaration.pending, comments: comments)
    }

    private static func compileRequest(_ declared: InteractionDeclaration.Request, problems: inout [String]) -> HTTPRequest {
        var request = HTTPRequest(method: declared.method.rawValue, path: "/")
        if declared.method.rawValue.isEmpty || declared.method.rawValue.contains(where: { $0 == " " }) {
            problems.append("request method '\(declared.method.rawValue)' is not an HTTP method token")
        }
        let path = NamedValueCompiler.compile(declared.path, location: "request path", allowsNull: false)
        problems += path.problems
        if path.values.count == 1, let value = path.values[0] {
            request.path = value
            if !value.hasPrefix("/") { problems.append("request path '\(value)' must start with '/'") }
        } else {
            problems.append("request path must be one string, such as \"/accounts/1\"")
        }
        if !path.rules.isEmpty { request.matchingRules["path"].add(RuleList(path.rules), at: .root) }
        request.generators.path = path.generator

        for (name, value) in declared.query {
            let parameter = NamedValueCompiler.compile(value, location: "request query parameter '\(name)'", allowsNull: true)
            problems += parameter.problems
            if parameter.values.isEmpty { problems.append("request query parameter '\(name)' has no values") }
            for item in parameter.values { request.query.add(name, item) }
            if !parameter.rules.isEmpty { request.matchingRules["query"].add(RuleList(parameter.rules), at: PathExpression(tokens: [.field(name)])) }
            if let generator = parameter.generator { request.generators.query.append((name, generator)) }
        }
        var headers = compileHeaders(declared.headers, rules: &request.matchingRules, generators: &request.generators,
                                     location: "request", problems: &problems)
        if let body = declared.body {
            let compiled = compileBody(body, location: "request body", headers: &headers, problems: &problems)
            request.body = compiled.body
            if !compiled.rules.isEmpty { request.matchingRules.body = compiled.rules }
            request.generators.body = compiled.generators
        }
        request.headers = headers
        return request
    }

    private static func compileResponse(_ declared: InteractionDeclaration.Response, problems: inout [String]) -> HTTPResponse {
        var response = HTTPResponse()
        switch declared.status {
        case .code(let code):
            response.status = code
        case .matcher(let matcher):
            response.status = matcher.example
            response.matchingRules["status"].add(.statusCode(matcher.statusClass), at: .root)
        }
        if !(100...599).contains(response.status) {
            problems.append("response status \(response.status) is not an HTTP status code (100–599)")
        }
        var headers = compileHeaders(declared.headers, rules: &response.matchingRules, generators: &response.generators,
                                     location: "response", problems: &problems)
        if let body = declared.body {
            let compiled = compileBody(body, location: "response body", headers: &headers, problems: &problems)
            response.body = compiled.body
            if !compiled.rules.isEmpty { response.matchingRules.body = compiled.rules }
            response.generators.body = compiled.generators
        }
        response.headers = headers
        return response
    }

    private static func compileHeaders(_ declared: [(name: String, value: PactValue)], rules: inout MatchingRules, generators: inout Generators,
                                       location: String, problems: inout [String]) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for (name, value) in declared {
            let header = NamedValueCompiler.compile(value, location: "\(location) header '\(name)'", allowsNull: false)
            problems += header.problems
            if name.isEmpty || name.contains(where: { $0 == " " || $0 == ":" }) {
                problems.append("\(location) header '\(name)' is not a valid header name")
            }
            if header.values.isEmpty { problems.append("\(location) header '\(name)' has no values") }
            for item in header.values { headers.add(name, item ?? "") }
            if !header.rules.isEmpty { rules["header"].add(RuleList(header.rules), at: PathExpression(tokens: [.field(name)])) }
            if let generator = header.generator { generators.headers.append((name, generator)) }
        }
        return headers
    }

    /// Compiles a body and sends its content type as `Content-Type` when no header says otherwise.
    private static func compileBody(_ body: PactBody, location: String, headers: inout HTTPHeaders, problems: inout [String]) -> BodyCompiler.Compiled {
        let compiled = BodyCompiler.compile(body, location: location)
        problems += compiled.problems
        if !headers.contains("Content-Type") { headers.add("Content-Type", body.contentType) }
        return compiled
    }
}
