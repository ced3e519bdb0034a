import Probe
import Profile

/// Why no safe plan exists on this machine, in words a person can act on.
public struct PlanRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Chooses the install target and checks that writing to it is safe and allowed.
enum TargetSelection {
    /// The smallest root filesystem that holds a NixOS Base OS with room for its first network VM.
    static let minimumRootBytes: UInt64 = 12 << 30

    /// Disks that are installable at all (not optical drives, not loop devices for rules).
    static func candidates(_ machine: MachineReport) -> [Disk] {
        machine.disks.filter { $0.kind == "disk" }
    }

    static func choose(_ selector: DiskSelector, machine: MachineReport, profile: InstallProfile, minimumBytes: UInt64) -> Result<(Disk, String), PlanRefusal> {
        let disks = candidates(machine)
        let matches: [Disk]
        let description: String
        switch selector {
        case .byId(let id):
            description = "by-id name \(id)"
            matches = disks.filter { $0.byId.contains(id) }
        case .serial(let serial):
            description = "serial \(serial)"
            matches = disks.filter { $0.serial == serial }
        case .wwn(let wwn):
            description = "WWN \(wwn)"
            matches = disks.filter { $0.wwn?.lowercased() == wwn.lowercased() }
        case .rule(let rule):
            return chooseByRule(rule, disks: disks.filter { $0.transport != .loop }, profile: profile, minimumBytes: minimumBytes)
        }
        if matches.isEmpty {
            return .failure(PlanRefusal(reason: "no disk has the \(description). Disks on this machine:\n" + list(disks)))
        }
        if matches.count > 1 {
            return .failure(PlanRefusal(reason: "the \(description) matches \(matches.count) disks, so it does not say which one to erase:\n" + list(matches)))
        }
        if let problem = unsuitability(matches[0], profile: profile, minimumBytes: minimumBytes) {
            return .failure(PlanRefusal(reason: "\(matches[0].name) (\(summary(matches[0]))) \(problem)"))
        }
        return .success((matches[0], description))
    }

    /// The loop device an image file is attached to; it must be that file's, and big enough.
    static func chooseImage(_ image: Planner.ImageTarget, machine: MachineReport, profile: InstallProfile, minimumBytes: UInt64) -> Result<Disk, PlanRefusal> {
        guard let disk = machine.disks.first(where: { $0.path == image.loopDevice }), disk.backingFile == image.imagePath else {
            return .failure(PlanRefusal(reason: "\(image.loopDevice) is not attached to \(image.imagePath)"))
        }
        if let problem = unsuitability(disk, profile: profile, minimumBytes: minimumBytes) {
            return .failure(PlanRefusal(reason: "the image \(image.imagePath) \(problem)"))
        }
        return .success(disk)
    }

    private static func chooseByRule(_ rule: DiskRule, disks: [Disk], profile: InstallProfile, minimumBytes: UInt64) -> Result<(Disk, String), PlanRefusal> {
        var words = [rule.pick.rawValue, rule.kind == .any ? "disk" : rule.kind == .ssd ? "SSD" : "hard disk"]
        if let minSize = rule.minSize { words.append("of at least \(minSize)") }
        let description = "the rule: the " + words.joined(separator: " ")
        var rejected: [String] = []
        var eligible: [Disk] = []
        for disk in disks {
            if rule.kind == .ssd && disk.rotational && disk.transport != .virtio { rejected.append("\(disk.name) is a hard disk"); continue }
            if rule.kind == .hdd && !disk.rotational { rejected.append("\(disk.name) is not a hard disk"); continue }
            if let minSize = rule.minSize, disk.sizeBytes < minSize.bytes {
                rejected.append("\(disk.name) is smaller than \(minSize) (\(ByteCount.decimal(disk.sizeBytes)))"); continue
            }
            if let problem = unsuitability(disk, profile: profile, minimumBytes: minimumBytes) { rejected.append("\(disk.name) \(problem)"); continue }
            eligible.append(disk)
        }
        let sorted = eligible.sorted { $0.sizeBytes != $1.sizeBytes ? $0.sizeBytes < $1.sizeBytes : $0.name < $1.name }
        guard let chosen = rule.pick == .largest ? sorted.last : sorted.first else {
            return .failure(PlanRefusal(reason: "no disk fits \(description):\n" + rejected.map { "  - " + $0 }.joined(separator: "\n")))
        }
        return .success((chosen, description))
    }

