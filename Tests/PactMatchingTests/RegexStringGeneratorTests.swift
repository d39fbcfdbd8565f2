import Foundation
import PactMatching
import Testing


private func fullyMatches(_ candidate: String, _ pattern: String) throws -> Bool {
    let regex = try NSRegularExpression(pattern: "^(?:\(pattern))$")
    let range = NSRange(candidate.startIndex..., in: candidate)
    return regex.firstMatch(in: candidate, range: range) != nil
}

private func samples(_ pattern: String, count: Int = 200, seed: UInt64 = 42) throws -> [String] {
    let generator = try RegexStringGenerator(pattern: pattern)
    var rng = SeededRandomNumberGenerator(seed: seed)
    return (0..<count).map { _ in generator.generate(using: &rng) }
}

private func rejection(_ pattern: String) -> RegexGenerationError? {
    #expect(throws: RegexGenerationError.self) { try RegexStringGenerator(pattern: pattern) }
}

@Suite("RegexStringGenerator")
struct RegexStringGeneratorTests {
    static let matchingPatterns: [String] = [
        #"\d{1,8}"#,
        "[a-f0-9]{6}",
        #"\w{3}-\d+"#,
        "(foo|bar)baz?",
        "[^0-9]{4}",
        #"\d{4}-\d{2}-\d{2}"#,
        "[A-Z][a-z]+ [A-Z][a-z]+",
        "^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$",
        ".*(/a)",
        #"\D\W\S\s"#,
        #"[\w.+-]+@[\w-]+\.[a-z]{2,6}"#,
        #"(?<year>\d{4})/(?<month>0[1-9]|1[0-2])"#,
        #"\\\.\/\(\)\[\]\{\}\*\+\?\|\^\$\-"#,
        "a{2,}b{0,3}c{3}",
        "x*?y+?z??w*+v++u{1,2}?",
        #"[^\s]+\s[^a-zA-Z]"#,
        #"[\d\-.]{5}"#,
        "[-a][a-]",
        #"[^\W_]{3}"#,
        #"\u00e9\u4e2d[\u0400-\u04FF]\uD83D\uDE00"#,
        #"\x41\x{1F600}[\x30-\x39]"#,
        "(?i)abc(?i:DEF)",
        "(a|b|)c",
        "((a|b)(c|d)){2,3}",
        #"\t\n\r[\t]"#,
        #"\Aword\b \bnext-\B-\z"#,
        #"(?:\+|-)?\d+(?:\.\d{1,2})?"#,
        #"\Q.*\E+x"#,
        "(?#a comment)ab{0}c",
        "(?>atomic|group)",
        "https?://[a-z]+(\\.[a-z]+)*(:\\d{2,5})?(/[\\w-]*)*",
        "[^aeiou\\d]{10}",
    ]

    @Test("generated strings fully match their pattern", arguments: matchingPatterns)
    func generatedStringsFullyMatchPattern(pattern: String) throws {
        for candidate in try samples(pattern) {
            #expect(try fullyMatches(candidate, pattern), "\"\(candidate)\" does not match \(pattern)")
        }
    }

    @Test func sameSeedProducesSameSequence() throws {
        let pattern = #"[A-Z]{2}\d{3}-(alpha|beta|gamma)\w*"#
        #expect(try samples(pattern, count: 50, seed: 7) == samples(pattern, count: 50, seed: 7))
    }

    @Test func differentSeedsProduceDifferentSequences() throws {
        let pattern = #"\w{12}"#
        #expect(try samples(pattern, count: 20, seed: 1) != samples(pattern, count: 20, seed: 2))
    }

