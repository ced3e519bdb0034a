/// "Did you mean ...?" for mistyped keys, commands and options.
public enum Suggestion {
    /// ` (did you mean X?)` when a known word is within two edits of what was typed (case ignored), else "".
    public static func didYouMean(_ typed: String, among known: [String]) -> String {
        let best = known.map { ($0, editDistance(typed.lowercased(), $0.lowercased())) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= 2, best.1 < max(typed.count, 2) else { return "" }
        return " (did you mean \(best.0)?)"
    }

    /// Levenshtein distance.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
