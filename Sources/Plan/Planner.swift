import Probe
import Profile

/// `(MachineReport, InstallProfile) -> InstallPlan`: pure, so the plan a person reads is exactly the
/// plan the executor runs, and the executor can recompute it to see that nothing changed.
public enum Planner {
    static let mebibyte: UInt64 = 1 << 20
    /// disko's name for the one disk of these layouts.
    static let diskName = "main"
    /// The LUKS mapping name, as disko's examples use it.
    static let luksName = "crypted"

    /// An install onto a disk image attached to a loop device (`install --target-image`): the image
    /// path itself is the binding that allows writing to it.
    public struct ImageTarget: Sendable {
        public var loopDevice: String
        public var imagePath: String
        public init(loopDevice: String, imagePath: String) {
            self.loopDevice = loopDevice
            self.imagePath = imagePath
        }
    }

    public static func plan(machine: MachineReport, profile: InstallProfile, image: ImageTarget? = nil) -> Result<InstallPlan, PlanRefusal> {
        if image == nil && profile.disk.target == nil {
            return .failure(PlanRefusal(reason: "the profile does not say which disk to install to (disk.target); the guided installer asks for it"))
        }
        let swapBytes = swapSize(profile, memory: machine.memoryBytes)
        let fixedBytes = 2 * mebibyte + (machine.firmware.mode == .bios ? mebibyte : 0) + profile.disk.espSize.bytes
            + (profile.disk.layout == .ext4 ? swapBytes : 0)
        let minimum = fixedBytes + TargetSelection.minimumRootBytes + (profile.disk.layout == .btrfs ? swapBytes : 0)
        let chosen: Disk, chosenBy: String
        let authorization: InstallPlan.Authorization
        if let image {
            switch TargetSelection.chooseImage(image, machine: machine, profile: profile, minimumBytes: minimum) {
            case .failure(let refusal): return .failure(refusal)
            case .success(let disk): chosen = disk
            }
            chosenBy = "the image file \(image.imagePath)"
            authorization = .init(kind: .imageFile, detail: "installing into the image file \(image.imagePath) named on the command line")
        } else {
            switch TargetSelection.choose(profile.disk.target!, machine: machine, profile: profile, minimumBytes: minimum) {
            case .failure(let refusal): return .failure(refusal)
            case .success(let result): (chosen, chosenBy) = result
            }
            switch TargetSelection.authorization(chosen, profile: profile, commandLine: machine.kernelCommandLine) {
            case .failure(let refusal): return .failure(refusal)
            case .success(let result): authorization = result
            }
        }

        let partitions = layout(disk: chosen, profile: profile, firmware: machine.firmware.mode, swapBytes: swapBytes)
        let stableId = chosen.byId.first { $0.hasPrefix("wwn-") } ?? chosen.byId.first { !$0.hasPrefix("nvme-eui.") } ?? chosen.byId.first
        let target = InstallPlan.Target(
            name: chosen.name, path: chosen.path, stablePath: stableId.map { "/dev/disk/by-id/" + $0 } ?? chosen.path,
            model: chosen.model, serial: chosen.serial, wwn: chosen.wwn, sizeBytes: chosen.sizeBytes,
            logicalSectorSize: chosen.logicalSectorSize, transport: chosen.transport.rawValue, chosenBy: chosenBy)
        let swapFile = profile.disk.layout == .btrfs && swapBytes > 0 ? InstallPlan.SwapFile(path: "/swap/swapfile", sizeBytes: swapBytes) : nil
        return .success(InstallPlan(
            hostname: profile.identity.hostname, firmware: machine.firmware.mode.rawValue, target: target,
            authorization: authorization, destroys: destroyed(chosen),
            layout: .init(diskName: diskName, table: "gpt", partitions: partitions),
            mounts: mounts(partitions), swapFile: swapFile,
            files: files(profile), secrets: secrets(profile),
            steps: steps(profile: profile, target: target, partitions: partitions, swapFile: swapFile)))
    }

