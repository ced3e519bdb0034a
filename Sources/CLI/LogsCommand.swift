import Host

/// `clan-installer logs --bundle FILE`: what a helper or a bug report needs, in one tar.gz — the machine
/// report, the plan, the journal and the install log, all already free of secrets (the log redacts them
/// as it is written; the others never hold any).
enum LogsCommand {
    static let command = Subcommand(
        name: "logs",
        summary: "Bundle the machine report, plan, journal and install log into a tar.gz for a helper.",
        usage: "--bundle FILE [--state-dir DIR] [--log-dir DIR]",
        options: [
            OptionSpec(name: "--bundle", value: "FILE", help: "the tar.gz to write"),
        ] + InstallCommand.stateOptions,
        run: { context in
            guard let bundle = context.arguments.values["--bundle"] else {
                throw UsageError(message: "logs needs --bundle FILE. See `clan-installer logs --help`.")
            }
            let logDirectory = context.arguments.values["--log-dir"] ?? "/var/log/clan-installer"
            let stateDirectory = context.arguments.values["--state-dir"] ?? "/run/clan-installer"
            let runner = ProcessRunner()
            let staging: String
            do { staging = try runner.check(Command("mktemp", ["-d", "/tmp/clan-installer-bundle.XXXXXX"])).stdoutText.trimmingWhitespace() } catch {
                throw CommandFailure("cannot make a staging folder: \(error)")
            }
            defer { _ = try? runner.run(Command("rm", ["-rf", staging])) }
            let folder = staging + "/clan-installer"
            var included: [String] = []
            try? Files.createDirectories(folder)
            let sources = [(logDirectory + "/install.log", "install.log"), (stateDirectory + "/journal.json", "journal.json"),
                           (logDirectory + "/machine.json", "machine.json"), (logDirectory + "/plan.json", "plan.json")]
            for (source, name) in sources {
                guard let bytes = try? Files.read(source) else { continue }
                try? Files.write(bytes, to: folder + "/" + name, mode: 0o600)
                included.append(name)
            }
            // Always describe this machine now, even when no install ran yet.
            if !included.contains("machine.json") {
                let report = try context.machine(probing: .live())
                try? Files.write(Array(report.json().utf8), to: folder + "/machine.json", mode: 0o600)
                included.append("machine.json")
            }
            do { try runner.check(Command("tar", ["-czf", bundle, "-C", staging, "clan-installer"])) } catch {
                throw CommandFailure("cannot write \(bundle): \(error)")
            }
            context.streams.out("wrote \(bundle): \(included.sorted().joined(separator: ", "))\n")
            return .success
        })
}
