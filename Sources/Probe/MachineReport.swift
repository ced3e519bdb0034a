/// What the machine *is*: everything later stages need to know about the hardware, as plain data.
///
/// It is Codable on purpose: a saved report (`--machine FILE`) replays a machine exactly, so planning,
/// config generation and the guided UI can be tested and demonstrated without the hardware.
public struct MachineReport: Codable, Equatable, Sendable {
    /// Format version of this document; bump on incompatible changes.
    public var version: Int = 1
    public var firmware: Firmware
    public var cpu: CPU
    public var memoryBytes: UInt64
    public var virtualization: String
    public var system: SystemInfo
    /// Every block device that could be a target or a source, in kernel name order.
    public var disks: [Disk]
    public var network: [NetworkInterface]
    public var pci: [PCIDevice]
    public var usb: [USBDevice]
    public var kernelCommandLine: String
    /// What the prober could not read or had to guess, in plain words. Empty on a clean probe.
    public var problems: [String]

    public init(firmware: Firmware, cpu: CPU, memoryBytes: UInt64, virtualization: String, system: SystemInfo,
                disks: [Disk], network: [NetworkInterface], pci: [PCIDevice], usb: [USBDevice],
                kernelCommandLine: String, problems: [String]) {
        self.firmware = firmware
        self.cpu = cpu
        self.memoryBytes = memoryBytes
        self.virtualization = virtualization
        self.system = system
        self.disks = disks
        self.network = network
        self.pci = pci
        self.usb = usb
        self.kernelCommandLine = kernelCommandLine
        self.problems = problems
    }

    /// The disks the installer booted from; never offered as targets.
    public var bootMedia: [Disk] { disks.filter(\.isBootMedium) }
}

public struct Firmware: Codable, Equatable, Sendable {
    public enum Mode: String, Codable, Sendable { case uefi, bios }
    public var mode: Mode
    /// Secure Boot state; nil on BIOS or when the variable cannot be read.
    public var secureBoot: Bool?
    /// Whether EFI variables can be written (efivarfs mounted read-write): needed to add a boot entry.
    public var efiVariablesWritable: Bool?
    /// 64 or 32 (32-bit UEFI on 64-bit CPUs exists on cheap tablets and needs a different bootloader).
    public var efiPlatformBits: Int?

    public init(mode: Mode, secureBoot: Bool? = nil, efiVariablesWritable: Bool? = nil, efiPlatformBits: Int? = nil) {
        self.mode = mode
        self.secureBoot = secureBoot
        self.efiVariablesWritable = efiVariablesWritable
        self.efiPlatformBits = efiPlatformBits
    }
}

public struct CPU: Codable, Equatable, Sendable {
    /// `intel`, `amd`, or the raw vendor string for others.
    public var vendor: String
    public var model: String
    public var sockets: Int
    public var cores: Int
    public var threads: Int
    /// `vmx` (Intel VT-x) or `svm` (AMD-V) when the CPU offers hardware virtualisation.
    public var virtualizationFlag: String?
    /// Which NixOS microcode option applies: `intel` or `amd`.
    public var microcode: String?
}

/// DMI identity. Serial numbers and the system UUID are present only when asked for
/// (`--include-serials`), because reports travel to admins and helpers.
public struct SystemInfo: Codable, Equatable, Sendable {
    public var vendor: String?
    public var product: String?
    public var productVersion: String?
    public var boardVendor: String?
    public var boardName: String?
    public var biosVendor: String?
    public var biosVersion: String?
    public var chassisType: Int?
    public var serial: String?
    public var boardSerial: String?
    public var uuid: String?
}

/// A filesystem or similar signature (LUKS header, RAID member, swap) found on a disk or partition.
public struct Filesystem: Codable, Equatable, Sendable {
    public var type: String
    public var label: String?
    public var uuid: String?
    public var version: String?
    /// `filesystem`, `crypto`, `raid`, `other`.
    public var usage: String?

    public init(type: String, label: String? = nil, uuid: String? = nil, version: String? = nil, usage: String? = nil) {
        self.type = type
        self.label = label
        self.uuid = uuid
        self.version = version
        self.usage = usage
    }
}

/// A device stacked on top of a disk or partition: an open LUKS mapping, an LVM volume, a RAID array.
public struct Holder: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable { case luks, lvm, raid, multipath, deviceMapper, other }
    public var name: String
    public var kind: Kind
    /// The mapping name (`cryptroot`) or the RAID level (`raid1`).
    public var detail: String?
    public var filesystem: Filesystem?
    /// Where this holder, or anything stacked on it, is mounted.
    public var mountPoints: [String]
}