    /// `auto`: as much swap as memory, at most 8 GiB, rounded up to whole MiB.
    static func swapSize(_ profile: InstallProfile, memory: UInt64) -> UInt64 {
        switch profile.disk.swap {
        case .size(let size): return (size.bytes + mebibyte - 1) / mebibyte * mebibyte
        case .auto: return (min(memory, 8 << 30) + mebibyte - 1) / mebibyte * mebibyte
        }
    }

    // MARK: Layout

    /// GPT with 1 MiB alignment: [BIOS boot on BIOS][ESP][root or LUKS][swap partition (ext4)], the last
    /// partition ending 1 MiB before the end of the disk (room for the backup GPT).
    static func layout(disk: Disk, profile: InstallProfile, firmware: Firmware.Mode, swapBytes: UInt64) -> [InstallPlan.PlannedPartition] {
        var partitions: [InstallPlan.PlannedPartition] = []
        var next = mebibyte
        let end = (disk.sizeBytes - mebibyte) / mebibyte * mebibyte
        func add(_ name: String, _ size: UInt64, _ typeCode: String, _ content: InstallPlan.Content) {
            partitions.append(.init(name: name, partLabel: "disk-\(diskName)-\(name)", number: partitions.count + 1,
                                    startBytes: next, sizeBytes: size, typeCode: typeCode, content: content))
            next += size
        }
        if firmware == .bios { add("boot", mebibyte, "EF02", .init(kind: .biosBoot)) }
        add("ESP", profile.disk.espSize.bytes / mebibyte * mebibyte, "EF00",
            .init(kind: .filesystem, format: "vfat", label: "ESP", mountPoint: "/boot", mountOptions: ["umask=0077"]))
        let swapPartition = profile.disk.layout == .ext4 && swapBytes > 0
        let rootSize = end - next - (swapPartition ? swapBytes : 0)
        let root = rootContent(profile)
        if profile.disk.encryption != nil {
            // 8300 (Linux filesystem) rather than 8309: libparted 3.5 cannot write the LUKS type GUID, and the
            // disk and disko.nix must agree.
            add("luks", rootSize, "8300", .init(kind: .luks, luksName: luksName, inner: [root]))
        } else {
            add("root", rootSize, "8300", root)
        }
        if swapPartition {
            add("swap", swapBytes, "8200", .init(kind: .swap, label: "swap", randomEncryption: profile.disk.encryption != nil))
        }
        return partitions
    }

    static func rootContent(_ profile: InstallProfile) -> InstallPlan.Content {
        switch profile.disk.layout {
        case .ext4:
            return .init(kind: .filesystem, format: "ext4", label: "nixos", mountPoint: "/", mountOptions: ["noatime"])
        case .btrfs:
            let options = ["compress=zstd", "noatime"]
            return .init(kind: .filesystem, format: "btrfs", label: "nixos", subvolumes: [
                .init(name: "/root", mountPoint: "/", mountOptions: options),
                .init(name: "/home", mountPoint: "/home", mountOptions: options),
                .init(name: "/nix", mountPoint: "/nix", mountOptions: options),
                .init(name: "/swap", mountPoint: "/swap", mountOptions: ["noatime"]),
            ])
        }
    }

    /// The mount tree, parents first: `/`, then `/boot`, `/home`, `/nix`, `/swap`.
    static func mounts(_ partitions: [InstallPlan.PlannedPartition]) -> [InstallPlan.Mount] {
        var mounts: [InstallPlan.Mount] = []
        func visit(_ content: InstallPlan.Content, device: String) {
            switch content.kind {
            case .filesystem:
                if let mountPoint = content.mountPoint {
                    mounts.append(.init(device: device, mountPoint: mountPoint, format: content.format ?? "auto", options: content.mountOptions))
                }
                for subvolume in content.subvolumes {
                    mounts.append(.init(device: device, mountPoint: subvolume.mountPoint, format: content.format ?? "btrfs",
                                        options: ["subvol=\(subvolume.name)"] + subvolume.mountOptions))
                }
            case .luks:
                content.inner.forEach { visit($0, device: "/dev/mapper/\(content.luksName ?? luksName)") }
            case .swap, .biosBoot:
                break
            }
        }
        for partition in partitions { visit(partition.content, device: "/dev/disk/by-partlabel/\(partition.partLabel)") }
        return mounts.sorted { depth($0.mountPoint) < depth($1.mountPoint) }
    }

