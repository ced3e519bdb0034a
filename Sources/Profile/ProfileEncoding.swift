import FoundationEssentials

extension InstallProfile {
    /// The profile as saved next to the install logs: sorted keys, every default written out, no
    /// secret (the profile holds none). It reads back through `decode` to the same value.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(self), as: UTF8.self) + "\n"
    }
}
