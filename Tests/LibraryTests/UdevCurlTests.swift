import Testing
import Udev
import Curl
import Host
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite struct UdevTests {
    @Test func enumeratesBlockDevicesAndReadsKernelProperties() throws {
        let image = try DiskImage(megabytes: 8)
        let device = try image.attach()
        let name = try #require(image.loopName)
        let paths = Udev.devices(inSubsystem: "block")
        #expect(paths.contains { $0.hasSuffix("/" + name) })
        let record = try #require(Udev.device(atSysPath: "/sys/class/block/" + name))
        #expect(record.properties["DEVNAME"] == device)
        #expect(record.properties["DEVTYPE"] == "disk")
        #expect(record.sysPath.hasPrefix("/sys/devices/virtual/block/"))
        #expect(Udev.device(atSysPath: "/sys/class/block/no-such-disk") == nil)
    }
}

/// A real HTTP server on loopback (python's http.server), as the PXE profile server will be.
@Suite struct CurlTests {
    @Test func downloadsFromALoopbackServerAndReportsStatus() throws {
        let directory = try TemporaryDirectory()
        try Files.write(Array(#"{"version": 1}"#.utf8), to: directory.path + "/profile.json")
        let port = 18_000 + Int(getpid() % 2000)
        let server = try BackgroundProcess(Command("python3", ["-m", "http.server", "--bind", "127.0.0.1", "--directory", directory.path, String(port)]))
        defer { server.stop() }
        var response: Curl.Response?
        for _ in 0..<50 where response == nil {
            response = try? Curl.get("http://127.0.0.1:\(port)/profile.json", timeoutSeconds: 5)
            if response == nil { usleep(100_000) }
        }
        #expect(response?.status == 200)
        #expect(response.map { String(decoding: $0.body, as: UTF8.self) } == #"{"version": 1}"#)
        #expect(try Curl.get("http://127.0.0.1:\(port)/missing.json").status == 404)
        #expect(throws: Curl.Error.self) { try Curl.get("http://127.0.0.1:\(port)/profile.json", maxBytes: 4) }
    }

    @Test func refusedConnectionIsATypedError() {
        #expect { try Curl.get("http://127.0.0.1:9/nothing", timeoutSeconds: 2) } throws: { error in
            (error as? Curl.Error)?.url == "http://127.0.0.1:9/nothing"
        }
    }
}
