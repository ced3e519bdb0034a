import Testing
@testable import Probe
import Engine
import Plan
import Profile
import Blkid
import Host
import TestSupport

let doubles = fixturesDirectory + "/../Doubles/bin"
let repositoryRoot = fixturesDirectory + "/../.."
let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICsLueub6OoaSacaGZik0p8v2pwXBVOl290JY5DRHL3U a@b"

/// An install onto a sparse image on a loop device, with the nixos-install test double (and, because
/// this host's kernel has no VFAT, the fusefat-backed mount double for the ESP) first in the search path.
final class InstallRig {
    let image: DiskImage
    let profile: InstallProfile
    let secrets: InstallSecrets
    var machine: MachineReport
    var plan: InstallPlan
    let events = RecordingSink()
    var root: String { image.directory.path + "/mnt" }
    var options: InstallOptions

    init(layout: String = "ext4", encryption: Bool = false, firmware: Firmware.Mode = .bios, network: Bool = true,
         password: String = #"{"hash": "$6$clandemo0123$1obZJivlGjw2DjqjPAkfFTAfVaDq64r3OUbsHkVI0OVA6DPId2jNfk0BgLJbq3x48BWHw4MCJSegu5PZ2APAp/"}"#,
         secrets: InstallSecrets = InstallSecrets(diskPassphrase: "correct horse battery", userPasswords: ["ada": "hunter2-plain"])) throws {
        image = try DiskImage(megabytes: 15 * 1024)
        try image.attach()
        let text = """
        {"version": 1, "identity": {"hostname": "rig"},
         "users": [{"name": "ada", "sshKeys": ["\(key)"], "password": \(password)}],
         "disk": {"layout": "\(layout)", "swap": "256M"\(encryption ? #", "encryption": {"passphrase": "secrets"}"# : "")},
         \(network ? #""clan": {"network": {"name": "home", "uri": "github:example/home"}},"# : "")
         "rescue": {"when": "never"}, "interactive": ["disk"], "finish": "stay"}
        """
        profile = try InstallProfile.decode(Array(text.utf8))
        self.secrets = secrets
        machine = Prober.probe(.live())
        machine.firmware = Firmware(mode: firmware, secureBoot: nil, efiVariablesWritable: firmware == .uefi ? true : nil)
        plan = try Planner.plan(machine: machine, profile: profile, image: .init(loopDevice: image.loopDevice!, imagePath: image.path)).get()
        let directory = image.directory.path
        options = InstallOptions(targetRoot: directory + "/mnt", stateDirectory: directory + "/state", logDirectory: directory + "/log", mayPowerOff: false)
    }

    func nixosInstall(_ mode: String?) throws {
        let path = image.directory.path + "/nixos-install.mode"
        if let mode { try Files.write(Array(mode.utf8), to: path) } else { _ = try? sh("rm", "-f", path) }
    }

    func run(resume: Bool = false, startOver: Bool = false, tools: [String] = [doubles]) throws -> InstallOutcome {
        options.resume = resume
        options.startOver = startOver
        let executor = try Executor(plan: plan, profile: profile, machine: machine, secrets: secrets,
                                    runner: ProcessRunner(searchFirst: tools), events: events, options: options)
        return executor.run()
    }

    var log: String { Files.text(options.logDirectory + "/install.log") ?? "" }
    var nixosInstallCalls: [String] { (Files.text(image.directory.path + "/nixos-install.calls") ?? "").split(separator: "\n").map(String.init) }

    /// Partition nodes for looking at the result from outside, as a person with the image would.
    func inspect() throws -> [(label: String?, type: String?, filesystem: BlockSignature.Superblock?)] {
        let signature = try Blkid.probe(image.loopDevice!)
        return (signature.table?.entries ?? []).map { ($0.name, $0.type, signature.filesystems[$0.number]) }
    }
}

/// Names in a directory of an unmounted FAT filesystem.
func espListing(_ device: String, _ path: [String]) throws -> [String]? {
    let fat = try #require(FATDirectory { offset, count in try? Files.read(device, offset: offset, count: count) })
    return fat.list(path)?.map(\.name).sorted()
}

extension EngineSuites {
@Suite struct InstallTests {
    @Test func ext4BiosInstallEndToEnd() throws {
        let rig = try InstallRig()
        #expect(try rig.run() == .succeeded)

        // From outside: the partitions the plan named, their types and filesystem labels.
        let partitions = try rig.inspect()
        #expect(partitions.map(\.label) == ["disk-main-boot", "disk-main-ESP", "disk-main-root", "disk-main-swap"])
        #expect(partitions.map(\.type) == ["21686148-6449-6e6f-744e-656564454649", "c12a7328-f81f-11d2-ba4b-00a0c93ec93b",
                                           "0fc63daf-8483-4772-8e79-3d69d8477de4", "0657fd6d-a4ab-43c4-84e5-0933c84b4f4f"])
        #expect(partitions.map { $0.filesystem?.type } == [nil, "vfat", "ext4", "swap"])
        #expect(partitions.map { $0.filesystem?.label } == [nil, "ESP", "nixos", "swap"])

