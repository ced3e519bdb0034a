import Testing
import Probe
import Host
import TestSupport

/// A busybox initramfs has no udev database: identities must then come from sysfs alone, with by-id
/// names derived the way udev would make them, and the report must say what it cannot know.
@Suite struct WithoutUdevTests {
    func probeWithoutUdev(_ name: String) throws -> (MachineReport, MachineReport) {
        let directory = try TemporaryDirectory()
        try sh("cp", "-a", fixturesDirectory + "/trees/" + name, directory.path + "/root")
        try sh("rm", "-rf", directory.path + "/root/run/udev")
        return (Prober.probe(.captured(root: directory.path + "/root")), Prober.probe(.captured(root: fixturesDirectory + "/trees/" + name)))
    }

    @Test(arguments: ["laptop", "qemu-vm", "server"])
    func derivedIdentitiesMatchUdevs(_ name: String) throws {
        let (derived, recorded) = try probeWithoutUdev(name)
        // SATA names differ by design (truncated model): see the next test.
        for disk in recorded.disks where ![.loop, .sata].contains(disk.transport) && disk.kind == "disk" {
            let twin = try #require(derived.disks.first { $0.name == disk.name })
            #expect(twin.serial == disk.serial)
            #expect(twin.wwn == disk.wwn)
            // udev adds extra NVMe aliases (`..._1` namespace suffixes); the main names must agree.
            #expect(Set(twin.byId).isSubset(of: Set(disk.byId)), "\(twin.byId) vs \(disk.byId)")
            #expect(!twin.byId.isEmpty)
        }
    }

    @Test func sataNamesUseTheModelSysfsHasAndWwnIsExact() throws {
        let (derived, _) = try probeWithoutUdev("desktop")
        let ssd = try #require(derived.disks.first { $0.name == "sda" })
        // SCSI emulation truncates ATA models to 16 characters; the WWN name is exact, so plans bind to it.
        #expect(ssd.byId == ["ata-Samsung_SSD_870_S62ANJ0R312456", "wwn-0x5002538f4131a2b3"])
        #expect(ssd.serial == "S62ANJ0R312456")
    }

    @Test func contentsAreSaidToBeUnknown() throws {
        let (derived, _) = try probeWithoutUdev("laptop")
        let nvme = try #require(derived.disks.first { $0.name == "nvme0n1" })
        #expect(nvme.partitions.count == 4)
        #expect(nvme.partitions[0].partLabel == "EFI system partition", "partition names come from the kernel's uevent")
        #expect(derived.problems.contains("nvme0n1: no udev data: partition types and filesystems are unknown"))
    }
}
