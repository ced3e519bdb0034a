import Blkid
import Host
import NixConfig
import Parted
import Plan
import Probe
import Profile
#if canImport(Glibc)
import Glibc
#endif

/// The steps of an install, one method each. Every one checks the world before it acts and can run
/// again after an interruption.
extension Executor {
    /// The journal an earlier boot left on the target's root filesystem, read through a read-only mount
    /// (opening LUKS first when the plan encrypts), or nil when there is none.
    func journalOnTarget() -> Journal? {
        guard let rootMount = plan.mounts.first(where: { $0.mountPoint == "/" }) else { return nil }
        if let luks = plan.layout.partitions.first(where: { $0.content.kind == .luks }), let passphrase = secrets.diskPassphrase {
            try? openLUKS(luks, passphrase: Array(passphrase.utf8))
        }
        let device = device(forMount: rootMount)
        guard Files.exists(device) else { return nil }
        let peek = options.stateDirectory + "/peek"
        try? Files.createDirectories(peek)
        var arguments = ["-t", rootMount.format, "-o", (["ro"] + rootMount.options.filter { $0.hasPrefix("subvol=") }).joined(separator: ",")]
        arguments += [device, peek]
        guard (try? runner.run(Command("mount", arguments)))?.status == 0 else { return nil }
        defer { _ = try? runner.run(Command("umount", [peek])) }
        return Journal.load(peek + "/var/log/clan-installer/journal.json")
    }

    /// The plan and the machine report beside the log on the boot medium, for `logs --bundle`.
    func saveContextOnMedium() {
        try? Files.write(Array(plan.json().utf8), to: options.logDirectory + "/plan.json", mode: 0o600)
        try? Files.write(Array(machine.json().utf8), to: options.logDirectory + "/machine.json", mode: 0o600)
    }

    /// 1. The disk is still the one the plan names, it is not the boot medium, and nothing but our own
    ///    leftovers (from an earlier run) holds it.
    func checkTarget() throws {
        saveContextOnMedium()
        unmountEverything()
        let now = Prober.probe(.live())
        guard let disk = now.disks.first(where: { $0.name == plan.target.name }) else {
            throw StepFailure(reason: "the disk \(plan.target.path) (\(plan.target.model ?? "the planned disk")) is gone. Nothing was written.")
        }
        var differences: [String] = []
        if disk.serial != plan.target.serial { differences.append("serial \(disk.serial ?? "none") instead of \(plan.target.serial ?? "none")") }
        if disk.wwn != plan.target.wwn { differences.append("WWN \(disk.wwn ?? "none") instead of \(plan.target.wwn ?? "none")") }
        if disk.sizeBytes != plan.target.sizeBytes { differences.append("size \(disk.sizeBytes) bytes instead of \(plan.target.sizeBytes)") }
        guard differences.isEmpty else {
            throw StepFailure(reason: "\(plan.target.path) is not the disk this plan was made for: it has \(differences.joined(separator: ", ")). Was a disk swapped? Nothing was written; make a new plan.")
        }
        if let reason = disk.bootMediumReason {
            throw StepFailure(reason: "\(plan.target.path) is the boot medium (it \(reason)). Nothing was written.")
        }
        if disk.isInUse {
            let mounts = disk.mountPoints + disk.partitions.flatMap(\.mountPoints) + (disk.holders + disk.partitions.flatMap(\.holders)).map { "held by \($0.name)" }
            throw StepFailure(reason: "\(plan.target.path) is in use (\(mounts.joined(separator: ", "))) by something other than this installer. Nothing was written; stop using it and run the install again.")
        }
    }

    /// 2. Old partition tables, filesystems, RAID and LUKS signatures go, on the partitions first.
    func wipe() throws {
        let path = plan.target.path
        for name in Files.list("/sys/class/block/" + plan.target.name) where Files.exists("/sys/class/block/\(plan.target.name)/\(name)/partition") {
            if Files.exists("/dev/" + name) { try? Blkid.wipeSignatures("/dev/" + name) }
        }
        do { try Blkid.wipeSignatures(path) } catch {
            throw StepFailure(reason: "erasing the old signatures on \(path) failed: \(error.message).")
        }
        // Forget the old partition nodes; the kernel may still list them.
        _ = try? runner.run(Command("partx", ["-d", path]))
    }

