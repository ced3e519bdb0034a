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
}

public struct BlkidError: Error, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}

/// The thin wrapper around libblkid. Every probe opens the device read-only.
public enum Blkid {
    /// Probes `path` (a block device or an image file), or the byte range `offset ..< offset+size` of it
    /// (size 0: to the end). Reads the partition table only when probing from offset 0.
    public static func probe(_ path: String, offset: UInt64 = 0, size: UInt64 = 0) throws(BlkidError) -> BlockSignature {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw BlkidError(path: path, message: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard let probe = blkid_new_probe() else { throw BlkidError(path: path, message: "out of memory") }
        defer { blkid_free_probe(probe) }
        guard blkid_probe_set_device(probe, fd, blkid_loff_t(offset), blkid_loff_t(size)) == 0 else {
            throw BlkidError(path: path, message: "cannot read the device")
        }
        let wholeDevice = offset == 0
        var signature = BlockSignature()
        if wholeDevice {
            signature.table = try readTable(probe, path: path)
            blkid_reset_probe(probe)
        }
        // A partitioned disk has no filesystem of its own, except ISO hybrid images, whose iso9660
        // superblock sits beside an MBR: skip the ~60 superblock probers for GPT disks.
        guard signature.table?.type != "gpt" else { return signature }
        blkid_probe_enable_partitions(probe, 0)
        blkid_probe_enable_superblocks(probe, 1)
        blkid_probe_set_superblocks_flags(probe, BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID | BLKID_SUBLKS_TYPE
            | BLKID_SUBLKS_USAGE | BLKID_SUBLKS_VERSION)
        // The ZFS prober reads four 256 KiB labels, more than all others together: look for ZFS only
        // when no other signature is found (a ZFS member carries none of the others).
        var found = withFilter(probe, BLKID_FLTR_NOTIN, ["zfs_member"]) { blkid_do_safeprobe(probe) }
        if found == 1 {
            found = withFilter(probe, BLKID_FLTR_ONLYIN, ["zfs_member"]) { blkid_do_safeprobe(probe) }
        }
        // -2 means two signatures claim the device (a stale one beside a new one): report neither.
        guard found != -1 else { throw BlkidError(path: path, message: "probing failed") }
        guard found == 0 else { return signature }
        if let type = value(probe, "TYPE") {
            signature.superblock = .init(type: type, label: value(probe, "LABEL"), uuid: value(probe, "UUID"),
                                         version: value(probe, "VERSION"), usage: value(probe, "USAGE"))
        }
        return signature
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
