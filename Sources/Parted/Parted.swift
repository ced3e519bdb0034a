import CParted
import Synchronization

/// Partition table writing and reading through libparted.
///
/// libparted is not thread-safe and reports problems through a global exception callback, so every
/// call here runs under one lock and the callback only records the message for the error we throw.
public enum Parted {
    public enum TableType: String, Sendable, Codable {
        case gpt
        case msdos
    }

    /// Flags that, on GPT, also choose the partition type GUID (libparted 3.5 cannot set a GUID directly).
    public enum Flag: String, Sendable, Codable, CaseIterable {
        case esp, biosGrub, swap, raid, lvm, msftReserved, msftData, linuxHome, boot

        var ped: PedPartitionFlag {
            switch self {
            case .esp: PED_PARTITION_ESP
            case .biosGrub: PED_PARTITION_BIOS_GRUB
            case .swap: PED_PARTITION_SWAP
            case .raid: PED_PARTITION_RAID
            case .lvm: PED_PARTITION_LVM
            case .msftReserved: PED_PARTITION_MSFT_RESERVED
            case .msftData: PED_PARTITION_MSFT_DATA
            case .linuxHome: PED_PARTITION_LINUX_HOME
            case .boot: PED_PARTITION_BOOT
            }
        }
    }

    /// A partition to create. Positions are in bytes and must be multiples of the logical sector size.
    public struct PartitionSpec: Sendable, Equatable {
        public var name: String?
        public var start: UInt64
        public var size: UInt64
        public var flags: [Flag]

        public init(name: String? = nil, start: UInt64, size: UInt64, flags: [Flag] = []) {
            self.name = name
            self.start = start
            self.size = size
            self.flags = flags
        }
    }

    /// A partition as libparted reads it back.
    public struct Partition: Sendable, Equatable {
        public var number: Int
        public var start: UInt64
        public var size: UInt64
        public var name: String?
        public var flags: [Flag]
    }

    public struct Error: Swift.Error, Equatable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    private static let lock = Mutex(())
    nonisolated(unsafe) private static var lastMessage = ""

    /// Replaces whatever is on `path` with a fresh partition table holding exactly `partitions`, and
    /// writes it to the device. Does not tell the kernel (that is the install engine's job).
    public static func writeTable(_ path: String, type: TableType, partitions: [PartitionSpec]) throws(Error) {
        try lock.withLock { _ throws(Error) in
            let device = try openDevice(path)
            defer { ped_device_destroy(device) }
            guard let diskType = ped_disk_type_get(type.rawValue), let disk = ped_disk_new_fresh(device, diskType) else {
                throw failure(path, "cannot create a \(type.rawValue) partition table")
            }
            defer { ped_disk_destroy(disk) }
            let sector = UInt64(device.pointee.sector_size)
            for spec in partitions {
                guard spec.start % sector == 0, spec.size % sector == 0, spec.size > 0 else {
                    throw failure(path, "partition \(spec.name ?? "") is not aligned to \(sector)-byte sectors")
                }
                let first = PedSector(spec.start / sector), last = PedSector((spec.start + spec.size) / sector - 1)
                guard let partition = ped_partition_new(disk, PED_PARTITION_NORMAL, nil, first, last) else {
                    throw failure(path, "cannot describe partition \(spec.name ?? "")")
                }
                guard let constraint = ped_constraint_exact(&partition.pointee.geom) else { throw failure(path, "out of memory") }
                defer { ped_constraint_destroy(constraint) }
                guard ped_disk_add_partition(disk, partition, constraint) != 0 else {
                    ped_partition_destroy(partition)
                    throw failure(path, "partition \(spec.name ?? "") does not fit at \(spec.start)")
                }
                if let name = spec.name, ped_disk_type_check_feature(diskType, PED_DISK_TYPE_PARTITION_NAME) != 0 {
                    guard ped_partition_set_name(partition, name) != 0 else { throw failure(path, "cannot name partition \(name)") }
                }
                for flag in spec.flags {
                    guard ped_partition_set_flag(partition, flag.ped, 1) != 0 else {
                        throw failure(path, "cannot set flag \(flag.rawValue) on partition \(spec.name ?? "")")
                    }
                }
            }
            guard ped_disk_commit_to_dev(disk) != 0 else { throw failure(path, "cannot write the partition table") }
        }
    }

    /// The partitions on `path`, in table order.
    public static func readTable(_ path: String) throws(Error) -> (type: String, partitions: [Partition]) {
        try lock.withLock { _ throws(Error) in
            let device = try openDevice(path)
            defer { ped_device_destroy(device) }
            guard let disk = ped_disk_new(device) else { throw failure(path, "no readable partition table") }
            defer { ped_disk_destroy(disk) }
            let sector = UInt64(device.pointee.sector_size)
            var result: [Partition] = []
            var partition = ped_disk_next_partition(disk, nil)
            while let current = partition {
                if current.pointee.num > 0 {
                    let supportsNames = ped_disk_type_check_feature(disk.pointee.type, PED_DISK_TYPE_PARTITION_NAME) != 0
                    result.append(Partition(
                        number: Int(current.pointee.num),
                        start: UInt64(current.pointee.geom.start) * sector,
                        size: UInt64(current.pointee.geom.length) * sector,
                        name: supportsNames ? ped_partition_get_name(current).map { String(cString: $0) } : nil,
                        flags: Flag.allCases.filter {
                            ped_partition_is_flag_available(current, $0.ped) != 0 && ped_partition_get_flag(current, $0.ped) != 0
                        }))
                }
                partition = ped_disk_next_partition(disk, current)
            }
            return (String(cString: disk.pointee.type.pointee.name), result)
        }
    }

    private static func openDevice(_ path: String) throws(Error) -> UnsafeMutablePointer<PedDevice> {
        ped_exception_set_handler(recordException)
        lastMessage = ""
        guard let device = ped_device_get(path) else { throw failure(path, "cannot open the device") }
        return device
    }

    private static func failure(_ path: String, _ message: String) -> Error {
        Error(path: path, message: lastMessage.isEmpty ? message : "\(message): \(lastMessage)")
    }

    /// Never ask: libparted's default handler would prompt on the terminal, which an unattended install
    /// cannot answer. Warnings are ignored, errors cancel the operation.
    private static let recordException: @convention(c) (UnsafeMutablePointer<PedException>?) -> PedExceptionOption = { exception in
        guard let exception else { return PED_EXCEPTION_CANCEL }
        let message = String(cString: exception.pointee.message)
        let isWarning = exception.pointee.type.rawValue <= PED_EXCEPTION_WARNING.rawValue
        if !isWarning { lastMessage = message }
        let options = exception.pointee.options.rawValue
        if isWarning, options & PED_EXCEPTION_IGNORE.rawValue != 0 { return PED_EXCEPTION_IGNORE }
        if options & PED_EXCEPTION_CANCEL.rawValue != 0 { return PED_EXCEPTION_CANCEL }
        if options & PED_EXCEPTION_IGNORE.rawValue != 0 { return PED_EXCEPTION_IGNORE }
        return PED_EXCEPTION_UNHANDLED
    }
}
