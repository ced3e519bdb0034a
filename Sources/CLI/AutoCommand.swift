import Host
import Profile

/// `clan-installer auto`: what the boot medium runs on tty1. It reads `clan.profile=` (and
/// `clan.secrets=`) from the kernel command line, fetches the profile, and installs; after a failed
/// attempt on an earlier boot it resumes from the journal left on the target.
enum AutoCommand {
    static let command = Subcommand(
        name: "auto",
        summary: "Install with the profile named on the kernel command line (clan.profile=URL, LABEL=... or a path).",
        usage: "[--cmdline FILE] [--events json|FILE]",
        options: [
            OptionSpec(name: "--cmdline", value: "FILE", help: "read the kernel command line from FILE (default /proc/cmdline)"),
        ] + InstallCommand.engineOptions,
        run: { context in
            let commandLine = Files.attribute(context.arguments.values["--cmdline"] ?? "/proc/cmdline") ?? ""
            guard let source = ProfileDiscovery.value("clan.profile", in: commandLine) else {
                throw CommandFailure("the kernel command line names no profile (clan.profile=...); the guided installer is not part of this version yet")
            }
            let discovery = ProfileDiscovery(runner: ProcessRunner(), say: context.streams.out)
            context.streams.out("clan-installer: reading the profile from \(source)\n")
            let bytes = try discovery.fetch(source, file: "profile.json")
            let profile: InstallProfile
            do { profile = try InstallProfile.decode(bytes) } catch let errors as ProfileErrors {
                throw InvalidProfile(file: source, errors: errors)
            }
            var secrets = InstallSecrets()
            if let secretsSource = ProfileDiscovery.value("clan.secrets", in: commandLine) {
                do { secrets = try InstallSecrets.decode(discovery.fetch(secretsSource, file: "secrets.json")) } catch let errors as ProfileErrors {
                    throw InvalidProfile(file: secretsSource, errors: errors)
                }
            }
            // A boot after a failed attempt continues it; a fresh disk simply starts.
            return try InstallCommand.install(context, profile: profile, profileFile: source, secrets: secrets, resume: true)
        })
}