    /// 3. The GPT with the planned names, types and 1 MiB aligned positions; then the kernel learns the
    ///    new partitions (BLKPG through partx works with and without a kernel partition parser).
    func partition() throws {
        let specs = plan.layout.partitions.map { partition in
            Parted.PartitionSpec(name: partition.partLabel, start: partition.startBytes, size: partition.sizeBytes, flags: Self.flags(partition.typeCode))
        }
        do { try Parted.writeTable(plan.target.path, type: .gpt, partitions: specs) } catch {
            throw StepFailure(reason: "writing the partition table failed: \(error.message).")
        }
        _ = try? runner.run(Command("partx", ["-d", plan.target.path]))
        try check(Command("partx", ["-a", plan.target.path]), what: "telling the kernel about the new partitions")
        let nodes = plan.layout.partitions.map(node)
        guard waitFor(nodes) else {
            throw StepFailure(reason: "the partition devices \(nodes.filter { !Files.exists($0) }.joined(separator: ", ")) did not appear within 10 seconds.")
        }
    }

    static func flags(_ typeCode: String) -> [Parted.Flag] {
        switch typeCode {
        case "EF00": [.esp]
        case "EF02": [.biosGrub]
        case "8200": [.swap]
        default: []
        }
    }

    /// 4. LUKS2 around the root; the passphrase goes through standard input only.
    func encrypt() throws {
        guard let partition = plan.layout.partitions.first(where: { $0.content.kind == .luks }) else { return }
        guard let passphrase = secrets.diskPassphrase else {
            throw StepFailure(reason: "the disk passphrase is missing (it comes from the \(profile.disk.encryption?.passphrase == .prompt ? "console" : "secrets file")).")
        }
        let input = Array(passphrase.utf8)
        try check(Command("cryptsetup", ["luksFormat", "--type", "luks2", "--batch-mode", "--key-file=-", "--label", "cryptroot", node(partition)], input: input),
                  what: "encrypting \(partition.name)")
        try openLUKS(partition, passphrase: input)
    }

    func openLUKS(_ partition: InstallPlan.PlannedPartition, passphrase: [UInt8]) throws {
        guard !Files.exists(luksMapping) else { return }
        try check(Command("cryptsetup", ["open", "--key-file=-", node(partition), String(luksMapping.dropFirst("/dev/mapper/".count))], input: passphrase),
                  what: "opening the encrypted partition")
    }

    /// 5. Filesystems with the planned labels.
    func format() throws {
        for partition in plan.layout.partitions {
            let device = partition.content.kind == .luks ? luksMapping : node(partition)
            let content = partition.content.kind == .luks ? (partition.content.inner.first ?? partition.content) : partition.content
            switch content.kind {
            case .filesystem:
                let label = content.label ?? "nixos"
                let command: Command = switch content.format {
                case "vfat": Command("mkfs.vfat", ["-F", "32", "-n", label, device])
                case "btrfs": Command("mkfs.btrfs", ["-f", "-q", "-L", label, device])
                default: Command("mkfs.ext4", ["-F", "-q", "-L", label, device])
                }
                try check(command, what: "formatting \(partition.name) as \(content.format ?? "ext4")")
            case .swap:
                try check(Command("mkswap", ["-L", content.label ?? "swap", device]), what: "preparing the swap partition")
            case .biosBoot, .luks:
                break
            }
        }
    }

    /// The btrfs filesystem (on the root partition or inside LUKS).
    var btrfsDevice: (device: String, content: InstallPlan.Content)? {
        for partition in plan.layout.partitions {
            let content = partition.content.kind == .luks ? partition.content.inner.first : partition.content
            if let content, content.format == "btrfs" { return (partition.content.kind == .luks ? luksMapping : node(partition), content) }
        }
        return nil
    }

