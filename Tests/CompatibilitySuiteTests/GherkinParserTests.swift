import Testing

/// Tests for the test-only Gherkin reader and step pattern matcher, using inline feature text.
@Suite struct GherkinParserTests {
    /// Parses inline feature text, naming it "inline.feature".
    private func parse(_ text: String) throws -> GherkinFeature {
        try GherkinParser.parse(text, file: "inline.feature")
    }

    /// Reads a feature with tags, comments, description, Background and resolved And/But/* keywords.
    @Test func parsesFeatureBackgroundScenariosTagsAndComments() throws {
        let feature = try parse("""
            # a comment
            @consumer @v1
            Feature: Basic feature
              Some free description
              spanning two lines

              Background:
                Given the following HTTP interactions have been defined:
                  | No | method | path |
                  | 1  | GET    | /    |

              @wip # trailing comment
              Scenario: First one
                Given a thing
                # comment between steps
                And another thing
                When it happens
                But not that
                Then all is well
                * and more
            """)
        #expect(feature.name == "Basic feature")
        #expect(feature.tags == ["@consumer", "@v1"])
        #expect(feature.description == "Some free description\nspanning two lines")
        #expect(feature.background.count == 1)
        #expect(feature.background[0].table == [["No", "method", "path"], ["1", "GET", "/"]])
        #expect(feature.scenarios.count == 1)
        let scenario = feature.scenarios[0]
        #expect(scenario.name == "First one")
        #expect(scenario.line == 13)
        #expect(scenario.tags == ["@consumer", "@v1", "@wip"])
        #expect(scenario.steps.map(\.keyword) == ["Given", "Given", "When", "When", "Then", "Then"])
        #expect(scenario.steps.map(\.text) == ["a thing", "another thing", "it happens", "not that", "all is well", "and more"])
        #expect(scenario.steps.map(\.line) == [14, 16, 17, 18, 19, 20])
    }

