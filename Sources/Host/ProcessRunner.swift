#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Runs programs with posix_spawn (Foundation.Process would pull all of Foundation into the initrd).
///
/// Standard input, output and error are pipes serviced by one poll loop, so a program that writes a lot
/// to stderr while we are still feeding its stdin can never deadlock against us.
public struct ProcessRunner: CommandRunner {
    public init() {}

    public func run(_ command: Command) throws(CommandError) -> CommandResult {
        var stdinPipe: [Int32] = [-1, -1], stdoutPipe: [Int32] = [-1, -1], stderrPipe: [Int32] = [-1, -1]
        guard makePipe(&stdinPipe), makePipe(&stdoutPipe), makePipe(&stderrPipe) else {
            let code = errno
            for fd in stdinPipe + stdoutPipe + stderrPipe where fd >= 0 { close(fd) }
            throw CommandError(command: command, reason: .couldNotStart(errno: code))
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)

        // The child gets default signal handling even if we ignore SIGPIPE or block SIGINT.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var pid: pid_t = 0
        let spawnStatus = withCStrings([command.executable] + command.arguments) { argv in
            withCStrings(Self.environment(adding: command.environment)) { envp in
                posix_spawnp(&pid, command.executable, &actions, &attributes, argv, envp)
            }
        }
        close(stdinPipe[0]); close(stdoutPipe[1]); close(stderrPipe[1])
        guard spawnStatus == 0 else {
            close(stdinPipe[1]); close(stdoutPipe[0]); close(stderrPipe[0])
            throw CommandError(command: command, reason: .couldNotStart(errno: spawnStatus))
        }

        let (stdout, stderr) = Self.pump(input: command.input, to: stdinPipe[1], from: stdoutPipe[0], and: stderrPipe[0])
        var status: Int32 = 0
        _ = retryingOnInterrupt { waitpid(pid, &status, 0) }
        return CommandResult(status: Self.exitCode(status), stdout: stdout, stderr: stderr)
    }

    /// Feeds `input` to the child and drains both outputs until they close; closes all three descriptors.
    private static func pump(input: [UInt8], to inFD: Int32, from outFD: Int32, and errFD: Int32) -> ([UInt8], [UInt8]) {
        // A child that exits without reading its stdin must not kill us with SIGPIPE.
        _ = fcntl(inFD, F_SETFL, fcntl(inFD, F_GETFL) | O_NONBLOCK)
        var stdinOpen = true
        var written = 0
        if input.isEmpty { close(inFD); stdinOpen = false }
        var outputs: [Int32: [UInt8]] = [outFD: [], errFD: []]
        var open: Set<Int32> = [outFD, errFD]
        var chunk = [UInt8](repeating: 0, count: 65536)
        let previousPipeHandler = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previousPipeHandler) }

        while !open.isEmpty || stdinOpen {
            var fds = open.sorted().map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if stdinOpen { fds.append(pollfd(fd: inFD, events: Int16(POLLOUT), revents: 0)) }
            if retryingOnInterrupt({ poll(&fds, nfds_t(fds.count), -1) }) < 0 { break }
            for entry in fds where entry.revents != 0 {
                if entry.fd == inFD {
                    let count = input[written...].withUnsafeBytes { write(inFD, $0.baseAddress, $0.count) }
                    if count > 0 { written += count }
                    if count < 0 && errno == EAGAIN { continue }
                    if count < 0 || written == input.count { close(inFD); stdinOpen = false }
                } else {
                    let count = chunk.withUnsafeMutableBytes { buffer in retryingOnInterrupt { read(entry.fd, buffer.baseAddress, buffer.count) } }
                    if count > 0 {
                        outputs[entry.fd]!.append(contentsOf: chunk[0..<count])
                    } else if count == 0 || errno != EAGAIN {
                        close(entry.fd)
                        open.remove(entry.fd)
                    }
                }
            }
        }
        return (outputs[outFD]!, outputs[errFD]!)
    }

    private static func exitCode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    private static func environment(adding extra: [String: String]) -> [String] {
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
}

/// A pipe whose ends are closed in every spawned child (posix_spawn's dup2 clears the flag on the copies
/// it makes for stdin/stdout/stderr); pipe2 is not visible from Swift's Glibc module.
private func makePipe(_ fds: inout [Int32]) -> Bool {
    guard pipe(&fds) == 0 else { return false }
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    return true
}

/// Calls `body` with a NULL-terminated C array of the strings, valid only during the call.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    return body(pointers + [nil])
}