    /// 5b. btrfs subvolumes, made through a temporary mount of the top level.
    func createSubvolumes() throws {
        guard let (device, content) = btrfsDevice else { return }
        if plan.layout.partitions.contains(where: { $0.content.kind == .luks }), let luks = plan.layout.partitions.first(where: { $0.content.kind == .luks }),
           let passphrase = secrets.diskPassphrase {
            try openLUKS(luks, passphrase: Array(passphrase.utf8))
        }
        let top = options.stateDirectory + "/btrfs-top"
        try Files.createDirectories(top)
        try check(Command("mount", ["-t", "btrfs", device, top]), what: "mounting the new btrfs filesystem")
        defer { _ = try? runner.run(Command("umount", [top])) }
        for subvolume in content.subvolumes where !Files.exists(top + subvolume.name) {
            try check(Command("btrfs", ["subvolume", "create", top + subvolume.name]), what: "creating the subvolume \(subvolume.name)")
        }
    }

    /// 6. The mount tree under the target root, parents first; what is already mounted stays.
    func mountTarget() throws {
        if let luks = plan.layout.partitions.first(where: { $0.content.kind == .luks }), let passphrase = secrets.diskPassphrase {
            try openLUKS(luks, passphrase: Array(passphrase.utf8))
        }
        for mount in plan.mounts {
            let target = mount.mountPoint == "/" ? root : root + mount.mountPoint
            if isMounted(target) { continue }
            try Files.createDirectories(target)
            var arguments = ["-t", mount.format]
            if !mount.options.isEmpty { arguments += ["-o", mount.options.joined(separator: ",")] }
            try check(Command("mount", arguments + [device(forMount: mount), target]), what: "mounting \(mount.mountPoint)")
        }
        try Files.createDirectories(root + "/var/log/clan-installer", mode: 0o700)
    }

    /// 6b. The swap file of the btrfs layout.
    func createSwapFile() throws {
        guard let swapFile = plan.swapFile else { return }
        let path = root + swapFile.path
        if Files.exists(path) { return }
        try check(Command("btrfs", ["filesystem", "mkswapfile", "--size", "\(swapFile.sizeBytes >> 20)m", path]), what: "creating the swap file")
    }

    /// 7. The generated flake into /etc/nixos.
    func writeConfiguration() throws {
        let configuration = ConfigGenerator.generate(plan: plan, profile: profile, machine: machine)
        for (path, content) in configuration.files {
            let target = root + "/etc/nixos/" + path
            try Files.createDirectories(String(target[..<target.lastIndex(of: "/")!]))
            try Files.write(Array(content.utf8), to: target)
        }
    }

    /// 7b. Password hashes and the Wi-Fi key, mode 0600, outside the Nix store.
    func writeSecrets() throws {
        let passwords = root + "/var/lib/clan-installer/passwords"
        try Files.createDirectories(passwords, mode: 0o700)
        for user in profile.users {
            let hash: String
            switch user.password {
            case .none: continue
            case .hash(let given): hash = given
            case .from(let source):
                guard let plain = secrets.userPasswords[user.name] else {
                    throw StepFailure(reason: "the password of \(user.name) is missing (it comes from the \(source == .prompt ? "console" : "secrets file")).")
                }
                hash = try check(Command("mkpasswd", ["--method=yescrypt", "--stdin"], input: Array(plain.utf8)), what: "hashing the password of \(user.name)")
                    .stdoutText.trimmingWhitespace()
            }
            try Files.write(Array((hash + "\n").utf8), to: passwords + "/" + user.name, mode: 0o600)
        }
        if profile.network.mode == .wifi, let ssid = profile.network.ssid {
            guard let psk = secrets.wifiPSK else { throw StepFailure(reason: "the Wi-Fi key for \(ssid) is missing.") }
            let directory = root + "/etc/NetworkManager/system-connections"
            try Files.createDirectories(directory, mode: 0o700)
            let connection = "[connection]\nid=\(ssid)\ntype=wifi\nautoconnect=true\n\n[wifi]\nmode=infrastructure\nssid=\(ssid)\n\n" +
                "[wifi-security]\nkey-mgmt=wpa-psk\npsk=\(psk)\n\n[ipv4]\nmethod=auto\n\n[ipv6]\nmethod=auto\n"
            try Files.write(Array(connection.utf8), to: directory + "/\(ssid).nmconnection", mode: 0o600)
        }
    }