public struct Partition: Codable, Equatable, Sendable {
    public var number: Int
    /// Kernel name, e.g. `nvme0n1p2`.
    public var name: String
    public var path: String
    public var startBytes: UInt64
    public var sizeBytes: UInt64
    /// GPT type GUID (lower case) or MBR type (`0x83`).
    public var type: String?
    public var partLabel: String?
    public var partUUID: String?
    public var byId: [String]
    public var filesystem: Filesystem?
    /// On an EFI system partition read from the device: the directories under `/EFI` (`Microsoft`,
    /// `ubuntu`, `systemd`, `BOOT`), which tell which systems it boots. Nil when not read.
    public var efiDirectories: [String]?
    /// systemd-boot entries in `/loader/entries` (NixOS names them `nixos-generation-N.conf`).
    public var bootLoaderEntries: [String]?
    public var mountPoints: [String]
    public var holders: [Holder]
}

public struct Disk: Codable, Equatable, Sendable {
    public enum Transport: String, Codable, Sendable { case nvme, sata, usb, virtio, mmc, scsi, loop, unknown }

    /// Kernel name, e.g. `nvme0n1`.
    public var name: String
    public var path: String
    /// Names under /dev/disk/by-id, the stable identities a plan refers to.
    public var byId: [String]
    public var model: String?
    public var serial: String?
    /// World Wide Name (`0x5002538e...`) or NVMe EUI (`eui.0025385b...`).
    public var wwn: String?
    public var sizeBytes: UInt64
    public var logicalSectorSize: Int
    public var physicalSectorSize: Int
    public var rotational: Bool
    public var removable: Bool
    public var readOnly: Bool
    public var transport: Transport
    /// `cdrom` for optical drives; otherwise `disk`.
    public var kind: String
    /// The file behind a loop device.
    public var backingFile: String?
    public var partitionTable: PartitionTable?
    /// A filesystem directly on the whole disk (no partition table), or an ISO image's iso9660.
    public var filesystem: Filesystem?
    public var partitions: [Partition]
    public var mountPoints: [String]
    public var holders: [Holder]
    /// Why this disk is the medium the installer runs from; nil when it is not.
    public var bootMediumReason: String?
    /// What is on the disk, in plain words: "Windows (NTFS, 475 GB)", "empty".
    public var description: String

    public var isBootMedium: Bool { bootMediumReason != nil }

    /// Mounted, or held by LUKS/LVM/RAID, itself or through any of its partitions.
    public var isInUse: Bool {
        !mountPoints.isEmpty || !holders.isEmpty || partitions.contains { !$0.mountPoints.isEmpty || !$0.holders.isEmpty }
    }
}

public struct PartitionTable: Codable, Equatable, Sendable {
    /// `gpt` or `dos`.
    public var type: String
    public var uuid: String?

    public init(type: String, uuid: String? = nil) {
        self.type = type
        self.uuid = uuid
    }
}

public struct NetworkInterface: Codable, Equatable, Sendable {
    public var name: String
    public var mac: String?
    public var driver: String?
    /// The kernel's operstate: `up`, `down`, `dormant`, `unknown`.
    public var state: String
    public var carrier: Bool?
    public var wireless: Bool
    public var speedMbps: Int?
    /// `pci`, `usb`, `virtio` or `other`: where the card sits.
    public var bus: String
    /// PCI address (`0000:00:14.3`) or USB port path (`2-1`).
    public var busPath: String?
}

public struct PCIDevice: Codable, Equatable, Sendable {
    public var address: String
    public var vendorId: String
    public var deviceId: String
    public var subsystemVendorId: String?
    public var subsystemDeviceId: String?
    /// Six hex digits: base class, subclass, programming interface (`010802` is an NVMe controller).
    public var classCode: String
    public var className: String
    public var driver: String?
    public var modalias: String?
}

public struct USBDevice: Codable, Equatable, Sendable {
    /// Port path, e.g. `2-1` or `1-4.2`.
    public var path: String
    public var vendorId: String
    public var productId: String
    public var manufacturer: String?
    public var product: String?
    public var deviceClass: String
    public var speedMbps: Int?
    public var interfaces: [USBInterface]
}

public struct USBInterface: Codable, Equatable, Sendable {
    public var name: String
    /// Two hex digits: `08` mass storage, `03` HID, `09` hub, `e0` wireless, `ff` vendor specific.
    public var interfaceClass: String
    public var interfaceSubclass: String?
    public var interfaceProtocol: String?
    public var driver: String?
    public var modalias: String?
}
