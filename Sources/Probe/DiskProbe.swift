import Host
import Blkid

/// Reads every block device that could be an install target or a source, with identities, partitions,
/// filesystems, mounts and holders.
struct DiskProbe {
    let sources: ProbeSources
    let mounts: [Mount]
    var problems: [String] = []

    init(sources: ProbeSources, mounts: [Mount]) {
        self.sources = sources
        self.mounts = mounts
    }

    /// Kernel names that never hold an installable disk: RAM disks, swap-in-RAM, floppies, and the
    /// stacked devices (dm, md) that appear as holders of real disks instead.
    private static let stackedOrVirtual = ["ram", "zram", "dm-", "md", "fd", "nbd"]

    mutating func disks() -> [Disk] {
        Files.list(sources.sys + "/block").compactMap { name in
            if Self.stackedOrVirtual.contains(where: { name.hasPrefix($0) }) { return nil }
            return disk(named: name)
        }
    }

    private mutating func disk(named name: String) -> Disk? {
        let link = sources.sys + "/block/" + name
        guard let dir = Files.resolve(link) else {
            problems.append("\(name) disappeared while it was being read")
            return nil
        }
        guard let sizeBytes = Self.sectorBytes(Files.attribute(dir + "/size")) else {
            problems.append("\(name): could not read its size; left out")
            return nil
        }
        let backingFile = Files.attribute(dir + "/loop/backing_file")
        // Detached loop devices and empty optical drives report size 0: nothing to install to or from.
        if sizeBytes == 0 { return nil }
        if name.hasPrefix("loop") && backingFile == nil { return nil }

        let devnum = Files.attribute(dir + "/dev")
        let udev = sources.udevRecord(sysPath: dir, devnum: devnum)
        // An optical drive without a disc still reports a placeholder size; udev knows better.
        if name.hasPrefix("sr"), let udev, udev.hasDatabaseEntry, udev["ID_CDROM_MEDIA"] != "1" { return nil }
        let transport = Self.transport(name: name, sysPath: dir)
        let identity = DiskIdentity(name: name, sysPath: dir, transport: transport, udev: udev)
        // The partition nodes the kernel made, by partition number (none where it parses no table).
        var kernelPartitions: [Int: String] = [:]
        for child in Files.list(dir) {
            if let number = Files.attribute(dir + "/" + child + "/partition").flatMap({ Int($0) }) { kernelPartitions[number] = child }
        }
        var content = readContent(name: name, udev: udev, kernelPartitions: kernelPartitions.mapValues { dir + "/" + $0 })

        var partitions = content.entries.map { entry -> Partition in
            let partName = kernelPartitions[entry.number]
                ?? DiskIdentity.partitionName(disk: name, number: entry.number)
            let partDir = dir + "/" + partName
            let partDevnum = Files.attribute(partDir + "/dev")
            return Partition(number: entry.number, name: partName, path: "/dev/" + partName,
                             startBytes: entry.offset, sizeBytes: entry.size, type: entry.type,
                             partLabel: entry.name, partUUID: entry.uuid,
                             byId: identity.byId.map { "\($0)-part\(entry.number)" },
                             filesystem: content.filesystems[entry.number],
                             efiDirectories: nil, bootLoaderEntries: nil,
                             mountPoints: mountPoints(of: partDevnum), holders: holders(in: partDir))
        }
        content.problems.forEach { problems.append("\(name): \($0)") }
        if sources.readsDeviceNodes {
            for index in partitions.indices where DiskDescription.isEFISystemPartition(partitions[index]) {
                readBootFiles(of: &partitions[index], onDisk: sources.dev + "/" + name)
            }
        }

        let logical = Files.attribute(dir + "/queue/logical_block_size").flatMap { Int($0) } ?? 512
        var disk = Disk(
            name: name, path: "/dev/" + name, byId: identity.byId, model: identity.model, serial: identity.serial,
            wwn: identity.wwn, sizeBytes: sizeBytes, logicalSectorSize: logical,
            physicalSectorSize: Files.attribute(dir + "/queue/physical_block_size").flatMap { Int($0) } ?? logical,
            rotational: Files.attribute(dir + "/queue/rotational") == "1",
            removable: Files.attribute(dir + "/removable") == "1",
            readOnly: Files.attribute(dir + "/ro") == "1",
            transport: transport,
            kind: name.hasPrefix("sr") || Files.attribute(dir + "/device/type") == "5" ? "cdrom" : "disk",
            backingFile: backingFile, partitionTable: content.table, filesystem: content.wholeDisk,
            partitions: partitions, mountPoints: mountPoints(of: devnum), holders: holders(in: dir),
            bootMediumReason: nil, description: "")
        disk.description = DiskDescription.describe(disk, contentKnown: content.known)
        return disk
    }

