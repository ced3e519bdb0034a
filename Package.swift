// swift-tools-version: 6.0
// The installer runs from a RAM-booted initrd, so it links only the toolchain's FoundationEssentials
// (not Foundation, which drags in ICU) and C libraries that the boot medium carries anyway.
import PackageDescription

/// A C library from the distribution, reached through a module map and a shim header.
func systemLibrary(_ name: String, pkgConfig: String, apt: String) -> Target {
    .systemLibrary(name: name, pkgConfig: pkgConfig, providers: [.apt([apt])])
}

let package = Package(
    name: "clan-installer",
    products: [
        .executable(name: "clan-installer", targets: ["clan-installer"]),
    ],
    targets: [
        systemLibrary("CUdev", pkgConfig: "libudev", apt: "libudev-dev"),
        systemLibrary("CBlkid", pkgConfig: "blkid", apt: "libblkid-dev"),
        systemLibrary("CParted", pkgConfig: "libparted", apt: "libparted-dev"),
        // Headers only: libcurl itself is loaded with dlopen on first use (see its shim).
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "CCpuid"),

        // One thin Swift module per C library; no pointer leaves them.
        .target(name: "Udev", dependencies: ["CUdev"]),
        .target(name: "Blkid", dependencies: ["CBlkid"]),
        .target(name: "Parted", dependencies: ["CParted"]),
        .target(name: "Curl", dependencies: ["CCurl"]),

        // Files, symlinks and child processes: the side effects everything else goes through.
        .target(name: "Host"),
        // What the machine is: MachineReport and the prober that reads it from /sys, /proc, /run.
        .target(name: "Probe", dependencies: ["Host", "Blkid", "Udev", "CCpuid"]),
        // What the person wants: the install profile, its strict decoding and validation.
        .target(name: "Profile", dependencies: ["Host"]),
        // The pure planner: MachineReport + InstallProfile -> InstallPlan, and its readable rendering.
        .target(name: "Plan", dependencies: ["Host", "Probe", "Profile"]),
        // The NixOS configuration the install builds: a typed Nix printer and the files of the flake.
        .target(name: "NixConfig", dependencies: ["Host", "Probe", "Profile", "Plan"]),
        // The install engine: executes a plan on real disks, step by step, with a journal and events.
        .target(name: "Engine", dependencies: ["Host", "Blkid", "Parted", "Probe", "Profile", "Plan", "NixConfig"]),
        // Argument parsing, subcommands, and the one place errors become messages and exit codes.
        .target(name: "CLI", dependencies: ["Host", "Curl", "Probe", "Profile", "Plan", "NixConfig", "Engine"]),
        .executableTarget(name: "clan-installer", dependencies: ["CLI"]),

        // Image files, loop devices and fixture paths shared by the tests; cleans up after itself.
        .target(name: "TestSupport", dependencies: ["Host", "CLI"], path: "Tests/TestSupport"),
        .testTarget(name: "HostTests", dependencies: ["Host", "TestSupport"]),
        .testTarget(name: "LibraryTests", dependencies: ["Blkid", "Parted", "Udev", "Curl", "Host", "TestSupport"]),
        .testTarget(name: "ProbeTests", dependencies: ["Probe", "Parted", "Host", "TestSupport"]),
        .testTarget(name: "ProfileTests", dependencies: ["Profile", "Host", "TestSupport"]),
        .testTarget(name: "PlanTests", dependencies: ["Plan", "Probe", "Profile", "Host", "TestSupport"]),
        .testTarget(name: "NixConfigTests", dependencies: ["NixConfig", "Plan", "Probe", "Profile", "Host", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Plan", "Probe", "Profile", "Parted", "Blkid", "Host", "CLI", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["CLI", "Probe", "Host", "TestSupport"]),
    ]
)
