import Testing
import Host
import TestSupport

@Suite struct ProcessRunnerTests {
    let runner = ProcessRunner()

    @Test func capturesStatusAndBothStreams() throws {
        let result = try runner.run(Command("sh", ["-c", "echo out; echo err >&2; exit 3"]))
        #expect(result.status == 3)
        #expect(result.stdoutText == "out\n")
        #expect(result.stderrText == "err\n")
    }

    @Test func feedsStandardInputWhileDrainingLargeOutputs() throws {
        // 4 MiB through cat while the child also floods stderr: a runner that wrote all of stdin before
        // reading (or read one stream at a time) would deadlock on full pipe buffers.
        let input = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let command = Command("sh", ["-c", "head -c 3000000 /dev/zero >&2 & cat; wait"], input: input)
        let result = try runner.run(command)
        #expect(result.status == 0)
        #expect(result.stdout == input)
        #expect(result.stderr.count == 3_000_000)
    }

    @Test func childThatIgnoresInputDoesNotKillUs() throws {
        let result = try runner.run(Command("true", [], input: [UInt8](repeating: 65, count: 1 << 20)))
        #expect(result.status == 0)
    }

    @Test func reportsSignalsLikeAShell() throws {
        let result = try runner.run(Command("sh", ["-c", "kill -TERM $$"]))
        #expect(result.status == 128 + 15)
    }

    @Test func missingProgramIsATypedError() {
        #expect {
            try runner.run(Command("clan-installer-no-such-program"))
        } throws: { error in
            guard let error = error as? CommandError, case .couldNotStart = error.reason else { return false }
            return error.description.contains("clan-installer-no-such-program")
        }
    }

    @Test func checkCarriesTheCommandAndItsOutput() {
        #expect {
            try runner.check(Command("sh", ["-c", "echo 'disk is busy' >&2; exit 32"]))
        } throws: { error in
            let text = (error as? CommandError)?.description ?? ""
            return text.contains("exited with status 32") && text.contains("disk is busy") && text.contains("sh -c")
        }
    }

    @Test func environmentIsAddedToOurs() throws {
        let result = try runner.run(Command("sh", ["-c", "echo $CLAN_TEST_VALUE:$PATH"], environment: ["CLAN_TEST_VALUE": "42"]))
        #expect(result.stdoutText.hasPrefix("42:/"))
    }

    @Test func inputNeverAppearsInTheDescription() {
        let command = Command("cryptsetup", ["luksFormat", "--key-file=-", "/dev/vda2"], input: Array("hunter2".utf8))
        #expect(!command.description.contains("hunter2"))
        #expect(command.description == "cryptsetup luksFormat --key-file=- /dev/vda2")
        #expect(Command("echo", ["two words", "it's"]).description == "echo 'two words' 'it'\\''s'")
    }
}

@Suite struct RecordingRunnerTests {
    @Test func recordsInOrderAndAnswersFromItsScript() throws {
        let runner = RecordingRunner { command in
            command.executable == "false" ? CommandResult(status: 1, stderr: Array("no".utf8)) : CommandResult(status: 0)
        }
        _ = try runner.run(Command("mkfs.ext4", ["-L", "nixos", "/dev/vda2"]))
        #expect(throws: CommandError.self) { try runner.check(Command("false")) }
        #expect(runner.commands.map(\.executable) == ["mkfs.ext4", "false"])
        #expect(runner.commands[0].arguments == ["-L", "nixos", "/dev/vda2"])
    }
}

@Suite struct FilesTests {
    @Test func readsFilesWhoseSizeIsZeroLikeProcfs() throws {
        let text = Files.text("/proc/self/mountinfo")
        #expect(text?.contains(" - ") == true)
    }

    @Test func attributesAreTrimmedAndEmptyMeansAbsent() throws {
        let dir = try TemporaryDirectory()
        try Files.write(Array("  Samsung SSD 980 PRO  \n\0".utf8), to: dir.path + "/model")
        try Files.write([], to: dir.path + "/empty")
        #expect(Files.attribute(dir.path + "/model") == "Samsung SSD 980 PRO")
        #expect(Files.attribute(dir.path + "/empty") == nil)
        #expect(Files.attribute(dir.path + "/absent") == nil)
        #expect(Files.list(dir.path) == ["empty", "model"])
    }

    @Test func missingFileIsATypedError() {
        #expect(throws: SystemError.self) { try Files.read("/nonexistent/clan") }
    }
}