    /// Lists `/EFI` and systemd-boot's `/loader/entries` on an ESP straight from the disk, unmounted.
    private func readBootFiles(of partition: inout Partition, onDisk node: String) {
        let start = partition.startBytes, size = partition.sizeBytes
        let fat = FATDirectory { offset, count in
            guard offset < size else { return nil }
            return try? Files.read(node, offset: start + offset, count: Int(min(UInt64(count), size - offset)))
        }
        guard let fat else { return }
        partition.efiDirectories = fat.list(["EFI"])?.filter(\.isDirectory).map(\.name).sorted()
        partition.bootLoaderEntries = fat.list(["loader", "entries"])?.filter { !$0.isDirectory }.map(\.name).sorted()
    }

    // MARK: Content: partition table and filesystems

    private struct Content {
        var known = false
        var table: PartitionTable?
        var wholeDisk: Filesystem?
        var entries: [BlockSignature.Entry] = []
        var filesystems: [Int: Filesystem] = [:]
        var problems: [String] = []
    }

    /// Reads the table and signatures from the device itself when allowed (fresh, and works without
    /// udev or a kernel partition parser), else from udev's database, else from sysfs alone.
    private func readContent(name: String, udev: UdevRecord?, kernelPartitions: [Int: String]) -> Content {
        var content = Content()
        if sources.readsDeviceNodes {
            let node = sources.dev + "/" + name
            do {
                let signature = try Blkid.probe(node)
                content.known = true
                content.wholeDisk = signature.superblock.map(Filesystem.init)
                if let table = signature.table {
                    content.table = PartitionTable(type: table.type, uuid: table.uuid)
                    content.entries = table.entries
                    // Read inside the whole disk at each partition's offset: works even where the kernel made
                    // no partition nodes (no GPT parser, as on this project's CI hosts).
                    content.filesystems = signature.filesystems.mapValues(Filesystem.init)
                }
                return content
            } catch {
                content.problems.append("could not read the device (\(error.message))"
                    + (udev?.hasDatabaseEntry == true ? "; using what udev recorded" : "; its contents are unknown"))
            }
        }
        if let udev, udev.hasDatabaseEntry {
            content.known = true
            content.wholeDisk = udev["ID_PART_TABLE_TYPE"] == nil || udev["ID_FS_TYPE"] == "iso9660" ? udev.filesystem : nil
            content.table = udev["ID_PART_TABLE_TYPE"].map { PartitionTable(type: $0, uuid: udev["ID_PART_TABLE_UUID"]) }
        }
        for (number, dir) in kernelPartitions.sorted(by: { $0.key < $1.key }) {
            let record = sources.udevRecord(sysPath: dir, devnum: Files.attribute(dir + "/dev"))
            let start = Self.sectorBytes(Files.attribute(dir + "/start")) ?? 0
            let size = Self.sectorBytes(Files.attribute(dir + "/size")) ?? 0
            let kernelName = Self.ueventValue(dir, "PARTNAME")
            content.entries.append(.init(
                number: number, offset: start, size: size,
                type: record?["ID_PART_ENTRY_TYPE"],
                name: record?["ID_PART_ENTRY_NAME"].map(UdevRecord.unescape) ?? kernelName,
                uuid: record?["ID_PART_ENTRY_UUID"]))
            if let filesystem = record?.filesystem { content.filesystems[number] = filesystem }
        }
        if udev == nil && !content.entries.isEmpty {
            content.problems.append("no udev data: partition types and filesystems are unknown")
        }
        return content
    }

