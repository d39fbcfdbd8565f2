// A small, test-only reader for English Gherkin `.feature` files.
//
// Background handling: `GherkinFeature.background` holds the feature-level Background only, and
// `GherkinScenario.steps` excludes it; a `Rule:`'s own Background is prepended to the steps of
// each scenario inside that rule. Scenario tags include the inherited Feature, Rule and Examples tags.

import Foundation

/// A parsed .feature file.
struct GherkinFeature: Sendable {
    var name: String
    var background: [GherkinStep]
    var scenarios: [GherkinScenario]
    var file: String
    var tags: [String] = []
    var description: String = ""
}

/// One scenario (outlines are expanded into one scenario per Examples row, named "<name> (example N)" and located at that row).
struct GherkinScenario: Sendable {
    var name: String
    var line: Int
    var tags: [String]
    var steps: [GherkinStep]
}

/// One step; `keyword` is Given/When/Then, with And/But/* resolved to the previous primary keyword (Given when there is none).
struct GherkinStep: Sendable {
    var keyword: String
    var text: String
    var line: Int
    var table: [[String]]?
    var docString: String?
    var mediaType: String? = nil
}

/// A syntax error in a feature file, described as "file:line: reason".
struct GherkinError: Error, CustomStringConvertible, Sendable {
    var file: String
    var line: Int
    var reason: String

    /// The error formatted as "file:line: reason".
    var description: String { "\(file):\(line): \(reason)" }
}

/// Parses English Gherkin text into a `GherkinFeature`.
enum GherkinParser {
    /// Parses the text of a .feature file, naming `file` in any thrown `GherkinError`.
    static func parse(_ text: String, file: String) throws -> GherkinFeature {
        var state = GherkinParserState(file: file)
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = String(first.dropFirst()) }
        var index = 0
        while index < lines.count {
            index = try state.consume(lines, at: index)
        }
        return try state.finish()
    }
}

/// The block that steps, tables and description lines currently belong to.
private enum GherkinBlock { case none, feature, background, scenario, examples }

/// One Examples table of a scenario outline while it is being read.
private struct GherkinExamplesDraft { var tags: [String]; var rows: [(line: Int, cells: [String])] = [] }

/// A scenario or outline while it is being read.
private struct GherkinScenarioDraft {
    var name: String, line: Int, tags: [String], isOutline: Bool
    var steps: [GherkinStep] = [], examples: [GherkinExamplesDraft] = []
}

/// The mutable state of one parse; each call to `consume` handles one line (or a whole doc string).
private struct GherkinParserState {
    let file: String
    var feature: GherkinFeature?
    var block = GherkinBlock.none
    var pendingTags: [String] = [], pendingTagLine = 0
    var inRule = false, ruleTags: [String] = [], ruleBackground: [GherkinStep] = [], ruleHasScenarios = false
    var draft: GherkinScenarioDraft?
    var lastKeyword = "Given"
    var allowsDescription = false, allowsArgument = false

    /// Builds an error at the given line.
    func error(_ line: Int, _ reason: String) -> GherkinError { GherkinError(file: file, line: line, reason: reason) }

