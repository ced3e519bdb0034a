import FoundationEssentials

extension MachineReport {
    /// The report as stable, pretty-printed JSON with sorted keys: decoding and re-encoding a saved
    /// report yields the same bytes, so saved machines diff cleanly.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain structs of strings, integers and booleans cannot fail.
        return String(decoding: try! encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// Reads a saved report (`--machine FILE`).
    public static func decode(_ bytes: [UInt8]) throws -> MachineReport {
        try JSONDecoder().decode(MachineReport.self, from: Data(bytes))
    }
}
