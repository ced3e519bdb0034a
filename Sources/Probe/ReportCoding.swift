import Host

extension MachineReport {
    /// The report as stable JSON: a saved report decodes and re-encodes to the same bytes.
    public func json() -> String { StableJSON.encode(self) }

    /// Reads a saved report (`--machine FILE`).
    public static func decode(_ bytes: [UInt8]) throws -> MachineReport {
        try StableJSON.decode(MachineReport.self, from: bytes)
    }
}
