import Testing
@testable import Probe
import Host
import TestSupport

/// The unmounted FAT reader against filesystems made by mkfs.vfat and filled by mtools (this host's
/// kernel cannot mount VFAT, and reading without mounting is the point).
@Suite struct FATDirectoryTests {
    func makeFAT(bits: Int, megabytes: Int, directories: [String]) throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        let image = directory.path + "/esp.img"
        try sh("truncate", "-s", "\(megabytes)M", image)
        try sh("mkfs.vfat", "-F", String(bits), "-n", "ESP", image)
        for path in directories { try sh("mmd", "-i", image, "::" + path) }
        try sh("mcopy", "-i", image, "/etc/hostname", "::/EFI/ubuntu/grubx64.efi")
        return (directory, image)
    }

    func reader(_ image: String) -> FATDirectory? {
        FATDirectory { offset, count in try? Files.read(image, offset: offset, count: count) }
    }

    @Test(arguments: [(12, 4), (16, 32), (32, 64)])
    func listsEfiDirectoriesWithLongNames(bits: Int, megabytes: Int) throws {
        let (directory, image) = try makeFAT(bits: bits, megabytes: megabytes,
                                             directories: ["/EFI", "/EFI/Microsoft", "/EFI/ubuntu", "/EFI/BOOT", "/loader", "/loader/entries"])
        _ = directory
        let fat = try #require(reader(image))
        let efi = try #require(fat.list(["EFI"]))
        #expect(efi.filter(\.isDirectory).map(\.name).sorted() == ["BOOT", "Microsoft", "ubuntu"])
        #expect(fat.list(["efi", "UBUNTU"])?.map(\.name) == ["grubx64.efi"])
        #expect(fat.list(["EFI", "nothing"]) == nil)
        #expect(fat.list(["loader", "entries"]) == [])
    }

    @Test func directorySpanningManyClustersAndNamesSpanningManyEntries() throws {
        let names = (1...150).map { "Vendor-with-a-rather-long-directory-name-\($0)" }
        let (directory, image) = try makeFAT(bits: 32, megabytes: 64, directories: ["/EFI", "/EFI/ubuntu"] + names.map { "/EFI/" + $0 })
        _ = directory
        let listed = try #require(reader(image)?.list(["EFI"])).map(\.name)
        #expect(Set(listed) == Set(names + ["ubuntu"]))
    }

    @Test func garbageIsNotAFilesystem() throws {
        let directory = try TemporaryDirectory()
        var generator = SeededRandom(seed: 7)
        for round in 0..<200 {
            var bytes = (0..<65536).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            // Half the rounds look like a boot sector so that the walk itself meets garbage.
            if round % 2 == 0 {
                bytes[510] = 0x55; bytes[511] = 0xAA; bytes[11] = 0; bytes[12] = 2; bytes[13] = 1; bytes[16] = 2
            }
            try Files.write(bytes, to: directory.path + "/junk")
            _ = reader(directory.path + "/junk")?.list(["EFI", "x"])
        }
        try Files.write([UInt8](repeating: 0, count: 512), to: directory.path + "/zeros")
        #expect(reader(directory.path + "/zeros") == nil)
    }
}
