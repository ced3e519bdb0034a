import Testing
import Probe
import Host
import TestSupport

/// Broken machines: unreadable attributes, devices vanishing mid-probe, garbage everywhere. The probe
/// reports what it could, says what it could not, and never crashes.
@Suite struct BadInputTests {
    /// A private copy of a fixture tree to damage.
    func copy(_ name: String) throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        try sh("cp", "-a", fixturesDirectory + "/trees/" + name, directory.path + "/root")
        return (directory, directory.path + "/root")
    }

    @Test func vanishedDeviceIsLeftOutAndSaid() throws {
        let (directory, root) = try copy("desktop")
        _ = directory
        // sdb's device directory disappears between listing /sys/block and reading it.
        let target = try #require(Files.resolve(root + "/sys/block/sdb"))
        try sh("rm", "-rf", target)
        let report = Prober.probe(.captured(root: root))
        #expect(!report.disks.contains { $0.name == "sdb" })
        #expect(report.disks.contains { $0.name == "sda" })
        #expect(report.problems.contains("sdb disappeared while it was being read"))
    }

    @Test func unreadableAndGarbageAttributes() throws {
        let (directory, root) = try copy("qemu-vm")
        _ = directory
        let vda = try #require(Files.resolve(root + "/sys/block/vda"))
        try Files.write(Array("lots\n".utf8), to: vda + "/size")
        // A directory where a file is expected cannot be read, even by root.
        let vdb = try #require(Files.resolve(root + "/sys/block/vdb"))
        try sh("rm", vdb + "/queue/rotational")
        try sh("mkdir", vdb + "/queue/rotational")
        try Files.write(Array("not a mountinfo line\n\n - - -\n".utf8), to: root + "/proc/self/mountinfo")
        try Files.write(Array("garbage\u{0}\u{1}\n".utf8), to: root + "/proc/cpuinfo")
        try sh("rm", root + "/proc/meminfo")
        try Files.write([0xff, 0xfe, 0x0a, 0x45, 0x3a], to: root + "/run/udev/data/b254:16")

        let report = Prober.probe(.captured(root: root))
        #expect(!report.disks.contains { $0.name == "vda" })
        #expect(report.problems.contains("vda: could not read its size; left out"))
        #expect(report.disks.first { $0.name == "vdb" }?.rotational == false)
        #expect(report.problems.contains("/proc/cpuinfo lists no processor: CPU details are unknown"))
        #expect(report.problems.contains("could not read the memory size from /proc/meminfo"))
        #expect(report.cpu.model == "unknown" && report.memoryBytes == 0)
        // The JSON of a damaged machine still round-trips.
        #expect(try MachineReport.decode(Array(report.json().utf8)) == report)
    }

    @Test func emptyTreeGivesAnEmptyReportWithReasons() throws {
        let directory = try TemporaryDirectory()
        try sh("mkdir", "-p", directory.path + "/sys", directory.path + "/proc")
        let report = Prober.probe(.captured(root: directory.path))
        #expect(report.disks.isEmpty && report.network.isEmpty && report.pci.isEmpty)
        #expect(report.problems.contains("could not read /proc/cpuinfo: CPU details are unknown"))
        #expect(report.problems.contains("could not read /proc/self/mountinfo: mount points are unknown"))
    }

    /// Every file of every fixture tree replaced by random bytes (a fixed seed, so a failure repeats).
    @Test(arguments: ["laptop", "desktop", "qemu-vm", "server"])
    func randomBytesEverywhereNeverCrash(_ name: String) throws {
        let (directory, root) = try copy(name)
        _ = directory
        var generator = SeededRandom(seed: UInt64(name.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }))
        let files = try sh("find", root, "-type", "f").split(separator: "\n").map(String.init)
        for (index, file) in files.enumerated() {
            // Keep some files well-formed but with extreme numbers: the arithmetic must not overflow.
            let bytes: [UInt8]
            if index % 3 == 0 {
                bytes = Array("18446744073709551615\n".utf8)
            } else {
                bytes = (0..<Int(generator.next() % 200)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            }
            try Files.write(bytes, to: file)
        }
        let report = Prober.probe(.captured(root: root))
        _ = report.json()
        _ = ReportText.render(report)
    }
}
