import Foundation
import PactMatching
import PactModel

/// Checks a generator's parameters the way the pact reader would, so a pact that is written can also be read.
enum GeneratorCheck {
    /// Nil when the generator can run, or what is wrong with it.
    static func problem(with generator: Generator) -> String? {
        switch generator {
        case .randomInt(let min, let max):
            return min <= max ? nil : "min (\(min)) is greater than max (\(max))"
        case .randomDecimal(let digits), .randomHexadecimal(let digits):
            return (1...1_000_000).contains(digits) ? nil : "digits must be between 1 and 1000000, not \(digits)"
        case .randomString(let size):
            return (1...1_000_000).contains(size) ? nil : "size must be between 1 and 1000000, not \(size)"
        case .regex(let pattern):
            do { _ = try RegexStringGenerator(pattern: pattern) } catch {
                return "no values can be generated from the regex: \(error.description)"
            }
            return nil
        case .date(let format, let expression), .time(let format, let expression), .dateTime(let format, let expression):
            if let format {
                do { _ = try DateTimePattern(format) } catch { return "the format '\(format)' is invalid: \(error.reason)" }
            }
            if let expression, !expression.trimmingCharacters(in: .whitespaces).isEmpty {
                do { _ = try DateTimeExpression.evaluate(expression, from: DefaultExamples.instant) } catch {
                    return error.description
                }
            }
            return nil
        case .mockServerURL(_, let regex):
            do { _ = try PactRegex(regex) } catch { return "the regex \(error.description)" }
            return nil
        case .providerState(let expression, _):
            return expression.contains("${") ? nil : "the expression '\(expression)' names no provider state value; write it like ${accountId}"
        case .uuid, .randomBoolean:
            return nil
        }
    }
}
