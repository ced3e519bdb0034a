import Testing
@testable import NixConfig
import Profile
import Host
import TestSupport

/// Hostile text must come out of Nix exactly as it went in: no string literal, attribute name or
/// comment can be broken out of.
@Suite struct NixPrinterTests {
    static let hostile = [
        "plain", "with \"quotes\"", "back\\slash", "${builtins.abort \"pwned\"}", "$${not interpolated}", "$", "${",
        "ends with $", "''", "'' ${x} ''", "new\nline", "carriage\rreturn", "tab\there", "emoji 😀 and é", "\\${escaped?}",
        "\"; system.foo = true; x = \"", "# not a comment", "/* not a comment */",
    ]

    @Test func stringsEvaluateToThemselves() throws {
        let expression = "[ " + Self.hostile.map(NixPrinter.quote).joined(separator: " ") + " ]"
        let evaluated = try NixTool.evalJSON(expression)
        let node = try JSONParser.parse(Array(evaluated.utf8))
        guard case .array(let items) = node.value else { Issue.record("not a list: \(evaluated)"); return }
        #expect(items.map { node -> String? in if case .string(let text) = node.value { return text } else { return nil } } == Self.hostile)
    }

    @Test func attributeNamesAndCommentsCannotInject() throws {
        let bindings = Self.hostile.enumerated().map { index, text in
            Nix.Binding([text], .int(Int64(index)), comment: "comment about " + text)
        }
        let file = NixPrinter.file(.attrs(bindings), header: "header\r\"; x = 1; \r")
        let directory = try TemporaryDirectory()
        try Files.write(Array(file.utf8), to: directory.path + "/hostile.nix")
        #expect(try NixTool.parseErrors([directory.path + "/hostile.nix"]) == nil)
        let names = try NixTool.evalJSON("builtins.attrNames (import \(directory.path)/hostile.nix)")
        let parsed = try JSONParser.parse(Array(names.utf8))
        guard case .array(let items) = parsed.value else { Issue.record("not a list"); return }
        let keys = items.compactMap { node -> String? in if case .string(let text) = node.value { return text } else { return nil } }
        #expect(Set(keys) == Set(Self.hostile), "every key, and nothing a comment smuggled in")
    }

    @Test func identifiersStayBare() {
        #expect(NixPrinter.attributeName("systemd-boot") == "systemd-boot")
        #expect(NixPrinter.attributeName("disk-main-ESP") == "disk-main-ESP")
        #expect(NixPrinter.attributeName("/root") == "\"/root\"")
        #expect(NixPrinter.attributeName("in") == "\"in\"")
        #expect(NixPrinter.attributeName("1st") == "\"1st\"")
    }
}
