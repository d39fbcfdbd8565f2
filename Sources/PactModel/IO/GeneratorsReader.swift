/// Reads the `generators` attribute of a request, response or message.
struct GeneratorsReader {
    var warnings: [PactWarning] = []

    mutating func read(_ cursor: JSONCursor) throws(PactLoadError) -> Generators {
        let object = try cursor.object()
        var generators = Generators()
        for (category, _) in object {
            guard let categoryCursor = cursor.child(category) else { continue }
            switch category {
            case "body", "content":
                generators.body += try readKeyed(categoryCursor)
            case "header", "headers":
                generators.headers += try readKeyed(categoryCursor).map { ($0.path.firstField ?? $0.path.description, $0.generator) }
            case "query":
                generators.query += try readKeyed(categoryCursor).map { ($0.path.firstField ?? $0.path.description, $0.generator) }
            case "metadata":
                generators.metadata += try readKeyed(categoryCursor).map { ($0.path.firstField ?? $0.path.description, $0.generator) }
            case "path":
                generators.path = try readGenerator(categoryCursor)
            case "status":
                generators.status = try readGenerator(categoryCursor)
            default:
                warnings.append(PactWarning(path: categoryCursor.path, message: "ignored generators for the unknown category '\(category)'"))
            }
        }
        return generators
    }

    mutating func readKeyed(_ cursor: JSONCursor) throws(PactLoadError) -> [(path: PathExpression, generator: Generator)] {
        let object = try cursor.object()
        if object.contains("type") {
            // A single generator for the whole category, as some tools write for bodies.
            return try readGenerator(cursor).map { [(PathExpression.root, $0)] } ?? []
        }
        var result: [(path: PathExpression, generator: Generator)] = []
        for (key, _) in object {
            guard let child = cursor.child(key) else { continue }
            let path: PathExpression
            do { path = try PathExpression(parsing: key) } catch { throw child.error(error.description) }
            if let generator = try readGenerator(child) { result.append((path, generator)) }
        }
        return result
    }

    /// One generator object; unknown types are skipped with a warning.
    mutating func readGenerator(_ cursor: JSONCursor) throws(PactLoadError) -> Generator? {
        _ = try cursor.object()
        let type = try cursor.requiredString("type", hint: "for example {\"type\": \"RandomInt\", \"min\": 0, \"max\": 10}")
        switch type {
        case "RandomInt":
            let min = try cursor.optionalInt("min") ?? 0
            let max = try cursor.optionalInt("max") ?? Int(Int32.max)
            guard min <= max else { throw cursor.error("min (\(min)) is greater than max (\(max))") }
            return .randomInt(min: min, max: max)
        case "RandomDecimal":
            return .randomDecimal(digits: try positive(cursor, "digits", default: 10))
        case "RandomHexadecimal":
            return .randomHexadecimal(digits: try positive(cursor, "digits", default: 10))
        case "RandomString":
            return .randomString(size: try positive(cursor, "size", default: 10))
        case "Regex":
            let pattern = try cursor.requiredString("regex")
            do { _ = try PactRegex(pattern) } catch { throw cursor.error("the regex \(error.description)") }
            return .regex(pattern)
        case "Uuid", "UUID":
            let name = try cursor.optionalString("format") ?? UUIDFormat.lowerCaseHyphenated.rawValue
            guard let format = UUIDFormat.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
                throw cursor.error("'\(name)' is not a UUID format", hint: "use simple, lower-case-hyphenated, upper-case-hyphenated or URN")
            }
            return .uuid(format)
        case "Date", "Time", "DateTime":
            let format = try cursor.optionalString("format")
            if let format {
                do { _ = try DateTimePattern(format) } catch { throw cursor.error("the format '\(format)' is invalid: \(error.reason)") }
            }
            let expression = try cursor.optionalString("expression")
            switch type {
            case "Date": return .date(format: format, expression: expression)
            case "Time": return .time(format: format, expression: expression)
            default: return .dateTime(format: format, expression: expression)
            }
        case "RandomBoolean":
            return .randomBoolean
        case "ProviderState":
            let expression = try cursor.requiredString("expression", hint: "for example \"${id}\"")
            let dataType = try cursor.optionalString("dataType").flatMap { GeneratorDataType(rawValue: $0.uppercased()) }
            return .providerState(expression: expression, dataType: dataType)
        case "MockServerURL":
            let example = try cursor.requiredString("example")
            let regex = try cursor.requiredString("regex")
            do { _ = try PactRegex(regex) } catch { throw cursor.error("the regex \(error.description)") }
            return .mockServerURL(example: example, regex: regex)
        default:
            warnings.append(PactWarning(path: cursor.path, message: "ignored the unknown generator type '\(type)'"))
            return nil
        }
    }

    private func positive(_ cursor: JSONCursor, _ key: String, default value: Int) throws(PactLoadError) -> Int {
        let number = try cursor.optionalInt(key) ?? value
        guard number > 0 && number <= 1_000_000 else {
            throw cursor.error("'\(key)' must be between 1 and 1000000, not \(number)")
        }
        return number
    }
}
