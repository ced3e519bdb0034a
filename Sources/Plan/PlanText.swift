import Probe

/// The plan as a person reads it before anything is touched: which disk, why it may be erased, what
/// will be lost, the new layout drawn to scale, the files and the steps.
public enum PlanText {
    public static func render(_ plan: InstallPlan) -> String {
        var lines = ["Install plan for \(plan.hostname)", ""]
        let target = plan.target
        let identity = [target.model, ByteCount.decimal(target.sizeBytes), target.serial.map { "serial \($0)" }, target.transport]
            .compactMap { $0 }.joined(separator: ", ")
        lines.append("Target disk   \(target.name): \(identity)")
        lines.append("              \(target.stablePath)")
        lines.append("              chosen by \(target.chosenBy)")
        if plan.authorization.kind == .typedConfirmationNeeded {
            lines.append("Confirmation  NEEDED: \(plan.authorization.detail)")
        } else {
            lines.append("Allowed by    \(plan.authorization.detail)")
        }

        lines.append("")
        if plan.destroys.isEmpty {
            lines.append("Nothing will be lost: the disk is empty.")
        } else {
            lines.append("WILL BE ERASED")
            lines += plan.destroys.map { "  " + $0 }
        }

        lines += ["", "New layout (GPT, \(plan.firmware == "uefi" ? "UEFI" : "BIOS"))", "  " + picture(plan.layout.partitions, width: 72)]
        for partition in plan.layout.partitions {
            lines.append("  \(partition.number)  \(pad(partition.partLabel, 16)) \(pad(ByteCount.binaryShort(partition.sizeBytes), 7)) \(contentWords(partition.content))")
        }
        if let swapFile = plan.swapFile {
            lines.append("     swap file \(swapFile.path), \(ByteCount.binaryShort(swapFile.sizeBytes))")
        }

        lines += ["", "Files"]
        let width = plan.files.map(\.path.count).max() ?? 0
        lines += plan.files.map { "  \(pad($0.path, width)) \($0.mode == "0600" ? "(0600) " : "")\($0.purpose)" }
        if !plan.secrets.isEmpty {
            lines += ["", "Secrets"]
            lines += plan.secrets.map { "  \($0.what): \($0.source == "prompt" ? "asked at the machine" : "from the secrets file")" }
        }
        lines += ["", "Steps"]
        for (index, step) in plan.steps.enumerated() {
            lines.append("  \(index + 1 < 10 ? " " : "")\(index + 1). \(step.title)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `[ESP 512M][          root 474G (LUKS)          ][swap 8G]`, each partition at least as wide
    /// as its name and size, the rest shared out by size.
    static func picture(_ partitions: [InstallPlan.PlannedPartition], width: Int) -> String {
        let labels = partitions.map { partition -> String in
            let name = partition.content.kind == .luks ? "root" : partition.name
            return "\(name) \(ByteCount.binaryShort(partition.sizeBytes))" + (partition.content.kind == .luks ? " (LUKS)" : "")
        }
        let minimums = labels.map { $0.count + 2 }
        let total = partitions.reduce(UInt64(0)) { $0 + $1.sizeBytes }
        let spare = max(0, width - minimums.reduce(0, +))
        var widths = zip(partitions, minimums).map { partition, minimum in
            minimum + Int(Double(spare) * Double(partition.sizeBytes) / Double(max(total, 1)))
        }
        // Rounding leaves a few columns over; give them to the largest partition.
        if let largest = partitions.indices.max(by: { partitions[$0].sizeBytes < partitions[$1].sizeBytes }) {
            widths[largest] += max(0, max(width, minimums.reduce(0, +)) - widths.reduce(0, +))
        }
        return zip(labels, widths).map { label, width in
            let inner = width - 2
            let left = (inner - label.count) / 2
            return "[" + String(repeating: " ", count: left) + label + String(repeating: " ", count: inner - left - label.count) + "]"
        }.joined()
    }

    static func contentWords(_ content: InstallPlan.Content) -> String {
        switch content.kind {
        case .biosBoot:
            return "BIOS boot partition (GRUB)"
        case .swap:
            return "swap" + (content.randomEncryption ? " (new random key at every boot)" : "")
        case .luks:
            return "LUKS2 /dev/mapper/\(content.luksName ?? "") -> " + content.inner.map(contentWords).joined(separator: ", ")
        case .filesystem:
            var words = "\(content.format ?? "?")" + (content.label.map { " \"\($0)\"" } ?? "")
            if let mountPoint = content.mountPoint { words += " on \(mountPoint)" }
            if !content.subvolumes.isEmpty {
                words += " with subvolumes " + content.subvolumes.map { "\($0.name) on \($0.mountPoint)" }.joined(separator: ", ")
            }
            return words
        }
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
