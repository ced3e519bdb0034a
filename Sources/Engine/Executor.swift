import Blkid
import Host
import NixConfig
import Parted
import Plan
import Probe
import Profile
#if canImport(Glibc)
import Glibc
#endif

public struct InstallOptions: Sendable {
    /// Where the new system is mounted while it is installed.
    public var targetRoot: String
    /// The journal lives here while the target is not mounted (`/run/clan-installer`).
    public var stateDirectory: String
    /// The install log on the boot medium (`/var/log/clan-installer`).
    public var logDirectory: String
    /// Continue after the last finished step of the same plan.
    public var resume: Bool
    /// Ignore an earlier journal and install from the beginning.
    public var startOver: Bool
    /// Reboot or power off at the end when the profile says so. Off for image installs: the machine
    /// being installed is the image, not the one running the installer.
    public var mayPowerOff: Bool

    public init(targetRoot: String = "/mnt", stateDirectory: String = "/run/clan-installer", logDirectory: String = "/var/log/clan-installer",
                resume: Bool = false, startOver: Bool = false, mayPowerOff: Bool = true) {
        self.targetRoot = targetRoot
        self.stateDirectory = stateDirectory
        self.logDirectory = logDirectory
        self.resume = resume
        self.startOver = startOver
        self.mayPowerOff = mayPowerOff
    }
}

public enum InstallOutcome: Equatable, Sendable {
    case succeeded
    /// Nothing done: the journal says this plan already finished.
    case alreadyInstalled(String)
    case failed(step: String, reason: String)
    case interrupted(step: String)
}

/// Why a step failed, in one paragraph a person can act on.
struct StepFailure: Error {
    var reason: String
}

/// Runs an InstallPlan on the real disk: each step in order, each recorded in the journal when it
/// finishes, each announced as events. Destructive steps that finished are skipped on `--resume`; the
/// others are idempotent and simply run again.
public final class Executor {
    let plan: InstallPlan
    let profile: InstallProfile
    let machine: MachineReport
    let secrets: InstallSecrets
    let runner: CommandRunner
    let events: EventSink
    let options: InstallOptions
    public let log: InstallLog
    let planHash: String
    var journal: Journal

    var journalPath: String { options.stateDirectory + "/journal.json" }
    var root: String { options.targetRoot }

    public init(plan: InstallPlan, profile: InstallProfile, machine: MachineReport, secrets: InstallSecrets,
                runner: CommandRunner, events: EventSink, options: InstallOptions) throws {
        self.plan = plan
        self.profile = profile
        self.machine = machine
        self.secrets = secrets
        self.events = events
        self.options = options
        try Files.createDirectories(options.stateDirectory, mode: 0o700)
        try Files.createDirectories(options.logDirectory, mode: 0o700)
        var known = [secrets.diskPassphrase, secrets.wifiPSK].compactMap { $0 } + Array(secrets.userPasswords.values)
        known += profile.users.compactMap { if case .hash(let hash) = $0.password { return hash } else { return nil } }
        log = try InstallLog(path: options.logDirectory + "/install.log", secrets: known)
        self.runner = LoggedRunner(base: runner, log: log)
        planHash = Executor.fingerprint(of: plan)
        journal = Journal(planHash: planHash, hostname: plan.hostname)
    }

    /// The plan's decisions, not its commentary: what would be destroyed and why it was allowed are left
    /// out, because after a failed first attempt the disk holds our own partitions, and the plan made on
    /// the next boot must still be recognised as the same.
    public static func fingerprint(of plan: InstallPlan) -> String {
        var decisions = plan
        decisions.destroys = []
        decisions.authorization = .init(kind: .wipeBinding, detail: "")
        return Engine.fingerprint(decisions.json())
    }

    // MARK: Running

