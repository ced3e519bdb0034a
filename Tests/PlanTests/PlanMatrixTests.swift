import Testing
import Plan
import Probe
import Profile
import Host
import TestSupport

let machineNames = ["laptop", "desktop", "qemu-vm", "server"]
let testProfiles = ["byid-ext4", "serial-btrfs", "wwn-ext4-luks", "rule-largest-btrfs-luks", "rule-smallest-ssd-ext4",
                    "guided-disk", "virtio-serial-ext4", "data-disk-no-binding"].map { "Tests/Fixtures/profiles/\($0).json" }
let exampleProfiles = ["demo", "laptop-ext4", "desktop-btrfs-luks", "pxe-fleet-member"].map { "profiles/\($0).json" }
let repository = fixturesDirectory + "/../.."

func machine(_ name: String) throws -> MachineReport {
    try MachineReport.decode(Files.read(fixturesDirectory + "/machines/\(name).json"))
}

func profile(_ path: String) throws -> InstallProfile {
    try InstallProfile.decode(Files.read(repository + "/" + path))
}

/// Every fixture machine x every profile -> a golden plan (text and JSON) or the exact refusal.
/// Regenerate with CLAN_UPDATE_FIXTURES=1 after reading the differences.
@Suite struct PlanMatrixTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var machine: String
        var profile: String
        var testDescription: String { "\(machine) x \(profile)" }
        var goldenName: String {
            "\(machine)--" + String(profile.split(separator: "/").last!.dropLast(5))
        }
    }

    static let cases = machineNames.flatMap { machine in (testProfiles + exampleProfiles).map { Case(machine: machine, profile: $0) } }

    @Test(arguments: cases)
    func planMatchesTheGoldenFiles(_ item: Case) throws {
        let result = Planner.plan(machine: try machine(item.machine), profile: try profile(item.profile))
        let base = fixturesDirectory + "/plans/" + item.goldenName
        let (text, json): (String, String?) = switch result {
        case .success(let plan): (PlanText.render(plan), plan.json())
        case .failure(let refusal): ("REFUSED: " + refusal.reason + "\n", nil)
        }
        if getenv("CLAN_UPDATE_FIXTURES").map({ String(cString: $0) }) == "1" {
            try Files.write(Array(text.utf8), to: base + ".txt")
            if let json { try Files.write(Array(json.utf8), to: base + ".json") } else { _ = try? sh("rm", "-f", base + ".json") }
        }
        #expect(text == String(decoding: try Files.read(base + ".txt"), as: UTF8.self))
        if let json {
            #expect(json == String(decoding: try Files.read(base + ".json"), as: UTF8.self))
            #expect(try InstallPlan.decode(Array(json.utf8)).json() == json, "plan JSON must read back")
        } else {
            #expect(!Files.exists(base + ".json"))
        }
    }

    /// What every plan must get right, whatever the golden files say.
    @Test(arguments: cases)
    func everyPlanIsSafeAndWellFormed(_ item: Case) throws {
        let machine = try machine(item.machine)
        let profile = try profile(item.profile)
        guard case .success(let plan) = Planner.plan(machine: machine, profile: profile) else { return }
        let disk = try #require(machine.disks.first { $0.name == plan.target.name })
        #expect(!disk.isBootMedium && !disk.isInUse && !disk.readOnly)
        #expect(!disk.removable || profile.disk.allowRemovable)
        #expect(plan.target.stablePath.hasPrefix("/dev/disk/by-id/"))
        let mib: UInt64 = 1 << 20
        var next = mib
        for (index, partition) in plan.layout.partitions.enumerated() {
            #expect(partition.number == index + 1)
            #expect(partition.startBytes == next, "partitions are contiguous from 1 MiB")
            #expect(partition.startBytes % mib == 0 && partition.sizeBytes % mib == 0, "1 MiB alignment")
            #expect(partition.partLabel == "disk-main-\(partition.name)")
            next = partition.startBytes + partition.sizeBytes
        }
        #expect(next <= disk.sizeBytes - mib, "room for the backup GPT")
        #expect(plan.layout.partitions.contains { $0.typeCode == "EF02" } == (machine.firmware.mode == .bios))
        #expect(plan.layout.partitions.contains { $0.typeCode == "EF00" && $0.content.mountPoint == "/boot" })
        #expect(plan.layout.partitions.contains { $0.content.kind == .luks } == (profile.disk.encryption != nil))
        #expect(plan.mounts.first?.mountPoint == "/")
        #expect((plan.swapFile != nil) == (profile.disk.layout == .btrfs))
        if plan.authorization.kind == .emptyDisk { #expect(plan.destroys.isEmpty) }
        if !profile.interactive.contains(.disk) { #expect(plan.authorization.kind != .typedConfirmationNeeded) }
    }
}

#if canImport(Glibc)
import Glibc
#endif
