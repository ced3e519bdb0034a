import Host
import NixConfig
import Plan

/// `clan-installer generate`: the NixOS configuration an install would write, into a folder. Touches no disk.
enum GenerateCommand {
    static let command = Subcommand(
        name: "generate",
        summary: "Write the NixOS configuration (flake, disko layout, hardware config, network VM) for this profile into DIR.",
        usage: "--profile FILE --out DIR",
        options: [
            OptionSpec(name: "--profile", value: "FILE", help: "the install profile"),
            OptionSpec(name: "--out", value: "DIR", help: "where to write the files (created if missing)"),
        ],
        run: { context in
            guard let file = context.arguments.values["--profile"], let out = context.arguments.values["--out"] else {
                throw UsageError(message: "generate needs --profile FILE and --out DIR. See `clan-installer generate --help`.")
            }
            let profile = try context.profile(file)
            let machine = try context.machine(probing: .live())
            let plan = try context.plan(machine, profile)
            let configuration = ConfigGenerator.generate(plan: plan, profile: profile, machine: machine)
            for (path, content) in configuration.files {
                let target = out + "/" + path
                do {
                    try Files.createDirectories(String(target[..<target.lastIndex(of: "/")!]))
                    try Files.write(Array(content.utf8), to: target)
                } catch {
                    throw CommandFailure("cannot write \(target): \(error)")
                }
                context.streams.out("wrote \(target)\n")
            }
            return .success
        })
}
