/// One problem in a profile: where (JSON path and, when known, line and column) and what is wrong.
/// Messages never repeat a secret's value.
public struct ProfileIssue: Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var line: Int?
    public var column: Int?

    public init(path: String, message: String, line: Int? = nil, column: Int? = nil) {
        self.path = path
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String {
        let location = line.map { " (line \($0), column \(column ?? 1))" } ?? ""
        return (path.isEmpty ? "" : path + ": ") + message + location
    }
}

/// All the problems found in a profile, reported together so a person fixes them in one pass.
public struct ProfileErrors: Error, Equatable, CustomStringConvertible {
    public var issues: [ProfileIssue]
    public init(issues: [ProfileIssue]) { self.issues = issues }
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// Collects issues while a document is read.
final class IssueCollector {
    var issues: [ProfileIssue] = []

    func add(_ path: String, _ message: String, at node: JSONNode?) {
        issues.append(ProfileIssue(path: path, message: message, line: node?.line, column: node?.column))
    }
}

/// Reads one JSON object's members by key, checking types, and remembers which keys it was asked for
/// so that `finish()` can call every other key unknown (with a suggestion).
final class ObjectReader {
    let node: JSONNode
    let path: String
    let issues: IssueCollector
    private let members: [JSONNode.Member]
    private var known: [String] = []

    /// Nil (with an issue) when `node` is not an object.
    init?(_ node: JSONNode, path: String, issues: IssueCollector) {
        guard case .object(let members) = node.value else {
            issues.add(path, "expected an object, found \(node.kindName)", at: node)
            return nil
        }
        self.node = node
        self.path = path
        self.issues = issues
        self.members = members
    }

    func childPath(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// The raw member, marking the key as known.
    func member(_ key: String) -> JSONNode? {
        known.append(key)
        guard let value = members.first(where: { $0.key == key })?.value else { return nil }
        if case .null = value.value { return nil }
        return value
    }

    func has(_ key: String) -> Bool { members.contains { $0.key == key } }

    func missing(_ key: String, _ message: String = "is required") {
        issues.add(childPath(key), message, at: node)
    }

    /// A non-empty string. Messages here never include the value, so secret fields can use it too.
    func string(_ key: String, required: Bool = false) -> String? {
        guard let value = member(key) else {
            if required { missing(key) }
            return nil
        }
        guard case .string(let text) = value.value else {
            issues.add(childPath(key), "expected a string, found \(value.kindName)", at: value)
            return nil
        }
        if text.isEmpty {
            issues.add(childPath(key), "must not be empty", at: value)
            return nil
        }
        return text
    }

    /// A string checked by `validate`, which returns a message for a bad value.
    func string(_ key: String, required: Bool = false, validate: (String) -> String?) -> String? {
        guard let text = string(key, required: required) else { return nil }
        if let message = validate(text) {
            issues.add(childPath(key), message, at: member(key))
            return nil
        }
        return text
    }

    func bool(_ key: String, default fallback: Bool) -> Bool {
        guard let value = member(key) else { return fallback }
        guard case .bool(let flag) = value.value else {
            issues.add(childPath(key), "expected true or false, found \(value.kindName)", at: value)
            return fallback
        }
        return flag
    }

    func integer(_ key: String, default fallback: Int, range: ClosedRange<Int>) -> Int {
        guard let value = member(key) else { return fallback }
        guard case .number(let text) = value.value, let number = Int(text) else {
            issues.add(childPath(key), "expected a whole number, found \(value.kindName == "a number" ? "a fraction" : value.kindName)", at: value)
            return fallback
        }
        guard range.contains(number) else {
            issues.add(childPath(key), "must be between \(range.lowerBound) and \(range.upperBound)", at: value)
            return fallback
        }
        return number
    }

    /// One of a fixed set of words, with a suggestion for near misses.
    func choice<T: RawRepresentable & CaseIterable>(_ key: String, default fallback: T) -> T where T.RawValue == String {
        choice(key) ?? fallback
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: String, required: Bool = false) -> T? where T.RawValue == String {
        guard let text = string(key, required: required) else { return nil }
        if let value = T(rawValue: text) { return value }
        let words = T.allCases.map(\.rawValue)
        issues.add(childPath(key), "\"\(text)\" is not one of \(words.map { "\"\($0)\"" }.joined(separator: ", "))\(Suggestion.didYouMean(text, among: words))",
                   at: member(key))
        return nil
    }

    func object(_ key: String) -> ObjectReader? {
        guard let value = member(key) else { return nil }
        return ObjectReader(value, path: childPath(key), issues: issues)
    }

    /// The elements of a list with their paths (`users[2]`); empty when absent or not a list.
    func list(_ key: String) -> [(node: JSONNode, path: String)] {
        guard let value = member(key) else { return [] }
        guard case .array(let elements) = value.value else {
            issues.add(childPath(key), "expected a list, found \(value.kindName)", at: value)
            return []
        }
        return elements.enumerated().map { ($0.element, childPath(key) + "[\($0.offset)]") }
    }

    /// A list of non-empty strings, each checked by `validate`.
    func strings(_ key: String, validate: (String) -> String? = { _ in nil }) -> [String] {
        list(key).compactMap { node, path in
            guard case .string(let text) = node.value, !text.isEmpty else {
                issues.add(path, node.kindName == "a string" ? "must not be empty" : "expected a string, found \(node.kindName)", at: node)
                return nil
            }
            if let message = validate(text) {
                issues.add(path, message, at: node)
                return nil
            }
            return text
        }
    }

    /// Reports every key nobody asked for. Call after reading all known keys.
    func finish() {
        for member in members where !known.contains(member.key) {
            issues.issues.append(ProfileIssue(path: childPath(member.key),
                                              message: "unknown key\(Suggestion.didYouMean(member.key, among: known.uniqueSorted()))",
                                              line: member.keyLine, column: member.keyColumn))
        }
    }
}

extension Array where Element == String {
    func uniqueSorted() -> [String] { Array(Set(self)).sorted() }
}
