import Testing
import Probe
import Parted
import Host
import TestSupport

/// The prober on this machine, against loop devices the tests build with real tools: libparted tables,
/// mkfs.vfat / mkfs.ext4 / mkfs.btrfs, a LUKS2 header from cryptsetup, a real mount. Every field the
/// report carries for those disks is checked against what the test made. Needs root.
@Suite(.serialized) struct LiveProbeTests {
    static let mib: UInt64 = 1 << 20

    func probedDisk(_ image: DiskImage) throws -> Disk {
        let report = Prober.probe(.live())
        return try #require(report.disks.first { $0.name == image.loopName }, "loop device missing from \(report.disks.map(\.name))")
    }

    @Test func gptDiskWithEspRootAndLuks() throws {
        let image = try DiskImage(megabytes: 160)
        try Parted.writeTable(image.path, type: .gpt, partitions: [
            .init(name: "disk-main-ESP", start: Self.mib, size: 40 * Self.mib, flags: [.esp]),
            .init(name: "disk-main-root", start: 41 * Self.mib, size: 80 * Self.mib),
            .init(name: "disk-main-luks", start: 121 * Self.mib, size: 38 * Self.mib),
        ])
        try image.attach(addPartitionNodes: true)
        try sh("mkfs.vfat", "-n", "ESP", image.partition(1))
        try sh("mkfs.ext4", "-q", "-L", "nixos", image.partition(2))
        // The passphrase goes through stdin, as the installer will do it.
        try sh("cryptsetup", "luksFormat", "--type", "luks2", "--batch-mode", "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000",
               "--key-file=-", image.partition(3), input: "correct horse")
        let rootUUID = try sh("blkid", "-p", "-o", "value", "-s", "UUID", image.partition(2))
        let tableUUID = try sh("blkid", "-p", "-o", "value", "-s", "PTUUID", image.loopDevice!)

        let disk = try probedDisk(image)
        #expect(disk.path == image.loopDevice)
        #expect(disk.transport == .loop)
        #expect(disk.backingFile == image.path)
        #expect(disk.sizeBytes == 160 * Self.mib)
        #expect(disk.logicalSectorSize == 512)
        #expect(disk.readOnly == false)
        #expect(disk.partitionTable == PartitionTable(type: "gpt", uuid: tableUUID))
        #expect(disk.partitions.map(\.number) == [1, 2, 3])
        #expect(disk.partitions.map(\.name) == [1, 2, 3].map { image.loopName! + "p\($0)" })
        #expect(disk.partitions.map(\.path) == [1, 2, 3].map(image.partition))
        #expect(disk.partitions.map(\.startBytes) == [1, 41, 121].map { $0 * Self.mib })
        #expect(disk.partitions.map(\.sizeBytes) == [40, 80, 38].map { $0 * Self.mib })
        #expect(disk.partitions.map(\.partLabel) == ["disk-main-ESP", "disk-main-root", "disk-main-luks"])
        #expect(disk.partitions[0].type == "c12a7328-f81f-11d2-ba4b-00a0c93ec93b")
        #expect(disk.partitions[0].filesystem?.type == "vfat")
        #expect(disk.partitions[0].filesystem?.label == "ESP")
        #expect(disk.partitions[1].filesystem == Filesystem(type: "ext4", label: "nixos", uuid: rootUUID, version: "1.0", usage: "filesystem"))
        #expect(disk.partitions[2].filesystem?.type == "crypto_LUKS")
        #expect(disk.partitions[2].filesystem?.version == "2")
        #expect(disk.partitions.allSatisfy { $0.partUUID?.count == 36 })
        #expect(disk.description == "Linux ext4 labelled nixos (84 MB), encrypted (LUKS2, 40 MB)")
        #expect(!disk.isInUse)
        #expect(!disk.isBootMedium)
    }

