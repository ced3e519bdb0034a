import Testing
@testable import Profile

@Suite struct JSONParserTests {
    func parse(_ text: String) throws(JSONSyntaxError) -> JSONNode { try JSONParser.parse(Array(text.utf8)) }

    func syntaxError(_ text: String) -> JSONSyntaxError? {
        do { _ = try parse(text); return nil } catch { return error }
    }

    @Test func valuesCarryTheirLineAndColumn() throws {
        let root = try parse("{\n  \"a\": [1, true],\n  \"é\": \"x\"\n}")
        guard case .object(let members) = root.value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["a", "é"])
        #expect((members[0].keyLine, members[0].keyColumn) == (2, 3))
        #expect((members[0].value.line, members[0].value.column) == (2, 8))
        // Columns count characters: "é" is two bytes but one column.
        #expect((members[1].value.line, members[1].value.column) == (3, 8))
    }

    @Test func escapesAndUnicode() throws {
        let root = try parse(#"["a\"b\\c\/d\n", "\u00e9\ud83d\ude00", -1.5e3, 0]"#)
        // Node equality ignores positions, so compare them separately.
        guard case .array(let elements) = root.value else { Issue.record("not a list"); return }
        #expect(elements.map { [$0.line, $0.column] } == [[1, 2], [1, 18], [1, 40], [1, 48]])
        #expect(root.value == .array([
            JSONNode(value: .string("a\"b\\c/d\n"), line: 1, column: 2),
            JSONNode(value: .string("é😀"), line: 1, column: 18),
            JSONNode(value: .number("-1.5e3"), line: 1, column: 40),
            JSONNode(value: .number("0"), line: 1, column: 48),
        ]))
    }

    @Test(arguments: [
        ("{\"a\": 1,}", "trailing comma before }", 1, 9),
        ("[1, 2,]", "trailing comma before ]", 1, 7),
        ("{\"a\": 1, \"a\": 2}", "the key \"a\" appears twice in this object", 1, 10),
        ("{\"a\": \"open", "unexpected end of the document inside a string (missing closing quote?)", 1, 12),
        ("{\"a\": hello}", "expected a value (did you forget quotes around a string?)", 1, 7),
        ("{\"a\": 01}", "numbers may not start with 0", 1, 9),
        ("{\"a\" 1}", "expected : after the key \"a\"", 1, 6),
        ("{} {}", "unexpected text after the end of the document", 1, 4),
        ("", "unexpected end of the document", 1, 1),
        ("\"tab\there\"", "control character in a string", 1, 5),
        ("// comment\n{}", "expected a value (a string, number, object, list, true, false or null)", 1, 1),
    ])
    func syntaxErrorsArePlacedAndExplained(text: String, message: String, line: Int, column: Int) {
        let error = syntaxError(text)
        #expect(error == JSONSyntaxError(message: message, line: line, column: column))
    }

    @Test func depthIsBounded() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(syntaxError(deep)?.message == "nested more than 64 levels deep")
        #expect(throws: Never.self) { try parse(String(repeating: "[", count: 60) + String(repeating: "]", count: 60)) }
    }

    @Test func invalidUTF8InAStringIsRefused() {
        var bytes = Array("[\"".utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array("\"]".utf8)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(bytes) }
    }
}
