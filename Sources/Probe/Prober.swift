import Host

public struct ProbeOptions: Sendable {
    /// Include DMI serial numbers and the system UUID (left out by default: reports travel to admins).
    public var includeSerials: Bool

    public init(includeSerials: Bool = false) {
        self.includeSerials = includeSerials
    }
}

/// Reads the machine. Never throws: what cannot be read is left out and said in `problems`, because a
/// partial report of a half-broken machine is exactly what a helper needs.
public enum Prober {
    public static func probe(_ sources: ProbeSources, options: ProbeOptions = ProbeOptions()) -> MachineReport {
        var problems: [String] = []
        let mountText = Files.text(sources.proc + "/self/mountinfo")
        if mountText == nil { problems.append("could not read /proc/self/mountinfo: mount points are unknown") }
        let mounts = MountTable.parse(mountText ?? "")
        let cpuinfo = Files.text(sources.proc + "/cpuinfo")
        let commandLine = Files.attribute(sources.proc + "/cmdline") ?? ""

        var diskProbe = DiskProbe(sources: sources, mounts: mounts)
        var disks = diskProbe.disks()
        problems += diskProbe.problems
        BootMediumFinder(sys: sources.sys, mounts: mounts, commandLine: commandLine).mark(&disks)

        let system = PlatformProbe.system(sys: sources.sys, includeSerials: options.includeSerials)
        return MachineReport(
            firmware: PlatformProbe.firmware(sys: sources.sys, mounts: mounts),
            cpu: PlatformProbe.cpu(cpuinfo: cpuinfo, problems: &problems),
            memoryBytes: PlatformProbe.memoryBytes(meminfo: Files.text(sources.proc + "/meminfo"), problems: &problems),
            virtualization: PlatformProbe.virtualization(cpuidVendor: sources.cpuidHypervisor, system: system, sys: sources.sys, cpuinfo: cpuinfo),
            system: system,
            disks: disks,
            network: BusProbe.network(sys: sources.sys),
            pci: BusProbe.pci(sys: sources.sys),
            usb: BusProbe.usb(sys: sources.sys),
            kernelCommandLine: commandLine,
            problems: problems)
    }
}