    @Test func defaultGenerateUsesSystemRandomnessAndStillMatches() throws {
        let generator = try RegexStringGenerator(pattern: #"[a-z]{3}\d{2}"#)
        for _ in 0..<50 {
            #expect(try fullyMatches(generator.generate(), generator.pattern))
        }
    }

    @Test func patternPropertyKeepsTheOriginalText() throws {
        #expect(try RegexStringGenerator(pattern: "(?:a|b)+").pattern == "(?:a|b)+")
    }

    @Test func everyAlternationBranchIsEventuallyChosen() throws {
        #expect(Set(try samples("red|green|blue")) == ["red", "green", "blue"])
    }

    @Test func anchorsAndWordBoundariesProduceNothing() throws {
        #expect(Set(try samples(#"^\bliteral\b$"#, count: 5)) == ["literal"])
    }

    @Test func unboundedQuantifiersAreCappedAtEightExtraRepetitions() throws {
        let lengths = try samples("a*b+c{2,}", count: 500).map { text in
            ["a", "b", "c"].map { letter in text.filter { String($0) == letter }.count }
        }
        #expect(lengths.allSatisfy { $0[0] <= 8 && (1...9).contains($0[1]) && (2...10).contains($0[2]) })
        #expect(lengths.contains { $0[0] == 8 })
        #expect(lengths.contains { $0[0] == 0 })
    }

    @Test func braceThatIsNotAQuantifierIsTreatedAsLiteral() throws {
        #expect(try samples("a{,3}x{y}", count: 3) == ["a{,3}x{y}", "a{,3}x{y}", "a{,3}x{y}"])
    }

    @Test func boundedQuantifiersHonourExactCounts() throws {
        #expect(try samples("x{5}", count: 10).allSatisfy { $0 == "xxxxx" })
        #expect(try samples("y{2,4}").allSatisfy { (2...4).contains($0.count) })
    }

    @Test func negatedClassesDrawFromPrintableASCIIOutsideTheSet() throws {
        let characters = try samples("[^a-z]", count: 2000).flatMap(\.unicodeScalars)
        #expect(characters.allSatisfy { (0x20...0x7E).contains($0.value) && !("a"..."z").contains($0) })
        #expect(Set(characters).count == 95 - 26)
    }

    @Test func dotNeverProducesNewlines() throws {
        #expect(try samples(".{20}").allSatisfy { !$0.contains("\n") && $0.unicodeScalars.count == 20 })
    }

    @Test func unicodeEscapesProduceTheDenotedCharacters() throws {
        #expect(try samples(#"\u00e9\x{1F600}\uD83D\uDE00\0101"#, count: 1) == ["é😀😀A"])
    }

    @Test func generatorCanBeSharedAcrossConcurrentTasks() async throws {
        let generator = try RegexStringGenerator(pattern: #"\d{3}"#)
        let results = await withTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { generator.generate() } }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(results.count == 8)
        #expect(try results.allSatisfy { try fullyMatches($0, #"\d{3}"#) })
    }

    static let invalidPatterns: [(pattern: String, reasonFragment: String, offset: Int)] = [
        ("(abc", "unbalanced '('", 0),
        ("ab(c(d)", "unbalanced '('", 2),
        ("abc)", "unmatched ')'", 3),
        ("*a", "nothing to repeat", 0),
        ("a|+b", "nothing to repeat", 2),
        ("{2}", "nothing to repeat", 0),
        ("a**", "follows another quantifier", 2),
        ("a{2}{3}", "follows another quantifier", 4),
        ("x[z-a]", "invalid range", 2),
        ("a{3,1}", "minimum greater than its maximum", 1),
        ("[abc", "unterminated character class", 0),
        (#"abc\"#, "dangling backslash", 3),
        (#"(a)\1"#, "backreferences", 3),
        (#"(?<n>a)\k<n>"#, "named backreferences", 7),
        ("foo(?=bar)", "lookahead", 3),
        ("foo(?!bar)", "lookahead", 3),
        ("(?<=x)y", "lookbehind", 0),
        ("(?<!x)y", "lookbehind", 0),
        (#"\p{L}"#, "Unicode property", 0),
        (#"a\q"#, "unsupported escape", 1),
        (#"[^\x20-\x7E]"#, "excludes every printable ASCII", 0),
        ("[a-z&&[^e]]", "intersections", 4),
        ("[[a]]", "nested character classes", 1),
        ("(?x)a b", "comments-mode", 2),
        ("(?P<n>a)", "unsupported group construct", 0),
        ("(?<1a>x)", "invalid character in group name", 3),
        (#"\u12"#, "four hex digits", 0),
        (#"\uD800"#, "lone surrogate", 0),
        ("a{99999}", "exceeds", 1),
    ]

    @Test("invalid or unsupported patterns are rejected with the offending offset", arguments: invalidPatterns)
    func invalidPatternsAreRejectedWithOffset(pattern: String, reasonFragment: String, offset: Int) {
        let error = rejection(pattern)
        #expect(error?.pattern == pattern)
        #expect(error?.reason.contains(reasonFragment) == true, "reason was: \(error?.reason ?? "nil")")
        #expect(error?.reason.hasSuffix("at offset \(offset)") == true, "reason was: \(error?.reason ?? "nil")")
    }

    @Test func errorDescriptionNamesPatternAndReason() {
        let error = rejection("(a)\\1")
        let description = error.map(String.init(describing:)) ?? ""
        #expect(description.contains("(a)\\1"))
        #expect(description.contains("backreferences"))
        #expect(description.contains("offset 3"))
    }

    @Test func errorsWithSamePatternAndReasonAreEqual() {
        #expect(rejection("[z-a]") == rejection("[z-a]"))
        #expect(rejection("[z-a]") != rejection("(z"))
        #expect(RegexGenerationError(pattern: "p", reason: "r") == RegexGenerationError(pattern: "p", reason: "r"))
    }
}
