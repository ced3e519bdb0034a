import Testing
import NixConfig
import Plan
import Probe
import Profile
import Host
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

let repository = fixturesDirectory + "/../.."
let machineNames = ["laptop", "desktop", "qemu-vm", "server"]
let profilePaths = ["byid-ext4", "serial-btrfs", "wwn-ext4-luks", "rule-largest-btrfs-luks", "rule-smallest-ssd-ext4",
                    "guided-disk", "virtio-serial-ext4"].map { "Tests/Fixtures/profiles/\($0).json" }
    + ["demo", "laptop-ext4", "desktop-btrfs-luks", "pxe-fleet-member"].map { "profiles/\($0).json" }

struct Combination: CustomTestStringConvertible, Sendable {
    var machine: String
    var profile: String
    var testDescription: String { "\(machine) x \(profile)" }
    var name: String { "\(machine)--" + String(profile.split(separator: "/").last!.dropLast(5)) }

    func inputs() throws -> (MachineReport, InstallProfile, InstallPlan)? {
        let machine = try MachineReport.decode(Files.read(fixturesDirectory + "/machines/\(machine).json"))
        let profile = try InstallProfile.decode(Files.read(repository + "/" + profile))
        guard case .success(let plan) = Planner.plan(machine: machine, profile: profile) else { return nil }
        return (machine, profile, plan)
    }

    /// Only the combinations that have a plan generate anything.
    static let planned: [Combination] = machineNames.flatMap { machine in profilePaths.map { Combination(machine: machine, profile: $0) } }
        .filter { (try? $0.inputs()) != nil }
}

