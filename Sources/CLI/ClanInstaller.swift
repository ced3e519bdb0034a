import Host
import Probe
import Profile

/// Where a command's words go. The real program writes to the terminal; tests collect the text.
public struct Streams: Sendable {
    public var out: @Sendable (String) -> Void
    public var err: @Sendable (String) -> Void

    public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void) {
        self.out = out
        self.err = err
    }
}

/// The exit codes, in one place so scripts and the PXE status reporter can rely on them.
public struct ExitCode: RawRepresentable, Equatable, Sendable {
    public var rawValue: Int32
    public init?(rawValue: Int32) { self.rawValue = rawValue }

    public static let success = ExitCode(rawValue: 0)!
    /// The command ran and failed (an unreadable file, a damaged report).
    public static let failure = ExitCode(rawValue: 1)!
    /// The command line was wrong.
    public static let usage = ExitCode(rawValue: 2)!
}

/// What every command gets: its parsed arguments, the streams, and the machine (probed or replayed).
struct Context {
    var arguments: ParsedArguments
    var streams: Streams
    /// `--machine FILE`, accepted anywhere on the command line.
    var machineFile: String?

    /// The machine to work on: a saved report when `--machine` was given, else a fresh probe.
    func machine(probing sources: @autoclosure () -> ProbeSources, options: ProbeOptions = ProbeOptions()) throws -> MachineReport {
        guard let machineFile else { return Prober.probe(sources(), options: options) }
        let bytes: [UInt8]
        do { bytes = try Files.read(machineFile) } catch { throw CommandFailure("cannot read the machine report: \(error)") }
        do { return try MachineReport.decode(bytes) } catch {
            throw CommandFailure("\(machineFile) is not a machine report saved by `clan-installer probe --json`: \(error)")
        }
    }
}

/// A command that ran and could not do its job; the message is shown as is. Exit code 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A subcommand: its name, one-line summary, help text and options, and what it does.
struct Subcommand: Sendable {
    var name: String
    var summary: String
    var usage: String
    var options: [OptionSpec]
    /// How many plain arguments (file names) the command takes.
    var positionals: Int = 0
    var run: @Sendable (Context) throws -> ExitCode

    func help() -> String {
        var text = "Usage: clan-installer \(name) \(usage)\n\n\(summary)\n\nOptions:\n"
        for option in options + [ClanInstaller.machineOption, OptionSpec(name: "--help", value: nil, help: "show this help")] {
            let left = option.name + (option.value.map { " " + $0 } ?? "")
            text += "  " + left + String(repeating: " ", count: max(1, 24 - left.count)) + option.help + "\n"
        }
        return text
    }
}

public enum ClanInstaller {
    static let version = "0.1.0"
    static let machineOption = OptionSpec(name: "--machine", value: "FILE",
                                          help: "use a saved machine report instead of probing this machine")

    static let commands: [Subcommand] = [ProbeCommand.command, ValidateCommand.command, PlanCommand.command, GenerateCommand.command, InstallCommand.command, AutoCommand.command, LogsCommand.command]

    /// Runs the program with explicit arguments (without the program name) and returns the exit code.
    /// The only place where errors become messages.
    public static func main(arguments: [String], streams: Streams) -> Int32 {
        do {
            return try run(arguments, streams).rawValue
        } catch let error as UsageError {
            streams.err("clan-installer: \(error.message)\n")
            return ExitCode.usage.rawValue
        } catch let error as InvalidProfile {
            streams.err("clan-installer: \(error)\n")
            return ExitCode.invalidProfile.rawValue
        } catch let error as NoSafePlan {
            streams.err("clan-installer: \(error)\n")
            return ExitCode.noSafePlan.rawValue
        } catch {
            streams.err("clan-installer: \(error)\n")
            return ExitCode.failure.rawValue
        }
    }

    private static func run(_ arguments: [String], _ streams: Streams) throws -> ExitCode {
        var words = arguments[...]
        var machineFile: String?
        var remaining: [String] = []
        // --machine is global: pull it out wherever it stands.
        while let word = words.popFirst() {
            if word == "--machine" {
                guard let file = words.popFirst() else { throw UsageError(message: "--machine needs a value: --machine FILE.") }
                machineFile = file
            } else if word.hasPrefix("--machine=") {
                machineFile = String(word.dropFirst("--machine=".count))
            } else {
                remaining.append(word)
            }
        }
        guard let first = remaining.first else {
            streams.err(overview())
            return .usage
        }
        if first == "--help" || first == "-h" || first == "help" {
            if remaining.count > 1, let command = commands.first(where: { $0.name == remaining[1] }) {
                streams.out(command.help())
            } else {
                streams.out(overview())
            }
            return .success
        }
        if first == "--version" { streams.out("clan-installer \(version)\n"); return .success }
        guard let command = commands.first(where: { $0.name == first }) else {
            let hint = Suggestion.didYouMean(first, among: commands.map(\.name))
            throw UsageError(message: "unknown command `\(first)`\(hint). Commands: \(commands.map(\.name).joined(separator: ", ")).")
        }
        let rest = Array(remaining.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            streams.out(command.help())
            return .success
        }
        let parsed = try ParsedArguments(rest, specs: command.options, command: command.name)
        if parsed.positionals.count > command.positionals {
            throw UsageError(message: "unexpected argument `\(parsed.positionals[command.positionals])` for `\(command.name)`. See `clan-installer \(command.name) --help`.")
        }
        if parsed.positionals.count < command.positionals {
            throw UsageError(message: "`\(command.name)` needs \(command.usage.split(separator: " ").first ?? "an argument"). See `clan-installer \(command.name) --help`.")
        }
        return try command.run(Context(arguments: parsed, streams: streams, machineFile: machineFile))
    }

    static func overview() -> String {
        var text = """
        clan-installer \(version): installs the cLAN Base OS (NixOS) and its first network VM.

        Usage: clan-installer [--machine FILE] <command> [options]

        Commands:

        """
        for command in commands {
            text += "  " + command.name + String(repeating: " ", count: max(1, 12 - command.name.count)) + command.summary + "\n"
        }
        text += """

        Global options:
          --machine FILE  use a saved machine report instead of probing this machine
          --help          show help (also: clan-installer <command> --help)
          --version       show the version

        """
        return text
    }
}
