import Curl
import Host
import Probe
#if canImport(Glibc)
import Glibc
#endif

/// Where a boot medium finds its profile, named on the kernel command line:
///
/// - `clan.profile=http://10.0.2.2:8000/p.json` (or https): fetched with libcurl, retried while the
///   network comes up;
/// - `clan.profile=LABEL=CLANPROFILE`: `profile.json` on the filesystem with that label (a small
///   partition on the USB stick), mounted read-only just long enough to read it;
/// - `clan.profile=/path/profile.json`: a file in the initramfs.
///
/// `clan.secrets=` takes the same forms for the secrets file.
struct ProfileDiscovery {
    let runner: CommandRunner
    let say: (String) -> Void
    var retrySeconds = 60

    static func value(_ key: String, in commandLine: String) -> String? {
        commandLine.split(separator: " ").last { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
    }

    func fetch(_ source: String, file: String) throws -> [UInt8] {
        if source.hasPrefix("http://") || source.hasPrefix("https://") { return try download(source) }
        if source.hasPrefix("LABEL=") || source.hasPrefix("PARTLABEL=") { return try readFromPartition(source, file: file) }
        do { return try Files.read(source) } catch { throw CommandFailure("cannot read \(source) (named on the kernel command line): \(error)") }
    }

    private func download(_ url: String) throws -> [UInt8] {
        let deadline = Clock.monotonic() + Double(retrySeconds)
        var lastProblem = ""
        var announced = false
        while true {
            do {
                let response = try Curl.get(url, timeoutSeconds: 10)
                if response.status == 200 { return response.body }
                lastProblem = "the server answered \(response.status)"
            } catch {
                lastProblem = error.message
            }
            if Clock.monotonic() > deadline {
                throw CommandFailure("cannot fetch the profile from \(url): \(lastProblem). Is the network up and the server reachable?")
            }
            if !announced { say("waiting for \(url) (\(lastProblem))...\n"); announced = true }
            usleep(1_000_000)
        }
    }

    private func readFromPartition(_ source: String, file: String) throws -> [UInt8] {
        let wanted = String(source.drop { $0 != "=" }.dropFirst())
        let machine = Prober.probe(.live())
        let devices = machine.disks.flatMap { disk in
            [(disk.path, disk.filesystem?.label, nil as String?)] + disk.partitions.map { ($0.path, $0.filesystem?.label, $0.partLabel) }
        }
        guard let device = devices.first(where: { source.hasPrefix("LABEL=") ? $0.1 == wanted : $0.2 == wanted })?.0 else {
            throw CommandFailure("no filesystem labelled \(wanted) holds a profile (\(source) on the kernel command line)")
        }
        let mountPoint = "/run/clan-installer/profile-source"
        try? Files.createDirectories(mountPoint)
        do { try runner.check(Command("mount", ["-o", "ro", device, mountPoint])) } catch {
            throw CommandFailure("cannot mount \(device) to read the profile: \(error)")
        }
        defer { _ = try? runner.run(Command("umount", [mountPoint])) }
        do { return try Files.read(mountPoint + "/" + file) } catch {
            throw CommandFailure("\(device) (\(source)) has no \(file)")
        }
    }
}
