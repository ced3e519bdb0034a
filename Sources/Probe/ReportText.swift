/// The probe's summary for a person: disks first (that is what they are about to choose between),
/// then the machine, the network cards and anything that could not be read.
public enum ReportText {
    public static func render(_ report: MachineReport) -> String {
        var lines: [String] = ["Disks"]
        if report.disks.isEmpty { lines.append("  (none found)") }
        for disk in report.disks {
            var facts = [ByteCount.decimal(disk.sizeBytes), disk.transport.rawValue]
            if disk.kind == "cdrom" { facts.append("optical") }
            if disk.removable { facts.append("removable") }
            if disk.readOnly { facts.append("read-only") }
            // virtio and loop devices report "rotational" without meaning it.
            if disk.kind == "disk", [.sata, .nvme, .scsi, .usb].contains(disk.transport) { facts.append(disk.rotational ? "HDD" : "SSD") }
            lines.append("  \(pad(disk.name, 9)) \(pad(disk.model ?? (disk.transport == .loop ? "disk image" : "unknown model"), 28)) \(facts.joined(separator: ", "))")
            var identity: [String] = []
            if let serial = disk.serial { identity.append("serial \(serial)") }
            if let wwn = disk.wwn { identity.append("wwn \(wwn)") }
            if let backing = disk.backingFile { identity.append("file \(backing)") }
            if !identity.isEmpty { lines.append("            " + identity.joined(separator: "  ")) }
            lines.append("            holds: \(disk.description)")
            if let reason = disk.bootMediumReason {
                lines.append("            BOOT MEDIUM: \(reason); never offered as a target")
            } else if disk.isInUse {
                let mounts = disk.mountPoints + disk.partitions.flatMap(\.mountPoints) + (disk.holders + disk.partitions.flatMap(\.holders)).flatMap(\.mountPoints)
                let holders = (disk.holders + disk.partitions.flatMap(\.holders)).map { "\($0.kind.rawValue) \($0.name)" }
                lines.append("            IN USE: " + (mounts.map { "mounted on \($0)" } + holders.map { "held by \($0)" }).joined(separator: ", "))
            }
            for partition in disk.partitions {
                let filesystem = partition.filesystem.map { fs in fs.type + (fs.label.map { " \"\($0)\"" } ?? "") } ?? "-"
                let label = partition.partLabel.map { " [\($0)]" } ?? ""
                lines.append("            \(pad(partition.name, 12)) \(pad(ByteCount.decimal(partition.sizeBytes), 8)) \(filesystem)\(label)")
            }
        }

        lines += ["", "Machine"]
        let firmware = report.firmware.mode == .uefi
            ? "UEFI" + (report.firmware.secureBoot.map { $0 ? ", Secure Boot on" : ", Secure Boot off" } ?? "")
                + (report.firmware.efiVariablesWritable == false ? ", EFI variables read-only" : "")
            : "BIOS (legacy boot)"
        lines.append("  Firmware        \(firmware)")
        let cpu = report.cpu
        let virtualization = cpu.virtualizationFlag.map { $0 == "vmx" ? ", VT-x" : ", AMD-V" } ?? ""
        lines.append("  CPU             \(cpu.model), \(cpu.cores) cores / \(cpu.threads) threads\(virtualization)")
        lines.append("  Memory          \(ByteCount.binary(report.memoryBytes))")
        let system = [report.system.vendor, report.system.product].compactMap { $0 }.joined(separator: " ")
        lines.append("  System          \(system.isEmpty ? "unknown" : system)")
        lines.append("  Virtualisation  \(report.virtualization == "none" ? "none (real hardware)" : report.virtualization)")

        lines += ["", "Network"]
        if report.network.isEmpty { lines.append("  (no network card found)") }
        for interface in report.network {
            let kind = interface.wireless ? "Wi-Fi" : "wired"
            let link = interface.carrier == true ? "link up" + (interface.speedMbps.map { " \($0) Mb/s" } ?? "") : interface.wireless ? interface.state : "no cable"
            lines.append("  \(pad(interface.name, 16)) \(pad(kind, 6)) \(pad(interface.mac ?? "-", 18)) \(pad(interface.driver ?? "-", 12)) \(link)")
        }

        if !report.problems.isEmpty {
            lines += ["", "Could not read"]
            lines += report.problems.map { "  - " + $0 }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
