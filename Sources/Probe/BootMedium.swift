import Host

/// Finds the disks the installer itself runs from, so that no later stage can ever offer them as targets.
///
/// A disk is the boot medium when it holds a filesystem the running system uses (the live root, the ISO
/// at /iso, the squashfs store, /boot) — following loop devices to their backing files and LUKS/RAID
/// mappings to their members — or when `clan.bootdev=` on the kernel command line names it.
struct BootMediumFinder {
    let sys: String
    let mounts: [Mount]
    let commandLine: String

    /// Mount points whose backing disk must never be erased: the live system's and the running system's.
    static let liveMountPoints = ["/", "/iso", "/nix/.ro-store", "/nix/store", "/run/initramfs/live", "/run/archiso/bootmnt",
                                  "/cdrom", "/run/live/medium", "/lib/live/mount/medium", "/boot", "/boot/efi", "/efi"]

    /// Sets `bootMediumReason` on every disk that is a boot medium.
    func mark(_ disks: inout [Disk]) {
        var devnumNames: [String: String] = [:]
        for name in Files.list(sys + "/class/block") {
            if let devnum = Files.attribute(sys + "/class/block/" + name + "/dev") { devnumNames[devnum] = name }
        }
        for mountPoint in Self.liveMountPoints {
            guard let mount = mounts.last(where: { $0.mountPoint == mountPoint }), let name = devnumNames[mount.devnum] else { continue }
            for diskName in disksUnder(name, devnumNames: devnumNames, depth: 0) {
                guard let index = disks.firstIndex(where: { $0.name == diskName }), disks[index].bootMediumReason == nil else { continue }
                disks[index].bootMediumReason = mountPoint == "/iso" || mountPoint == "/nix/.ro-store"
                    ? "holds the installer image the machine booted from (\(mountPoint))"
                    : "holds \(mountPoint) of the running system"
            }
        }
        // The stick that carries the profile (clan.profile=LABEL=...) is part of the boot medium too.
        for value in commandLineValues("clan.profile") where value.hasPrefix("LABEL=") || value.hasPrefix("PARTLABEL=") {
            for index in disks.indices where disks[index].bootMediumReason == nil && Self.disk(disks[index], matches: value) {
                disks[index].bootMediumReason = "holds the install profile (clan.profile=\(value))"
            }
        }
        for value in commandLineValues("clan.bootdev") {
            for index in disks.indices where disks[index].bootMediumReason == nil && Self.disk(disks[index], matches: value) {
                disks[index].bootMediumReason = "named by clan.bootdev=\(value) on the kernel command line"
            }
        }
    }

    /// The whole disks beneath a block device: itself, the disk of a partition, the members of a
    /// LUKS/LVM/RAID device, or the disk holding a loop device's backing file.
    private func disksUnder(_ name: String, devnumNames: [String: String], depth: Int) -> [String] {
        guard depth < 8, let dir = Files.resolve(sys + "/class/block/" + name) else { return [] }
        if Files.exists(dir + "/partition") {
            return [String(dir.split(separator: "/").dropLast().last ?? "")]
        }
        if let backing = Files.attribute(dir + "/loop/backing_file") {
            // The loop device itself can be a target candidate (an attached image), and so can its host disk.
            guard let host = MountTable.mountHolding(backing, in: mounts), let hostName = devnumNames[host.devnum] else { return [name] }
            return [name] + disksUnder(hostName, devnumNames: devnumNames, depth: depth + 1)
        }
        let slaves = Files.list(dir + "/slaves")
        if !slaves.isEmpty {
            return slaves.flatMap { disksUnder($0, devnumNames: devnumNames, depth: depth + 1) }
        }
        return [name]
    }

    /// Every value of `key=value` on the kernel command line.
    func commandLineValues(_ key: String) -> [String] {
        commandLine.split(separator: " ").compactMap { word in
            word.hasPrefix(key + "=") ? String(word.dropFirst(key.count + 1)) : nil
        }
    }

    /// Whether `value` names this disk: kernel name, /dev path, by-id name or path, serial, WWN, or
    /// `LABEL=`/`UUID=`/`PARTLABEL=` of the disk's or one of its partitions' filesystems.
    static func disk(_ disk: Disk, matches value: String) -> Bool {
        let byIdPaths = disk.byId.map { "/dev/disk/by-id/" + $0 }
        if [disk.name, disk.path].contains(value) || disk.byId.contains(value) || byIdPaths.contains(value) { return true }
        if value == disk.serial || value == disk.wwn { return true }
        let filesystems = [disk.filesystem].compactMap { $0 } + disk.partitions.compactMap(\.filesystem)
        if value.hasPrefix("LABEL=") { return filesystems.contains { $0.label == String(value.dropFirst(6)) } }
        if value.hasPrefix("UUID=") { return filesystems.contains { $0.uuid?.lowercased() == value.dropFirst(5).lowercased() } }
        if value.hasPrefix("PARTLABEL=") { return disk.partitions.contains { $0.partLabel == String(value.dropFirst(10)) } }
        return disk.partitions.contains { [$0.name, $0.path].contains(value) }
    }
}
