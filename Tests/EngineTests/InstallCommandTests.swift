import Testing
import Host
import TestSupport

extension EngineSuites {
/// `install --target-image` from the command line, with the test doubles, then `logs --bundle`.
@Suite struct InstallCommandTests {
    @Test func installIntoAnImageWithJSONEventsThenBundleTheLogs() throws {
        let directory = try TemporaryDirectory()
        let profile = directory.path + "/profile.json"
        let secrets = directory.path + "/secrets.json"
        try Files.write(Array("""
            {"version": 1, "identity": {"hostname": "imaged"}, "users": [{"name": "ada", "password": "secrets"}],
             "disk": {"swap": "0"}, "rescue": {"when": "never"}, "interactive": ["disk"], "finish": "poweroff"}
            """.utf8), to: profile)
        try Files.write(Array(#"{"version": 1, "userPasswords": {"ada": "plain-pw-7421"}}"#.utf8), to: secrets)
        let image = directory.path + "/disk.img"
        let common = ["--target-root", directory.path + "/mnt", "--state-dir", directory.path + "/state", "--log-dir", directory.path + "/log",
                      "--tools", fixturesDirectory + "/../Doubles/bin"]
        defer {
            // Detach whatever loop device still holds the image, whatever happened above.
            if let attached = try? sh("losetup", "-j", image), let device = attached.split(separator: ":").first {
                _ = try? sh("losetup", "-d", String(device))
            }
        }
        let result = runInstaller(["install", "--profile", profile, "--secrets", secrets, "--target-image", image + ":14G",
                                              "--events", "json"] + common)
        #expect(result.status == 0, "\(result.err)")
        let events = result.out.split(separator: "\n").map(String.init)
        #expect(events.first?.contains(#""kind":"start","name":"install""#) == true)
        #expect(events.contains { $0.contains(#""name":"install/partition""#) && $0.contains(#""kind":"finish""#) })
        #expect(events.contains { $0.contains(#""kind":"done""#) && $0.contains(#""result":"SUCCESS""#) })
        #expect(!result.out.contains("plain-pw-7421"))
        #expect(try sh("losetup", "-j", image).isEmpty, "the image is detached after the install")
        // An image install never powers off the machine running the installer.
        #expect(Files.text(directory.path + "/log/install.log")?.contains("image install: poweroff applies to the machine that boots the image") == true)

        let bundle = directory.path + "/bundle.tar.gz"
        let logs = runInstaller(["logs", "--bundle", bundle, "--state-dir", directory.path + "/state", "--log-dir", directory.path + "/log"])
        #expect(logs.status == 0, "\(logs.err)")
        let listing = try sh("tar", "-tzf", bundle)
        for name in ["install.log", "journal.json", "machine.json", "plan.json"] { #expect(listing.contains("clan-installer/" + name)) }
        let contents = try sh("sh", "-c", "tar -xzOf '\(bundle)'")
        #expect(!contents.contains("plain-pw-7421"), "no secret in the bundle")
        #expect(contents.contains("mkpasswd --method=yescrypt --stdin"))
    }

    @Test func guidedProfileNeedsTheTypedConfirmation() throws {
        let directory = try TemporaryDirectory()
        try Files.write(Array(#"{"version": 1, "interactive": ["disk"], "identity": {"hostname": "x"}, "users": [{"name": "a", "password": "prompt"}], "disk": {"target": {"serial": "WD-WCC4M3KX1234"}}}"#.utf8),
                        to: directory.path + "/p.json")
        let result = runInstaller(["--machine", fixturesDirectory + "/machines/desktop.json", "install", "--profile", directory.path + "/p.json"])
        #expect(result.status == 4)
        #expect(result.err.contains("confirm erasing sdb (sdb: everything on it (Linux ext4 labelled data (2 TB))) with --yes-i-confirmed WD-WCC4M3KX1234"))
    }
}
}
