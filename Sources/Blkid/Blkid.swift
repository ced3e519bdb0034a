import CBlkid
#if canImport(Glibc)
import Glibc
#endif

/// What libblkid finds on a device or on a byte range of it: a filesystem (or LUKS, RAID member, swap)
/// signature and, for whole disks, the partition table.
public struct BlockSignature: Sendable, Equatable {
    /// A filesystem-like signature: `ext4`, `vfat`, `ntfs`, `crypto_LUKS`, `linux_raid_member`, `swap`...
    public struct Superblock: Sendable, Equatable {
        public var type: String
        public var label: String?
        public var uuid: String?
        public var version: String?
        /// `filesystem`, `crypto`, `raid`, `other`.
        public var usage: String?
    }

    public struct Table: Sendable, Equatable {
        /// `gpt` or `dos` (libblkid's names).
        public var type: String
        public var uuid: String?
        public var entries: [Entry]
    }

    /// One partition table entry. Offsets are in bytes from the start of the device.
    public struct Entry: Sendable, Equatable {
        public var number: Int
        public var offset: UInt64
        public var size: UInt64
        /// The GPT type GUID (lower case), or the MBR type as `0x83`.
        public var type: String?
        /// The GPT partition name (partlabel).
        public var name: String?
        /// The GPT partition UUID, or the MBR `<disk id>-<nn>` form.
        public var uuid: String?

        public init(number: Int, offset: UInt64, size: UInt64, type: String?, name: String?, uuid: String?) {
            self.number = number
            self.offset = offset
            self.size = size
            self.type = type
            self.name = name
            self.uuid = uuid
        }
    }

    public var superblock: Superblock?
    public var table: Table?
    /// The signature inside each partition of `table`, by partition number.
    public var filesystems: [Int: Superblock] = [:]
}

public struct BlkidError: Error, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}

