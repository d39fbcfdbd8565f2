import PactMatching
import Testing

@Suite("XML body parser")
struct XMLBodyParserTests {
    private func parse(_ text: String, maxDepth: Int = 256) throws(XMLBodyError) -> XMLElementNode {
        try XMLBodyParser.parse(Array(text.utf8), maxDepth: maxDepth)
    }

    private func error(_ text: String, maxDepth: Int = 256) -> XMLBodyError? {
        do {
            _ = try XMLBodyParser.parse(Array(text.utf8), maxDepth: maxDepth)
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesRootElementWithChildrenAndText() throws {
        let root = try parse("<?xml version=\"1.0\"?>\n<order id=\"7\">\n  <item>apple</item>\n  <item>pear</item>\n</order>\n")
        #expect(root.name == "order")
        #expect(root.elements.map(\.name) == ["item", "item"])
        #expect(root.elements.map(\.text) == ["apple", "pear"])
        #expect(root.children.count == 2, "whitespace-only text between elements is dropped")
        #expect(root.text == "")
    }

    @Test func keepsAttributesInDocumentOrder() throws {
        let root = try parse(#"<a zeta="1" alpha='2' mid="3" b="4"/>"#)
        #expect(root.attributes.map(\.name) == ["zeta", "alpha", "mid", "b"])
        #expect(root.attributes.map(\.value) == ["1", "2", "3", "4"])
        #expect(root.attribute("mid") == "3")
        #expect(root.attribute("missing") == nil)
    }

    @Test func attributeOrderTakesPartInEquality() throws {
        let first = try parse(#"<a x="1" y="2"/>"#)
        let second = try parse(#"<a y="2" x="1"/>"#)
        #expect(first != second)
        #expect(first == (try parse(#"<a  x = "1"   y="2" />"#)))
    }

    @Test func resolvesNamespacesAndKeepsPrefixesInNames() throws {
        let root = try parse("""
            <ns:catalog xmlns:ns="urn:catalog" xmlns="urn:default">
              <ns:item ns:code="A1">x</ns:item>
              <plain/>
              <inner xmlns="">y</inner>
            </ns:catalog>
            """)
        #expect(root.name == "ns:catalog")
        #expect(root.localName == "catalog")
        #expect(root.namespaceURI == "urn:catalog")
        #expect(root.attributes.map(\.name) == ["xmlns:ns", "xmlns"])
        let items = root.elements
        #expect(items[0].name == "ns:item")
        #expect(items[0].localName == "item")
        #expect(items[0].namespaceURI == "urn:catalog")
        #expect(items[0].attribute("ns:code") == "A1")
        #expect(items[1].namespaceURI == "urn:default")
        #expect(items[2].namespaceURI == nil)
    }

    @Test func rejectsUndeclaredNamespacePrefix() {
        #expect(error("<x:a/>")?.reason == "the namespace prefix 'x' is not declared")
        #expect(error(#"<a y:b="1"/>"#)?.reason == "the namespace prefix 'y' is not declared")
    }

    @Test func treatsCDATAAsText() throws {
        let root = try parse("<script><![CDATA[if (a < b && c > d) { x = \"]\" }]]></script>")
        #expect(root.text == "if (a < b && c > d) { x = \"]\" }")
        #expect(root.children == [.text("if (a < b && c > d) { x = \"]\" }")])
    }

    @Test func mergesCDATAWithSurroundingText() throws {
        let root = try parse("<a>one <![CDATA[<two>]]> three</a>")
        #expect(root.children == [.text("one <two> three")])
    }

    @Test func decodesPredefinedEntitiesAndCharacterReferences() throws {
        let root = try parse(#"<a title="&quot;x&quot; &amp; &apos;y&apos;">&lt;tag&gt; &#65;&#x42;&#x1F600; caf&#233;</a>"#)
        #expect(root.text == "<tag> AB😀 café")
        #expect(root.attribute("title") == "\"x\" & 'y'")
    }

    @Test func rejectsUndefinedAndInvalidReferences() {
        #expect(error("<a>&nbsp;</a>")?.reason == "the entity &nbsp; is not defined")
        #expect(error("<a>&#0;</a>") != nil)
        #expect(error("<a>&#xD800;</a>") != nil)
        #expect(error("<a>&#99999999999999;</a>") != nil)
        #expect(error("<a>fish & chips</a>") != nil)
    }

    @Test func keepsMixedContentInOrder() throws {
        let root = try parse("<p>Hello <b>bold</b> world <i>!</i></p>")
        #expect(root.children == [
            .text("Hello "),
            .element(XMLElementNode(name: "b", children: [.text("bold")])),
            .text(" world "),
            .element(XMLElementNode(name: "i", children: [.text("!")])),
        ])
        #expect(root.text == "Hello  world")
    }

    @Test func keepsSurroundingWhitespaceOfTextOnlyElements() throws {
        let root = try parse("<a>  padded  </a>")
        #expect(root.text == "  padded  ")
        #expect(try parse("<a>   </a>").text == "")
        #expect(try parse("<a>   </a>").children.isEmpty)
    }

    @Test func normalisesLineEndingsAndAttributeWhitespace() throws {
        let root = try parse("<a v=\"x\ty\nz\">one\r\ntwo\rthree</a>")
        #expect(root.text == "one\ntwo\nthree")
        #expect(root.attribute("v") == "x y z")
    }

    @Test func ignoresCommentsAndProcessingInstructions() throws {
        let root = try parse("<!-- head --><?pi data?><a>x<!-- inside -->y<?other?></a><!-- tail -->")
        #expect(root.children == [.text("xy")])
    }

    @Test func skipsDoctypeWithoutLoadingExternalEntities() throws {
        let root = try parse(#"<!DOCTYPE note SYSTEM "http://example.invalid/note.dtd"><note>hi</note>"#)
        #expect(root.text == "hi")
        let subset = try parse("<!DOCTYPE note [<!ELEMENT note (#PCDATA)><!-- ] > --><!ATTLIST note a CDATA \"]>\">]><note/>")
        #expect(subset.name == "note")
    }

    @Test func rejectsEntityDeclarations() {
        let external = #"<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>"#
        #expect(error(external)?.reason == "entity declarations are not supported")
        let laughs = #"<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><r>&b;</r>"#
        #expect(error(laughs)?.reason == "entity declarations are not supported")
    }

    @Test func acceptsLatin1AndUTF16Bodies() throws {
        let latin1: [UInt8] = Array("<?xml version='1.0' encoding='ISO-8859-1'?><a>caf".utf8) + [0xE9] + Array("</a>".utf8)
        #expect(try XMLBodyParser.parse(latin1).text == "café")
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in "<a>é😀</a>".utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(try XMLBodyParser.parse(utf16).text == "é😀")
        let asciiOnly = "<?xml version='1.0' encoding='windows-1252'?><a>plain</a>"
        #expect(try parse(asciiOnly).text == "plain")
        let cp1252: [UInt8] = Array("<?xml version='1.0' encoding='windows-1252'?><a>".utf8) + [0x80] + Array("</a>".utf8)
        #expect(throws: XMLBodyError(reason: "the XML encoding 'windows-1252' is not supported", line: 1, column: 1)) {
            try XMLBodyParser.parse(cp1252)
        }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("<a/>".utf8)
        #expect(try XMLBodyParser.parse(bom).name == "a")
    }

    @Test func rejectsEmptyAndWhitespaceOnlyInput() {
        #expect(throws: XMLBodyError(reason: "the XML body is empty")) { try XMLBodyParser.parse([]) }
        #expect(throws: XMLBodyError(reason: "the XML body is empty")) { try XMLBodyParser.parse(Array(" \n\t".utf8)) }
        #expect(error("<?xml version=\"1.0\"?><!-- nothing -->")?.reason == "the XML body has no root element")
    }

    @Test func reportsUnclosedTagWithPosition() {
        let failure = error("<a>\n  <b>text</b>\n  <c>")
        #expect(failure?.reason == "the element <c> is never closed")
        #expect(failure?.line == 3)
        #expect(failure?.column == 3)
        #expect(failure?.description == "(line 3, column 3): the element <c> is never closed")
    }

    @Test func rejectsMalformedMarkup() {
        let cases = [
            "<a><b></a></b>", "<a>", "</a>", "<a></a><b/>", "text", "<a/>trailing", "<a x=1/>", "<a x=\"1\" x=\"2\"/>",
            "<a x=\"<\"/>", "<a x=\"1\"y=\"2\"/>", "<a", "<a><!-- never", "<a><![CDATA[never</a>", "< a/>", "<1a/>",
            "<a>]]></a>", "<a/><?xml version=\"1.0\"?>", "<!DOCTYPE a", "<a:b:c/>", "<a><!ELEMENT x></a>",
            "<a>\u{01}</a>",
        ]
        for text in cases {
            #expect(error(text) != nil, "expected \(text.debugDescription) to be rejected")
        }
        #expect(error("<a><b></a></b>")?.reason == "the end tag </a> does not match the start tag <b>")
    }

    @Test func rejectsGarbageBytes() {
        #expect(throws: XMLBodyError.self) { try XMLBodyParser.parse([0xFF, 0x00, 0x3C, 0x80, 0xC3]) }
        #expect(throws: XMLBodyError.self) { try XMLBodyParser.parse(Array("<a>".utf8) + [0xC3, 0x28] + Array("</a>".utf8)) }
        #expect(throws: XMLBodyError.self) { try XMLBodyParser.parse(Array("{\"json\": true}".utf8)) }
    }

    @Test func rejectsNestingDeeperThanTheLimit() {
        let depth = 10_000
        let text = String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)
        let failure = error(text)
        #expect(failure?.reason == "XML nesting is deeper than 256 levels")
        #expect(failure?.line == 1)
        #expect(failure?.column == 256 * 3 + 1)
    }

    @Test func acceptsNestingExactlyAtTheLimit() throws {
        let text = String(repeating: "<a>", count: 256) + "deep" + String(repeating: "</a>", count: 256)
        var node = try parse(text)
        var levels = 1
        while let child = node.elements.first {
            node = child
            levels += 1
        }
        #expect(levels == 256)
        #expect(node.text == "deep")
        #expect(error(String(repeating: "<a>", count: 4) + String(repeating: "</a>", count: 4), maxDepth: 3)?.reason
            == "XML nesting is deeper than 3 levels")
    }

    @Test func clampsOversizedDepthLimits() {
        let text = String(repeating: "<a>", count: 5_000) + String(repeating: "</a>", count: 5_000)
        #expect(error(text, maxDepth: 1_000_000)?.reason == "XML nesting is deeper than \(XMLBodyParser.depthCeiling) levels")
    }

    @Test func neverCrashesOnRandomInput() {
        var generator = SeededRandomNumberGenerator(seed: 0x5EED_0001)
        let alphabet = Array("<>/=\"'&;#x![]CDATA-?: \n\tabcé".utf8)
        for round in 0..<1_000 {
            let length = Int(generator.next() % 200)
            var bytes: [UInt8] = []
            for _ in 0..<length {
                let roll = generator.next()
                bytes.append(round % 2 == 0 ? UInt8(truncatingIfNeeded: roll) : alphabet[Int(roll % UInt64(alphabet.count))])
            }
            if round % 4 == 1 { bytes = Array("<r>".utf8) + bytes + Array("</r>".utf8) }
            _ = try? XMLBodyParser.parse(bytes)
        }
    }
}

