import Testing
import Probe
import Host
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The prober against captured machine trees (Tests/Fixtures/trees, sysfs/procfs/udev laid out as real
/// kernels and udev write them). Each probe must equal the saved report in Tests/Fixtures/machines,
/// which the planner, config generator and guided UI tests load; the field checks below say what the
/// saved reports must be right about, so a regenerated golden file cannot quietly enshrine a bug.
/// Regenerate the saved reports with: CLAN_UPDATE_FIXTURES=1 swift test --filter FixtureMachineTests
@Suite struct FixtureMachineTests {
    static func probe(_ name: String) -> MachineReport {
        Prober.probe(.captured(root: fixturesDirectory + "/trees/" + name))
    }

    @Test(arguments: ["laptop", "desktop", "qemu-vm", "server"])
    func probeEqualsTheSavedReport(_ name: String) throws {
        let report = Self.probe(name)
        let path = fixturesDirectory + "/machines/\(name).json"
        if Environment.value("CLAN_UPDATE_FIXTURES") == "1" { try Files.write(Array(report.json().utf8), to: path) }
        let saved = try Files.read(path)
        #expect(report.json() == String(decoding: saved, as: UTF8.self))
        // The saved form decodes to the same value and re-encodes to the same bytes.
        let decoded = try MachineReport.decode(saved)
        #expect(decoded == report)
        #expect(Array(decoded.json().utf8) == saved)
        #expect(report.problems.isEmpty, "\(report.problems)")
    }

    @Test func laptopWithWindowsNvmeBootedFromUsbStick() throws {
        let report = Self.probe("laptop")
        #expect(report.firmware.mode == .uefi && report.firmware.secureBoot == true && report.firmware.efiVariablesWritable == true)
        #expect(report.cpu.vendor == "intel" && report.cpu.microcode == "intel" && report.cpu.virtualizationFlag == "vmx")
        #expect(report.cpu.cores == 4 && report.cpu.threads == 8 && report.cpu.sockets == 1)
        #expect(report.virtualization == "none")
        #expect(report.system.serial == nil && report.system.uuid == nil, "serials only with --include-serials")

        let nvme = try #require(report.disks.first { $0.name == "nvme0n1" })
        #expect(nvme.transport == .nvme && !nvme.removable && !nvme.rotational)
        #expect(nvme.model == "Samsung SSD 980 PRO 512GB")
        #expect(nvme.serial == "S5GXNX0T412345")
        #expect(nvme.wwn == "eui.002538b411a12345")
        #expect(nvme.byId.contains("nvme-Samsung_SSD_980_PRO_512GB_S5GXNX0T412345"))
        #expect(nvme.partitionTable?.type == "gpt")
        #expect(nvme.partitions.map(\.name) == ["nvme0n1p1", "nvme0n1p2", "nvme0n1p3", "nvme0n1p4"])
        #expect(nvme.partitions[0].type == "c12a7328-f81f-11d2-ba4b-00a0c93ec93b")
        #expect(nvme.partitions[0].partLabel == "EFI system partition")
        #expect(nvme.partitions[2].filesystem?.label == "Windows")
        #expect(nvme.description.hasPrefix("Windows (NTFS, "))
        #expect(!nvme.isBootMedium && !nvme.isInUse)

        let stick = try #require(report.disks.first { $0.name == "sda" })
        #expect(stick.transport == .usb && stick.removable)
        #expect(stick.isBootMedium)
        #expect(stick.mountPoints == ["/iso"])
        #expect(stick.description == "NixOS installer (nixos-minimal-25.11-x86_64)")
        // The squashfs loop device backed by a file on the stick is a boot medium too.
        #expect(report.disks.first { $0.transport == .loop }?.isBootMedium == true)
        #expect(Set(report.bootMedia.map(\.name)) == ["sda", "loop0"])

        let wifi = try #require(report.network.first { $0.wireless })
        #expect(wifi.name == "wlp0s20f3" && wifi.driver == "iwlwifi" && wifi.bus == "pci")
        let usbEthernet = try #require(report.network.first { $0.name == "enx00e04c680001" })
        #expect(usbEthernet.bus == "usb" && usbEthernet.driver == "r8152" && usbEthernet.carrier == false)
        #expect(report.pci.contains { $0.classCode == "010802" && $0.driver == "nvme" && $0.className == "NVMe controller" })
        #expect(report.usb.contains { $0.interfaces.contains { $0.interfaceClass == "08" && $0.driver == "usb-storage" } })
        #expect(report.usb.contains { $0.interfaces.contains { $0.interfaceClass == "03" && $0.driver == "usbhid" } })
    }

    @Test func desktopWithWindowsSsdAndDataHddBootedOverTheNetwork() throws {
        let report = Self.probe("desktop")
        #expect(report.firmware.mode == .bios && report.firmware.secureBoot == nil)
        #expect(report.cpu.vendor == "amd" && report.cpu.virtualizationFlag == "svm" && report.cpu.cores == 8 && report.cpu.threads == 16)
        let ssd = try #require(report.disks.first { $0.name == "sda" })
        #expect(ssd.transport == .sata && !ssd.rotational)
        #expect(ssd.wwn?.hasPrefix("0x") == true)
        #expect(ssd.byId.contains { $0.hasPrefix("ata-Samsung_SSD_870_EVO_500GB_") })
        #expect(ssd.byId.contains("wwn-" + ssd.wwn!))
        #expect(ssd.partitionTable?.type == "dos")
        #expect(ssd.description.hasPrefix("Windows (NTFS, "))
        let hdd = try #require(report.disks.first { $0.name == "sdb" })
        #expect(hdd.rotational && hdd.sizeBytes > 1_900_000_000_000)
        #expect(hdd.description == "Linux ext4 labelled data (2 TB)")
        // The DVD drive has no disc in it: nothing to offer, however large its placeholder size.
        #expect(!report.disks.contains { $0.name == "sr0" })
        // Network boot: no disk holds the running system (only the squashfs loop in RAM).
        #expect(report.bootMedia.allSatisfy { $0.transport == .loop })
        #expect(report.kernelCommandLine.contains("clan.profile="))
    }

    @Test func qemuVirtualMachineWithVirtioDisks() throws {
        let report = Self.probe("qemu-vm")
        #expect(report.virtualization == "qemu")
        #expect(report.firmware.mode == .bios)
        let vda = try #require(report.disks.first { $0.name == "vda" })
        #expect(vda.transport == .virtio && vda.serial == "CLANTEST01" && vda.byId.contains("virtio-CLANTEST01"))
        #expect(vda.description == "empty")
        let vdb = try #require(report.disks.first { $0.name == "vdb" })
        #expect(vdb.filesystem?.type == "ext4" && vdb.partitions.isEmpty)
        #expect(vdb.description.hasPrefix("Linux ext4 labelled olddata"))
        let cdrom = try #require(report.disks.first { $0.name == "sr0" })
        #expect(cdrom.kind == "cdrom" && cdrom.isBootMedium)
        #expect(report.network.first?.driver == "virtio_net")
        #expect(report.pci.contains { $0.vendorId == "1af4" })
    }

    @Test func qemuVirtualMachineUnderKvmByCpuid() {
        let report = Prober.probe(.captured(root: fixturesDirectory + "/trees/qemu-vm", cpuidHypervisor: "KVMKVMKVM"))
        #expect(report.virtualization == "kvm")
    }

    @Test func serverWithRaidAndOpenLuks() throws {
        let report = Self.probe("server")
        #expect(report.cpu.sockets == 2 && report.cpu.cores == 16 && report.cpu.threads == 32)
        #expect(report.firmware.secureBoot == false)
        for name in ["nvme0n1", "nvme1n1"] {
            let disk = try #require(report.disks.first { $0.name == name })
            let member = try #require(disk.partitions.last)
            #expect(member.filesystem?.type == "linux_raid_member")
            #expect(member.holders.map(\.name) == ["md127"])
            #expect(member.holders.first?.kind == .raid && member.holders.first?.detail == "raid1")
            #expect(member.holders.first?.mountPoints == ["/srv"])
            #expect(disk.isInUse)
        }
        let ssd = try #require(report.disks.first { $0.name == "sda" })
        let luks = try #require(ssd.partitions.last?.holders.first)
        #expect(luks.kind == .luks && luks.detail == "cryptroot" && luks.mountPoints == ["/mnt/old"])
        #expect(luks.filesystem?.type == "ext4")
        #expect(ssd.description.contains("encrypted (LUKS2"))
        #expect(ssd.isInUse && !ssd.isBootMedium)
        #expect(report.network.map(\.name) == ["eno1", "eno2"])
    }

    @Test func serialsOnlyWhenAskedFor() {
        let root = fixturesDirectory + "/trees/server"
        let withSerials = Prober.probe(.captured(root: root), options: ProbeOptions(includeSerials: true))
        #expect(withSerials.system.serial != nil)
        #expect(withSerials.system.uuid != nil)
        #expect(Self.probe("server").system.serial == nil)
    }
}

enum Environment {
    static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
