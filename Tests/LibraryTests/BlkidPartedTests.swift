import Testing
import Blkid
import Parted
import Host
import TestSupport

/// libparted and libblkid against real image files and real mkfs: no loop device needed, which is
/// exactly how the engine will prepare VM images.
@Suite struct BlkidPartedTests {
    static let mib: UInt64 = 1 << 20

    @Test func gptWrittenByPartedIsReadBackByBothLibraries() throws {
        let image = try DiskImage(megabytes: 128)
        try Parted.writeTable(image.path, type: .gpt, partitions: [
            .init(name: "disk-main-ESP", start: Self.mib, size: 32 * Self.mib, flags: [.esp]),
            .init(name: "disk-main-root", start: 33 * Self.mib, size: 64 * Self.mib),
            .init(name: "disk-main-swap", start: 97 * Self.mib, size: 16 * Self.mib, flags: [.swap]),
        ])
        let table = try Parted.readTable(image.path)
        #expect(table.type == "gpt")
        #expect(table.partitions.map(\.name) == ["disk-main-ESP", "disk-main-root", "disk-main-swap"])
        #expect(table.partitions.map(\.start) == [Self.mib, 33 * Self.mib, 97 * Self.mib])
        #expect(table.partitions[0].flags.contains(.esp))

        let signature = try Blkid.probe(image.path)
        let entries = try #require(signature.table).entries
        #expect(signature.table?.type == "gpt")
        #expect(entries.map(\.name) == ["disk-main-ESP", "disk-main-root", "disk-main-swap"])
        #expect(entries.map(\.size) == [32 * Self.mib, 64 * Self.mib, 16 * Self.mib])
        #expect(entries[0].type == "c12a7328-f81f-11d2-ba4b-00a0c93ec93b")
        #expect(entries[1].type == "0fc63daf-8483-4772-8e79-3d69d8477de4")
        #expect(entries[2].type == "0657fd6d-a4ab-43c4-84e5-0933c84b4f4f")
        // The table UUID libblkid reports is the one sgdisk (an independent reader) sees.
        let sgdisk = try sh("sgdisk", "-p", image.path)
        #expect(sgdisk.lowercased().contains(try #require(signature.table?.uuid).lowercased()))
    }

    @Test func msdosTableCarriesTypesButNoNames() throws {
        let image = try DiskImage(megabytes: 64)
        try Parted.writeTable(image.path, type: .msdos, partitions: [.init(name: "ignored", start: Self.mib, size: 32 * Self.mib, flags: [.boot])])
        let signature = try Blkid.probe(image.path)
        #expect(signature.table?.type == "dos")
        #expect(signature.table?.entries.first?.type == "0x83")
        #expect(signature.table?.entries.first?.name == nil)
        #expect(try Parted.readTable(image.path).partitions.first?.flags == [.boot])
    }

    @Test func filesystemsAreFoundAtTheirOffsetInsideTheDisk() throws {
        let image = try DiskImage(megabytes: 96)
        try Parted.writeTable(image.path, type: .gpt, partitions: [
            .init(name: "esp", start: Self.mib, size: 33 * Self.mib, flags: [.esp]),
            .init(name: "root", start: 34 * Self.mib, size: 60 * Self.mib),
        ])
        // mkfs straight into the image at each partition's offset, so no partition node is needed.
        try sh("mkfs.vfat", "-n", "BOOT", "--offset", "\(2048)", image.path, "\(33 * 1024)")
        try sh("mkfs.ext4", "-q", "-L", "nixos", "-E", "offset=\(34 * Self.mib)", image.path, "\(60 * 1024)k")
        let esp = try Blkid.probe(image.path, offset: Self.mib, size: 33 * Self.mib).superblock
        let root = try Blkid.probe(image.path, offset: 34 * Self.mib, size: 60 * Self.mib).superblock
        #expect(esp?.type == "vfat")
        #expect(esp?.label == "BOOT")
        #expect(root?.type == "ext4")
        #expect(root?.label == "nixos")
        #expect(root?.usage == "filesystem")
    }

    @Test func wipeRemovesEverySignature() throws {
        let image = try DiskImage(megabytes: 64)
        try sh("mkfs.ext4", "-q", "-L", "old", image.path)
        #expect(try Blkid.probe(image.path).superblock?.type == "ext4")
        try Blkid.wipeSignatures(image.path)
        let after = try Blkid.probe(image.path)
        #expect(after.superblock == nil && after.table == nil)
    }

    @Test func missingDeviceIsATypedError() {
        #expect(throws: BlkidError.self) { try Blkid.probe("/nonexistent/disk.img") }
        #expect(throws: Parted.Error.self) { try Parted.readTable("/nonexistent/disk.img") }
    }

    @Test func misalignedPartitionIsRefusedWithAReason() throws {
        let image = try DiskImage(megabytes: 16)
        #expect {
            try Parted.writeTable(image.path, type: .gpt, partitions: [.init(name: "bad", start: 1000, size: 4096)])
        } throws: { error in
            (error as? Parted.Error)?.message.contains("not aligned") == true
        }
    }
}