    private static func depth(_ path: String) -> Int { path == "/" ? 0 : path.split(separator: "/").count }

    // MARK: What is lost, written and run

    static func destroyed(_ disk: Disk) -> [String] {
        if !TargetSelection.holdsData(disk) { return [] }
        var lines = ["\(disk.name): everything on it (\(disk.description))"]
        if let filesystem = disk.filesystem, disk.partitions.isEmpty {
            lines.append("\(disk.name): \(filesystem.type) filesystem\(filesystem.label.map { " labelled \($0)" } ?? "") on the whole disk")
        }
        for partition in disk.partitions {
            var words = [ByteCount.decimal(partition.sizeBytes)]
            if let filesystem = partition.filesystem {
                words.append(filesystem.type + (filesystem.label.map { " labelled \($0)" } ?? ""))
            } else {
                words.append("no recognised filesystem")
            }
            if let label = partition.partLabel { words.append("partition name \"\(label)\"") }
            lines.append("\(partition.name): " + words.joined(separator: ", "))
        }
        return lines
    }

    static func files(_ profile: InstallProfile) -> [InstallPlan.PlannedFile] {
        var files: [InstallPlan.PlannedFile] = [
            .init(path: "/etc/nixos/flake.nix", purpose: "the system's flake: inputs and the machine's configuration", mode: "0644"),
            .init(path: "/etc/nixos/configuration.nix", purpose: "the Base OS", mode: "0644"),
            .init(path: "/etc/nixos/hardware-configuration.nix", purpose: "drivers and firmware for this machine", mode: "0644"),
            .init(path: "/etc/nixos/disko.nix", purpose: "the disk layout below, for NixOS to mount", mode: "0644"),
            .init(path: "/etc/nixos/settings.json", purpose: "the choices made here, editable by a GUI", mode: "0644"),
            .init(path: "/etc/nixos/README.md", purpose: "what each file is and how to rebuild", mode: "0644"),
        ]
        if let network = profile.clan.network {
            files.append(.init(path: "/etc/nixos/networks/\(network.name).nix", purpose: "the first network VM (\(network.name))", mode: "0644"))
            files.append(.init(path: "/etc/nixos/networks/\(network.name).json", purpose: "the network's applications", mode: "0644"))
        }
        for user in profile.users where user.password != nil {
            files.append(.init(path: "/var/lib/clan-installer/passwords/\(user.name)", purpose: "password hash of \(user.name) (outside the Nix store)", mode: "0600"))
        }
        if profile.network.mode == .wifi, let ssid = profile.network.ssid {
            files.append(.init(path: "/etc/NetworkManager/system-connections/\(ssid).nmconnection", purpose: "the Wi-Fi network and its key", mode: "0600"))
        }
        files += [
            .init(path: "/var/log/clan-installer/profile.json", purpose: "the profile of this install (no secrets)", mode: "0600"),
            .init(path: "/var/log/clan-installer/machine.json", purpose: "the machine report", mode: "0600"),
            .init(path: "/var/log/clan-installer/install.log", purpose: "every command and its output, secrets redacted", mode: "0600"),
        ]
        return files
    }

    static func secrets(_ profile: InstallProfile) -> [InstallPlan.SecretNeed] {
        var needs: [InstallPlan.SecretNeed] = []
        if let encryption = profile.disk.encryption { needs.append(.init(what: "disk passphrase", source: encryption.passphrase.rawValue)) }
        for user in profile.users {
            if case .from(let source) = user.password { needs.append(.init(what: "password of \(user.name)", source: source.rawValue)) }
        }
        if let psk = profile.network.psk { needs.append(.init(what: "Wi-Fi key", source: psk.rawValue)) }
        return needs
    }

