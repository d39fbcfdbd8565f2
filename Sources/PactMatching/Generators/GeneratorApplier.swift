import PactModel

/// Applies an interaction's generators to a request, response or message before it is sent or served.
public struct GeneratorApplier: Sendable {
    /// Which side is preparing the data.
    public var mode: GeneratorMode
    /// Values generators may use.
    public var context: GeneratorContext

    /// Creates an applier.
    public init(mode: GeneratorMode, context: GeneratorContext = GeneratorContext()) {
        self.mode = mode
        self.context = context
    }

    /// The request with generated path, headers, query and body; generators that fail keep their example and are reported.
    public func apply(to request: HTTPRequest) -> (request: HTTPRequest, errors: [GeneratorError]) {
        var rng = SystemRandomNumberGenerator()
        return apply(to: request, using: &rng)
    }

    /// Like `apply(to:)`, with a given random source.
    public func apply<R: RandomNumberGenerator>(to request: HTTPRequest, using rng: inout R) -> (request: HTTPRequest, errors: [GeneratorError]) {
        var result = request
        var errors: [GeneratorError] = []
        let generators = request.generators
        if let generator = generators.path, let value = run(generator, example: .string(request.path), at: "path", errors: &errors, rng: &rng) {
            result.path = value.plainText
        }
        for (name, generator) in generators.headers {
            let example = JSONValue.string(request.headers.first(name) ?? "")
            if let value = run(generator, example: example, at: "header \(name)", errors: &errors, rng: &rng) {
                result.headers.set(name, [value.plainText])
            }
        }
        for (name, generator) in generators.query {
            let example = JSONValue.string((request.query[name]?.first ?? nil) ?? "")
            if let value = run(generator, example: example, at: "query \(name)", errors: &errors, rng: &rng) {
                result.query.set(name, [value.plainText])
                result.rawQuery = nil
            }
        }
        result.body = applyBody(generators.body, to: request.body, errors: &errors, rng: &rng)
        return (result, errors)
    }

    /// The response with generated status, headers and body.
    public func apply(to response: HTTPResponse) -> (response: HTTPResponse, errors: [GeneratorError]) {
        var rng = SystemRandomNumberGenerator()
        return apply(to: response, using: &rng)
    }

    /// Like `apply(to:)`, with a given random source.
    public func apply<R: RandomNumberGenerator>(to response: HTTPResponse, using rng: inout R) -> (response: HTTPResponse, errors: [GeneratorError]) {
        var result = response
        var errors: [GeneratorError] = []
        if let generator = response.generators.status,
           let value = run(generator, example: .number(JSONNumber(response.status)), at: "status", errors: &errors, rng: &rng),
           let status = Int(value.plainText) {
            result.status = status
        }
        for (name, generator) in response.generators.headers {
            let example = JSONValue.string(response.headers.first(name) ?? "")
            if let value = run(generator, example: example, at: "header \(name)", errors: &errors, rng: &rng) {
                result.headers.set(name, [value.plainText])
            }
        }
        result.body = applyBody(response.generators.body, to: response.body, errors: &errors, rng: &rng)
        return (result, errors)
    }

    /// The message with generated metadata and contents.
    public func apply(to message: MessageContents) -> (message: MessageContents, errors: [GeneratorError]) {
        var rng = SystemRandomNumberGenerator()
        var result = message
        var errors: [GeneratorError] = []
        for (name, generator) in message.generators.metadata {
            if let value = run(generator, example: message.metadata[name] ?? .null, at: "metadata \(name)", errors: &errors, rng: &rng) {
                result.metadata[name] = value
            }
        }
        result.contents = applyBody(message.generators.body, to: message.contents, errors: &errors, rng: &rng)
        return (result, errors)
    }

    private func applyBody<R: RandomNumberGenerator>(_ generators: [(path: PathExpression, generator: Generator)], to body: Body,
                                                     errors: inout [GeneratorError], rng: inout R) -> Body {
        guard !generators.isEmpty, body.isPresent else { return body }
        if let json = body.json {
            var updated = json
            for (path, generator) in generators {
                updated = replace(in: updated, at: .root, matching: path, generator: generator, errors: &errors, rng: &rng)
            }
            return Body(json: updated, contentType: body.declaredContentType)
        }
        // A generator for the root of a text body replaces the whole text.
        if let root = generators.first(where: { $0.path == .root }), let text = body.text,
           let value = run(root.generator, example: .string(text), at: "body $", errors: &errors, rng: &rng) {
            return Body(text: value.plainText, contentType: body.declaredContentType)
        }
        return body
    }

    private func replace<R: RandomNumberGenerator>(in value: JSONValue, at location: DocumentPath, matching path: PathExpression,
                                                   generator: Generator, errors: inout [GeneratorError], rng: inout R) -> JSONValue {
        if path.matchesExactly(location) {
            return run(generator, example: value, at: "body \(location)", errors: &errors, rng: &rng) ?? value
        }
        // Descend only while the location matches the start of the generator's path.
        guard location.segments.count < path.tokens.count,
              PathExpression(tokens: Array(path.tokens.prefix(location.segments.count))).matches(location) else {
            return value
        }
        switch value {
        case .object(var object):
            for key in object.keys {
                guard let child = object[key] else { continue }
                object[key] = replace(in: child, at: location.appending(field: key), matching: path, generator: generator, errors: &errors, rng: &rng)
            }
            return .object(object)
        case .array(var items):
            for index in items.indices {
                items[index] = replace(in: items[index], at: location.appending(index: index), matching: path, generator: generator, errors: &errors, rng: &rng)
            }
            return .array(items)
        default:
            return value
        }
    }

    private func run<R: RandomNumberGenerator>(_ generator: Generator, example: JSONValue, at location: String,
                                               errors: inout [GeneratorError], rng: inout R) -> JSONValue? {
        do {
            return try ValueGenerator.generate(generator, example: example, mode: mode, context: context, using: &rng)
        } catch {
            errors.append(GeneratorError(location: location, reason: error.reason))
            return nil
        }
    }
}