    /// 8. nixos-install, its output turned into progress: store paths copied and built, the boot loader.
    func installNixOS() throws {
        var arguments = ["--root", root, "--flake", "\(root)/etc/nixos#\(plan.hostname)", "--no-root-passwd", "--no-channel-copy"]
        if profile.install.offline { arguments += ["--option", "substituters", ""] }
        var copied: Int64 = 0, built: Int64 = 0
        var phase = ""
        try check(Command("nixos-install", arguments), what: "nixos-install") { line in
            if line.hasPrefix("copying path") { copied += 1 }
            if line.hasPrefix("building '") { built += 1 }
            // Phases only move forward: a late line about copying does not undo "installing the boot loader".
            let now = line.contains("installing the boot loader") ? "Installing the boot loader"
                : line.contains("setting up /etc") ? "Setting up the system" : phase.isEmpty && copied + built > 0 ? "Copying and building packages" : phase
            if now != phase || (copied + built) % 50 == 1 {
                phase = now
                emit(.progress, "install/nixos-install", "\(phase) (\(copied) copied, \(built) built)", done: copied + built)
            }
        }
    }

    /// 9. Never declare success on faith: the system profile, the boot loader and the network VM exist.
    func verify() throws {
        var missing: [String] = []
        if !existsInTarget("/nix/var/nix/profiles/system") { missing.append("the system profile (/nix/var/nix/profiles/system)") }
        if plan.firmware == "uefi" {
            let entries = Files.list(root + "/boot/loader/entries").filter { $0.hasSuffix(".conf") }
            if entries.isEmpty { missing.append("a boot loader entry on the EFI system partition (/boot/loader/entries)") }
        } else if !Files.exists(root + "/boot/grub/grub.cfg") {
            missing.append("the GRUB configuration (/boot/grub/grub.cfg)")
        }
        if let network = profile.clan.network, !Files.exists(root + "/etc/nixos/networks/\(network.name).nix") {
            missing.append("the network VM \(network.name)")
        }
        guard missing.isEmpty else {
            throw StepFailure(reason: "the installed system is incomplete: \(missing.joined(separator: "; ")) is missing. Everything stays mounted under \(root) for a helper to look at; the machine will not reboot.")
        }
    }

    /// Whether `path` exists inside the target, following symlinks as the installed system will see them
    /// (an absolute link such as /nix/store/... points into the target, not into the installer).
    func existsInTarget(_ path: String, depth: Int = 0) -> Bool {
        let full = root + path
        guard depth < 16, let target = Files.readLink(full) else { return Files.exists(full) }
        let next = target.hasPrefix("/") ? target : String(path[..<path.lastIndex(of: "/")!]) + "/" + target
        return existsInTarget(next, depth: depth + 1)
    }

    /// 10. What a helper needs later, on the target itself.
    func saveLogs() throws {
        let directory = root + "/var/log/clan-installer"
        try Files.createDirectories(directory, mode: 0o700)
        try Files.write(Array(profile.json().utf8), to: directory + "/profile.json", mode: 0o600)
        try Files.write(Array(machine.json().utf8), to: directory + "/machine.json", mode: 0o600)
        try Files.write(Array(plan.json().utf8), to: directory + "/plan.json", mode: 0o600)
        journal.completed = Clock.iso8601(Clock.now())
        if !journal.finishedSteps.contains("save-logs") { journal.finishedSteps.append("save-logs") }
        saveJournal()
        log.write("install verified; copying the log to the target")
        try Files.write(try Files.read(log.path), to: directory + "/install.log", mode: 0o600)
    }

    /// 12. Reboot, power off or stay, as the profile says (never for image installs).
    func finish() throws {
        emit(.done, "install", "\(plan.hostname) is installed.", result: "SUCCESS")
        guard options.mayPowerOff else {
            log.write("image install: \(profile.finish.rawValue) applies to the machine that boots the image, not to this one")
            return
        }
        switch profile.finish {
        case .stay: return
        case .reboot: try check(Command("reboot"), what: "rebooting")
        case .poweroff: try check(Command("poweroff"), what: "powering off")
        }
    }
}
