import Testing
@testable import Profile
import Host
import TestSupport

let profilesDirectory = fixturesDirectory + "/../../profiles"

func decode(_ text: String) -> Result<InstallProfile, ProfileErrors> {
    do { return .success(try InstallProfile.decode(Array(text.utf8))) } catch { return .failure(error) }
}

func issues(_ text: String) -> [String] {
    switch decode(text) {
    case .success: return []
    case .failure(let errors): return errors.issues.map(\.description)
    }
}

/// A valid unattended profile; the bad-profile tests change one thing at a time.
let minimal = """
{
  "version": 1,
  "identity": { "hostname": "box" },
  "users": [{ "name": "ada", "sshKeys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICsLueub6OoaSacaGZik0p8v2pwXBVOl290JY5DRHL3U a@b"] }],
  "disk": { "target": { "serial": "S1" }, "wipe": ["S1"] },
  "rescue": { "when": "never" }
}
"""

@Suite struct ProfileTests {
    @Test(arguments: ["demo", "laptop-ext4", "desktop-btrfs-luks", "pxe-fleet-member"])
    func exampleProfilesAreValidAndSaveAndReadBackUnchanged(_ name: String) throws {
        let profile = try InstallProfile.decode(Files.read(profilesDirectory + "/\(name).json"))
        let saved = profile.json()
        let reread = try InstallProfile.decode(Array(saved.utf8))
        #expect(reread == profile)
        #expect(reread.json() == saved)
    }

    @Test func defaultsAreFilledIn() throws {
        let profile = try decode(minimal).get()
        #expect(profile.identity.timezone == "UTC" && profile.identity.locale == "en_US.UTF-8" && profile.identity.keyboard == "us")
        #expect(profile.disk.layout == .ext4 && profile.disk.swap == .auto && profile.disk.espSize == .mebibytes(512))
        #expect(profile.network.mode == .dhcp)
        #expect(profile.clan.adminMode == .local && profile.clan.networkLayer == .yggdrasil && profile.clan.network == nil)
        #expect(profile.finish == .reboot && profile.isUnattended)
        #expect(profile.install.nixpkgs == "nixos-25.11")
        #expect(profile.users[0].admin)
    }

    @Test func interactiveStarMeansEverySection() throws {
        let profile = try decode(minimal.replacing("\"version\": 1,", with: "\"version\": 1, \"interactive\": [\"*\"],")).get()
        #expect(profile.interactive == InstallProfile.Section.allCases)
    }

    @Test func guidedProfileMayLeaveAskedSectionsOut() throws {
        let profile = try decode(#"{"version": 1, "interactive": ["identity", "users", "disk"]}"#).get()
        #expect(profile.disk.target == nil && profile.users.isEmpty && profile.identity.hostname.isEmpty)
    }

    @Test func sizesParseInBinaryUnits() throws {
        #expect(try ByteSize.parse("512M").get() == .mebibytes(512))
        #expect(try ByteSize.parse("1.5G").get() == .mebibytes(1536))
        #expect(try ByteSize.parse("64GB").get() == .gibibytes(64))
        #expect(try ByteSize.parse("2TiB").get().bytes == 2 << 40)
        #expect(ByteSize.parse("-1G") == .failure(.negative))
        #expect(ByteSize.parse("lots") == .failure(.notASize))
        #expect(ByteSize.parse("5X") == .failure(.unknownUnit("X")))
        #expect(ByteSize.mebibytes(1536).description == "1536M")
        #expect(ByteSize.gibibytes(8).description == "8G")
    }

    @Test func clanURIsBecomeFlakeReferences() throws {
        #expect(try CLANURI.flakeReference("nix://https-github.com/org/repo").get() == "git+https://github.com/org/repo")
        #expect(try CLANURI.flakeReference("nix://ipfs-QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG").get()
                == "https://ipfs.io/ipfs/QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG")
        #expect(try CLANURI.flakeReference("nix://ygg-200:1234:5678:9abc::1/net").get() == "git+http://[200:1234:5678:9abc::1]/net")
        #expect(try CLANURI.flakeReference("github:org/repo").get() == "github:org/repo")
        #expect((try? CLANURI.flakeReference("nix://ygg-fd00::1/net").get()) == nil)
        #expect((try? CLANURI.flakeReference("nix://https-localhost").get()) == nil)
        #expect((try? CLANURI.flakeReference("nix://ftp-example.org/x").get()) == nil)
        #expect((try? CLANURI.flakeReference("just words").get()) == nil)
    }
}
