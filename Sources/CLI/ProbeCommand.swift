import Host
import Probe

/// `clan-installer probe`: what this machine is, for a person or (with --json) for the later stages.
enum ProbeCommand {
    static let command = Subcommand(
        name: "probe",
        summary: "Detect the firmware, CPU, memory, disks (and the boot medium), network cards, PCI and USB devices.",
        usage: "[--json] [--include-serials] [--root DIR]",
        options: [
            OptionSpec(name: "--json", value: nil, help: "print the full machine report as JSON (save it for --machine)"),
            OptionSpec(name: "--include-serials", value: nil, help: "include DMI serial numbers and the system UUID"),
            OptionSpec(name: "--root", value: "DIR", help: "read a captured tree (DIR/sys, DIR/proc, DIR/run) instead of this machine"),
        ],
        run: run)

    static func run(_ context: Context) throws -> ExitCode {
        let arguments = context.arguments
        let sources: ProbeSources
        if let root = arguments.values["--root"] {
            guard Files.isDirectory(root + "/sys") else {
                throw CommandFailure("\(root) has no sys/ directory: not a captured machine tree")
            }
            sources = .captured(root: root)
        } else {
            sources = .live()
        }
        let report = try context.machine(probing: sources, options: ProbeOptions(includeSerials: arguments.flags.contains("--include-serials")))
        context.streams.out(arguments.flags.contains("--json") ? report.json() : ReportText.render(report))
        return .success
    }
}