/// The thin wrapper around libblkid. Every probe opens the device read-only.
public enum Blkid {
    /// Probes `path` (a block device or an image file), or the byte range `offset ..< offset+size` of it
    /// (size 0: to the end). From offset 0 it also reads the partition table and the signature inside
    /// every partition, all through one open descriptor and one probe (opening a block device costs
    /// several ioctls and sysfs look-ups inside libblkid each time).
    public static func probe(_ path: String, offset: UInt64 = 0, size: UInt64 = 0) throws(BlkidError) -> BlockSignature {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw BlkidError(path: path, message: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard let probe = blkid_new_probe() else { throw BlkidError(path: path, message: "out of memory") }
        defer { blkid_free_probe(probe) }
        try attach(probe, fd, path: path, offset: offset, size: size)
        var signature = BlockSignature()
        guard offset == 0 else {
            signature.superblock = try superblock(probe, path: path)
            return signature
        }
        signature.table = try readTable(probe, path: path)
        // A partitioned disk has no filesystem of its own, except ISO hybrid images, whose iso9660
        // superblock sits beside an MBR: skip the superblock probers for GPT disks.
        if signature.table?.type != "gpt" {
            blkid_reset_probe(probe)
            signature.superblock = try superblock(probe, path: path)
        }
        for entry in signature.table?.entries ?? [] where entry.size > 0 {
            try attach(probe, fd, path: path, offset: entry.offset, size: entry.size)
            // Most partitions hold what their type says: ask only those probers first (each prober costs
            // reads), and everything else only when they find nothing.
            if let likely = entry.type.flatMap({ likelyTypes[$0] }),
               let found = try? superblock(probe, path: path, only: likely) {
                signature.filesystems[entry.number] = found
                continue
            }
            signature.filesystems[entry.number] = try? superblock(probe, path: path)
        }
        return signature
    }

    /// What a partition of a given GPT type almost always holds.
    static let likelyTypes: [String: [String]] = [
        "c12a7328-f81f-11d2-ba4b-00a0c93ec93b": ["vfat"],                                   // EFI system
        "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7": ["ntfs", "vfat", "exfat"],                  // Microsoft basic data
        "de94bba4-06d1-4d40-a16a-bfd50179d6ac": ["ntfs"],                                   // Windows recovery
        "0657fd6d-a4ab-43c4-84e5-0933c84b4f4f": ["swap"],                                   // Linux swap
        "a19d880f-05fc-4d3b-a006-bd1f3f8ba176": ["linux_raid_member"],                      // Linux RAID
        "e6d6d379-f507-44c2-a23c-238f2a3df928": ["LVM2_member"],                            // Linux LVM
        "ca7d7ccb-63ed-4c53-861c-1742536059cc": ["crypto_LUKS"],                            // Linux LUKS
        "0fc63daf-8483-4772-8e79-3d69d8477de4": ["ext4", "ext3", "ext2", "btrfs", "xfs", "crypto_LUKS", "swap", "f2fs"], // Linux filesystem
        "4f68bce3-e8cd-4db1-96e7-fbcaf984b709": ["ext4", "ext3", "ext2", "btrfs", "xfs", "crypto_LUKS", "f2fs"],         // Linux root (x86-64)
    ]

    private static func attach(_ probe: blkid_probe, _ fd: Int32, path: String, offset: UInt64, size: UInt64) throws(BlkidError) {
        guard blkid_probe_set_device(probe, fd, blkid_loff_t(offset), blkid_loff_t(size)) == 0 else {
            throw BlkidError(path: path, message: "cannot read the device")
        }
    }

    /// The filesystem-like signature in the probe's current range, or nil when there is none (or two
    /// that contradict each other, such as a stale signature beside a new one).
    /// - Parameter only: probe just these types (nil: all of them).
    private static func superblock(_ probe: blkid_probe, path: String, only: [String]? = nil) throws(BlkidError) -> BlockSignature.Superblock? {
        blkid_probe_enable_partitions(probe, 0)
        blkid_probe_enable_superblocks(probe, 1)
        blkid_probe_set_superblocks_flags(probe, BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID | BLKID_SUBLKS_TYPE
            | BLKID_SUBLKS_USAGE | BLKID_SUBLKS_VERSION)
        var found: Int32
        if let only {
            found = withFilter(probe, BLKID_FLTR_ONLYIN, only) { blkid_do_safeprobe(probe) }
        } else {
            // The ZFS prober reads four 256 KiB labels, more than all others together: look for ZFS only
            // when no other signature is found (a ZFS member carries none of the others).
            found = withFilter(probe, BLKID_FLTR_NOTIN, ["zfs_member"]) { blkid_do_safeprobe(probe) }
            if found == 1 {
                found = withFilter(probe, BLKID_FLTR_ONLYIN, ["zfs_member"]) { blkid_do_safeprobe(probe) }
            }
        }
        guard found != -1 else { throw BlkidError(path: path, message: "probing failed") }
        guard found == 0, let type = value(probe, "TYPE") else { return nil }
        return .init(type: type, label: value(probe, "LABEL"), uuid: value(probe, "UUID"),
                     version: value(probe, "VERSION"), usage: value(probe, "USAGE"))
    }

    /// The partition table, read with only the partitions chain enabled.
    private static func readTable(_ probe: blkid_probe, path: String) throws(BlkidError) -> BlockSignature.Table? {
        blkid_probe_enable_superblocks(probe, 0)
        blkid_probe_enable_partitions(probe, 1)
        blkid_probe_set_partitions_flags(probe, BLKID_PARTS_ENTRY_DETAILS)
        guard blkid_do_safeprobe(probe) >= 0 else { throw BlkidError(path: path, message: "reading the partition table failed") }
        guard let list = blkid_probe_get_partitions(probe), let table = blkid_partlist_get_table(list) else { return nil }
        let sectorBytes = UInt64(512)  // libblkid reports partition geometry in 512-byte sectors
        var entries: [BlockSignature.Entry] = []
        for index in 0..<max(0, blkid_partlist_numof_partitions(list)) {
            guard let partition = blkid_partlist_get_partition(list, index) else { continue }
            let typeString = blkid_partition_get_type_string(partition).map { String(cString: $0) }
            let mbrType = blkid_partition_get_type(partition)
            entries.append(.init(
                number: Int(blkid_partition_get_partno(partition)),
                offset: UInt64(blkid_partition_get_start(partition)) * sectorBytes,
                size: UInt64(blkid_partition_get_size(partition)) * sectorBytes,
                type: typeString?.lowercased() ?? (mbrType > 0 ? "0x" + String(mbrType, radix: 16) : nil),
                name: blkid_partition_get_name(partition).map { String(cString: $0) },
                uuid: blkid_partition_get_uuid(partition).map { String(cString: $0) }))
        }
        return .init(type: String(cString: blkid_parttable_get_type(table)),
                     uuid: blkid_parttable_get_id(table).map { String(cString: $0) }, entries: entries)
    }

    /// Erases every signature libblkid knows (filesystems, RAID, LUKS, partition tables) from the
    /// device or file at `path`. This writes: only the install engine may call it, after the plan.
    public static func wipeSignatures(_ path: String) throws(BlkidError) {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw BlkidError(path: path, message: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard let probe = blkid_new_probe() else { throw BlkidError(path: path, message: "out of memory") }
        defer { blkid_free_probe(probe) }
        guard blkid_probe_set_device(probe, fd, 0, 0) == 0 else { throw BlkidError(path: path, message: "cannot read the device") }
        blkid_probe_enable_superblocks(probe, 1)
        blkid_probe_set_superblocks_flags(probe, BLKID_SUBLKS_MAGIC)
        blkid_probe_enable_partitions(probe, 1)
        blkid_probe_set_partitions_flags(probe, BLKID_PARTS_MAGIC)
        while blkid_do_probe(probe) == 0 {
            guard blkid_do_wipe(probe, 0) == 0 else { throw BlkidError(path: path, message: "wiping a signature failed") }
        }
        fsync(fd)
    }

    /// Runs `body` with the superblock prober restricted by `names` (BLKID_FLTR_ONLYIN or _NOTIN).
    private static func withFilter(_ probe: blkid_probe, _ mode: Int32, _ names: [String], _ body: () -> Int32) -> Int32 {
        let pointers = names.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        blkid_probe_reset_superblocks_filter(probe)
        pointers.withUnsafeBufferPointer { buffer in
            _ = blkid_probe_filter_superblocks_type(probe, mode, UnsafeMutablePointer(mutating: buffer.baseAddress!))
        }
        defer { blkid_probe_reset_superblocks_filter(probe) }
        return body()
    }

    private static func value(_ probe: blkid_probe, _ name: String) -> String? {
        var data: UnsafePointer<CChar>? = nil
        guard blkid_probe_lookup_value(probe, name, &data, nil) == 0, let data else { return nil }
        let text = String(cString: data)
        return text.isEmpty ? nil : text
    }
}
