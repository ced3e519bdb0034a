#if canImport(Glibc)
import Glibc
#endif
import Host

/// The record of an install in progress: which plan (by hash) and which steps have finished. Kept in
/// /run (and, once the target is mounted, on the target), so `install --resume` continues after the
/// last finished step of the same plan, and a different plan refuses to resume.
public struct Journal: Codable, Equatable, Sendable {
    public var planHash: String
    public var hostname: String
    public var started: String
    public var finishedSteps: [String]
    /// Set when a step failed or the install was stopped there.
    public var stoppedAt: String?
    public var stopReason: String?
    /// Set when the whole install finished and was verified.
    public var completed: String?

    public init(planHash: String, hostname: String) {
        self.planHash = planHash
        self.hostname = hostname
        started = Clock.iso8601(Clock.now())
        finishedSteps = []
    }

    public static func load(_ path: String) -> Journal? {
        guard let bytes = try? Files.read(path) else { return nil }
        return try? StableJSON.decode(Journal.self, from: bytes)
    }

    /// Written to a temporary file and renamed, so a power cut never leaves half a journal.
    public func save(_ path: String) throws(SystemError) {
        try Files.write(Array(StableJSON.encode(self).utf8), to: path + ".tmp", mode: 0o600)
        try Files.rename(path + ".tmp", to: path)
    }
}

extension Files {
    public static func rename(_ from: String, to: String) throws(SystemError) {
        guard Glibc.rename(from, to) == 0 else { throw SystemError("rename", path: from, errno: errno) }
    }
}

/// FNV-1a 64: a short fingerprint of the plan JSON (identity, not security).
func fingerprint(_ text: String) -> String {
    var hash: UInt64 = 0xcbf29ce484222325
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}
