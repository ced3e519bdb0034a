import Host
import Plan
import Probe
import Profile

extension ExitCode {
    /// The profile (or secrets file) is not valid; nothing was planned.
    static let invalidProfile = ExitCode(rawValue: 3)!
    /// The profile is valid but there is no safe plan on this machine (no disk fits, data without a
    /// wipe binding, the boot medium targeted...).
    static let noSafePlan = ExitCode(rawValue: 4)!
}

/// A profile or secrets file that failed to decode; printed with every problem, one per line.
struct InvalidProfile: Error, CustomStringConvertible {
    var file: String
    var errors: ProfileErrors
    var description: String {
        let count = errors.issues.count
        return "\(file) is not a valid profile (\(count) problem\(count == 1 ? "" : "s")):\n" + errors.issues.map { "  " + $0.description }.joined(separator: "\n")
    }
}

struct NoSafePlan: Error, CustomStringConvertible {
    var refusal: PlanRefusal
    var description: String { "no safe install plan on this machine: " + refusal.reason }
}

extension Context {
    func readFile(_ path: String, what: String) throws -> [UInt8] {
        do { return try Files.read(path) } catch { throw CommandFailure("cannot read the \(what) \(error)") }
    }

    func profile(_ path: String) throws -> InstallProfile {
        do { return try InstallProfile.decode(readFile(path, what: "profile")) } catch let errors as ProfileErrors {
            throw InvalidProfile(file: path, errors: errors)
        }
    }

    /// The plan for this profile on this machine, or the refusal as an error (exit code 4).
    func plan(_ machine: MachineReport, _ profile: InstallProfile, image: Planner.ImageTarget? = nil) throws -> InstallPlan {
        switch Planner.plan(machine: machine, profile: profile, image: image) {
        case .failure(let refusal): throw NoSafePlan(refusal: refusal)
        case .success(let plan): return plan
        }
    }

    /// Checks a secrets file against the profile's references, without ever printing a secret.
    func checkSecrets(_ path: String, for profile: InstallProfile) throws {
        let secrets: InstallSecrets
        do { secrets = try InstallSecrets.decode(readFile(path, what: "secrets file")) } catch let errors as ProfileErrors {
            throw InvalidProfile(file: path, errors: errors)
        }
        let unmet = secrets.unmetReferences(of: profile)
        if !unmet.isEmpty {
            throw InvalidProfile(file: path, errors: ProfileErrors(issues: unmet.map {
                ProfileIssue(path: $0, message: "comes from the secrets file, but \(path) does not have it")
            }))
        }
    }
}

enum ValidateCommand {
    static let command = Subcommand(
        name: "validate",
        summary: "Check a profile (and its secrets file) without looking at any disk.",
        usage: "FILE [--secrets FILE]",
        options: [OptionSpec(name: "--secrets", value: "FILE", help: "also check the secrets file the profile refers to")],
        positionals: 1,
        run: { context in
            let file = context.arguments.positionals[0]
            let profile = try context.profile(file)
            if let secrets = context.arguments.values["--secrets"] { try context.checkSecrets(secrets, for: profile) }
            let mode = profile.isUnattended ? "unattended" : "guided (asks: \(profile.interactive.map(\.rawValue).joined(separator: ", ")))"
            context.streams.out("\(file): valid profile for \(profile.identity.hostname.isEmpty ? "a host named in the installer" : profile.identity.hostname), \(mode)\n")
            return .success
        })
}

enum PlanCommand {
    static let command = Subcommand(
        name: "plan",
        summary: "Show what an install with this profile would do on this machine. Touches nothing.",
        usage: "--profile FILE [--secrets FILE] [--json]",
        options: [
            OptionSpec(name: "--profile", value: "FILE", help: "the install profile (JSON, see docs/profile.md)"),
            OptionSpec(name: "--secrets", value: "FILE", help: "the secrets file, to check that it has what the profile needs"),
            OptionSpec(name: "--json", value: nil, help: "print the plan as JSON"),
        ],
        run: { context in
            guard let file = context.arguments.values["--profile"] else {
                throw UsageError(message: "plan needs --profile FILE. See `clan-installer plan --help`.")
            }
            let profile = try context.profile(file)
            if let secrets = context.arguments.values["--secrets"] { try context.checkSecrets(secrets, for: profile) }
            let plan = try context.plan(context.machine(probing: .live()), profile)
            context.streams.out(context.arguments.flags.contains("--json") ? plan.json() : PlanText.render(plan))
            return .success
        })
}
