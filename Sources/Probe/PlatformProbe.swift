import Host

/// The machine as a whole: CPU, memory, firmware, DMI identity, virtualisation.
enum PlatformProbe {
    static func cpu(cpuinfo: String?, problems: inout [String]) -> CPU {
        guard let cpuinfo else {
            problems.append("could not read /proc/cpuinfo: CPU details are unknown")
            return CPU(vendor: "unknown", model: "unknown", sockets: 1, cores: 1, threads: 1)
        }
        let stanzas = parseStanzas(cpuinfo).filter { $0["processor"] != nil }
        guard let first = stanzas.first else {
            problems.append("/proc/cpuinfo lists no processor: CPU details are unknown")
            return CPU(vendor: "unknown", model: "unknown", sockets: 1, cores: 1, threads: 1)
        }
        let rawVendor = first["vendor_id"] ?? first["CPU implementer"] ?? "unknown"
        let vendor = switch rawVendor {
        case "GenuineIntel": "intel"
        case "AuthenticAMD", "HygonGenuine": "amd"
        default: rawVendor
        }
        let flags = Set((first["flags"] ?? "").split(separator: " ").map(String.init))
        let sockets = Set(stanzas.compactMap { $0["physical id"] })
        let cores = Set(stanzas.compactMap { stanza in stanza["core id"].map { (stanza["physical id"] ?? "0") + "/" + $0 } })
        return CPU(vendor: vendor,
                   model: first["model name"] ?? first["Model"] ?? first["cpu model"] ?? "unknown",
                   sockets: max(1, sockets.count),
                   cores: cores.isEmpty ? stanzas.count : cores.count,
                   threads: stanzas.count,
                   virtualizationFlag: flags.contains("vmx") ? "vmx" : flags.contains("svm") ? "svm" : nil,
                   microcode: vendor == "intel" || vendor == "amd" ? vendor : nil)
    }

    /// Splits "key : value" lines into one dictionary per blank-line separated stanza.
    private static func parseStanzas(_ text: String) -> [[String: String]] {
        var stanzas: [[String: String]] = [[:]]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let colon = line.firstIndex(of: ":") else {
                if line.trimmingWhitespace().isEmpty, !stanzas[stanzas.count - 1].isEmpty { stanzas.append([:]) }
                continue
            }
            let key = String(line[..<colon]).trimmingWhitespace()
            if stanzas[stanzas.count - 1][key] == nil {
                stanzas[stanzas.count - 1][key] = String(line[line.index(after: colon)...]).trimmingWhitespace()
            }
        }
        return stanzas
    }

    static func memoryBytes(meminfo: String?, problems: inout [String]) -> UInt64 {
        for line in (meminfo ?? "").split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kib = UInt64(fields[1]), kib < UInt64.max / 1024 { return kib * 1024 }
        }
        problems.append("could not read the memory size from /proc/meminfo")
        return 0
    }

    static func firmware(sys: String, mounts: [Mount]) -> Firmware {
        guard Files.isDirectory(sys + "/firmware/efi") else { return Firmware(mode: .bios) }
        // efivarfs files start with 4 bytes of attributes; the fifth byte is the variable's value.
        let secureBoot = (try? Files.read(sys + "/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-e398032c4efd"))
            .flatMap { $0.count >= 5 ? $0[4] == 1 : nil }
        let efivars = mounts.last { $0.fileSystemType == "efivarfs" }
        return Firmware(mode: .uefi, secureBoot: secureBoot,
                        efiVariablesWritable: efivars.map { $0.options.contains("rw") } ?? false,
                        efiPlatformBits: Files.attribute(sys + "/firmware/efi/fw_platform_size").flatMap { Int($0) })
    }

    static func system(sys: String, includeSerials: Bool) -> SystemInfo {
        let dmi = { (name: String) -> String? in
            guard let value = Files.attribute(sys + "/class/dmi/id/" + name) else { return nil }
            // Boards fill unset DMI strings with placeholders; an absent value is more honest.
            let placeholders: Set<String> = ["To Be Filled By O.E.M.", "Default string", "System Product Name",
                                             "Not Specified", "Not Applicable", "None", "0123456789", "Type1ProductConfigId"]
            return placeholders.contains(value) ? nil : value
        }
        return SystemInfo(vendor: dmi("sys_vendor"), product: dmi("product_name"), productVersion: dmi("product_version"),
                          boardVendor: dmi("board_vendor"), boardName: dmi("board_name"),
                          biosVendor: dmi("bios_vendor"), biosVersion: dmi("bios_version"),
                          chassisType: dmi("chassis_type").flatMap { Int($0) },
                          serial: includeSerials ? dmi("product_serial") : nil,
                          boardSerial: includeSerials ? dmi("board_serial") : nil,
                          uuid: includeSerials ? dmi("product_uuid") : nil)
    }

    /// Which hypervisor runs this machine, named as systemd-detect-virt names it: the CPUID signature
    /// first, then DMI strings, then Xen's sysfs node, then the bare hypervisor CPU flag.
    static func virtualization(cpuidVendor: String?, system: SystemInfo, sys: String, cpuinfo: String?) -> String {
        let dmiVendor = dmiHypervisor(system)
        // Like systemd: these DMI answers are more specific than the CPUID signature they run under.
        if let dmiVendor, ["oracle", "xen", "amazon"].contains(dmiVendor) { return dmiVendor }
        if let cpuidVendor {
            let known: [String: String] = [
                "KVMKVMKVM": "kvm", "TCGTCGTCGTCG": "qemu", "Microsoft Hv": "microsoft", "VMwareVMware": "vmware",
                "XenVMMXenVMM": "xen", "VBoxVBoxVBox": "oracle", "bhyve bhyve ": "bhyve", "ACRNACRNACRN": "acrn",
                "QNXQVMBSQG": "qnx", "___ NVMM ___": "nvmm", "Linux KVM Hv": "kvm", "SRESRESRESRE": "sre",
                "Apple VZ": "apple",
            ]
            if let name = known[cpuidVendor] ?? known.first(where: { cpuidVendor.hasPrefix($0.key) })?.value { return name }
        }
        if Files.attribute(sys + "/hypervisor/type") == "xen" { return "xen" }
        if let dmiVendor { return dmiVendor }
        if let cpuinfo, cpuinfo.split(separator: "\n").contains(where: { $0.hasPrefix("flags") && $0.split(separator: " ").contains("hypervisor") }) {
            return "vm-other"
        }
        return "none"
    }

    private static func dmiHypervisor(_ system: SystemInfo) -> String? {
        let table: [(String, String)] = [
            ("KVM", "kvm"), ("OpenStack", "kvm"), ("KubeVirt", "kvm"), ("Amazon EC2", "amazon"), ("QEMU", "qemu"),
            ("VMware", "vmware"), ("VMW", "vmware"), ("innotek GmbH", "oracle"), ("VirtualBox", "oracle"),
            ("Oracle Corporation", "oracle"), ("Xen", "xen"), ("Bochs", "bochs"), ("Parallels", "parallels"),
            ("BHYVE", "bhyve"), ("Hyper-V", "microsoft"), ("Apple Virtualization", "apple"), ("Google Compute Engine", "google"),
        ]
        for value in [system.product, system.vendor, system.boardVendor, system.biosVendor].compactMap({ $0 }) {
            if let match = table.first(where: { value.hasPrefix($0.0) }) { return match.1 }
        }
        if system.vendor == "Microsoft Corporation", system.product == "Virtual Machine" { return "microsoft" }
        return nil
    }
}
