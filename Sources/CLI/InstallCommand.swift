#if canImport(Glibc)
import Glibc
#endif
import Engine
import Host
import Plan
import Probe
import Profile

extension ExitCode {
    /// The install started and did not finish; the message and the log say why.
    static let installFailed = ExitCode(rawValue: 5)!
    /// Stopped on request (Ctrl-C, SIGTERM); `--resume` continues.
    static let interrupted = ExitCode(rawValue: 130)!
}

/// `clan-installer install`: executes the plan for real.
enum InstallCommand {
    static let command = Subcommand(
        name: "install",
        summary: "Install: partition, encrypt, format, mount, write the configuration, run nixos-install, verify.",
        usage: "--profile FILE [--secrets FILE] [--target-image FILE[:SIZE]] [--resume | --start-over] [--events json|FILE]",
        options: [
            OptionSpec(name: "--profile", value: "FILE", help: "the install profile"),
            OptionSpec(name: "--secrets", value: "FILE", help: "passphrases and passwords the profile takes from the secrets file"),
            OptionSpec(name: "--target-image", value: "FILE[:SIZE]", help: "install into a disk image (created with SIZE, e.g. 20G, if missing)"),
            OptionSpec(name: "--yes-i-confirmed", value: "SERIAL", help: "for a guided profile: the serial of the disk you agreed to erase"),
            OptionSpec(name: "--resume", value: nil, help: "continue after the last finished step of the same plan"),
            OptionSpec(name: "--start-over", value: nil, help: "ignore an earlier journal and start from the beginning"),
        ] + engineOptions,
        run: run)

    /// Where the journal and the log live (also read by `logs`).
    static let stateOptions = [
        OptionSpec(name: "--state-dir", value: "DIR", help: "journal directory (default /run/clan-installer)"),
        OptionSpec(name: "--log-dir", value: "DIR", help: "log directory on the boot medium (default /var/log/clan-installer)"),
    ]

    /// How the engine runs, shared by `install` and `auto`.
    static let engineOptions = [
        OptionSpec(name: "--target-root", value: "DIR", help: "where to mount the new system (default /mnt)"),
        OptionSpec(name: "--events", value: "json|FILE", help: "events as JSON lines on standard output (json) or into FILE"),
    ] + stateOptions + [
        OptionSpec(name: "--tools", value: "DIR", help: "look for programs (mkfs, nixos-install, ...) in DIR first"),
    ]

    static func run(_ context: Context) throws -> ExitCode {
        let arguments = context.arguments
        guard let file = arguments.values["--profile"] else {
            throw UsageError(message: "install needs --profile FILE. See `clan-installer install --help`.")
        }
        if arguments.flags.contains("--resume") && arguments.flags.contains("--start-over") {
            throw UsageError(message: "--resume and --start-over contradict each other; choose one.")
        }
        let profile = try context.profile(file)
        var secrets = InstallSecrets()
        if let secretsFile = arguments.values["--secrets"] {
            try context.checkSecrets(secretsFile, for: profile)
            secrets = try InstallSecrets.decode(context.readFile(secretsFile, what: "secrets file"))
        }
        return try install(context, profile: profile, profileFile: file, secrets: secrets, resume: arguments.flags.contains("--resume"))
    }

    /// The install itself, shared by `install` and `auto` (the boot medium's entry point).
    static func install(_ context: Context, profile: InstallProfile, profileFile file: String, secrets: InstallSecrets, resume: Bool) throws -> ExitCode {
        let arguments = context.arguments
        let runner = ProcessRunner(searchFirst: arguments.values["--tools"].map { [$0] } ?? [])

        var image: AttachedImage?
        if let spec = arguments.values["--target-image"] { image = try AttachedImage(spec, runner: runner) }
        defer { image?.detach(runner: runner) }

        let machine = try context.machine(probing: .live())
        let plan = try context.plan(machine, profile, image: image.map { .init(loopDevice: $0.device, imagePath: $0.path) })
        if plan.authorization.kind == .typedConfirmationNeeded {
            guard let typed = arguments.values["--yes-i-confirmed"], typed == plan.target.serial || typed == plan.target.name else {
                throw NoSafePlan(refusal: PlanRefusal(reason: "this is a guided profile: confirm erasing \(plan.target.name) (\(plan.destroys.first ?? "empty")) with --yes-i-confirmed \(plan.target.serial ?? plan.target.name)"))
            }
        }
        let unmet = secrets.unmetReferences(of: profile)
        if !unmet.isEmpty {
            throw InvalidProfile(file: file, errors: ProfileErrors(issues: unmet.map { ProfileIssue(path: $0, message: "needs a secret: give --secrets FILE") }))
        }

        let sinks = EventFanOut([])
        switch arguments.values["--events"] {
        case "json"?:
            sinks.add(JSONLinesSink(write: context.streams.out))
        case let path?:
            let events = try EventFile(path)
            sinks.add(JSONLinesSink(write: events.write))
            sinks.add(ConsoleSink(totalSteps: plan.steps.count, write: context.streams.out))
        case nil:
            sinks.add(ConsoleSink(totalSteps: plan.steps.count, write: context.streams.out))
        }
        let options = InstallOptions(
            targetRoot: arguments.values["--target-root"] ?? "/mnt",
            stateDirectory: arguments.values["--state-dir"] ?? "/run/clan-installer",
            logDirectory: arguments.values["--log-dir"] ?? "/var/log/clan-installer",
            resume: resume, startOver: arguments.flags.contains("--start-over"),
            mayPowerOff: image == nil)
        Interruption.installSignalHandlers()
        let executor = try Executor(plan: plan, profile: profile, machine: machine, secrets: secrets, runner: runner, events: sinks, options: options)
        switch executor.run() {
        case .succeeded, .alreadyInstalled:
            return .success
        case .interrupted:
            return .interrupted
        case .failed(let step, let reason):
            context.streams.err("clan-installer: the install failed at \"\(step)\": \(executor.log.redact(reason))\nThe log is \(executor.log.path).\n")
            return .installFailed
        }
    }
}

/// A disk image attached to a loop device for the length of an install.
struct AttachedImage {
    let path: String
    let device: String

    init(_ spec: String, runner: CommandRunner) throws {
        var path = spec
        var size: UInt64?
        if let colon = spec.lastIndex(of: ":"), case .success(let parsed) = ByteSize.parse(String(spec[spec.index(after: colon)...])) {
            path = String(spec[..<colon])
            size = parsed.bytes
        }
        if !Files.exists(path) {
            guard let size else { throw CommandFailure("\(path) does not exist; give its size to create it: --target-image \(path):20G") }
            do { try Files.createSparse(path, size: size) } catch { throw CommandFailure("cannot create \(path): \(error)") }
        }
        guard let resolved = Files.resolve(path) else { throw CommandFailure("cannot find \(path)") }
        self.path = resolved
        do {
            device = try runner.check(Command("losetup", ["--find", "--show", resolved])).stdoutText.trimmingWhitespace()
        } catch {
            throw CommandFailure("cannot attach \(path) to a loop device: \(error)")
        }
    }

    func detach(runner: CommandRunner) {
        _ = try? runner.run(Command("partx", ["-d", device]))
        _ = try? runner.run(Command("losetup", ["-d", device]))
    }
}

/// `--events FILE`: JSON lines appended to a file.
final class EventFile {
    let fd: Int32
    init(_ path: String) throws {
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CommandFailure("cannot open the events file \(path)") }
    }
    deinit { close(fd) }
    func write(_ text: String) { writeAll(text, to: fd) }
}
