#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

struct SpawnFailure: Error { var errno: Int32 }

/// Starts `command` with the given descriptors as its stdin/stdout/stderr and returns its PID.
///
/// The child always gets default signal handling and an empty signal mask: a parent that blocks or
/// ignores SIGTERM (test runners do) must not hand that on, or the child could never be stopped.
func spawnProcess(_ command: Command, stdin: Int32, stdout: Int32, stderr: Int32) -> Result<pid_t, SpawnFailure> {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, stdin, 0)
    posix_spawn_file_actions_adddup2(&actions, stdout, 1)
    posix_spawn_file_actions_adddup2(&actions, stderr, 2)

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var everySignal = sigset_t()
    sigfillset(&everySignal)
    posix_spawnattr_setsigdefault(&attributes, &everySignal)
    var noSignal = sigset_t()
    sigemptyset(&noSignal)
    posix_spawnattr_setsigmask(&attributes, &noSignal)
    // Each child leads its own process group, so that stopping it also stops what it started
    // (a shell script's `sleep`, nixos-install's nix): the group is signalled, not just the child.
    posix_spawnattr_setpgroup(&attributes, 0)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

    var pid: pid_t = 0
    let status = withCStrings([command.executable] + command.arguments) { argv in
        withCStrings(environment(adding: command.environment)) { envp in
            posix_spawnp(&pid, command.executable, &actions, &attributes, argv, envp)
        }
    }
    return status == 0 ? .success(pid) : .failure(SpawnFailure(errno: status))
}

private func environment(adding extra: [String: String]) -> [String] {
    var entries: [String] = []
    var index = 0
    while let entry = environ[index] {
        let text = String(cString: entry)
        let name = String(text.prefix(while: { $0 != "=" }))
        if extra[name] == nil { entries.append(text) }
        index += 1
    }
    return entries + extra.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
}

/// Calls `body` with a NULL-terminated C array of the strings, valid only during the call.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    return body(pointers + [nil])
}

/// A long-running program (a test's HTTP server now; sshd, wireguard-go, yggdrasil later) that we
/// started and stop by its PID, never by name. Its output goes to a log file or is discarded.
public final class BackgroundProcess: @unchecked Sendable {
    public let pid: pid_t
    private var running = true

    public init(_ command: Command, logFile: String = "/dev/null") throws(CommandError) {
        let input = open("/dev/null", O_RDONLY | O_CLOEXEC)
        let output = open(logFile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        defer { close(input); close(output) }
        switch spawnProcess(command, stdin: input, stdout: output, stderr: output) {
        case .success(let pid): self.pid = pid
        case .failure(let failure): throw CommandError(command: command, reason: .couldNotStart(errno: failure.errno))
        }
    }

    /// Sends SIGTERM, waits up to `graceSeconds`, then SIGKILL; always reaps the child.
    public func stop(graceSeconds: Int = 5) {
        guard running else { return }
        running = false
        kill(-pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<(graceSeconds * 20) {
            if waitpid(pid, &status, WNOHANG) == pid { return }
            usleep(50_000)
        }
        kill(-pid, SIGKILL)
        _ = retryingOnInterrupt { waitpid(pid, &status, 0) }
    }

    deinit { stop() }
}
