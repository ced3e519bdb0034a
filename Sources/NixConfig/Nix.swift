/// A small typed model of the Nix expressions the installer writes, and their printer.
///
/// Every piece of text from a person (a hostname, an SSH key comment, an SSID, a URI) goes in as a
/// `.string` and is escaped here, in one place, so that no value can break out of its string literal.
public indirect enum Nix: Equatable, Sendable {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case null
    /// A path relative to the file (`./settings.json`).
    case path(String)
    case list([Nix])
    /// Attribute set; keys are paths (`["boot", "loader", "grub", "enable"]` prints as a dotted key).
    case attrs([Binding])
    /// `{ config, lib, pkgs, ... }: body`
    case function(parameters: [String], body: Nix)
    /// `let name = value; ... in body`
    case letIn([Binding], body: Nix)
    /// An expression written by the generator itself (never from user input):
    /// `inputs.disko.nixosModules.disko`, `settings.hostname`, `lib.mkDefault "x86_64-linux"`.
    case raw(String)

    public struct Binding: Equatable, Sendable {
        public var key: [String]
        public var value: Nix
        /// A comment printed above the binding: why it is there.
        public var comment: String?

        public init(_ key: [String], _ value: Nix, comment: String? = nil) {
            self.key = key
            self.value = value
            self.comment = comment
        }
    }

}

extension Nix.Binding {
    /// A binding with a dotted key: `.set("boot.loader.grub.enable", true)`. Only for keys the generator
    /// writes; keys from user input go through `Binding(["..."], ...)` and are quoted as needed.
    public static func set(_ dotted: String, _ value: Nix, comment: String? = nil) -> Nix.Binding {
        Nix.Binding(dotted.split(separator: ".").map(String.init), value, comment: comment)
    }
}

extension Nix: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
}

public enum NixPrinter {
    /// The expression as a file: two-space indentation, one binding per line, ending in a newline.
    public static func file(_ expression: Nix, header: String? = nil) -> String {
        var text = ""
        if let header { text += commentLines(header, pad: "") }
        return text + print(expression, indent: 0) + "\n"
    }

    static func print(_ expression: Nix, indent: Int) -> String {
        let pad = String(repeating: "  ", count: indent + 1), closing = String(repeating: "  ", count: indent)
        switch expression {
        case .string(let text): return quote(text)
        case .int(let value): return value < 0 ? "(\(value))" : String(value)
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        case .path(let path): return path
        case .raw(let code): return code
        case .list(let items):
            if items.isEmpty { return "[ ]" }
            if items.count <= 4, items.allSatisfy(isSimple) {
                let inline = "[ " + items.map { print($0, indent: indent) }.joined(separator: " ") + " ]"
                if inline.count <= 80 { return inline }
            }
            return "[\n" + items.map { pad + wrapIfNeeded(print($0, indent: indent + 1), $0) + "\n" }.joined() + closing + "]"
        case .attrs(let bindings):
            if bindings.isEmpty { return "{ }" }
            return "{\n" + bindings.map { binding(binding: $0, indent: indent + 1) }.joined() + closing + "}"
        case .function(let parameters, let body):
            return "{ " + (parameters + ["..."]).joined(separator: ", ") + " }:\n" + closing + print(body, indent: indent)
        case .letIn(let bindings, let body):
            return "let\n" + bindings.map { binding(binding: $0, indent: indent + 1) }.joined() + closing + "in\n" + closing + print(body, indent: indent)
        }
    }

    private static func binding(binding: Nix.Binding, indent: Int) -> String {
        let pad = String(repeating: "  ", count: indent)
        var text = ""
        if let comment = binding.comment {
            text += commentLines(comment, pad: pad)
        }
        return text + pad + binding.key.map(attributeName).joined(separator: ".") + " = " + print(binding.value, indent: indent) + ";\n"
    }

    /// `# ` lines. Comments may quote user input (a network URI): Nix ends a comment at `\r` as well as
    /// `\n`, so every control character is flattened to a space and only `\n` starts a new comment line.
    static func commentLines(_ text: String, pad: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            pad + "# " + String(line.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) }) + "\n"
        }.joined()
    }

    /// Function applications and other compound raw code inside a list need parentheses.
    private static func wrapIfNeeded(_ text: String, _ expression: Nix) -> String {
        if case .raw(let code) = expression, code.contains(" "), !code.hasPrefix("("), !code.hasPrefix("[") { return "(" + text + ")" }
        return text
    }

    private static func isSimple(_ expression: Nix) -> Bool {
        switch expression {
        case .string, .int, .bool, .null, .path: return true
        case .raw(let code): return !code.contains("\n")
        default: return false
        }
    }

    /// A double-quoted Nix string. `\`, `"` and `${` are escaped (a lone `$` is literal in Nix), and
    /// control characters become escapes, so the string evaluates to exactly `text`.
    public static func quote(_ text: String) -> String {
        var result = "\""
        var previousDollar = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "{" where previousDollar:
                result.removeLast()
                result += "\\${"
            default: result.unicodeScalars.append(scalar)
            }
            previousDollar = scalar == "$"
        }
        return result + "\""
    }

    static let keywords: Set<String> = ["if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or"]

    /// A bare identifier when Nix allows one (`systemd-boot`, `disk-main-ESP`), otherwise quoted.
    public static func attributeName(_ name: String) -> String {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic),
              name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-'".unicodeScalars.contains($0)) }),
              !keywords.contains(name) else {
            return quote(name)
        }
        return name
    }
}
