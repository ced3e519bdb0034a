import Testing
import Synchronization
import CLI
import Probe
import Host
import TestSupport

/// Runs the CLI in-process and collects what it printed.
func runCLI(_ arguments: String...) -> (status: Int32, out: String, err: String) {
    runInstaller(arguments)
}

@Suite struct CLITests {
    @Test func helpListsTheCommands() {
        let result = runCLI("--help")
        #expect(result.status == 0)
        #expect(result.out.contains("probe"))
        #expect(result.out.contains("--machine FILE"))
    }

    @Test func commandHelpListsItsOptions() {
        for arguments in [["probe", "--help"], ["help", "probe"], ["probe", "--json", "--help"]] {
            let result = runInstaller(arguments)
            #expect(result.status == 0)
            #expect(result.out.hasPrefix("Usage: clan-installer probe"))
            #expect(result.out.contains("--include-serials"))
        }
    }

    @Test func noArgumentsIsAUsageError() {
        let result = runCLI()
        #expect(result.status == 2)
        #expect(result.err.contains("Usage:"))
    }

    @Test func unknownCommandSuggestsTheNearestOne() {
        let result = runCLI("prbe")
        #expect(result.status == 2)
        #expect(result.err == "clan-installer: unknown command `prbe` (did you mean probe?). Commands: probe, validate, plan, generate, install, auto, logs.\n")
    }

    @Test func unknownOptionSuggestsTheNearestOne() {
        let result = runCLI("probe", "--jsn")
        #expect(result.status == 2)
        #expect(result.err.contains("unknown option --jsn for `probe` (did you mean --json?)"))
        #expect(runCLI("probe", "--json=yes").status == 2)
        #expect(runCLI("probe", "stray").status == 2)
        #expect(runCLI("probe", "--root").err.contains("--root needs a value"))
        #expect(runCLI("probe", "--machine").status == 2)
    }

    @Test func machineOptionReplaysASavedReportFromAnyPosition() throws {
        let directory = try TemporaryDirectory()
        let saved = try #require(runCLI("probe", "--json").out.nonEmptyOrNil)
        try Files.write(Array(saved.utf8), to: directory.path + "/machine.json")
        for arguments in [["--machine", directory.path + "/machine.json", "probe", "--json"],
                          ["probe", "--json", "--machine", directory.path + "/machine.json"],
                          ["probe", "--machine=" + directory.path + "/machine.json", "--json"]] {
            let result = runInstaller(arguments)
            #expect(result.status == 0)
            #expect(result.out == saved, "a replayed report must print byte for byte as saved")
        }
    }

    @Test func unreadableOrForeignMachineFileFailsWithAReason() throws {
        let missing = runCLI("--machine", "/nonexistent/m.json", "probe")
        #expect(missing.status == 1)
        #expect(missing.err.contains("cannot read the machine report"))
        let directory = try TemporaryDirectory()
        try Files.write(Array(#"{"hello": "world"}"#.utf8), to: directory.path + "/m.json")
        let foreign = runCLI("--machine", directory.path + "/m.json", "probe")
        #expect(foreign.status == 1)
        #expect(foreign.err.contains("is not a machine report"))
    }

    @Test func rootMustBeACapturedTree() {
        let result = runCLI("probe", "--root", "/nonexistent")
        #expect(result.status == 1)
        #expect(result.err.contains("not a captured machine tree"))
    }
}

extension String {
    var nonEmptyOrNil: String? { isEmpty ? nil : self }
}

/// validate and plan: the exit codes tell "invalid profile" (3) from "no safe plan here" (4).
@Suite struct PlanCommandTests {
    let root = fixturesDirectory + "/../.."

    @Test func validateAcceptsTheExamples() {
        let result = runCLI("validate", root + "/profiles/demo.json")
        #expect(result.status == 0)
        #expect(result.out.hasSuffix("valid profile for clan-demo, unattended\n"))
        let withSecrets = runCLI("validate", root + "/profiles/desktop-btrfs-luks.json", "--secrets", root + "/profiles/desktop-btrfs-luks.secrets.json")
        #expect(withSecrets.status == 0)
        #expect(!withSecrets.out.contains("change me"), "secrets are never printed")
    }

    @Test func invalidProfileExitsThreeWithEveryProblem() throws {
        let directory = try TemporaryDirectory()
        try Files.write(Array(#"{"version": 1, "identity": {"hostname": "a b"}, "disks": {}}"#.utf8), to: directory.path + "/bad.json")
        let result = runCLI("validate", directory.path + "/bad.json")
        #expect(result.status == 3)
        #expect(result.err.contains("is not a valid profile (4 problems):"))
        #expect(result.err.contains("  disks: unknown key (did you mean disk?) (line 1, column 49)"))
        #expect(runCLI("validate").status == 2)
        #expect(runCLI("validate", "/nonexistent.json").status == 1)
    }

    @Test func missingSecretIsAnInvalidProfile() throws {
        let directory = try TemporaryDirectory()
        try Files.write(Array(#"{"version": 1}"#.utf8), to: directory.path + "/s.json")
        let result = runCLI("validate", root + "/profiles/desktop-btrfs-luks.json", "--secrets", directory.path + "/s.json")
        #expect(result.status == 3)
        #expect(result.err.contains("disk.encryption.passphrase: comes from the secrets file, but"))
    }

    @Test func planPrintsTheTextPlanOrJSON() throws {
        let machine = fixturesDirectory + "/machines/qemu-vm.json"
        let text = runCLI("--machine", machine, "plan", "--profile", root + "/profiles/demo.json")
        #expect(text.status == 0)
        #expect(text.out == String(decoding: try Files.read(fixturesDirectory + "/plans/qemu-vm--demo.txt"), as: UTF8.self))
        let json = runCLI("plan", "--json", "--machine", machine, "--profile", root + "/profiles/demo.json")
        #expect(json.out == String(decoding: try Files.read(fixturesDirectory + "/plans/qemu-vm--demo.json"), as: UTF8.self))
    }

    @Test func noSafePlanExitsFour() {
        let result = runCLI("--machine", fixturesDirectory + "/machines/laptop.json", "plan", "--profile", root + "/profiles/demo.json")
        #expect(result.status == 4)
        #expect(result.err.hasPrefix("clan-installer: no safe install plan on this machine: no disk has the serial CLANTEST01."))
        #expect(runCLI("plan").status == 2)
    }
}

@Suite struct GenerateCommandTests {
    @Test func writesTheFlakeIntoTheFolder() throws {
        let directory = try TemporaryDirectory()
        let out = directory.path + "/etc/nixos"
        let result = runCLI("--machine", fixturesDirectory + "/machines/qemu-vm.json", "generate",
                            "--profile", fixturesDirectory + "/../../profiles/demo.json", "--out", out)
        #expect(result.status == 0, "\(result.err)")
        for file in ["flake.nix", "configuration.nix", "hardware-configuration.nix", "disko.nix", "settings.json", "README.md",
                     "networks/home.nix", "networks/home.json"] {
            #expect(Files.exists(out + "/" + file), "\(file) missing")
        }
        #expect(result.out.contains("wrote \(out)/flake.nix"))
        #expect(runCLI("generate", "--profile", "x.json").status == 2)
        let refused = runCLI("--machine", fixturesDirectory + "/machines/laptop.json", "generate",
                             "--profile", fixturesDirectory + "/../../profiles/demo.json", "--out", out)
        #expect(refused.status == 4)
    }
}
