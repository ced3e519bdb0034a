#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Runs programs with posix_spawn (Foundation.Process would pull all of Foundation into the initrd).
///
/// Standard input, output and error are pipes serviced by one poll loop, so a program that writes a lot
/// to stderr while we are still feeding its stdin can never deadlock against us. When the installer is
/// asked to stop (SIGINT/SIGTERM, see `Interruption`), the running child gets SIGTERM.
public struct ProcessRunner: CommandRunner {
    /// Directories searched for programs before `PATH` (tests put their doubles here).
    public var searchFirst: [String]

    public init(searchFirst: [String] = []) {
        self.searchFirst = searchFirst
    }

    public func run(_ command: Command) throws(CommandError) -> CommandResult {
        try start(command, onOutput: nil)
    }

    public func run(_ command: Command, onOutput: (String) -> Void) throws(CommandError) -> CommandResult {
        try withoutActuallyEscaping(onOutput) { escapable throws(CommandError) in try start(command, onOutput: escapable) }
    }

    private func start(_ command: Command, onOutput: ((String) -> Void)?) throws(CommandError) -> CommandResult {
        var resolved = command
        if !command.executable.contains("/"),
           let found = searchFirst.map({ $0 + "/" + command.executable }).first(where: { access($0, X_OK) == 0 }) {
            resolved.executable = found
        }
        var stdinPipe: [Int32] = [-1, -1], stdoutPipe: [Int32] = [-1, -1], stderrPipe: [Int32] = [-1, -1]
        guard makePipe(&stdinPipe), makePipe(&stdoutPipe), makePipe(&stderrPipe) else {
            let code = errno
            for fd in stdinPipe + stdoutPipe + stderrPipe where fd >= 0 { close(fd) }
            throw CommandError(command: command, reason: .couldNotStart(errno: code))
        }

        let spawned = spawnProcess(resolved, stdin: stdinPipe[0], stdout: stdoutPipe[1], stderr: stderrPipe[1])
        close(stdinPipe[0]); close(stdoutPipe[1]); close(stderrPipe[1])
        let pid: pid_t
        switch spawned {
        case .success(let started):
            pid = started
        case .failure(let failure):
            close(stdinPipe[1]); close(stdoutPipe[0]); close(stderrPipe[0])
            throw CommandError(command: command, reason: .couldNotStart(errno: failure.errno))
        }

        var pump = Pump(input: command.input, inFD: stdinPipe[1], outFD: stdoutPipe[0], errFD: stderrPipe[0], child: pid)
        pump.run(onLine: onOutput)
        var status: Int32 = 0
        _ = retryingOnInterrupt { waitpid(pid, &status, 0) }
        return CommandResult(status: Self.exitCode(status), stdout: pump.stdout, stderr: pump.stderr)
    }

    static func exitCode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

/// Feeds a child's stdin and drains its stdout and stderr until both close, handing complete lines
/// to `onLine` as they arrive (for progress), and stopping the child when the installer is interrupted.
private struct Pump {
    let input: [UInt8]
    let inFD: Int32, outFD: Int32, errFD: Int32
    let child: pid_t
    var stdout: [UInt8] = []
    var stderr: [UInt8] = []
    private var partial: [Int32: [UInt8]] = [:]

    init(input: [UInt8], inFD: Int32, outFD: Int32, errFD: Int32, child: pid_t) {
        self.input = input
        self.inFD = inFD
        self.outFD = outFD
        self.errFD = errFD
        self.child = child
    }

    mutating func run(onLine: ((String) -> Void)?) {
        // A child that exits without reading its stdin must not kill us with SIGPIPE.
        _ = fcntl(inFD, F_SETFL, fcntl(inFD, F_GETFL) | O_NONBLOCK)
        var stdinOpen = !input.isEmpty
        if !stdinOpen { close(inFD) }
        var written = 0
        var open: Set<Int32> = [outFD, errFD]
        var chunk = [UInt8](repeating: 0, count: 65536)
        var signalled = false
        let previousPipeHandler = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previousPipeHandler) }

        while !open.isEmpty || stdinOpen {
            if Interruption.requested && !signalled {
                kill(-child, SIGTERM)
                signalled = true
            }
            var fds = open.sorted().map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if stdinOpen { fds.append(pollfd(fd: inFD, events: Int16(POLLOUT), revents: 0)) }
            // A stop signal may land on another thread and not interrupt this poll: wake up every
            // 200 ms to look at the flag, so a stop takes effect at once even then.
            let ready = poll(&fds, nfds_t(fds.count), 200)
            if ready < 0 { if errno == EINTR { continue } else { break } }
            for entry in fds where entry.revents != 0 {
                if entry.fd == inFD {
                    let count = input[written...].withUnsafeBytes { write(inFD, $0.baseAddress, $0.count) }
                    if count > 0 { written += count }
                    if count < 0 && errno == EAGAIN { continue }
                    if count < 0 || written == input.count { close(inFD); stdinOpen = false }
                } else {
                    let count = chunk.withUnsafeMutableBytes { buffer in read(entry.fd, buffer.baseAddress, buffer.count) }
                    if count > 0 {
                        let bytes = chunk[0..<count]
                        if entry.fd == outFD { stdout.append(contentsOf: bytes) } else { stderr.append(contentsOf: bytes) }
                        if let onLine { emitLines(entry.fd, bytes, onLine) }
                    } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                        if let rest = partial[entry.fd], !rest.isEmpty { onLine?(String(decoding: rest, as: UTF8.self)) }
                        close(entry.fd)
                        open.remove(entry.fd)
                    }
                }
            }
        }
    }

    private mutating func emitLines(_ fd: Int32, _ bytes: ArraySlice<UInt8>, _ onLine: (String) -> Void) {
        var buffer = partial[fd, default: []]
        buffer.append(contentsOf: bytes)
        var start = buffer.startIndex
        for index in buffer.indices where buffer[index] == 0x0A || buffer[index] == 0x0D {
            if index > start { onLine(String(decoding: buffer[start..<index], as: UTF8.self)) }
            start = index + 1
        }
        // Keep only the unfinished last line; a line without an end is capped so it cannot grow forever.
        partial[fd] = buffer.count - start > 1 << 16 ? [] : Array(buffer[start...])
    }
}

/// A pipe whose ends are closed in every spawned child (posix_spawn's dup2 clears the flag on the copies
/// it makes for stdin/stdout/stderr); pipe2 is not visible from Swift's Glibc module.
private func makePipe(_ fds: inout [Int32]) -> Bool {
    guard pipe(&fds) == 0 else { return false }
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    return true
}
