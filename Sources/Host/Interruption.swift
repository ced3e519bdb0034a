#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Ctrl-C and `kill`: a request to stop the install. The engine stops between steps, the command runner
/// passes SIGTERM to the running child, and the journal records where it stopped.
public enum Interruption {
    private static let flag = Atomic<Int>(0)

    public static var requested: Bool { flag.load(ordering: .relaxed) != 0 }

    /// Asks to stop, as a signal would (also for tests and the guided UI's "Stop" key).
    public static func request() { flag.store(1, ordering: .relaxed) }

    public static func reset() { flag.store(0, ordering: .relaxed) }

    /// Catches SIGINT and SIGTERM from now on. Without SA_RESTART, so a blocking poll wakes up at once.
    public static func installSignalHandlers() {
        for signalNumber in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in Interruption.request() }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signalNumber, &action, nil)
        }
    }
}