    /// Why this disk can never be the target, or nil. Data on it is handled by the authorization step.
    static func unsuitability(_ disk: Disk, profile: InstallProfile, minimumBytes: UInt64) -> String? {
        if let reason = disk.bootMediumReason { return "is the boot medium (it \(reason)): the installer never installs over itself" }
        if disk.readOnly { return "is read-only" }
        if disk.removable && !profile.disk.allowRemovable {
            return "is removable (\(disk.transport.rawValue)); set disk.allowRemovable to true to install to it"
        }
        if disk.isInUse { return "is in use (\(inUseWords(disk))): stop using it first" }
        if disk.sizeBytes < minimumBytes {
            // Rounded up, so that a disk of exactly the stated size is large enough.
            let tenths = (minimumBytes * 10 + (1 << 30) - 1) >> 30
            return "is too small: \(ByteCount.decimal(disk.sizeBytes)); this install needs at least \(tenths / 10).\(tenths % 10) GiB"
        }
        return nil
    }

    static func inUseWords(_ disk: Disk) -> String {
        let mounts = disk.mountPoints + disk.partitions.flatMap(\.mountPoints)
        let holders = disk.holders + disk.partitions.flatMap(\.holders)
        let held = holders.map { holder in
            let kind = holder.kind == .raid ? "RAID" : holder.kind == .luks ? "open LUKS mapping" : holder.kind.rawValue
            return "\(kind) \(holder.name)" + (holder.kind == .raid ? "" : holder.detail.map { " (\($0))" } ?? "")
        }
        let stacked = holders.flatMap(\.mountPoints)
        return (mounts.map { "mounted on \($0)" } + held.map { "held by \($0)" } + stacked.map { "mounted on \($0) through it" }).joined(separator: ", ")
    }

    static func summary(_ disk: Disk) -> String {
        ([disk.model, ByteCount.decimal(disk.sizeBytes)] + [disk.serial.map { "serial \($0)" }]).compactMap { $0 }.joined(separator: ", ")
    }

    static func list(_ disks: [Disk]) -> String {
        disks.isEmpty ? "  (none)" : disks.map { disk in
            "  - \(disk.name): \(summary(disk)), holds \(disk.description)" + (disk.isBootMedium ? " (the boot medium)" : "")
        }.joined(separator: "\n")
    }

    /// Whether the disk holds anything a person could lose.
    static func holdsData(_ disk: Disk) -> Bool {
        disk.partitionTable != nil || disk.filesystem != nil || !disk.partitions.isEmpty || disk.description != "empty"
    }

    /// How erasing `disk` is allowed: a binding by serial/WWN in the profile or on the kernel command
    /// line, "empty" for a blank disk, or (guided) a typed confirmation still to come. Nil: refused.
    static func authorization(_ disk: Disk, profile: InstallProfile, commandLine: String) -> Result<InstallPlan.Authorization, PlanRefusal> {
        let identities = [disk.serial, disk.wwn].compactMap { $0 }
        if let bound = profile.disk.wipe.first(where: { identities.contains($0) }) {
            return .success(.init(kind: .wipeBinding, detail: "disk.wipe names \(bound)"))
        }
        let bootValues = commandLine.split(separator: " ").compactMap { $0.hasPrefix("clan.wipe=") ? String($0.dropFirst(10)) : nil }
        if let bound = bootValues.first(where: { identities.contains($0) }) {
            return .success(.init(kind: .kernelCommandLine, detail: "clan.wipe=\(bound) on the kernel command line"))
        }
        if !holdsData(disk) && profile.disk.wipe.contains("empty") {
            return .success(.init(kind: .emptyDisk, detail: "the disk is empty and disk.wipe allows empty disks"))
        }
        if profile.interactive.contains(.disk) {
            return .success(.init(kind: .typedConfirmationNeeded, detail: "type \(disk.serial ?? disk.name) to confirm erasing \(disk.name)"))
        }
        let name = disk.serial ?? disk.wwn
        let binding = name.map { "disk.wipe names its serial (\($0))" + (disk.wwn.map { " or WWN (\($0))" } ?? "") + " or the kernel command line says clan.wipe=\($0)" }
            ?? "the disk has no serial or WWN to bind to; choose it in the guided installer"
        if holdsData(disk) {
            return .failure(PlanRefusal(reason: "\(disk.name) (\(summary(disk))) holds \(disk.description); an unattended install erases it only when \(binding)"))
        }
        return .failure(PlanRefusal(reason: "\(disk.name) (\(summary(disk))) is empty, but an unattended install writes only to a disk it is bound to: \(binding), or disk.wipe contains \"empty\""))
    }
}
