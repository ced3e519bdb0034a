import Synchronization

/// A runner that runs nothing: it records each command and answers from a script.
///
/// Used by tests to see exactly which commands a stage would run, and by `--dry-run` to show them.
public final class RecordingRunner: CommandRunner {
    public typealias Responder = @Sendable (Command) -> CommandResult

    private let state: Mutex<[Command]>
    private let respond: Responder

    /// - Parameter respond: the result to pretend each command produced; by default success with no output.
    public init(respond: @escaping Responder = { _ in CommandResult(status: 0) }) {
        self.state = Mutex([])
        self.respond = respond
    }

    public func run(_ command: Command) throws(CommandError) -> CommandResult {
        state.withLock { $0.append(command) }
        return respond(command)
    }

    /// Every command run so far, in order.
    public var commands: [Command] { state.withLock { $0 } }
}