        // Everything was unmounted; mount the root again and read what the install left.
        #expect(!(Files.text("/proc/self/mountinfo") ?? "").contains(rig.root))
        let root = try rig.image.mount(rig.image.partition(3), options: ["-o", "ro"])
        for file in ["flake.nix", "configuration.nix", "hardware-configuration.nix", "disko.nix", "settings.json", "networks/home.nix"] {
            #expect(Files.exists(root + "/etc/nixos/" + file), "\(file) missing")
        }
        #expect(try NixTool.parseErrors(["flake.nix", "configuration.nix", "disko.nix"].map { root + "/etc/nixos/" + $0 }) == nil)
        #expect(try sh("stat", "-c", "%a", root + "/var/lib/clan-installer/passwords/ada") == "600")
        #expect(Files.text(root + "/var/log/clan-installer/profile.json")?.contains("\"hostname\" : \"rig\"") == true)
        #expect(Files.exists(root + "/var/log/clan-installer/install.log"))
        #expect(Journal.load(root + "/var/log/clan-installer/journal.json")?.completed != nil)
        #expect(rig.nixosInstallCalls == ["--root \(rig.root) --flake \(rig.root)/etc/nixos#rig --no-root-passwd --no-channel-copy"])
        // The BIOS layout got GRUB (written by the double, as the configuration asked) on the ESP, which
        // is read here without mounting it.
        #expect(try espListing(rig.image.partition(2), ["grub"]) == ["grub.cfg"])

        // Events: every step started and finished, in order, and the run ended with success.
        let started = rig.events.events.filter { $0.kind == .start && $0.name != "install" }.map(\.name)
        #expect(started == rig.plan.steps.map { "install/\($0.id)" })
        #expect(rig.events.events.contains { $0.kind == .done && $0.result == "SUCCESS" })
        #expect(!rig.events.events.contains { $0.kind == .fail })

        // A second run of the same, finished plan does nothing.
        guard case .alreadyInstalled = try rig.run() else { Issue.record("a finished install ran again"); return }
    }

    @Test func btrfsUefiInstallWithSubvolumesAndSwapFile() throws {
        let rig = try InstallRig(layout: "btrfs", firmware: .uefi, network: false,
                                 password: #""secrets""#)
        #expect(try rig.run() == .succeeded, "\(rig.log)")
        let partitions = try rig.inspect()
        #expect(partitions.map(\.label) == ["disk-main-ESP", "disk-main-root"])
        #expect(partitions.map { $0.filesystem?.type } == ["vfat", "btrfs"])
        let top = try rig.image.mount(rig.image.partition(2))
        let subvolumes = try sh("btrfs", "subvolume", "list", top)
        for name in ["root", "home", "nix", "swap"] { #expect(subvolumes.contains("path \(name)\n") || subvolumes.hasSuffix("path \(name)")) }
        #expect(Files.exists(top + "/swap/swapfile"))
        #expect(Files.exists(top + "/root/etc/nixos/disko.nix"))
        // The password came from the secrets file: hashed with yescrypt, never written or logged in plain.
        let hash = Files.text(top + "/root/var/lib/clan-installer/passwords/ada") ?? ""
        #expect(hash.hasPrefix("$y$"))
        #expect(!rig.log.contains("hunter2-plain"))
        // The ESP (UEFI) holds the loader entry, read without mounting it.
        let esp = try Blkid.probe(rig.image.partition(1))
        #expect(esp.superblock?.type == "vfat")
        #expect(try espListing(rig.image.partition(1), ["loader", "entries"]) == ["nixos-generation-1.conf"])
        try sh("fsck.vfat", "-n", rig.image.partition(1))
    }

    @Test func luksRunsUntilTheHostCannotOpenIt() throws {
        let rig = try InstallRig(encryption: true)
        let outcome = try rig.run()
        // This host has no device-mapper: luksFormat works, opening fails. The VM test covers the rest.
        guard case .failed(let step, let reason) = outcome else { Issue.record("expected a failure, got \(outcome)"); return }
        #expect(step == "encrypt")
        #expect(reason.contains("opening the encrypted partition failed"))
        #expect(try rig.inspect()[2].filesystem?.type == "crypto_LUKS")
        #expect(!rig.log.contains("correct horse battery"), "the passphrase must never reach the log")
        #expect(rig.log.contains("$ cryptsetup luksFormat --type luks2 --batch-mode --key-file=- --label cryptroot"))
    }
}
}
