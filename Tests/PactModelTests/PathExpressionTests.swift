import PactModel
import PropertyBased
import Testing

private func path(_ text: String) throws -> PathExpression {
    try PathExpression(parsing: text)
}

private func parseFailure(_ text: String) -> PathExpressionError? {
    do {
        _ = try PathExpression(parsing: text)
        return nil
    } catch {
        return error
    }
}

/// `$` followed by fields and indices, built from the given segments.
private func document(_ segments: [DocumentPath.Segment]) -> DocumentPath {
    DocumentPath(segments: [.root] + segments)
}

// MARK: - Parsing

@Suite("PathExpression parsing")
struct PathExpressionParsingTests {
    @Test func dottedFieldsStarIndexAndNestedFieldsParseInOrder() throws {
        let expression = try path("$.a.b[*].c")
        #expect(expression.tokens == [.root, .field("a"), .field("b"), .starIndex, .field("c")])
        #expect(expression.description == "$.a.b[*].c")
        #expect(expression.firstField == "a")
    }

    @Test func quotedNamesMayHoldSpacesAndQuotes() throws {
        #expect(try path("$['x y']").tokens == [.root, .field("x y")])
        #expect(try path(#"$["x y"]"#).tokens == [.root, .field("x y")])
        #expect(try path(#"$['it\'s']"#).tokens == [.root, .field("it's")])
        #expect(try path(#"$['a\\b']"#).tokens == [.root, .field(#"a\b"#)])
        #expect(try path("$['']").tokens == [.root, .field("")])
        #expect(try path("$['\u{301}x']").tokens == [.root, .field("\u{301}x")])
        #expect(try path("$['\\'\u{301}']").tokens == [.root, .field("'\u{301}")])
        #expect(try path("$['a.b'][0]").tokens == [.root, .field("a.b"), .index(0)])
    }

    @Test func wildcardsAndIndicesParse() throws {
        #expect(try path("$.*").tokens == [.root, .star])
        #expect(try path("$[0]").tokens == [.root, .index(0)])
        #expect(try path("$[42][*]").tokens == [.root, .index(42), .starIndex])
        #expect(try path("$.items[*].*").tokens == [.root, .field("items"), .starIndex, .star])
        #expect(try path("$").tokens == [.root])
        #expect(PathExpression.root.tokens == [.root])
    }

    @Test func dottedNamesAcceptDashesColonsAndNonASCIILetters() throws {
        let expression = try path("$.a-b:c")
        #expect(expression.tokens == [.root, .field("a-b:c")])
        #expect(expression.description == "$['a-b:c']")
        #expect(try path("$.@id.#text.$ref.snake_case").tokens == [.root, .field("@id"), .field("#text"), .field("$ref"), .field("snake_case")])
        #expect(try path("$.café.名前").tokens == [.root, .field("café"), .field("名前")])
        #expect(try path("$.cafe\u{301}").tokens == [.root, .field("cafe\u{301}")])
    }

    @Test func bareNamesAreOneFieldWhateverTheyContain() throws {
        #expect(try path("Content-Type").tokens == [.field("Content-Type")])
        #expect(try path("X Custom.Header[0]").tokens == [.field("X Custom.Header[0]")])
        #expect(try path("Content-Type").description == "Content-Type")
        #expect(try path("Content-Type").firstField == "Content-Type")
    }

    @Test("Malformed expressions are rejected with a reason and position", arguments: [
        ("$.", "expected a name or '*' after '.' at index 2"),
        ("$.a.", "expected a name or '*' after '.' at index 4"),
        ("$..a", "expected a name or '*' after '.' at index 2"),
        ("$[", "unterminated '[' at index 2"),
        ("$['unterminated", "unterminated quoted name at index 15"),
        ("$['a'", "expected ']' after a quoted name at index 5"),
        ("$['a'x]", "expected ']' after a quoted name at index 5"),
        ("$[*", "expected ']' after '[*' at index 3"),
        ("$[1", "expected ']' after an index at index 3"),
        ("$[abc]", "expected an index, '*' or a quoted name inside '[]' at index 2"),
        ("$[-1]", "expected an index, '*' or a quoted name inside '[]' at index 2"),
        ("$.a b", "' ' is not allowed in a name at index 3"),
        ("$x", "expected '.' or '[' at index 1"),
        ("", "it is empty"),
    ])
    func malformedExpressionsAreRejected(_ args: (String, String)) throws {
        let error = try #require(parseFailure(args.0))
        #expect(error.expression == args.0)
        #expect(error.reason == args.1)
    }

    @Test func theErrorDescriptionQuotesTheExpression() throws {
        let error = try #require(parseFailure("$.a b"))
        #expect(error.description == "invalid path expression '$.a b': ' ' is not allowed in a name at index 3")
    }

