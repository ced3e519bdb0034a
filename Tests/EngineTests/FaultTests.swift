import Testing
import Engine
import Plan
import Probe
import Profile
import Blkid
import Host
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Failures on purpose: each ends with a plain reason, nothing lost anywhere but on the target, and a
/// rerun (or --resume) that succeeds.
extension EngineSuites {
@Suite struct FaultTests {
    /// What any write would change: the checksum of the first 64 MiB (tables, superblocks, the ESP) and
    /// the blocks the sparse image has allocated (a write anywhere allocates some).
    func fingerprint(_ path: String) throws -> String {
        try sh("sh", "-c", "head -c 67108864 '\(path)' | sha256sum; stat -c %b '\(path)'")
    }

    @Test func failedNixosInstallThenResumeSkipsTheDestructiveSteps() throws {
        let rig = try InstallRig()
        try rig.nixosInstall("fail")
        guard case .failed(let step, let reason) = try rig.run() else { Issue.record("should fail"); return }
        #expect(step == "nixos-install")
        #expect(reason.contains("nixos-install failed: `nixos-install --root"))
        #expect(reason.contains("builder for '/nix/store/x-broken.drv' failed"))
        #expect(rig.log.contains("  | error: builder for '/nix/store/x-broken.drv' failed with exit code 1"))
        let journal = try #require(Journal.load(rig.options.stateDirectory + "/journal.json"))
        #expect(journal.stoppedAt == "nixos-install")
        #expect(journal.finishedSteps.contains("format") && !journal.finishedSteps.contains("nixos-install"))

        try rig.nixosInstall(nil)
        #expect(try rig.run(resume: true) == .succeeded)
        for step in ["wipe", "partition", "format"] { #expect(rig.log.contains("skip \(step): finished earlier")) }
        #expect(rig.nixosInstallCalls.count == 2)
    }

    @Test func unverifiableInstallFailsAndKeepsTheTargetMountedForAHelper() throws {
        let rig = try InstallRig()
        try rig.nixosInstall("no-loader")
        guard case .failed(let step, let reason) = try rig.run() else { Issue.record("should fail"); return }
        #expect(step == "verify")
        #expect(reason.contains("the GRUB configuration (/boot/grub/grub.cfg) is missing"))
        #expect(reason.contains("the machine will not reboot"))
        #expect((Files.text("/proc/self/mountinfo") ?? "").contains(" \(rig.root) "))
        // A rerun clears our own leftovers first, then succeeds.
        try rig.nixosInstall(nil)
        #expect(try rig.run(resume: true) == .succeeded)
    }

    @Test func aDifferentPlanDoesNotResumeAnother() throws {
        let rig = try InstallRig()
        try rig.nixosInstall("fail")
        _ = try rig.run()
        rig.plan.hostname = "someone-else"
        guard case .failed(_, let reason) = try rig.run(resume: true) else { Issue.record("should refuse"); return }
        #expect(reason.contains("belongs to a different plan"))
        try rig.nixosInstall(nil)
        #expect(try rig.run(startOver: true) == .succeeded)
    }

    @Test func aSwappedDiskIsNeverWritten() throws {
        let rig = try InstallRig()
        try sh("mkfs.ext4", "-q", "-L", "precious", rig.image.loopDevice!)
        let before = try fingerprint(rig.image.path)
        rig.plan.target.serial = "SERIAL-OF-THE-PLANNED-DISK"
        guard case .failed(let step, let reason) = try rig.run() else { Issue.record("should refuse"); return }
        #expect(step == "check-target")
        #expect(reason.contains("is not the disk this plan was made for: it has serial none instead of SERIAL-OF-THE-PLANNED-DISK"))
        #expect(reason.contains("Nothing was written"))
        #expect(try fingerprint(rig.image.path) == before)
    }

    @Test func aBusyTargetIsNeverWritten() throws {
        let rig = try InstallRig()
        try sh("mkfs.ext4", "-q", "-L", "busy", rig.image.loopDevice!)
        let elsewhere = try rig.image.mount(rig.image.loopDevice!, options: ["-o", "ro"])
        let before = try fingerprint(rig.image.path)
        guard case .failed(let step, let reason) = try rig.run() else { Issue.record("should refuse"); return }
        #expect(step == "check-target")
        #expect(reason.contains("is in use (\(elsewhere))"))
        #expect(try fingerprint(rig.image.path) == before)
    }

    @Test func failingMkfsIsReportedThenARerunSucceeds() throws {
        let rig = try InstallRig()
        let broken = try TemporaryDirectory()
        try Files.write(Array("#!/bin/sh\necho 'mkfs.ext4: Device size reported to be zero' >&2\nexit 1\n".utf8), to: broken.path + "/mkfs.ext4", mode: 0o755)
        guard case .failed(let step, let reason) = try rig.run(tools: [broken.path, doubles]) else { Issue.record("should fail"); return }
        #expect(step == "format")
        #expect(reason == "formatting root as ext4 failed: `mkfs.ext4 -F -q -L nixos \(rig.image.partition(3))` exited with status 1 (mkfs.ext4: Device size reported to be zero).")
        #expect(try rig.run(resume: true) == .succeeded)
    }

    @Test func stopRequestMidStepKillsTheChildRecordsAndResumes() throws {
        let rig = try InstallRig()
        try rig.nixosInstall("slow")
        Interruption.reset()
        let started = Clock.monotonic()
        let stopper = try BackgroundProcess(Command("sh", ["-c", "sleep 1; kill -TERM \(getpid())"]))
        Interruption.installSignalHandlers()
        let outcome = try rig.run()
        stopper.stop()
        signal(SIGTERM, SIG_DFL)
        #expect(outcome == .interrupted(step: "nixos-install"))
        #expect(Clock.monotonic() - started < 2.9, "the 3-second child was stopped, not waited for")
        #expect(Journal.load(rig.options.stateDirectory + "/journal.json")?.stoppedAt == "nixos-install")
        #expect(!(Files.text("/proc/self/mountinfo") ?? "").contains(rig.root), "a stopped install unmounts")
        #expect(rig.events.events.last?.result == "INTERRUPTED")
        try rig.nixosInstall(nil)
        #expect(try rig.run(resume: true) == .succeeded)
    }
}
}

extension EngineSuites.FaultTests {
    @Test func someoneElsesMountUnderTheTargetRootIsLeftAlone() throws {
        let rig = try InstallRig()
        // A helper mounted a backup disk under /mnt before the install started.
        let backup = try DiskImage(megabytes: 64)
        try sh("mkfs.ext4", "-q", "-L", "backup", backup.path)
        let device = try backup.attach()
        try sh("mkdir", "-p", rig.root + "/backup")
        _ = try ProcessRunner().check(Command("mount", ["-o", "ro", device, rig.root + "/backup"]))
        defer { _ = try? sh("umount", rig.root + "/backup") }
        _ = try rig.run()
        #expect((Files.text("/proc/self/mountinfo") ?? "").contains(" \(rig.root)/backup "), "the helper's mount stays")
    }
}
