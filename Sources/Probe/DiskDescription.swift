/// What is on a disk, in words a person recognises before agreeing to erase it:
/// "Windows (NTFS, 475 GB)", "Linux ext4 labelled nixos", "NixOS installer", "empty".
enum DiskDescription {
    static let windowsTypes: Set<String> = [
        "e3c9e316-0b5c-4db8-817d-f92df00215ae",  // Microsoft reserved
        "de94bba4-06d1-4d40-a16a-bfd50179d6ac",  // Windows recovery
    ]
    static let espType = "c12a7328-f81f-11d2-ba4b-00a0c93ec93b"

    static func isEFISystemPartition(_ partition: Partition) -> Bool {
        partition.filesystem?.type == "vfat" && (partition.type == espType || partition.type == "0xef")
    }

    /// Systems an ESP's `/EFI/<name>` directory belongs to (lower-cased names; FAT ignores case).
    static let efiOwners: [String: String] = [
        "microsoft": "Windows", "ubuntu": "Ubuntu", "debian": "Debian", "fedora": "Fedora", "centos": "CentOS",
        "redhat": "Red Hat", "opensuse": "openSUSE", "sles": "SUSE", "arch": "Arch Linux", "manjaro": "Manjaro",
        "pop": "Pop!_OS", "elementary": "elementary OS", "mageia": "Mageia", "gentoo": "Gentoo", "nixos": "NixOS",
        "kali": "Kali", "linuxmint": "Linux Mint", "rocky": "Rocky Linux", "almalinux": "AlmaLinux", "apple": "macOS",
    ]

    /// The systems an ESP boots, from its directories and systemd-boot entries.
    static func bootedSystems(_ partition: Partition) -> [String] {
        var systems = (partition.efiDirectories ?? []).compactMap { efiOwners[$0.lowercased()] }
        if partition.bootLoaderEntries?.contains(where: { $0.lowercased().hasPrefix("nixos") }) == true { systems.append("NixOS") }
        return systems.uniqued()
    }

    static func describe(_ disk: Disk, contentKnown: Bool) -> String {
        if let filesystem = disk.filesystem, filesystem.type == "iso9660" || disk.partitions.isEmpty {
            return describe(filesystem, size: disk.sizeBytes, holders: disk.holders)
        }
        if disk.partitions.isEmpty {
            if let table = disk.partitionTable { return "empty \(table.type == "gpt" ? "GPT" : "MBR") partition table" }
            return contentKnown ? "empty" : "contents unknown"
        }
        var phrases: [String] = []
        let ntfs = disk.partitions.filter { $0.filesystem?.type == "ntfs" }
        let windowsMarkers = disk.partitions.contains { windowsTypes.contains($0.type ?? "") }
        if let largest = ntfs.max(by: { $0.sizeBytes < $1.sizeBytes }) {
            phrases.append("Windows (NTFS, \(ByteCount.decimal(largest.sizeBytes)))")
        } else if windowsMarkers {
            phrases.append("Windows")
        }
        for partition in disk.partitions {
            guard let filesystem = partition.filesystem else { continue }
            if filesystem.type == "ntfs" { continue }
            if filesystem.type == "vfat", partition.type == espType || partition.partLabel?.uppercased().contains("EFI") == true {
                continue  // an ESP is implied by any bootable system; naming it adds noise
            }
            phrases.append(describe(filesystem, size: partition.sizeBytes, holders: partition.holders))
        }
        // Systems the ESP boots that nothing above named (their root may be encrypted or unreadable).
        let named = phrases.joined(separator: " ")
        let booted = disk.partitions.flatMap(bootedSystems).filter { !named.contains($0) }.uniqued()
        if !booted.isEmpty { phrases.append("boot loader for " + booted.joined(separator: " and ")) }
        if phrases.isEmpty {
            let esp = disk.partitions.contains { $0.type == espType || $0.filesystem?.type == "vfat" }
            let count = disk.partitions.count
            phrases.append(esp ? "EFI system partition only"
                : "\(count) partition\(count == 1 ? "" : "s") with no recognised filesystem")
        }
        return phrases.uniqued().joined(separator: ", ")
    }

    static func describe(_ filesystem: Filesystem, size: UInt64, holders: [Holder]) -> String {
        let label = filesystem.label.map { " labelled \($0)" } ?? ""
        let sized = ByteCount.decimal(size)
        switch filesystem.type {
        case "iso9660", "udf":
            if filesystem.label?.lowercased().hasPrefix("nixos") == true { return "NixOS installer (\(filesystem.label!))" }
            return "installer or CD image\(label)"
        case "crypto_LUKS":
            let state = holders.contains { $0.kind == .luks } ? ", unlocked" : ""
            return "encrypted (LUKS\(filesystem.version.map { $0 == "2" ? "2" : "" } ?? ""), \(sized)\(state))"
        case "linux_raid_member":
            let array = holders.first { $0.kind == .raid }.map { " of \($0.name)" } ?? ""
            return "RAID member\(array)\(label)"
        case "LVM2_member":
            return "LVM physical volume (\(sized))"
        case "swap":
            return "Linux swap (\(sized))"
        case "ext2", "ext3", "ext4", "btrfs", "xfs", "f2fs", "bcachefs", "jfs", "reiserfs":
            return "Linux \(filesystem.type)\(label) (\(sized))"
        case "zfs_member":
            return "ZFS pool member\(label)"
        case "apfs", "hfsplus", "hfs":
            return "macOS (\(filesystem.type), \(sized))"
        case "vfat", "exfat":
            return "\(filesystem.type == "vfat" ? "FAT" : "exFAT")\(label) (\(sized))"
        case "ntfs":
            return "Windows (NTFS, \(sized))"
        default:
            return "\(filesystem.type)\(label) (\(sized))"
        }
    }
}

extension Array where Element: Equatable {
    /// The elements in order, each only the first time it appears.
    func uniqued() -> [Element] {
        var result: [Element] = []
        for element in self where !result.contains(element) { result.append(element) }
        return result
    }
}