    @Test func descriptionsQuoteNamesThatAreNotIdentifiers() {
        let expression = PathExpression(tokens: [.root, .field("a"), .field("x y"), .field("it's"), .field("9lives"), .field("*"), .index(3), .star, .starIndex])
        #expect(expression.description == #"$.a['x y']['it\'s']['9lives']['*'][3].*[*]"#)
        #expect(PathExpression(tokens: [.root, .field("'\u{301}")]).description == "$['\\'\u{301}']")
        #expect(PathExpression.root.appending(field: "a").appending(index: 1).appendingStar().description == "$.a[1].*")
    }
}

// MARK: - Round trip

private let nameCharacters: [Character] = [
    "a", "b", "Z", "_", "0", "7", "-", " ", ".", "[", "]", "'", "\"", "\\", "*", "$", "@", ":", "é", "中", "😀",
    "\u{301}", "\u{20DD}",  // combining marks, which join the character before them
]

private let randomToken: PropertyBased.Generator<PathExpression.Token, AnySequence<Any>> = Gen<PathExpression.Token>.oneOf(
    Gen<Character?>.element(of: nameCharacters).map { $0! }.string(of: 0...6)
        .map { PathExpression.Token.field($0) }.eraseToAny(),
    Gen.letter.string(of: 1...6).map { PathExpression.Token.field($0) }.eraseToAny(),
    Gen.int(in: 0...100_000).map { PathExpression.Token.index($0) }.eraseToAny(),
    Gen.always(PathExpression.Token.star).eraseToAny(),
    Gen.always(PathExpression.Token.starIndex).eraseToAny()
).eraseToAny()

@Suite("PathExpression text round trip")
struct PathExpressionRoundTripTests {
    @Test func descriptionParsesBackToTheSameTokens() async {
        await propertyCheck(count: 500, input: randomToken.array(of: 0...6)) { tokens in
            let expression = PathExpression(tokens: [.root] + tokens)
            let reparsed = recordingErrors { try PathExpression(parsing: expression.description) }
            #expect(reparsed?.tokens == expression.tokens, "text \(expression.description)")
            #expect(reparsed == expression)
        }
    }

    @Test func concretePathsRenderTheTextThatParsesToTheirSegments() async {
        let segment = Gen<DocumentPath.Segment>.oneOf(
            Gen<Character?>.element(of: nameCharacters).map { $0! }.string(of: 0...6)
                .map { DocumentPath.Segment.field($0) }.eraseToAny(),
            Gen.int(in: 0...999).map { DocumentPath.Segment.index($0) }.eraseToAny()
        )
        await propertyCheck(count: 300, input: segment.array(of: 0...5)) { segments in
            let concrete = document(segments)
            let expression = recordingErrors { try PathExpression(parsing: concrete.description) }
            let expected: [PathExpression.Token] = [.root] + segments.map { segment -> PathExpression.Token in
                switch segment {
                case .root: return .root
                case .field(let name): return .field(name)
                case .index(let position): return .index(position)
                }
            }
            #expect(expression?.tokens == expected)
            #expect(expression?.matchesExactly(concrete) == true)
        }
    }
}

// MARK: - Weighting

@Suite("PathExpression weighting")
struct PathExpressionWeightTests {
    private let status = document([.field("one"), .field("a"), .field("status")])

    @Test func exactStepsOutweighWildcards() throws {
        let target = document([.field("a"), .field("b")])
        #expect(try path("$.a.b").weight(for: target) == (8, 3))
        #expect(try path("$.a.*").weight(for: target) == (4, 3))
        #expect(try path("$.*.b").weight(for: target) == (4, 3))
        #expect(try path("$.*.*").weight(for: target) == (2, 3))
    }

    @Test func aParentRuleCascadesToItsDescendantsButLosesToADeeperOne() throws {
        let parent = try path("$.one")
        let exact = try path("$.one.a.status")
        #expect(parent.weight(for: status) == (4, 2))
        #expect(parent.matches(status))
        #expect(!parent.matchesExactly(status))
        #expect(exact.weight(for: status) == (16, 4))
        #expect(exact.matchesExactly(status))
        #expect(try path("$.one.*").weight(for: status) == (4, 3))
        #expect(PathExpression.root.weight(for: status) == (2, 1))
    }

    @Test func aDeeperExpressionDoesNotMatchAShallowerPath() throws {
        #expect(try path("$.one.a.status.x").weight(for: status) == (0, 5))
        #expect(try !path("$.one.a.status.x").matches(status))
    }