    @Test func mbrDiskWithExt4AndBtrfsWithoutPartitionNodes() throws {
        let image = try DiskImage(megabytes: 400)
        try Parted.writeTable(image.path, type: .msdos, partitions: [
            .init(start: Self.mib, size: 100 * Self.mib),
            .init(start: 101 * Self.mib, size: 298 * Self.mib),
        ])
        try sh("mkfs.ext4", "-q", "-L", "home", "-E", "offset=\(Self.mib)", image.path, "\(100 * 1024)k")
        // mkfs.btrfs has no offset option: build it in a separate file and copy it into place.
        let btrfs = image.directory.path + "/btrfs.img"
        try sh("truncate", "-s", "298M", btrfs)
        try sh("mkfs.btrfs", "-q", "-L", "data", btrfs)
        try sh("dd", "if=\(btrfs)", "of=\(image.path)", "bs=1M", "seek=101", "conv=notrunc,sparse", "status=none")
        // No partition nodes: the host kernel does not parse the table, the prober reads it itself.
        try image.attach()

        let disk = try probedDisk(image)
        #expect(disk.partitionTable?.type == "dos")
        #expect(disk.partitions.map(\.type) == ["0x83", "0x83"])
        #expect(disk.partitions.map(\.partLabel) == [nil, nil])
        #expect(disk.partitions.map { $0.filesystem?.type } == ["ext4", "btrfs"])
        #expect(disk.partitions.map { $0.filesystem?.label } == ["home", "data"])
        #expect(disk.description == "Linux ext4 labelled home (105 MB), Linux btrfs labelled data (312 MB)")
    }

    @Test func mountedFilesystemMakesTheDiskInUse() throws {
        let image = try DiskImage(megabytes: 64)
        try sh("mkfs.ext4", "-q", "-L", "olddata", image.path)
        let device = try image.attach()
        let target = try image.mount(device, options: ["-o", "ro"])

        let disk = try probedDisk(image)
        #expect(disk.partitionTable == nil)
        #expect(disk.filesystem?.type == "ext4")
        #expect(disk.filesystem?.label == "olddata")
        #expect(disk.mountPoints == [target])
        #expect(disk.isInUse)
        #expect(disk.description == "Linux ext4 labelled olddata (67 MB)")
    }

    @Test func blankDiskIsEmpty() throws {
        let image = try DiskImage(megabytes: 32)
        try image.attach()
        let disk = try probedDisk(image)
        #expect(disk.description == "empty")
        #expect(disk.partitions.isEmpty && disk.filesystem == nil && disk.partitionTable == nil)
    }

    @Test func readOnlyLoopDeviceIsReportedReadOnly() throws {
        let image = try DiskImage(megabytes: 16)
        let device = try sh("losetup", "--find", "--show", "--read-only", image.path)
        defer { _ = try? sh("losetup", "-d", device) }
        let report = Prober.probe(.live())
        let disk = try #require(report.disks.first { $0.path == device })
        #expect(disk.readOnly)
    }

    @Test func wholeMachineFieldsAreFilled() throws {
        let report = Prober.probe(.live())
        #expect(report.cpu.threads >= 1)
        #expect(report.memoryBytes > 1 << 28)
        #expect(!report.kernelCommandLine.isEmpty)
        // The disk holding this system's root filesystem is the boot medium: never a target.
        #expect(report.disks.contains { $0.bootMediumReason == "holds / of the running system" })
        #expect(report.network.contains { $0.mac?.count == 17 })
        #expect(!report.pci.isEmpty)
        // The saved form replays exactly.
        #expect(try MachineReport.decode(Array(report.json().utf8)) == report)
    }
}

extension LiveProbeTests {
    /// An ESP that boots Windows and Ubuntu beside an encrypted root: the ESP, read unmounted, is what
    /// tells the person which systems they would erase.
    @Test func espContentsNameTheSystemsItBoots() throws {
        let image = try DiskImage(megabytes: 128)
        try Parted.writeTable(image.path, type: .gpt, partitions: [
            .init(name: "EFI system partition", start: Self.mib, size: 40 * Self.mib, flags: [.esp]),
            .init(name: "root", start: 41 * Self.mib, size: 80 * Self.mib),
        ])
        try image.attach(addPartitionNodes: true)
        try sh("mkfs.vfat", "-F", "32", image.partition(1))
        for directory in ["/EFI", "/EFI/Microsoft", "/EFI/ubuntu", "/EFI/BOOT"] { try sh("mmd", "-i", image.partition(1), "::" + directory) }
        try sh("cryptsetup", "luksFormat", "--type", "luks2", "--batch-mode", "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000",
               "--key-file=-", image.partition(2), input: "correct horse")

        let disk = try probedDisk(image)
        #expect(disk.partitions[0].efiDirectories == ["BOOT", "Microsoft", "ubuntu"])
        #expect(disk.partitions[0].bootLoaderEntries == nil)
        #expect(disk.description == "encrypted (LUKS2, 84 MB), boot loader for Windows and Ubuntu")
    }
}
