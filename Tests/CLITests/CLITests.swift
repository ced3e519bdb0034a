import Testing
import Synchronization
import CLI
import Probe
import Host
import TestSupport

/// Runs the CLI in-process and collects what it printed.
func runCLI(_ arguments: String...) -> (status: Int32, out: String, err: String) {
    ClanInstallerHarness.run(arguments)
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
            let result = ClanInstallerHarness.run(arguments)
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
        #expect(result.err == "clan-installer: unknown command `prbe` (did you mean probe?). Commands: probe, validate, plan.\n")
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
            let result = ClanInstallerHarness.run(arguments)
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

enum ClanInstallerHarness {
    static func run(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
        let out = Mutex(""), err = Mutex("")
        let status = ClanInstaller.main(arguments: arguments, streams: Streams(
            out: { text in out.withLock { $0 += text } },
            err: { text in err.withLock { $0 += text } }))
        return (status, out.withLock { $0 }, err.withLock { $0 })
    }
}

extension String {
    var nonEmptyOrNil: String? { isEmpty ? nil : self }
}
