import Host
import Udev
import CCpuid

/// Where the prober reads the machine from. The live machine is `/`; a captured fixture tree is any
/// directory holding `sys/`, `proc/` and `run/udev/data/` laid out as on a real system.
public struct ProbeSources: Sendable {
    public var sys: String
    public var proc: String
    public var dev: String
    public var run: String
    /// Read partition tables and filesystem signatures from the device nodes with libblkid. Off for
    /// captured trees, whose `dev/` holds no devices: there the udev database is the only source.
    public var readsDeviceNodes: Bool
    /// Ask libudev (which reads only the live /sys and /run/udev) instead of reading database files.
    public var usesLibudev: Bool
    /// The CPUID hypervisor vendor signature ("KVMKVMKVM"), which no file holds.
    public var cpuidHypervisor: String?

    /// The running machine.
    public static func live() -> ProbeSources {
        var vendor = [CChar](repeating: 0, count: 13)
        let hasHypervisor = clan_cpuid_hypervisor_vendor(&vendor) == 1
        // Without udevd (a busybox initramfs) libudev has no database to offer: skip it entirely.
        return ProbeSources(sys: "/sys", proc: "/proc", dev: "/dev", run: "/run", readsDeviceNodes: true,
                            usesLibudev: Files.isDirectory("/run/udev/data"),
                            cpuidHypervisor: hasHypervisor ? String(decoding: vendor.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : nil)
    }

    /// A captured tree rooted at `root` (fixtures, or a copy taken from another machine).
    public static func captured(root: String, cpuidHypervisor: String? = nil) -> ProbeSources {
        ProbeSources(sys: root + "/sys", proc: root + "/proc", dev: root + "/dev", run: root + "/run",
                     readsDeviceNodes: false, usesLibudev: false, cpuidHypervisor: cpuidHypervisor)
    }

    /// udev's properties and /dev links for a device, from libudev or from udev's database files.
    func udevRecord(sysPath: String, devnum: String?) -> UdevRecord? {
        if usesLibudev {
            guard let device = Udev.device(atSysPath: sysPath) else { return nil }
            return UdevRecord(properties: device.properties, links: device.links.map { String($0.dropFirst("/dev/".count)) })
        }
        guard let devnum, let text = Files.text("\(run)/udev/data/b\(devnum)") else { return nil }
        return UdevRecord(databaseText: text)
    }
}

/// One device's entry in udev's database: `E:KEY=value` properties and `S:disk/by-id/...` links.
struct UdevRecord: Equatable {
    var properties: [String: String]
    /// Links relative to /dev, e.g. `disk/by-id/ata-...`.
    var links: [String]

    init(properties: [String: String], links: [String]) {
        self.properties = properties
        self.links = links
    }

    init(databaseText: String) {
        var properties: [String: String] = [:]
        var links: [String] = []
        for line in databaseText.split(separator: "\n") {
            if line.hasPrefix("E:"), let equals = line.firstIndex(of: "=") {
                properties[String(line[line.index(line.startIndex, offsetBy: 2)..<equals])] = String(line[line.index(after: equals)...])
            } else if line.hasPrefix("S:") {
                links.append(String(line.dropFirst(2)))
            }
        }
        self.init(properties: properties, links: links.sorted())
    }

    subscript(key: String) -> String? {
        guard let value = properties[key], !value.isEmpty else { return nil }
        return value
    }

    /// Whether udev's database knows the device (libudev also returns bare kernel properties without it).
    var hasDatabaseEntry: Bool {
        !links.isEmpty || properties.keys.contains { $0.hasPrefix("ID_") }
    }

    /// The names under /dev/disk/by-id.
    var byIdNames: [String] {
        links.filter { $0.hasPrefix("disk/by-id/") }.map { String($0.dropFirst("disk/by-id/".count)) }.sorted()
    }

    /// udev escapes unsafe characters as `\xNN` (spaces in partition names become `\x20`).
    static func unescape(_ value: String) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(value.utf8)[...]
        while let byte = utf8.first {
            if byte == UInt8(ascii: "\\"), utf8.count >= 4, utf8.dropFirst().first == UInt8(ascii: "x"),
               let code = UInt8(String(decoding: utf8.dropFirst(2).prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(code)
                utf8 = utf8.dropFirst(4)
            } else {
                bytes.append(byte)
                utf8 = utf8.dropFirst()
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The filesystem udev's blkid builtin recorded, if any.
    var filesystem: Filesystem? {
        guard let type = self["ID_FS_TYPE"] else { return nil }
        return Filesystem(type: type, label: self["ID_FS_LABEL_ENC"].map(Self.unescape) ?? self["ID_FS_LABEL"],
                          uuid: self["ID_FS_UUID"], version: self["ID_FS_VERSION"], usage: self["ID_FS_USAGE"])
    }
}