    public func run() -> InstallOutcome {
        // After a reboot /run is empty: the journal that survived is the copy on the target.
        if let earlier = Journal.load(journalPath) ?? (options.resume ? journalOnTarget() : nil), !options.startOver {
            if earlier.planHash != planHash {
                if options.resume {
                    return refuse("resume", "the journal in \(journalPath) belongs to a different plan (\(earlier.hostname), started \(earlier.started)); nothing was done. Use --start-over to install this plan from the beginning.")
                }
            } else if let completed = earlier.completed {
                emit(.done, "install", "This plan was already installed on \(completed); nothing to do (use --start-over to install it again).", result: "SUCCESS")
                return .alreadyInstalled(completed)
            } else if options.resume {
                journal = earlier
                journal.stoppedAt = nil
                journal.stopReason = nil
            }
        }
        log.write("clan-installer: install \(plan.hostname) onto \(plan.target.stablePath), plan \(planHash)" + (options.resume ? " (resuming)" : ""))
        emit(.start, "install", "Installing \(plan.hostname) onto \(plan.target.name)")
        saveJournal()

        for step in plan.steps {
            let name = "install/\(step.id)"
            if Interruption.requested { return stop(at: step.id) }
            if journal.finishedSteps.contains(step.id) && Self.destructive.contains(step.id) {
                log.write("skip \(step.id): finished earlier")
                continue
            }
            emit(.start, name, step.title)
            do {
                try perform(step.id)
                if Interruption.requested { return stop(at: step.id) }
                if !journal.finishedSteps.contains(step.id) { journal.finishedSteps.append(step.id) }
                saveJournal()
                emit(.finish, name, step.title, result: "SUCCESS")
            } catch let failure as StepFailure {
                if Interruption.requested { return stop(at: step.id) }
                return fail(step.id, failure.reason)
            } catch {
                if Interruption.requested { return stop(at: step.id) }
                return fail(step.id, "\(error)")
            }
        }
        return .succeeded
    }

    /// Steps that erase or create data: done once, never repeated by `--resume`.
    static let destructive: Set<String> = ["wipe", "partition", "encrypt", "format", "subvolumes", "swapfile"]

    private func fail(_ step: String, _ reason: String) -> InstallOutcome {
        let paragraph = "The install failed at \"\(step)\": \(reason) Nothing was rebooted. The full log is \(log.path); " +
            "fix the cause and run the same install again with --resume."
        log.write("FAILED at \(step): \(reason)")
        journal.stoppedAt = step
        journal.stopReason = reason
        saveJournal()
        emit(.fail, "install/\(step)", paragraph, result: "FAIL")
        emit(.done, "install", paragraph, result: "FAIL")
        return .failed(step: step, reason: reason)
    }

    private func stop(at step: String) -> InstallOutcome {
        log.write("stopped at \(step) on request")
        journal.stoppedAt = step
        journal.stopReason = "stopped on request (Ctrl-C or SIGTERM)"
        saveJournal()
        // A stopped install unmounts, so nothing blocks a rerun; the journal says where it stopped.
        Interruption.reset()
        unmountEverything()
        emit(.done, "install", "Stopped at \"\(step)\" on request. Run the same install with --resume to continue.", result: "INTERRUPTED")
        return .interrupted(step: step)
    }

    private func refuse(_ step: String, _ reason: String) -> InstallOutcome {
        emit(.fail, "install/\(step)", reason, result: "FAIL")
        return .failed(step: step, reason: reason)
    }

    func emit(_ kind: InstallEvent.Kind, _ name: String, _ description: String, done: Int64? = nil, total: Int64? = nil, result: String? = nil) {
        events.receive(InstallEvent(kind: kind, name: name, description: log.redact(description), done: done, total: total, result: result))
    }

    func saveJournal() {
        do { try journal.save(journalPath) } catch { log.write("could not save the journal: \(error)") }
        // Once the target is mounted, a copy travels with it.
        if Files.isDirectory(root + "/var/log/clan-installer") { try? journal.save(root + "/var/log/clan-installer/journal.json") }
    }

