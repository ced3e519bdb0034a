/// One line of /proc/self/mountinfo.
struct Mount: Equatable {
    /// `major:minor` of the mounted device (`0:25` for tmpfs and other virtual filesystems).
    var devnum: String
    var mountPoint: String
    var options: [String]
    var fileSystemType: String
    var source: String
}

enum MountTable {
    /// Parses mountinfo: `id parent maj:min root mountpoint options [optional...] - fstype source superoptions`.
    /// Malformed lines are skipped: a partial mount table is still useful.
    static func parse(_ text: String) -> [Mount] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard fields.count >= 10, let dash = fields.firstIndex(of: "-"), dash >= 6, dash + 2 < fields.count else { return nil }
            return Mount(devnum: fields[2], mountPoint: unescape(fields[4]), options: fields[5].split(separator: ",").map(String.init),
                         fileSystemType: fields[dash + 1], source: unescape(fields[dash + 2]))
        }
    }

    /// mountinfo writes space, tab, newline and backslash as three-digit octal escapes (`\040`).
    static func unescape(_ field: String) -> String {
        guard field.contains("\\") else { return field }
        var bytes: [UInt8] = []
        var rest = Array(field.utf8)[...]
        while let byte = rest.first {
            if byte == UInt8(ascii: "\\"), rest.count >= 4, let code = UInt8(String(decoding: rest.dropFirst().prefix(3), as: UTF8.self), radix: 8) {
                bytes.append(code)
                rest = rest.dropFirst(4)
            } else {
                bytes.append(byte)
                rest = rest.dropFirst()
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The mount whose mount point is the longest prefix of `path`: the filesystem that holds the file.
    static func mountHolding(_ path: String, in mounts: [Mount]) -> Mount? {
        mounts.filter { path == $0.mountPoint || path.hasPrefix($0.mountPoint == "/" ? "/" : $0.mountPoint + "/") }
            .max { $0.mountPoint.count < $1.mountPoint.count }
    }
}