    /// Trims table cells and applies the `\|`, `\\` and `\n` escapes only.
    @Test func tableCellsAreTrimmedAndUnescaped() throws {
        let feature = try parse(#"""
            Feature: Tables
              Scenario: Escapes
                Given a table:
                  |  a \| b  | c \\ d | e\nf | \d+ |   |
            """#)
        #expect(feature.scenarios[0].steps[0].table == [["a | b", #"c \ d"#, "e\nf", #"\d+"#, ""]])
    }

    /// Strips doc string indentation, unescapes delimiters and keeps the media type.
    @Test func docStringsStripIndentationAndEscapes() throws {
        let feature = try parse(#"""
            Feature: Doc strings
              Scenario: Both delimiters
                Given a body:
                  """application/json
                  {
                    "quote": "\"\"\""
                  }
                  """
                And some markdown:
                  ```
                  line one
                      indented
                  ```
            """#)
        let steps = feature.scenarios[0].steps
        #expect(steps[0].docString == "{\n  \"quote\": \"\"\"\"\"\n}")
        #expect(steps[0].mediaType == "application/json")
        #expect(steps[1].docString == "line one\n    indented")
        #expect(steps[1].mediaType == nil)
    }

    /// Expands an outline into one scenario per Examples row with placeholders substituted.
    @Test func expandsScenarioOutlines() throws {
        let feature = try parse("""
            Feature: Outlines
              Scenario Outline: Request with <method>
                Given a <method> request to "<path>"
                  | header   |
                  | <method> |
                Then the body is:
                  \"\"\"
                  <path>
                  \"\"\"

                @first
                Examples:
                  | method | path |
                  | GET    | /a   |
                  | POST   | /b   |

                Examples: more
                  | method | path |
                  | PUT    | /c   |
            """)
        #expect(feature.scenarios.map(\.name) == ["Request with GET (example 1)", "Request with POST (example 2)",
                                                  "Request with PUT (example 3)"])
        #expect(feature.scenarios.map(\.line) == [14, 15, 19])
        #expect(feature.scenarios[0].tags == ["@first"])
        #expect(feature.scenarios[2].tags == [])
        #expect(feature.scenarios[1].steps[0].text == #"a POST request to "/b""#)
        #expect(feature.scenarios[1].steps[0].table == [["header"], ["POST"]])
        #expect(feature.scenarios[2].steps[1].docString == "/c")
    }

    /// Accepts CRLF line endings, tab indentation and the Scenario Template keyword.
    @Test func handlesCRLFTabsAndScenarioTemplates() throws {
        let text = "Feature: CRLF\r\n\tScenario Template: T <x>\r\n\t\tGiven <x>\r\n\t\t\t\"\"\"\r\n\t\t\t  body\r\n\t\t\t\"\"\"\r\n"
            + "\t\tExamples:\r\n\t\t\t| x |\r\n\t\t\t| 1 |\r\n"
        let feature = try parse(text)
        #expect(feature.scenarios.map(\.name) == ["T 1 (example 1)"])
        #expect(feature.scenarios[0].steps[0].text == "1")
        #expect(feature.scenarios[0].steps[0].docString == "  body")
        #expect(feature.scenarios[0].line == 9)
    }

    /// Flattens Rule scenarios and prepends the Rule Background to their steps.
    @Test func flattensRulesWithTheirBackgrounds() throws {
        let feature = try parse("""
            Feature: Rules
              Background:
                Given the feature background

              Scenario: Outside
                Given outside

              @rule-tag
              Rule: A rule
                A rule description

                Background:
                  Given the rule background

                Example: Inside
                  When inside
            """)
        #expect(feature.background.map(\.text) == ["the feature background"])
        #expect(feature.description == "")
        #expect(feature.scenarios.map(\.name) == ["Outside", "Inside"])
        #expect(feature.scenarios[0].steps.map(\.text) == ["outside"])
        #expect(feature.scenarios[1].steps.map(\.text) == ["the rule background", "inside"])
        #expect(feature.scenarios[1].tags == ["@rule-tag"])
    }

    /// Reports malformed input as "file:line: reason".
    @Test(arguments: [
        ("Scenario: no feature\n", "inline.feature:1: expected 'Feature:' before 'Scenario:'"),
        ("Feature: x\n  Given a step\n", "inline.feature:2: a step must be inside a Background or Scenario"),
        ("Feature: x\n  Scenario: y\n    Given a\n      | a | b |\n      | c |\n", "inline.feature:5: expected 2 cells but found 1"),
        ("Feature: x\n  Scenario: y\n    Given a\n      \"\"\"\n      text\n", "inline.feature:4: unterminated doc string"),
        ("Feature: x\n  Scenario: y\n    Given a\n    stray text\n", "inline.feature:4: unexpected line 'stray text'"),
        ("Feature: x\n  Scenario: y\n    Given a\n      | a | b\n", "inline.feature:4: table row must end with '|'"),
        ("Feature: x\n  Scenario: y\n    Examples:\n", "inline.feature:3: Examples outside a Scenario Outline"),
        ("Feature: x\n  Scenario: y\n  | a |\n", "inline.feature:3: a table or doc string must follow a step"),
        ("Feature: x\n  Scenario: y\n  @tag\n", "inline.feature:3: tags at end of file are not attached to anything"),
    ])
    func reportsErrorsWithFileAndLine(text: String, message: String) {
        #expect {
            try parse(text)
        } throws: { error in
            (error as? GherkinError)?.description == message
        }
    }

    /// Captures and unescapes {string} arguments, requiring the whole text to match.
    @Test func stepPatternCapturesStrings() {
        let pattern = StepPattern("the mismatches will contain a mismatch with error {string} -> {string}")
        #expect(pattern.match(#"the mismatches will contain a mismatch with error "$.one" -> "Expected 'a' (String)""#)
            == ["$.one", "Expected 'a' (String)"])
        #expect(pattern.match(#"the mismatches will contain a mismatch with error "$" -> "Variant at index 1 ({\"href\":\"x\"}) was not found""#)
            == ["$", #"Variant at index 1 ({"href":"x"}) was not found"#])
        #expect(pattern.match(#"the mismatches will contain a mismatch with error "x" -> "\d{1,4}""#) == ["x", #"\d{1,4}"#])
        #expect(pattern.match(#"the mismatches will contain a mismatch with error 'x' -> "y""#) == ["x", "y"])
        #expect(pattern.match(#"the mismatches will contain a mismatch with error "x" -> "y" extra"#) == nil)
        #expect(pattern.match(#"the mismatches will contain a mismatch with error "x -> "y""#) == nil)
    }

    /// Matches optional text, {int}, {word}, {float} and {} parameters.
    @Test func stepPatternOptionalTextIntsAndWords() {
        let header = StepPattern("a(n) {string} header")
        #expect(header.match(#"a "x" header"#) == ["x"])
        #expect(header.match(#"an "x" header"#) == ["x"])
        #expect(header.match(#"ann "x" header"#) == nil)
        let numbers = StepPattern("interaction {int} has status {int}")
        #expect(numbers.match("interaction 1 has status -404") == ["1", "-404"])
        #expect(numbers.match("interaction +12 has status 200") == ["+12", "200"])
        #expect(numbers.match("interaction x has status 200") == nil)
        #expect(StepPattern("{int}0").match("1200") == ["120"])
        let words = StepPattern("a {word} request with {}")
        #expect(words.match("a GET request with no body") == ["GET", "no body"])
        #expect(words.match("a GET POST request with x") == nil)
        #expect(StepPattern("value {float}").match("value -1.5e3") == ["-1.5e3"])
        #expect(StepPattern(#"literal \(x) and {unknown}"#).match("literal (x) and {unknown}") == [])
        #expect(StepPattern("exact").match("exact text") == nil)
    }
}