/// The generated configuration for every planned machine x profile: golden files, the real Nix parser
/// and evaluator, and the plan value compared with what disko.nix says.
@Suite struct GeneratedConfigurationTests {
    func write(_ configuration: GeneratedConfiguration) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        for (path, content) in configuration.files {
            let target = directory.path + "/" + path
            try Files.createDirectories(String(target[..<target.lastIndex(of: "/")!]))
            try Files.write(Array(content.utf8), to: target)
        }
        return directory
    }

    @Test func theMatrixIsNotEmpty() {
        #expect(Combination.planned.count >= 12)
    }

    @Test(arguments: Combination.planned)
    func matchesTheGoldenFile(_ combination: Combination) throws {
        let (machine, profile, plan) = try #require(try combination.inputs())
        let configuration = ConfigGenerator.generate(plan: plan, profile: profile, machine: machine)
        let text = configuration.files.map { "==> \($0.path) <==\n\($0.content)" }.joined(separator: "\n")
        let golden = fixturesDirectory + "/generated/\(combination.name).txt"
        if getenv("CLAN_UPDATE_FIXTURES").map({ String(cString: $0) }) == "1" { try Files.write(Array(text.utf8), to: golden) }
        #expect(text == String(decoding: try Files.read(golden), as: UTF8.self))
    }

    @Test(arguments: Combination.planned)
    func nixParsesAndEvaluatesWhatThePlanSays(_ combination: Combination) throws {
        let (machine, profile, plan) = try #require(try combination.inputs())
        let configuration = ConfigGenerator.generate(plan: plan, profile: profile, machine: machine)
        let directory = try write(configuration)
        let root = directory.path
        let nixFiles = configuration.files.map(\.path).filter { $0.hasSuffix(".nix") }.map { root + "/" + $0 }
        #expect(try NixTool.parseErrors(nixFiles) == nil)

        // disko.nix is plain data: one partition per planned partition, same size, type, format, mounts.
        let disko = try JSONParser.parse(Array(try NixTool.evalJSON("(import \(root)/disko.nix).disko.devices.disk.main").utf8))
        #expect(disko["device"]?.text == plan.target.stablePath)
        #expect(disko["content"]?["type"]?.text == "gpt")
        let partitions = try #require(disko["content"]?["partitions"])
        #expect(partitions.keys.sorted() == plan.layout.partitions.map(\.name).sorted())
        for planned in plan.layout.partitions {
            let partition = try #require(partitions[planned.name])
            #expect(partition["size"]?.text == "\(planned.sizeBytes >> 20)M")
            #expect(partition["type"]?.text == planned.typeCode)
            #expect(partition["priority"]?.text == String(planned.number))
            var content = planned.content
            var evaluated = partition["content"]
            if content.kind == .luks {
                #expect(evaluated?["type"]?.text == "luks")
                #expect(evaluated?["name"]?.text == content.luksName)
                content = try #require(content.inner.first)
                evaluated = evaluated?["content"]
            }
            switch content.kind {
            case .filesystem where content.format == "btrfs":
                #expect(evaluated?["type"]?.text == "btrfs")
                for subvolume in content.subvolumes {
                    #expect(evaluated?["subvolumes"]?[subvolume.name]?["mountpoint"]?.text == subvolume.mountPoint)
                    #expect(evaluated?["subvolumes"]?[subvolume.name]?["mountOptions"]?.texts == subvolume.mountOptions)
                }
                #expect(evaluated?["subvolumes"]?["/swap"]?["swap"]?["swapfile"]?["size"]?.text == plan.swapFile.map { "\($0.sizeBytes >> 20)M" })
            case .filesystem:
                #expect(evaluated?["format"]?.text == content.format)
                #expect(evaluated?["mountpoint"]?.text == content.mountPoint)
                #expect(evaluated?["mountOptions"]?.texts == content.mountOptions)
            case .swap:
                #expect(evaluated?["type"]?.text == "swap")
            case .biosBoot, .luks:
                #expect(evaluated == nil)
            }
        }

        // settings.json, as the Nix files read it.
        let settings = try JSONParser.parse(Array(try NixTool.evalJSON("builtins.fromJSON (builtins.readFile \(root)/settings.json)").utf8))
        #expect(settings["hostname"]?.text == profile.identity.hostname)
        #expect(settings["users"]?.elements.compactMap { $0["name"]?.text } == profile.users.map(\.name))

        // configuration.nix and hardware-configuration.nix are module functions. Evaluated with a minimal
        // stand-in for { config, lib, pkgs, modulesPath }: this checks their shape and option paths, not
        // NixOS semantics (no nixpkgs here).
        let lib = "{ mkDefault = x: x; optional = c: x: if c then [ x ] else [ ]; concatMap = f: l: builtins.concatLists (map f l); }"
        let config = "{ networking.networkmanager.enable = false; hardware.enableRedistributableFirmware = true; }"
        let system = try JSONParser.parse(Array(try NixTool.evalJSON(
            "import \(root)/configuration.nix { config = \(config); lib = \(lib); pkgs = { }; }").utf8))
        #expect(system["networking"]?["hostName"]?.text == profile.identity.hostname)
        #expect(system["boot"]?["loader"]?[plan.firmware == "uefi" ? "systemd-boot" : "grub"]?["enable"]?.value == .bool(true))
        #expect(system["services"]?["openssh"]?["settings"]?["PasswordAuthentication"]?.value == .bool(false))
        for user in profile.users {
            let declared = try #require(system["users"]?["users"]?[user.name])
            #expect(declared["openssh"]?["authorizedKeys"]?["keys"]?.texts == user.sshKeys)
            #expect(declared["hashedPasswordFile"]?.text == (user.password == nil ? nil : "/var/lib/clan-installer/passwords/\(user.name)"))
            #expect(declared["extraGroups"]?.texts == (user.admin ? ["wheel"] : []))
        }
        #expect(system["users"]?["users"]?["root"]?["hashedPassword"]?.text == "!")
        #expect((system["microvm"]?["host"]?["enable"] != nil) == (profile.clan.network != nil))
        let hardware = try JSONParser.parse(Array(try NixTool.evalJSON(
            "import \(root)/hardware-configuration.nix { config = \(config); lib = \(lib); pkgs = { }; modulesPath = \"/modules\"; }").utf8))
        let modules = hardware["boot"]?["initrd"]?["availableKernelModules"]?.texts ?? []
        #expect(!modules.isEmpty)
        for disk in machine.disks where disk.name == plan.target.name {
            let needed = ["nvme": "nvme", "sata": "sd_mod", "usb": "usb_storage", "virtio": "virtio_blk"][disk.transport.rawValue]
            if let needed { #expect(modules.contains(needed), "the initrd must reach \(disk.name) over \(disk.transport)") }
        }
        #expect(hardware["nixpkgs"]?["hostPlatform"]?.text == "x86_64-linux")

        // The flake's inputs, and the network VM module with stand-in inputs.
        let inputs = try JSONParser.parse(Array(try NixTool.evalJSON("(import \(root)/flake.nix).inputs").utf8))
        #expect(inputs["nixpkgs"]?["url"]?.text == "github:NixOS/nixpkgs/\(profile.install.nixpkgs)")
        if let network = profile.clan.network {
            #expect(inputs["network-\(network.name)"]?["url"]?.text == (try CLANURI.flakeReference(network.uri).get()))
            let vm = try JSONParser.parse(Array(try NixTool.evalJSON("""
                (import \(root)/networks/\(network.name).nix { config = { }; lib = \(lib); pkgs = { };
                  inputs = { "network-\(network.name)".nixosModules.default = "the network's module"; }; }).microvm.vms
                """).utf8))
            let guest = try #require(vm[network.name]?["config"])
            #expect(guest["imports"]?.texts == ["the network's module"])
            #expect(guest["networking"]?["hostName"]?.text == network.name)
        } else {
            #expect(!configuration.files.contains { $0.path.hasPrefix("networks/") })
        }
    }

    @Test func noSecretReachesAnyGeneratedFile() throws {
        let secrets = try InstallSecrets.decode(Files.read(repository + "/profiles/desktop-btrfs-luks.secrets.json"))
        var forbidden = [secrets.diskPassphrase!] + secrets.userPasswords.values
        let demo = try InstallProfile.decode(Files.read(repository + "/profiles/demo.json"))
        if case .hash(let hash) = demo.users[0].password { forbidden.append(hash) }
        for combination in Combination.planned {
            let (machine, profile, plan) = try #require(try combination.inputs())
            for (path, content) in ConfigGenerator.generate(plan: plan, profile: profile, machine: machine).files {
                for secret in forbidden { #expect(!content.contains(secret), "\(combination.name)/\(path) holds a secret") }
            }
        }
    }
}

extension JSONNode {
    subscript(key: String) -> JSONNode? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.key == key }?.value
    }
    var keys: [String] {
        guard case .object(let members) = value else { return [] }
        return members.map(\.key)
    }
    var text: String? {
        switch value {
        case .string(let text): return text
        case .number(let text): return text
        default: return nil
        }
    }
    var elements: [JSONNode] {
        guard case .array(let items) = value else { return [] }
        return items
    }
    var texts: [String] { elements.compactMap(\.text) }
}
