import Host

/// Reads directory listings from a FAT12/16/32 filesystem without mounting it: enough to see which
/// operating systems an EFI system partition boots (`/EFI/Microsoft`, `/EFI/ubuntu`, ...), on machines
/// and kernels that cannot mount VFAT, and without touching the disk's state.
///
/// Every number comes from the disk and is distrusted: out-of-range values end the walk, cluster
/// chains are bounded, and a damaged filesystem yields nil rather than a crash.
struct FATDirectory {
    struct Entry: Equatable {
        var name: String
        var isDirectory: Bool
        var firstCluster: UInt32
    }

    /// Reads `count` bytes at `offset` from the start of the filesystem.
    typealias Reader = (_ offset: UInt64, _ count: Int) -> [UInt8]?

    private let read: Reader
    private let bytesPerSector: UInt64
    private let sectorsPerCluster: UInt64
    private let fatOffset: UInt64
    private let rootDirectoryOffset: UInt64
    private let rootDirectoryBytes: Int
    private let dataOffset: UInt64
    private let clusterCount: UInt32
    private let bits: Int  // 12, 16 or 32
    private let rootCluster: UInt32

    init?(read: @escaping Reader) {
        guard let boot = read(0, 512), boot.count == 512, boot[510] == 0x55, boot[511] == 0xAA else { return nil }
        let u16 = { (at: Int) in UInt64(boot[at]) | UInt64(boot[at + 1]) << 8 }
        let u32 = { (at: Int) in u16(at) | u16(at + 2) << 16 }
        let bytesPerSector = u16(11), sectorsPerCluster = UInt64(boot[13])
        let reserved = u16(14), fats = UInt64(boot[16]), rootEntries = u16(17)
        let fatSectors = u16(22) != 0 ? u16(22) : u32(36)
        let totalSectors = u16(19) != 0 ? u16(19) : u32(32)
        guard [512, 1024, 2048, 4096].contains(bytesPerSector), sectorsPerCluster > 0, sectorsPerCluster.nonzeroBitCount == 1,
              reserved > 0, (1...4).contains(fats), fatSectors > 0 else { return nil }
        let rootSectors = (rootEntries * 32 + bytesPerSector - 1) / bytesPerSector
        let dataSector = reserved + fats * fatSectors + rootSectors
        guard totalSectors > dataSector else { return nil }
        let clusters = (totalSectors - dataSector) / sectorsPerCluster
        self.read = read
        self.bytesPerSector = bytesPerSector
        self.sectorsPerCluster = sectorsPerCluster
        self.fatOffset = reserved * bytesPerSector
        self.rootDirectoryOffset = (reserved + fats * fatSectors) * bytesPerSector
        self.rootDirectoryBytes = Int(rootSectors * bytesPerSector)
        self.dataOffset = dataSector * bytesPerSector
        self.clusterCount = UInt32(min(clusters, 0x0FFF_FFF0))
        self.bits = clusters < 4085 ? 12 : clusters < 65525 ? 16 : 32
        self.rootCluster = UInt32(u32(44))
    }

    /// The entries of the directory at `path` (names matched without regard to case, as FAT does),
    /// or nil when it does not exist or cannot be read.
    func list(_ path: [String]) -> [Entry]? {
        var entries = rootEntries()
        for component in path {
            guard let directory = entries?.first(where: { $0.isDirectory && $0.name.lowercased() == component.lowercased() }) else { return nil }
            entries = directoryEntries(bytes: clusterChainBytes(from: directory.firstCluster))
        }
        return entries
    }

    private func rootEntries() -> [Entry]? {
        if bits == 32 { return directoryEntries(bytes: clusterChainBytes(from: rootCluster)) }
        return read(rootDirectoryOffset, rootDirectoryBytes).flatMap { directoryEntries(bytes: $0) }
    }

    /// The bytes of a cluster chain, at most 1 MiB (directories are small; a loop in a damaged FAT ends here).
    private func clusterChainBytes(from first: UInt32) -> [UInt8]? {
        let clusterBytes = Int(bytesPerSector * sectorsPerCluster)
        var bytes: [UInt8] = []
        var cluster = first
        while cluster >= 2, cluster < clusterCount + 2, bytes.count < 1 << 20 {
            guard let chunk = read(dataOffset + UInt64(cluster - 2) * UInt64(clusterBytes), clusterBytes), chunk.count == clusterBytes else { return nil }
            bytes += chunk
            guard let next = nextCluster(after: cluster) else { return nil }
            cluster = next
        }
        return bytes.isEmpty ? nil : bytes
    }

    private func nextCluster(after cluster: UInt32) -> UInt32? {
        let offset = UInt64(cluster) * UInt64(bits) / 8
        guard let bytes = read(fatOffset + offset, 4), bytes.count >= (bits == 32 ? 4 : 2) else { return nil }
        let pair = UInt32(bytes[0]) | UInt32(bytes[1]) << 8
        switch bits {
        case 12: return cluster & 1 == 0 ? pair & 0xFFF : pair >> 4
        case 16: return pair
        default: return (pair | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24) & 0x0FFF_FFFF
        }
    }

    /// Parses 32-byte directory entries, joining long-name (VFAT) pieces to the short entry they precede.
    private func directoryEntries(bytes: [UInt8]?) -> [Entry]? {
        guard let bytes else { return nil }
        var entries: [Entry] = []
        var longName: [Int: [UInt16]] = [:]
        for start in stride(from: 0, to: bytes.count - 31, by: 32) {
            let entry = bytes[start..<start + 32]
            let first = entry[start], attributes = entry[start + 11]
            if first == 0 { break }
            if first == 0xE5 { longName = [:]; continue }
            if attributes & 0x3F == 0x0F {
                let sequence = Int(first & 0x1F)
                let units = [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30].map { UInt16(entry[start + $0]) | UInt16(entry[start + $0 + 1]) << 8 }
                longName[sequence] = units
                continue
            }
            defer { longName = [:] }
            if attributes & 0x08 != 0 { continue }  // volume label
            let name: String
            if !longName.isEmpty {
                let units = longName.keys.sorted().flatMap { longName[$0]! }.prefix { $0 != 0 && $0 != 0xFFFF }
                name = String(decoding: Array(units), as: UTF16.self)
            } else {
                name = Self.shortName(Array(entry[start..<start + 11]), lowercaseFlags: entry[start + 12])
            }
            if name == "." || name == ".." { continue }
            let high = UInt32(entry[start + 20]) | UInt32(entry[start + 21]) << 8
            let low = UInt32(entry[start + 26]) | UInt32(entry[start + 27]) << 8
            entries.append(Entry(name: name, isDirectory: attributes & 0x10 != 0, firstCluster: bits == 32 ? high << 16 | low : low))
        }
        return entries
    }

    /// An 8.3 name; Windows NT stores "lower-case base/extension" as flags in byte 12.
    static func shortName(_ raw: [UInt8], lowercaseFlags: UInt8) -> String {
        var base = String(decoding: raw[0..<8], as: UTF8.self).trimmingWhitespace()
        var ext = String(decoding: raw[8..<11], as: UTF8.self).trimmingWhitespace()
        if raw[0] == 0x05 { base = "\u{E5}" + base.dropFirst() }
        if lowercaseFlags & 0x08 != 0 { base = base.lowercased() }
        if lowercaseFlags & 0x10 != 0 { ext = ext.lowercased() }
        return ext.isEmpty ? base : base + "." + ext
    }
}