    /// Handles the line at `index` (plus any doc string body it opens) and returns the next index to read.
    mutating func consume(_ lines: [String], at index: Int) throws -> Int {
        let lineNumber = index + 1
        let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.hasPrefix("#") { return index + 1 }
        if trimmed.hasPrefix("@") {
            for token in trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                if token.hasPrefix("#") { break }
                guard token.hasPrefix("@"), token.count > 1 else { throw error(lineNumber, "invalid tag '\(token)'") }
                pendingTags.append(String(token))
            }
            pendingTagLine = lineNumber
            return index + 1
        }
        if let (keyword, name) = Self.header(trimmed) { try startBlock(keyword, name: name, line: lineNumber); return index + 1 }
        guard pendingTags.isEmpty else { throw error(lineNumber, "tags must precede Feature, Rule, Scenario or Examples") }
        if trimmed.hasPrefix("|") { try addRow(try Self.cells(trimmed, line: lineNumber, file: file), line: lineNumber); return index + 1 }
        if trimmed.hasPrefix("\"\"\"") || trimmed.hasPrefix("```") { return try readDocString(lines, at: index) }
        if let (keyword, text) = Self.step(trimmed) { try addStep(keyword, text: text, line: lineNumber); return index + 1 }
        guard allowsDescription, let feature else { throw error(lineNumber, "unexpected line '\(trimmed)'") }
        if block == .feature, !inRule {
            self.feature?.description += (feature.description.isEmpty ? "" : "\n") + trimmed
        }
        return index + 1
    }

    /// Splits a keyword header such as "Scenario: name" into its keyword and trimmed name.
    static func header(_ line: String) -> (String, String)? {
        let keywords = ["Feature", "Rule", "Background", "Scenario Outline", "Scenario Template", "Scenario", "Example",
                        "Examples", "Scenarios"]
        for keyword in keywords where line.hasPrefix(keyword + ":") {
            return (keyword, line.dropFirst(keyword.count + 1).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// Splits a step line into its resolved keyword and text, or returns nil when the line is not a step.
    static func step(_ line: String) -> (String, String)? {
        for keyword in ["Given", "When", "Then", "And", "But", "*"] where line.hasPrefix(keyword + " ") || line == keyword {
            return (keyword, line.dropFirst(keyword.count).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// Opens a Feature, Rule, Background, Scenario or Examples block.
    mutating func startBlock(_ keyword: String, name: String, line: Int) throws {
        let tags = pendingTags
        pendingTags = []
        allowsDescription = true
        allowsArgument = false
        if keyword == "Feature" {
            guard feature == nil else { throw error(line, "a file may contain only one Feature") }
            feature = GherkinFeature(name: name, background: [], scenarios: [], file: file, tags: tags)
            block = .feature
            return
        }
        guard feature != nil else { throw error(line, "expected 'Feature:' before '\(keyword):'") }
        switch keyword {
        case "Examples", "Scenarios":
            guard draft?.isOutline == true else { throw error(line, "Examples outside a Scenario Outline") }
            draft?.examples.append(GherkinExamplesDraft(tags: tags))
            block = .examples
            return
        case "Background":
            guard tags.isEmpty else { throw error(line, "a Background cannot have tags") }
            flushDraft()
            let late = inRule ? (ruleHasScenarios || !ruleBackground.isEmpty) : (!feature!.scenarios.isEmpty || !feature!.background.isEmpty)
            guard !late else { throw error(line, "Background must be the first block and appear once") }
            block = .background
        case "Rule":
            flushDraft()
            (inRule, ruleTags, ruleBackground, ruleHasScenarios) = (true, tags, [], false)
            block = .feature
        default:
            flushDraft()
            draft = GherkinScenarioDraft(name: name, line: line, tags: feature!.tags + ruleTags + tags,
                                  isOutline: keyword.hasPrefix("Scenario ") && keyword != "Scenario")
            ruleHasScenarios = true
            block = .scenario
        }
        lastKeyword = "Given"
    }

    /// Appends a step to the current Background or Scenario, resolving And/But/* keywords.
    mutating func addStep(_ keyword: String, text: String, line: Int) throws {
        let resolved = ["Given", "When", "Then"].contains(keyword) ? keyword : lastKeyword
        lastKeyword = resolved
        let step = GherkinStep(keyword: resolved, text: text, line: line, table: nil, docString: nil)
        switch block {
        case .background where inRule: ruleBackground.append(step)
        case .background: feature!.background.append(step)
        case .scenario: draft!.steps.append(step)
        default: throw error(line, "a step must be inside a Background or Scenario")
        }
        allowsDescription = false
        allowsArgument = true
    }

    /// Applies a change to the most recently added step; the change returns a failure reason or nil.
    mutating func updateLastStep(line: Int, _ change: (inout GherkinStep) -> String?) throws {
        guard allowsArgument else { throw error(line, "a table or doc string must follow a step") }
        let failure: String?
        switch block {
        case .background where inRule: failure = change(&ruleBackground[ruleBackground.count - 1])
        case .background: failure = change(&feature!.background[feature!.background.count - 1])
        default: failure = change(&draft!.steps[draft!.steps.count - 1])
        }
        if let failure { throw error(line, failure) }
    }

    /// Adds a table row to the last step or the current Examples table, checking the column count.
    mutating func addRow(_ cells: [String], line: Int) throws {
        allowsDescription = false
        if block == .examples {
            let expected = draft!.examples[draft!.examples.count - 1].rows.first?.cells.count ?? cells.count
            guard cells.count == expected else { throw error(line, "expected \(expected) cells but found \(cells.count)") }
            draft!.examples[draft!.examples.count - 1].rows.append((line, cells))
            return
        }
        try updateLastStep(line: line) { step in
            guard step.docString == nil else { return "a step cannot have both a doc string and a table" }
            let expected = step.table?.first?.count ?? cells.count
            guard cells.count == expected else { return "expected \(expected) cells but found \(cells.count)" }
            step.table = (step.table ?? []) + [cells]
            return nil
        }
    }

    /// Splits a table row into trimmed, unescaped cells (`\|`, `\\` and `\n` are escapes).
    static func cells(_ row: String, line: Int, file: String) throws -> [String] {
        var cells: [String] = [], raw = ""
        var iterator = row.dropFirst().makeIterator()
        while let character = iterator.next() {
            switch character {
            case "|": cells.append(unescapeCell(raw.trimmingCharacters(in: .whitespaces))); raw = ""
            case "\\": raw.append(character); if let next = iterator.next() { raw.append(next) }
            default: raw.append(character)
            }
        }
        guard raw.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw GherkinError(file: file, line: line, reason: "table row must end with '|'")
        }
        return cells
    }

    /// Replaces the table-cell escapes `\|`, `\\` and `\n`, keeping any other backslash as written.
    static func unescapeCell(_ raw: String) -> String {
        var result = ""
        var iterator = raw.makeIterator()
        while let character = iterator.next() {
            guard character == "\\", let next = iterator.next() else { result.append(character); continue }
            switch next {
            case "|", "\\": result.append(next)
            case "n": result.append("\n")
            default: result.append(character); result.append(next)
            }
        }
        return result
    }

    /// Reads a doc string opened at `index`, attaches it to the last step and returns the index after its closing delimiter.
    mutating func readDocString(_ lines: [String], at index: Int) throws -> Int {
        let opening = lines[index]
        let indent = opening.prefix { $0 == " " || $0 == "\t" }.count
        let trimmed = opening.trimmingCharacters(in: .whitespaces)
        let delimiter = trimmed.hasPrefix("```") ? "```" : "\"\"\""
        let mediaType = trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces)
        let escaped = delimiter.map { "\\\($0)" }.joined()
        var body: [String] = []
        var cursor = index + 1
        while cursor < lines.count, lines[cursor].trimmingCharacters(in: .whitespaces) != delimiter {
            let line = lines[cursor]
            let strip = min(indent, line.prefix { $0 == " " || $0 == "\t" }.count)
            body.append(String(line.dropFirst(strip)).replacingOccurrences(of: escaped, with: delimiter))
            cursor += 1
        }
        guard cursor < lines.count else { throw error(index + 1, "unterminated doc string") }
        try updateLastStep(line: index + 1) { step in
            guard step.table == nil, step.docString == nil else { return "a step can have only one table or doc string" }
            step.docString = body.joined(separator: "\n")
            step.mediaType = mediaType.isEmpty ? nil : mediaType
            return nil
        }
        allowsDescription = false
        return cursor + 1
    }

    /// Moves the current scenario draft into the feature, expanding an outline into one scenario per Examples row.
    mutating func flushDraft() {
        guard let current = draft else { return }
        draft = nil
        let steps = (inRule ? ruleBackground : []) + current.steps
        guard current.isOutline else {
            feature!.scenarios.append(GherkinScenario(name: current.name, line: current.line, tags: current.tags, steps: steps))
            return
        }
        var number = 0
        for examples in current.examples {
            guard let header = examples.rows.first?.cells else { continue }
            for row in examples.rows.dropFirst() {
                number += 1
                let pairs = Array(zip(header, row.cells))
                let fill = { (text: String) in
                    pairs.reduce(text) { $0.replacingOccurrences(of: "<\($1.0)>", with: $1.1) }
                }
                let expanded = steps.map { step in
                    var step = step
                    step.text = fill(step.text)
                    step.table = step.table?.map { $0.map(fill) }
                    step.docString = step.docString.map(fill)
                    return step
                }
                feature!.scenarios.append(GherkinScenario(name: "\(fill(current.name)) (example \(number))", line: row.line,
                                                          tags: current.tags + examples.tags, steps: expanded))
            }
        }
    }

    /// Completes the parse, checking that a Feature was found and nothing is left dangling.
    mutating func finish() throws -> GherkinFeature {
        guard pendingTags.isEmpty else { throw error(pendingTagLine, "tags at end of file are not attached to anything") }
        guard feature != nil else { throw error(1, "no 'Feature:' found") }
        flushDraft()
        return feature!
    }
}
