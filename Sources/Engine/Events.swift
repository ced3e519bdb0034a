import Host

/// What the install engine tells the world. Every view — the console line printer, JSON lines for
/// tools, the guided UI, the HTTP status reporter of PXE fleets — is a sink for these events.
///
/// Names follow curtin's hierarchical style (`install/partition`, `install/format/root`), with
/// `start`/`finish` pairs, so MAAS-style consumers can read them.
public struct InstallEvent: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case start, progress, finish, fail, log, done
    }

    public var kind: Kind
    /// `install/partition`; `install` for the whole run.
    public var name: String
    public var description: String
    /// Seconds since the Unix epoch, with milliseconds.
    public var timestamp: Double
    /// Progress: units done and in total (bytes, store paths, steps).
    public var done: Int64?
    public var total: Int64?
    /// finish/done: `SUCCESS`, `FAIL`, `INTERRUPTED`.
    public var result: String?

    public init(kind: Kind, name: String, description: String, done: Int64? = nil, total: Int64? = nil,
                result: String? = nil, timestamp: Double = Clock.now()) {
        self.kind = kind
        self.name = name
        self.description = description
        self.timestamp = timestamp
        self.done = done
        self.total = total
        self.result = result
    }
}

/// Receives events as they happen. Sinks must be quick: they run on the engine's thread.
public protocol EventSink: AnyObject {
    func receive(_ event: InstallEvent)
}

/// Several sinks as one.
public final class EventFanOut: EventSink {
    private var sinks: [EventSink]
    public init(_ sinks: [EventSink]) { self.sinks = sinks }
    public func add(_ sink: EventSink) { sinks.append(sink) }
    public func receive(_ event: InstallEvent) { sinks.forEach { $0.receive(event) } }
}

/// One line per step for a person at a plain console: `[ 3/14]  21%  00:04  Create the GPT partition table`.
public final class ConsoleSink: EventSink {
    private let write: (String) -> Void
    private let totalSteps: Int
    private var stepIndex = 0
    private var started: Double?
    private var lastProgressLine = ""

    public init(totalSteps: Int, write: @escaping (String) -> Void) {
        self.totalSteps = totalSteps
        self.write = write
    }

    public func receive(_ event: InstallEvent) {
        if started == nil { started = event.timestamp }
        let elapsed = Int(event.timestamp - (started ?? event.timestamp))
        let clock = String(format2: elapsed / 60) + ":" + String(format2: elapsed % 60)
        switch event.kind {
        case .start where event.name != "install":
            stepIndex += 1
            let percent = totalSteps == 0 ? 0 : (stepIndex - 1) * 100 / totalSteps
            write("[\(pad(stepIndex))/\(totalSteps)] \(pad(percent, 3))%  \(clock)  \(event.description)\n")
        case .progress:
            let percent = event.total.flatMap { total in total > 0 ? pad(Int((event.done ?? 0) * 100 / total), 3) + "%" : nil } ?? "    "
            let line = "          \(percent)  \(clock)  \(event.description)"
            if line != lastProgressLine { write(line + "\n"); lastProgressLine = line }
        case .fail:
            write("FAILED    \(clock)  \(event.description)\n")
        case .done where event.result == "SUCCESS":
            write("DONE      \(clock)  \(event.description)\n")
        case .done where event.result == "INTERRUPTED":
            write("STOPPED   \(clock)  \(event.description)\n")
        default:
            break
        }
    }

    private func pad(_ number: Int, _ width: Int = 2) -> String {
        let text = String(number)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

/// `--events json`: one JSON object per line, for tools and the PXE status reporter.
public final class JSONLinesSink: EventSink {
    private let write: (String) -> Void
    public init(write: @escaping (String) -> Void) { self.write = write }
    public func receive(_ event: InstallEvent) {
        write(StableJSON.encodeLine(event))
    }
}

/// Collects events in memory (tests; the guided UI's history).
public final class RecordingSink: EventSink {
    public private(set) var events: [InstallEvent] = []
    public init() {}
    public func receive(_ event: InstallEvent) { events.append(event) }
}

extension String {
    /// Two digits, zero padded.
    init(format2 value: Int) { self = value < 10 ? "0\(value)" : String(value) }
}