    /// sysfs counts sizes and offsets in 512-byte sectors whatever the disk's sector size; nil when the
    /// value is not a number or too large to be a real disk.
    static func sectorBytes(_ text: String?) -> UInt64? {
        guard let sectors = text.flatMap({ UInt64($0) }) else { return nil }
        let (bytes, overflow) = sectors.multipliedReportingOverflow(by: 512)
        return overflow ? nil : bytes
    }

    static func ueventValue(_ dir: String, _ key: String) -> String? {
        Files.text(dir + "/uevent")?.split(separator: "\n")
            .first { $0.hasPrefix(key + "=") }
            .map { String($0.dropFirst(key.count + 1)) }
            .flatMap { $0.isEmpty ? nil : $0 }
    }

    // MARK: Mounts and holders

    private func mountPoints(of devnum: String?) -> [String] {
        guard let devnum else { return [] }
        return mounts.filter { $0.devnum == devnum }.map(\.mountPoint)
    }

    /// The devices stacked on `dir` (an open LUKS mapping, LVM, RAID), with what they hold and where
    /// anything on top of them is mounted.
    private func holders(in dir: String) -> [Holder] {
        Files.list(dir + "/holders").compactMap { name in
            guard let holderDir = Files.resolve(sources.sys + "/class/block/" + name) ?? Files.resolve(dir + "/holders/" + name) else {
                return nil
            }
            let devnum = Files.attribute(holderDir + "/dev")
            let kind: Holder.Kind
            var detail: String?
            if name.hasPrefix("md") {
                kind = .raid
                detail = Files.attribute(holderDir + "/md/level")
            } else if let uuid = Files.attribute(holderDir + "/dm/uuid") {
                kind = uuid.hasPrefix("CRYPT-") ? .luks : uuid.hasPrefix("LVM-") ? .lvm : uuid.hasPrefix("mpath-") ? .multipath : .deviceMapper
                detail = Files.attribute(holderDir + "/dm/name")
            } else {
                kind = name.hasPrefix("dm-") ? .deviceMapper : .other
                detail = Files.attribute(holderDir + "/dm/name")
            }
            var filesystem = sources.udevRecord(sysPath: holderDir, devnum: devnum)?.filesystem
            if filesystem == nil, sources.readsDeviceNodes {
                filesystem = (try? Blkid.probe(sources.dev + "/" + name))?.superblock.map(Filesystem.init)
            }
            let stacked = holders(in: holderDir).flatMap(\.mountPoints)
            return Holder(name: name, kind: kind, detail: detail, filesystem: filesystem,
                          mountPoints: mountPoints(of: devnum) + stacked)
        }
    }

    // MARK: Transport

    /// How the disk is attached, read from where it sits in the sysfs device tree.
    static func transport(name: String, sysPath: String) -> Disk.Transport {
        if name.hasPrefix("loop") { return .loop }
        let parts = sysPath.split(separator: "/")
        let has = { (prefix: String) in parts.contains { $0.hasPrefix(prefix) && $0.dropFirst(prefix.count).allSatisfy(\.isNumber) } }
        if has("usb") { return .usb }
        if parts.contains("nvme") || name.hasPrefix("nvme") { return .nvme }
        if has("ata") { return .sata }
        if parts.contains("mmc_host") || name.hasPrefix("mmcblk") { return .mmc }
        if has("host") { return .scsi }
        if has("virtio") { return .virtio }
        return .unknown
    }
}

extension Filesystem {
    init(_ superblock: BlockSignature.Superblock) {
        self.init(type: superblock.type, label: superblock.label, uuid: superblock.uuid, version: superblock.version, usage: superblock.usage)
    }
}