    @Test func nonMatchingExpressionsWeighZero() throws {
        #expect(try path("$.two").weight(for: status) == (0, 2))
        #expect(try path("$.one.b").weight(for: status).score == 0)
        #expect(try path("$[0]").weight(for: status).score == 0)
        #expect(try path("$.*").weight(for: DocumentPath.root).score == 0)
        #expect(try path("name").weight(for: status).score == 0)
    }

    @Test func starIndexMatchesArrayPositionsButNotNamedFields() throws {
        let item = document([.index(3)])
        let field = document([.field("name")])
        #expect(try path("$[*]").weight(for: item) == (2, 2))
        #expect(try path("$[3]").weight(for: item) == (4, 2))
        #expect(try path("$[4]").weight(for: item).score == 0)
        #expect(try path("$.*").weight(for: item) == (2, 2))
        #expect(try path("$[*]").weight(for: field).score == 0)
        #expect(try path("$.*").weight(for: field) == (2, 2))
    }

    @Test func numericFieldsAndIndicesMatchEachOther() throws {
        #expect(try path("$['0']").weight(for: document([.index(0)])) == (4, 2))
        #expect(try path("$[12]").weight(for: document([.field("12")])) == (4, 2))
        #expect(try path("$[*]").weight(for: document([.field("12")])) == (2, 2))
        #expect(try path("$[12]").weight(for: document([.field("x")])).score == 0)
    }

    @Test func bareNamesMatchNamedPaths() throws {
        let header = try path("Content-Type")
        #expect(header.weight(for: .named("Content-Type")) == (2, 1))
        #expect(header.weight(for: .named("Accept")).score == 0)
    }

    @Test func theMostSpecificRuleWinsAmongCandidates() throws {
        let candidates = try ["$", "$.one", "$.*.a", "$.one.a.*", "$.one.a.status", "$.one.b"].map(path)
        let best = candidates.max { lhs, rhs in
            let left = lhs.weight(for: status), right = rhs.weight(for: status)
            return (left.score, left.length) < (right.score, right.length)
        }
        #expect(best?.description == "$.one.a.status")
        let matching = candidates.filter { $0.matches(status) }.map(\.description)
        #expect(matching == ["$", "$.one", "$.*.a", "$.one.a.*", "$.one.a.status"])
    }
}

// MARK: - DocumentPath

@Suite("DocumentPath rendering")
struct DocumentPathTests {
    @Test func concretePathsRenderAsPactPathText() {
        let concrete = DocumentPath.root.appending(field: "a").appending(field: "x y").appending(index: 0)
        #expect(concrete.description == "$.a['x y'][0]")
        #expect(concrete.segments == [.root, .field("a"), .field("x y"), .index(0)])
        #expect(DocumentPath.root.description == "$")
        #expect(DocumentPath.named("Content-Type").description == "Content-Type")
        #expect(DocumentPath.root.appending(field: "it's").description == #"$['it\'s']"#)
    }

    @Test func digitOnlyMapKeysRenderAsIndices() {
        let keyed = DocumentPath.root.appending(key: "100")
        #expect(keyed.description == "$[100]")
        #expect(keyed.segments == [.root, .index(100)])
        #expect(DocumentPath.root.appending(key: "id").description == "$.id")
        #expect(DocumentPath.root.appending(key: "-1").description == "$['-1']")
        #expect(DocumentPath.root.appending(key: "1.5").description == "$['1.5']")
        #expect(DocumentPath.root.appending(key: "").description == "$['']")
        #expect(DocumentPath.root.appending(key: "99999999999999999999").description == "$['99999999999999999999']")
        #expect(DocumentPath.root.appending(field: "100").description == "$['100']")
    }

    @Test func digitKeysWithLeadingZerosStayFieldsSoTheirRulesApply() throws {
        let keyed = DocumentPath.root.appending(key: "007")
        #expect(keyed.description == "$['007']")
        #expect(try path("$['007']").weight(for: keyed) == (4, 2))
        #expect(try path("$.007").weight(for: keyed) == (4, 2))
        #expect(try path("$[*]").weight(for: keyed) == (2, 2))
        #expect(DocumentPath.root.appending(key: "0").description == "$[0]")
        var pushed = DocumentPath.root
        pushed.push(key: "007")
        #expect(pushed == keyed)
        pushed.pop()
        pushed.push(key: "100")
        #expect(pushed.description == "$[100]")
    }

    @Test func jsonPointersEscapeTildeAndSlash() {
        let concrete = DocumentPath.root.appending(field: "a/b").appending(field: "m~n").appending(index: 0).appending(field: "x y")
        #expect(concrete.jsonPointer == "/a~1b/m~0n/0/x y")
        #expect(DocumentPath.root.jsonPointer == "")
        #expect(DocumentPath.root.appending(field: "~/").jsonPointer == "/~0~1")
    }
}