    private func perform(_ step: String) throws {
        switch step {
        case "check-target": try checkTarget()
        case "wipe": try wipe()
        case "partition": try partition()
        case "encrypt": try encrypt()
        case "format": try format()
        case "subvolumes": try createSubvolumes()
        case "mount": try mountTarget()
        case "swapfile": try createSwapFile()
        case "write-config": try writeConfiguration()
        case "write-secrets": try writeSecrets()
        case "nixos-install": try installNixOS()
        case "verify": try verify()
        case "save-logs": try saveLogs()
        case "unmount": unmountEverything()
        case "finish": try finish()
        default: throw StepFailure(reason: "this installer does not know the step \"\(step)\" (the plan is newer than the installer).")
        }
    }

    // MARK: Helpers

    /// Runs a command that must succeed; its failure becomes a step failure naming the command.
    @discardableResult
    func check(_ command: Command, what: String, onOutput: (String) -> Void = { _ in }) throws -> CommandResult {
        let result: CommandResult
        do { result = try runner.run(command, onOutput: onOutput) } catch {
            throw StepFailure(reason: "\(what) could not start \(command.executable): \(error). Is it installed on the boot medium?")
        }
        guard result.status == 0 else {
            // The last lines of the error output say why; standard output only when there is nothing else.
            let stderr = result.stderrText.trimmingWhitespace()
            let output = (stderr.isEmpty ? result.stdoutText.trimmingWhitespace() : stderr).split(separator: "\n").suffix(3).joined(separator: " / ")
            throw StepFailure(reason: "\(what) failed: `\(command)` exited with status \(result.status)\(output.isEmpty ? "" : " (\(log.redact(output)))").")
        }
        return result
    }

    func node(_ partition: InstallPlan.PlannedPartition) -> String {
        "/dev/" + DiskIdentity.partitionName(disk: plan.target.name, number: partition.number)
    }

    var luksMapping: String { "/dev/mapper/" + (plan.layout.partitions.first { $0.content.kind == .luks }?.content.luksName ?? "crypted") }

    /// The device a planned mount refers to by partition label, as a node this installer can use now.
    func device(forMount mount: InstallPlan.Mount) -> String {
        if let partition = plan.layout.partitions.first(where: { mount.device == "/dev/disk/by-partlabel/" + $0.partLabel }) {
            return node(partition)
        }
        return mount.device
    }

    func currentMounts() -> [(device: String, mountPoint: String)] {
        (Files.text("/proc/self/mountinfo") ?? "").split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard let dash = fields.firstIndex(of: "-"), dash + 2 < fields.count, fields.count > 4 else { return nil }
            return (String(fields[dash + 2]), String(fields[4]).replacing("\\040", with: " "))
        }
    }

    func isMounted(_ mountPoint: String) -> Bool { currentMounts().contains { $0.mountPoint == mountPoint } }

    /// Unmounts everything under the target root (deepest first) and closes our LUKS mapping: only what
    /// this installer made, so that a rerun is never blocked by our own leftovers.
    func unmountEverything() {
        // Ours: the plan's own mount points under the target root, and anything there that lives on the
        // target disk or in our LUKS mapping. Someone else's mount under /mnt (a helper's backup disk)
        // is left alone; if it keeps the root busy, the target check says so.
        let planned = Set(plan.mounts.map { $0.mountPoint == "/" ? root : root + $0.mountPoint })
        let ownDevices = Set(plan.layout.partitions.map(node) + [plan.target.path, luksMapping])
        let ours = currentMounts().filter { mount in
            (mount.mountPoint == root || mount.mountPoint.hasPrefix(root + "/"))
                && (planned.contains(mount.mountPoint) || ownDevices.contains(mount.device))
        }.map(\.mountPoint)
        for mountPoint in Set(ours).sorted(by: { $0.count > $1.count }) {
            _ = try? runner.run(Command("umount", [mountPoint]))
        }
        if plan.layout.partitions.contains(where: { $0.content.kind == .luks }), Files.exists(luksMapping) {
            _ = try? runner.run(Command("cryptsetup", ["close", String(luksMapping.dropFirst("/dev/mapper/".count))]))
        }
    }

    func waitFor(_ paths: [String], seconds: Int = 10) -> Bool {
        for _ in 0..<(seconds * 20) {
            if paths.allSatisfy(Files.exists) { return true }
            usleep(50_000)
        }
        return paths.allSatisfy(Files.exists)
    }
}