    static func steps(profile: InstallProfile, target: InstallPlan.Target, partitions: [InstallPlan.PlannedPartition],
                      swapFile: InstallPlan.SwapFile?) -> [InstallPlan.Step] {
        let disk = [target.model, target.serial.map { "serial \($0)" }].compactMap { $0 }.joined(separator: ", ")
        var steps: [InstallPlan.Step] = [
            .init(id: "check-target", title: "Check that \(target.stablePath) is still the disk this plan names" + (disk.isEmpty ? "" : " (\(disk))")),
            .init(id: "wipe", title: "Erase the old partition table and signatures on \(target.name)"),
            .init(id: "partition", title: "Create the GPT partition table: " + partitions.map { "\($0.name) \(ByteCount.binaryShort($0.sizeBytes))" }.joined(separator: ", ")),
        ]
        if partitions.contains(where: { $0.content.kind == .luks }) {
            steps.append(.init(id: "encrypt", title: "Encrypt the root partition (LUKS2) and open it as /dev/mapper/\(luksName)"))
        }
        steps.append(.init(id: "format", title: "Format: " + partitions.flatMap(formatWords).joined(separator: ", ")))
        if profile.disk.layout == .btrfs {
            steps.append(.init(id: "subvolumes", title: "Create the btrfs subvolumes /root, /home, /nix, /swap"))
        }
        steps.append(.init(id: "mount", title: "Mount the new system under the target root"))
        if let swapFile {
            steps.append(.init(id: "swapfile", title: "Create a \(ByteCount.binaryShort(swapFile.sizeBytes)) swap file at \(swapFile.path)"))
        }
        steps += [
            .init(id: "write-config", title: "Write the NixOS configuration to /etc/nixos"),
            .init(id: "write-secrets", title: "Store password hashes and keys with mode 0600, outside the Nix store"),
            .init(id: "nixos-install", title: "Install NixOS \(profile.install.nixpkgs)\(profile.install.offline ? " from the boot medium only" : "")" +
                  (profile.clan.network.map { " with the network VM \($0.name)" } ?? "")),
            .init(id: "verify", title: "Check the installed system: system profile, boot loader" + (profile.clan.network == nil ? "" : ", network VM")),
            .init(id: "save-logs", title: "Save the profile, machine report and install log to /var/log/clan-installer"),
            .init(id: "unmount", title: "Unmount everything cleanly"),
            .init(id: "finish", title: target.transport == "loop"
                  ? "Leave the image ready (\(profile.finish.rawValue) applies when the image itself boots)"
                  : ["reboot": "Reboot into the new system", "poweroff": "Power off", "stay": "Stay in the installer"][profile.finish.rawValue]!),
        ]
        return steps
    }

    private static func formatWords(_ partition: InstallPlan.PlannedPartition) -> [String] {
        func words(_ content: InstallPlan.Content) -> [String] {
            switch content.kind {
            case .filesystem: return ["\(partition.name) as \(content.format ?? "?")\(content.label.map { " (label \($0))" } ?? "")"]
            case .swap: return ["\(partition.name) as swap" + (content.randomEncryption ? " (new random key at every boot)" : "")]
            case .luks: return content.inner.flatMap(words)
            case .biosBoot: return []
            }
        }
        return words(partition.content)
    }
}

extension ByteCount {
    /// `512M`, `8G`, `19.5G`: partition sizes as NixOS and disko people write them (binary units).
    public static func binaryShort(_ bytes: UInt64) -> String {
        for (shift, unit) in [(40, "T"), (30, "G"), (20, "M")] where bytes >= UInt64(1) << shift {
            let size = UInt64(1) << shift
            if bytes % size == 0 || bytes >= 100 * size { return "\((bytes + size / 2) / size)\(unit)" }
            let tenths = (bytes * 10 + size / 2) / size
            return tenths % 10 == 0 ? "\(tenths / 10)\(unit)" : "\(tenths / 10).\(tenths % 10)\(unit)"
        }
        return "\(bytes)B"
    }
}
