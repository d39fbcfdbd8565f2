/// Renders a verification report as JUnit XML, which most CI servers display.
public enum JUnitReport {
    /// One `<testsuite>` per consumer-provider pair and one `<testcase>` per interaction: a `<failure>` listing the
    /// mismatches, an `<error>` for an interaction that could not be checked, `<skipped/>` for a skipped one, and a
    /// `<skipped message="pending: ...">` for a pending interaction's failure.
    public static func render(_ report: VerificationReport) -> String {
        var pairs: [String] = []
        var grouped: [String: [InteractionResult]] = [:]
        for result in report.results {
            let pair = "\(result.consumer)-\(result.provider)"
            if grouped[pair] == nil { pairs.append(pair) }
            grouped[pair, default: []].append(result)
        }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"pactctl verify\" \(counts(report.results))>\n"
        for pair in pairs {
            let results = grouped[pair] ?? []
            xml += "  <testsuite name=\"\(XMLText.escape(pair))\" \(counts(results))>\n"
            for result in results { xml += testCase(result, suite: pair) }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return xml
    }

    private static func testCase(_ result: InteractionResult, suite: String) -> String {
        var name = result.description
        if !result.providerStates.isEmpty { name += " (given " + result.providerStates.joined(separator: ", ") + ")" }
        let opening = "    <testcase classname=\"\(XMLText.escape(suite))\" name=\"\(XMLText.escape(name))\" time=\"\(seconds(result.duration))\""
        let details = XMLText.escape(result.errorSummary.joined(separator: "\n"))
        let headline = XMLText.escape(result.errorSummary.first ?? "")
        var body = ""
        switch result.outcome {
        case .passed:
            break
        case .skipped(let reason):
            body = "      <skipped message=\"\(XMLText.escape(reason))\"/>\n"
        case .failed, .error:
            if result.pending {
                body = "      <skipped message=\"pending: \(headline)\">\(details)</skipped>\n"
            } else if case .failed = result.outcome {
                body = "      <failure message=\"\(headline)\">\(details)</failure>\n"
            } else {
                body = "      <error message=\"\(headline)\">\(details)</error>\n"
            }
        }
        if !result.warnings.isEmpty {
            body += "      <system-out>\(XMLText.escape(result.warnings.map { "warning: " + $0 }.joined(separator: "\n")))</system-out>\n"
        }
        return body.isEmpty ? opening + "/>\n" : opening + ">\n" + body + "    </testcase>\n"
    }

    private static func counts(_ results: [InteractionResult]) -> String {
        let failures = results.count(where: { if case .failed = $0.outcome { return !$0.pending } else { return false } })
        let errors = results.count(where: { if case .error = $0.outcome { return !$0.pending } else { return false } })
        let skipped = results.count(where: { if case .skipped = $0.outcome { return true } else { return $0.isFailure && $0.pending } })
        let time = results.reduce(Duration.zero) { $0 + $1.duration }
        return "tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\" time=\"\(seconds(time))\""
    }

    private static func seconds(_ duration: Duration) -> String {
        let (whole, attoseconds) = duration.components
        let milliseconds = attoseconds / 1_000_000_000_000_000
        let fraction = String(milliseconds)
        return "\(whole)." + String(repeating: "0", count: max(0, 3 - fraction.count)) + fraction
    }
}

/// Escapes text for XML content and attribute values.
enum XMLText {
    /// Escapes markup characters and line breaks (as character references, so attributes keep them), and replaces
    /// characters XML 1.0 cannot hold with U+FFFD.
    static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            case "\n": output += "&#10;"
            case "\r": output += "&#13;"
            case "\t": output += "&#9;"
            default:
                let value = scalar.value
                let allowed = value >= 0x20 && !(0xD800...0xDFFF).contains(value) && value != 0xFFFE && value != 0xFFFF
                output.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
            }
        }
        return output
    }
}
