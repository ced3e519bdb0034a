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

        let spawned = spawnProcess(command, stdin: stdinPipe[0], stdout: stdoutPipe[1], stderr: stderrPipe[1])
        close(stdinPipe[0]); close(stdoutPipe[1]); close(stderrPipe[1])
        let pid: pid_t
        switch spawned {
        case .success(let started):
            pid = started
        case .failure(let failure):
            close(stdinPipe[1]); close(stdoutPipe[0]); close(stderrPipe[0])
            throw CommandError(command: command, reason: .couldNotStart(errno: failure.errno))
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

    static func exitCode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

/// A pipe whose ends are closed in every spawned child (posix_spawn's dup2 clears the flag on the copies
/// it makes for stdin/stdout/stderr); pipe2 is not visible from Swift's Glibc module.
private func makePipe(_ fds: inout [Int32]) -> Bool {
    guard pipe(&fds) == 0 else { return false }
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    return true
}
