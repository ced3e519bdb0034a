import Host
import CLI
import Synchronization

/// The repository's Tests/Fixtures directory.
public let fixturesDirectory: String = {
    var path = #filePath
    for _ in 0..<2 { path = String(path[..<path.lastIndex(of: "/")!]) }
    return path + "/Fixtures"
}()

/// Runs a command that must succeed in test setup; its error carries the command and output.
@discardableResult
public func sh(_ executable: String, _ arguments: String..., input: String = "") throws -> String {
    try ProcessRunner().check(Command(executable, arguments, input: Array(input.utf8))).stdoutText.trimmingWhitespace()
}

/// A directory under /tmp, removed with everything in it when the value is released.
public final class TemporaryDirectory {
    public let path: String
    public init() throws {
        path = try sh("mktemp", "-d", "/tmp/clan-test.XXXXXX")
    }
    deinit { _ = try? ProcessRunner().run(Command("rm", ["-rf", path])) }
}

/// A sparse image file, optionally attached to a loop device with partition nodes.
///
/// Everything it set up is torn down when it is released — also when the test failed or threw —
/// in reverse order: mounts, partition nodes, the loop device, the file.
public final class DiskImage {
    public let directory: TemporaryDirectory
    public let path: String
    public private(set) var loopDevice: String?
    private var mountPoints: [String] = []

    public init(megabytes: Int) throws {
        directory = try TemporaryDirectory()
        path = directory.path + "/disk.img"
        try sh("truncate", "-s", "\(megabytes)M", path)
    }

    /// Attaches the image to a free loop device. This host's kernel parses no GPT, so partition nodes
    /// (`/dev/loopNp1`) are added from the table with `partx -a` (the BLKPG ioctl) when asked.
    @discardableResult
    public func attach(addPartitionNodes: Bool = false) throws -> String {
        let device = try sh("losetup", "--find", "--show", path)
        loopDevice = device
        if addPartitionNodes { try sh("partx", "-a", device) }
        return device
    }

    /// The kernel name of the loop device (`loop3`).
    public var loopName: String? { loopDevice.map { String($0.dropFirst("/dev/".count)) } }

    public func partition(_ number: Int) -> String { loopDevice! + "p\(number)" }

    public func mount(_ device: String, options: [String] = []) throws -> String {
        let target = directory.path + "/mnt\(mountPoints.count)"
        try sh("mkdir", target)
        _ = try ProcessRunner().check(Command("mount", options + [device, target]))
        mountPoints.append(target)
        return target
    }

    deinit {
        let runner = ProcessRunner()
        // Everything mounted under this image's folder — by the test or by the engine under test —
        // deepest first, so a failing test never leaves a mount behind.
        let mounted = (Files.text("/proc/self/mountinfo") ?? "").split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            return fields.count > 4 ? String(fields[4]) : nil
        }.filter { $0.hasPrefix(directory.path + "/") }
        for target in (mountPoints + mounted).uniqueByLengthDescending() { _ = try? runner.run(Command("umount", [target])) }
        if let loopDevice {
            _ = try? runner.run(Command("partx", ["-d", loopDevice]))
            _ = try? runner.run(Command("losetup", ["-d", loopDevice]))
        }
    }
}

/// A small deterministic random generator (SplitMix64) for garbage and fuzz tests: a failure repeats.
public struct SeededRandom {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9e3779b97f4a7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58476d1ce4e5b9
        z = (z ^ (z >> 27)) &* 0x94d049bb133111eb
        return z ^ (z >> 31)
    }
}

/// Debian's nix-bin, run offline: `--store dummy://` and no build users, as the tests need no store.
public enum NixTool {
    static let environment = ["NIX_CONFIG": "build-users-group =", "NIX_STATE_DIR": "/tmp/clan-test-nix-state"]

    /// `nix-instantiate --parse` on each file; the error output when any fails.
    public static func parseErrors(_ files: [String]) throws -> String? {
        var errors = ""
        for file in files {
            let result = try ProcessRunner().run(Command("nix-instantiate", ["--parse", "--store", "dummy://", file], environment: environment))
            if result.status != 0 { errors += file + ": " + result.stderrText }
        }
        return errors.isEmpty ? nil : errors
    }

    /// Evaluates an expression strictly and returns its JSON.
    public static func evalJSON(_ expression: String) throws -> String {
        try ProcessRunner().check(Command("nix-instantiate", ["--eval", "--strict", "--json", "--store", "dummy://", "-E", expression],
                                          environment: environment)).stdoutText
    }
}

extension Array where Element == String {
    func uniqueByLengthDescending() -> [String] { Array(Set(self)).sorted { $0.count > $1.count } }
}

/// Runs the clan-installer command line in-process and collects what it printed.
public func runInstaller(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
    let out = Mutex(""), err = Mutex("")
    let status = ClanInstaller.main(arguments: arguments, streams: Streams(
        out: { text in out.withLock { $0 += text } },
        err: { text in err.withLock { $0 += text } }))
    return (status, out.withLock { $0 }, err.withLock { $0 })
}
