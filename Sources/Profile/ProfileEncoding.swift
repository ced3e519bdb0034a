import Host

extension InstallProfile {
    /// The profile as saved next to the install logs: sorted keys, every default written out, no
    /// secret (the profile holds none). It reads back through `decode` to the same value.
    public func json() -> String { StableJSON.encode(self) }
}
