/// One external program to run: what it is, its arguments, and what it reads on standard input.
///
/// Secrets (LUKS passphrases, password hashes) travel only through `input`, never through `arguments`:
/// argv is visible to every user in /proc and lands in logs; `input` is never logged.
public struct Command: Sendable, Hashable, CustomStringConvertible {
    public var executable: String
    public var arguments: [String]
    /// Bytes written to the program's standard input; closed afterwards. Never logged.
    public var input: [UInt8]
    /// Extra environment variables, on top of the installer's own environment.
    public var environment: [String: String]

    public init(_ executable: String, _ arguments: [String] = [], input: [UInt8] = [], environment: [String: String] = [:]) {
        self.executable = executable
        self.arguments = arguments
        self.input = input
        self.environment = environment
    }

    /// The command line as a person would type it into a shell (quoted where needed), without input.
    public var description: String {
        ([executable] + arguments).map(Command.shellQuoted).joined(separator: " ")
    }

    static func shellQuoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=,+@%".contains($0) }
        return plain ? word : "'" + word.replacing("'", with: "'\\''") + "'"
    }
}

/// What a finished program left behind.
public struct CommandResult: Sendable, Equatable {
    /// The exit status, or 128 + signal number when it was killed by a signal (as shells report it).
    public var status: Int32
    public var stdout: [UInt8]
    public var stderr: [UInt8]

    public init(status: Int32, stdout: [UInt8] = [], stderr: [UInt8] = []) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// A command that could not be started or did not succeed, carrying everything needed to explain it.
public struct CommandError: Error, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case couldNotStart(errno: Int32)
        case failed(CommandResult)
    }

    public var command: Command
    public var reason: Reason

    public init(command: Command, reason: Reason) {
        self.command = command
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .couldNotStart(let code):
            return "could not start `\(command)`: \(SystemError("spawn", path: command.executable, errno: code).description)"
        case .failed(let result):
            var text = "`\(command)` exited with status \(result.status)"
            let output = (result.stderrText + result.stdoutText).trimmingWhitespace()
            if !output.isEmpty { text += ":\n" + output }
            return text
        }
    }
}

/// Runs external programs. The installer reaches every program through this one protocol, so tests
/// and `--dry-run` can record instead of run, and so every run can be logged in one place.
public protocol CommandRunner: Sendable {
    /// Runs the command to completion and returns its status and output, whatever the status.
    /// Throws only when the program could not be started.
    func run(_ command: Command) throws(CommandError) -> CommandResult

    /// The same, handing each line of output (stdout or stderr) to `onOutput` as it arrives.
    func run(_ command: Command, onOutput: (String) -> Void) throws(CommandError) -> CommandResult
}

extension CommandRunner {
    /// Runners that cannot stream give the lines once the command has finished.
    public func run(_ command: Command, onOutput: (String) -> Void) throws(CommandError) -> CommandResult {
        let result = try run(command)
        for line in (result.stdoutText + result.stderrText).split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            onOutput(String(line))
        }
        return result
    }

    /// Runs the command and throws unless it exited with status 0.
    @discardableResult
    public func check(_ command: Command) throws(CommandError) -> CommandResult {
        let result = try run(command)
        guard result.status == 0 else { throw CommandError(command: command, reason: .failed(result)) }
        return result
    }
}
