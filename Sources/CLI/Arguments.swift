import Profile

/// A bad command line: the message says what is wrong and what to type instead. Exit code 2.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// One option a command accepts.
struct OptionSpec: Sendable {
    var name: String
    /// Nil for a flag (`--json`); the placeholder shown in help for an option that takes a value.
    var value: String?
    var help: String
}

/// A command line split into the command, its flags and its option values, checked against the specs.
///
/// Accepted forms: `--flag`, `--option VALUE`, `--option=VALUE`; `--` ends options. Hand-written
/// because the installer may use no outside packages, and small because commands are few.
struct ParsedArguments {
    var flags: Set<String> = []
    var values: [String: String] = [:]
    var positionals: [String] = []

    init(_ arguments: [String], specs: [OptionSpec], command: String) throws(UsageError) {
        var rest = arguments[...]
        while let word = rest.popFirst() {
            if word == "--" { positionals += rest; break }
            guard word.hasPrefix("-"), word.count > 1 else { positionals.append(word); continue }
            let (name, inline) = Self.split(word)
            guard let spec = specs.first(where: { $0.name == name }) else {
                throw UsageError(message: "unknown option \(name) for `\(command)`\(Suggestion.didYouMean(name, among: specs.map(\.name)))."
                    + " See `clan-installer \(command == "clan-installer" ? "" : command + " ")--help`.")
            }
            if spec.value == nil {
                guard inline == nil else { throw UsageError(message: "\(name) takes no value.") }
                flags.insert(name)
            } else if let inline {
                values[name] = inline
            } else if let next = rest.popFirst(), !(next.hasPrefix("--") && next.count > 2) {
                values[name] = next
            } else {
                throw UsageError(message: "\(name) needs a value: \(name) \(spec.value!).")
            }
        }
    }

    private static func split(_ word: String) -> (String, String?) {
        guard let equals = word.firstIndex(of: "=") else { return (word, nil) }
        return (String(word[..<equals]), String(word[word.index(after: equals)...]))
    }
}
