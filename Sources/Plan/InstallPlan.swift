import Host
import Probe
import Profile

/// Everything an install will do, decided before any disk is touched: which disk and why that is
/// safe, what will be destroyed, the partition layout (the one value both the disk and the generated
/// disko.nix follow), the mounts, the files and the steps. Plain data: printed for a person, saved as
/// JSON, and recomputed by the executor to check that nothing changed.
public struct InstallPlan: Codable, Equatable, Sendable {
    public var version = 1
    public var hostname: String
    public var firmware: String
    public var target: Target
    /// How erasing this disk was allowed, or what is still needed.
    public var authorization: Authorization
    /// What will be destroyed, in words ("nvme0n1p3: Windows (NTFS, 511 GB) labelled Windows").
    public var destroys: [String]
    public var layout: Layout
    /// Mounts under the target root, in the order they are made (unmounted in reverse).
    public var mounts: [Mount]
    public var swapFile: SwapFile?
    public var files: [PlannedFile]
    /// Secrets the install needs and where each comes from; never their values.
    public var secrets: [SecretNeed]
    public var steps: [Step]

    /// The disk, named by identities that survive a reboot or a re-cabling.
    public struct Target: Codable, Equatable, Sendable {
        public var name: String
        public var path: String
        /// `/dev/disk/by-id/...`: what disko.nix and the executor use.
        public var stablePath: String
        public var model: String?
        public var serial: String?
        public var wwn: String?
        public var sizeBytes: UInt64
        public var logicalSectorSize: Int
        public var transport: String
        /// How the profile chose it ("serial CLANTEST01", "the largest SSD").
        public var chosenBy: String
    }

    public struct Authorization: Codable, Equatable, Sendable {
        public enum Kind: String, Codable, Sendable {
            /// disk.wipe names the disk's serial or WWN.
            case wipeBinding
            /// `clan.wipe=` on the kernel command line names it.
            case kernelCommandLine
            /// disk.wipe says "empty" and the disk holds nothing.
            case emptyDisk
            /// A guided install: the person must type the confirmation before anything is written.
            case typedConfirmationNeeded
            /// `install --target-image FILE`: the image file named on the command line.
            case imageFile
        }
        public var kind: Kind
        public var detail: String

        public init(kind: Kind, detail: String) {
            self.kind = kind
            self.detail = detail
        }
    }

    public struct Layout: Codable, Equatable, Sendable {
        /// disko's name for the disk: partition labels are `disk-<diskName>-<partition>`.
        public var diskName: String
        public var table: String
        public var partitions: [PlannedPartition]
    }

    public struct PlannedPartition: Codable, Equatable, Sendable {
        /// disko's partition name (`ESP`, `root`, `luks`, `swap`, `boot`).
        public var name: String
        /// The GPT partition label, exactly as disko makes it: `disk-main-ESP`.
        public var partLabel: String
        public var number: Int
        public var startBytes: UInt64
        public var sizeBytes: UInt64
        /// sgdisk type code, as disko.nix writes it (`EF00`, `EF02`, `8300`, `8200`).
        public var typeCode: String
        public var content: Content
    }

    /// What goes into a partition.
    public struct Content: Codable, Equatable, Sendable {
        public enum Kind: String, Codable, Sendable { case biosBoot, filesystem, luks, swap }
        public var kind: Kind
        /// filesystem: `vfat`, `ext4`, `btrfs`.
        public var format: String?
        public var label: String?
        public var mountPoint: String?
        public var mountOptions: [String]
        public var subvolumes: [Subvolume]
        /// luks: the mapping name (`/dev/mapper/<name>`) and what is inside.
        public var luksName: String?
        public var inner: [Content]
        /// swap on a partition of an encrypted install gets a new random key at every boot.
        public var randomEncryption: Bool

        public init(kind: Kind, format: String? = nil, label: String? = nil, mountPoint: String? = nil, mountOptions: [String] = [],
                    subvolumes: [Subvolume] = [], luksName: String? = nil, inner: [Content] = [], randomEncryption: Bool = false) {
            self.kind = kind
            self.format = format
            self.label = label
            self.mountPoint = mountPoint
            self.mountOptions = mountOptions
            self.subvolumes = subvolumes
            self.luksName = luksName
            self.inner = inner
            self.randomEncryption = randomEncryption
        }
    }

    public struct Subvolume: Codable, Equatable, Sendable {
        public var name: String
        public var mountPoint: String
        public var mountOptions: [String]
    }

    public struct Mount: Codable, Equatable, Sendable {
        /// The device by its stable name: `/dev/disk/by-partlabel/disk-main-ESP`, `/dev/mapper/crypted`.
        public var device: String
        /// Relative to the target root: `/`, `/boot`, `/home`.
        public var mountPoint: String
        public var format: String
        public var options: [String]
    }

    public struct SwapFile: Codable, Equatable, Sendable {
        public var path: String
        public var sizeBytes: UInt64
    }

    public struct PlannedFile: Codable, Equatable, Sendable {
        /// Relative to the target root.
        public var path: String
        public var purpose: String
        /// Octal permissions as text (`0644`, `0600`).
        public var mode: String
    }

    public struct SecretNeed: Codable, Equatable, Sendable {
        public var what: String
        public var source: String
    }

    public struct Step: Codable, Equatable, Sendable {
        public var id: String
        public var title: String
    }
}

extension InstallPlan {
    /// Stable JSON (sorted keys): what `plan --json` prints and the executor reads back.
    public func json() -> String { StableJSON.encode(self) }

    public static func decode(_ bytes: [UInt8]) throws -> InstallPlan {
        try StableJSON.decode(InstallPlan.self, from: bytes)
    }
}
