import Testing
import NixConfig
import Plan
import Probe
import Profile
import Host
import TestSupport

/// Hostile text in every free-text field of a profile: the generated Nix still parses, and the values
/// the Nix code reads (through settings.json or its own string literals) are exactly the input.
@Suite struct InjectionTests {
    static let evil = #"x\" ${builtins.abort \"pwned\"} '' \\ \n # /*"#

    func hostileProfile() throws -> InstallProfile {
        let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICsLueub6OoaSacaGZik0p8v2pwXBVOl290JY5DRHL3U comment\(Self.evil)"
        let text = """
        {"version": 1, "identity": {"hostname": "box"},
         "users": [{"name": "ada", "sshKeys": ["\(key)"]}],
         "disk": {"target": {"serial": "CLANTEST01"}, "wipe": ["CLANTEST01"]},
         "network": {"mode": "wifi", "ssid": "cafe\\"${x}''", "psk": "secrets"},
         "clan": {"adminMode": "remote", "network": {"name": "home", "uri": "git+https://example.org/a\\"b${c}\\\\d''e",
                  "applications": {"motd": "\(Self.evil)", "\(Self.evil)": [1, "${y}"]}}},
         "rescue": {"when": "never", "peers": ["tls://peer.example:1\(Self.evil)"]}}
        """
        return try InstallProfile.decode(Array(text.utf8))
    }

    @Test func hostileTextStaysText() throws {
        let profile = try hostileProfile()
        let machine = try MachineReport.decode(Files.read(fixturesDirectory + "/machines/qemu-vm.json"))
        let plan = try Planner.plan(machine: machine, profile: profile).get()
        let configuration = ConfigGenerator.generate(plan: plan, profile: profile, machine: machine)
        let directory = try TemporaryDirectory()
        for (path, content) in configuration.files {
            try Files.createDirectories(directory.path + "/networks")
            try Files.write(Array(content.utf8), to: directory.path + "/" + path)
        }
        let root = directory.path
        #expect(try NixTool.parseErrors(configuration.files.map(\.path).filter { $0.hasSuffix(".nix") }.map { root + "/" + $0 }) == nil)

        func evaluated(_ expression: String) throws -> JSONNode { try JSONParser.parse(Array(try NixTool.evalJSON(expression).utf8)) }
        let settings = "(builtins.fromJSON (builtins.readFile \(root)/settings.json))"
        #expect(try evaluated("(builtins.head \(settings).users).sshKeys").elements.first?.text == profile.users[0].sshKeys[0])
        #expect(try evaluated("\(settings).network.ssid").text == profile.network.ssid)
        #expect(try evaluated("(import \(root)/flake.nix).inputs.network-home.url").text == profile.clan.network?.uri)
        let applications = try evaluated("builtins.fromJSON (builtins.readFile \(root)/networks/home.json)")
        #expect(applications == profile.clan.network?.applications)
        #expect(try evaluated("\(settings).managementPeers").elements.first?.text == profile.rescue.peers[0])
    }
}
