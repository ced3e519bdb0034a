import Host
#if canImport(Glibc)
import Glibc
#endif

/// The install log: every command with its arguments and its output, with timestamps. Every secret
/// the install knows (passphrases, passwords, Wi-Fi keys, password hashes) is replaced by `[secret]`
/// before anything is written, so the log can travel to a helper or into a bug report.
public final class InstallLog: @unchecked Sendable {
    public let path: String
    private let fd: Int32
    private let secrets: [String]

    public init(path: String, secrets: [String]) throws(SystemError) {
        self.path = path
        // Longest first, so a secret that contains another is replaced whole.
        self.secrets = secrets.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SystemError("open", path: path, errno: errno) }
        fchmod(fd, 0o600)
    }

    deinit { close(fd) }

    public func redact(_ text: String) -> String {
        secrets.reduce(text) { $0.replacing($1, with: "[secret]") }
    }

    public func write(_ text: String) {
        let stamp = Clock.iso8601(Clock.now())
        let lines = redact(text).split(separator: "\n", omittingEmptySubsequences: false).map { "\(stamp) \($0)\n" }.joined()
        writeAll(lines, to: fd)
    }
}

/// Runs commands through another runner and writes each one, with its output and status, to the log.
struct LoggedRunner: CommandRunner {
    let base: CommandRunner
    let log: InstallLog

    func run(_ command: Command) throws(CommandError) -> CommandResult {
        try run(command, onOutput: { _ in })
    }

    func run(_ command: Command, onOutput: (String) -> Void) throws(CommandError) -> CommandResult {
        log.write("$ \(command)" + (command.input.isEmpty ? "" : "   (standard input: \(command.input.count) bytes, not logged)"))
        let started = Clock.monotonic()
        do {
            let result = try base.run(command) { line in
                log.write("  | " + line)
                onOutput(line)
            }
            log.write("  exit \(result.status) after \(Int((Clock.monotonic() - started) * 1000)) ms")
            return result
        } catch {
            log.write("  could not start: \(error)")
            throw error
        }
    }
}
