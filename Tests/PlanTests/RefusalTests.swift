import Testing
import Plan
import Probe
import Profile
import Host
import TestSupport

/// Each reason to refuse a disk, made to happen on purpose, with the words a person reads.
@Suite struct RefusalTests {
    func profile(_ target: String, wipe: [String] = [], extra: String = "", interactive: String = "[]") throws -> InstallProfile {
        let text = """
        {"version": 1, "identity": {"hostname": "box"}, "interactive": \(interactive),
         "users": [{"name": "ada", "sshKeys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICsLueub6OoaSacaGZik0p8v2pwXBVOl290JY5DRHL3U a@b"]}],
         "disk": {"target": \(target), "wipe": [\(wipe.map { "\"\($0)\"" }.joined(separator: ", "))]\(extra)},
         "rescue": {"when": "never"}}
        """
        return try InstallProfile.decode(Array(text.utf8))
    }

    func refusal(_ machine: MachineReport, _ profile: InstallProfile) -> String? {
        if case .failure(let refusal) = Planner.plan(machine: machine, profile: profile) { return refusal.reason }
        return nil
    }

    func plan(_ machine: MachineReport, _ profile: InstallProfile) throws -> InstallPlan {
        try Planner.plan(machine: machine, profile: profile).get()
    }

    @Test func theBootMediumIsNeverATarget() throws {
        let laptop = try machine("laptop")
        let reason = refusal(laptop, try profile(#"{"serial": "4C530001230516112345"}"#, wipe: ["4C530001230516112345"], extra: #", "allowRemovable": true"#))
        #expect(reason == "sda (Cruzer Glide 3.0, 31 GB, serial 4C530001230516112345) is the boot medium (it holds the installer image the machine booted from (/iso)): the installer never installs over itself")
    }

    @Test func removableDisksNeedAnExplicitYes() throws {
        var laptop = try machine("laptop")
        let index = try #require(laptop.disks.firstIndex { $0.name == "sda" })
        laptop.disks[index].bootMediumReason = nil
        laptop.disks[index].mountPoints = []
        let target = #"{"serial": "4C530001230516112345"}"#
        #expect(refusal(laptop, try profile(target, wipe: ["4C530001230516112345"]))
                == "sda (Cruzer Glide 3.0, 31 GB, serial 4C530001230516112345) is removable (usb); set disk.allowRemovable to true to install to it")
        #expect(try plan(laptop, try profile(target, wipe: ["4C530001230516112345"], extra: #", "allowRemovable": true"#)).target.name == "sda")
    }

    @Test func tooSmallStatesTheMinimum() throws {
        let reason = refusal(try machine("qemu-vm"), try profile(#"{"serial": "CLANDATA02"}"#, wipe: ["CLANDATA02"], extra: #", "swap": "8G""#))
        #expect(reason == "vdb (8.6 GB, serial CLANDATA02) is too small: 8.6 GB; this install needs at least 20.6 GiB")
    }

    @Test func aSelectorMatchingSeveralDisksListsThem() throws {
        var vm = try machine("qemu-vm")
        let index = try #require(vm.disks.firstIndex { $0.name == "vdb" })
        vm.disks[index].serial = "CLANTEST01"  // cheap USB sticks and some VMs repeat serial numbers
        let reason = refusal(vm, try profile(#"{"serial": "CLANTEST01"}"#, wipe: ["CLANTEST01"]))
        #expect(reason == """
        the serial CLANTEST01 matches 2 disks, so it does not say which one to erase:
          - vda: 21 GB, serial CLANTEST01, holds empty
          - vdb: 8.6 GB, serial CLANTEST01, holds Linux ext4 labelled olddata (8.6 GB)
        """)
    }

    @Test func dataWithoutABindingIsRefusedUnattendedAndConfirmedWhenGuided() throws {
        let desktop = try machine("desktop")
        let target = #"{"serial": "WD-WCC4M3KX1234"}"#
        #expect(refusal(desktop, try profile(target)) == "sdb (WDC WD20EZRZ-00Z5HB0, 2 TB, serial WD-WCC4M3KX1234) holds Linux ext4 labelled data (2 TB); an unattended install erases it only when disk.wipe names its serial (WD-WCC4M3KX1234) or WWN (0x50014ee2b8c51234) or the kernel command line says clan.wipe=WD-WCC4M3KX1234")
        // "empty" does not cover a disk holding data.
        #expect(refusal(desktop, try profile(target, wipe: ["empty"])) != nil)
        let guided = try plan(desktop, try profile(target, interactive: #"["disk"]"#))
        #expect(guided.authorization == .init(kind: .typedConfirmationNeeded, detail: "type WD-WCC4M3KX1234 to confirm erasing sdb"))
        #expect(guided.destroys.first == "sdb: everything on it (Linux ext4 labelled data (2 TB))")
    }

    @Test func bindingsByWWNAndByTheKernelCommandLine() throws {
        var desktop = try machine("desktop")
        let target = #"{"wwn": "0x50014ee2b8c51234"}"#
        #expect(try plan(desktop, try profile(target, wipe: ["0x50014ee2b8c51234"])).authorization.kind == .wipeBinding)
        desktop.kernelCommandLine += " clan.wipe=WD-WCC4M3KX1234"
        #expect(try plan(desktop, try profile(target)).authorization
                == .init(kind: .kernelCommandLine, detail: "clan.wipe=WD-WCC4M3KX1234 on the kernel command line"))
    }

    @Test func emptyDisksNeedTheEmptyBinding() throws {
        let vm = try machine("qemu-vm")
        let target = #"{"serial": "CLANTEST01"}"#
        #expect(refusal(vm, try profile(target)) == "vda (21 GB, serial CLANTEST01) is empty, but an unattended install writes only to a disk it is bound to: disk.wipe names its serial (CLANTEST01) or the kernel command line says clan.wipe=CLANTEST01, or disk.wipe contains \"empty\"")
        #expect(try plan(vm, try profile(target, wipe: ["empty"])).authorization.kind == .emptyDisk)
    }

    @Test func readOnlyAndInUseDisks() throws {
        var vm = try machine("qemu-vm")
        let index = try #require(vm.disks.firstIndex { $0.name == "vda" })
        vm.disks[index].readOnly = true
        #expect(refusal(vm, try profile(#"{"serial": "CLANTEST01"}"#, wipe: ["CLANTEST01"])) == "vda (21 GB, serial CLANTEST01) is read-only")
        let server = try machine("server")
        #expect(refusal(server, try profile(#"{"serial": "PHYF9134012A240AGN"}"#, wipe: ["PHYF9134012A240AGN"]))
                == "sda (INTEL SSDSC2KB240G8, 240 GB, serial PHYF9134012A240AGN) is in use (held by open LUKS mapping dm-0 (cryptroot), mounted on /mnt/old through it): stop using it first")
    }

    @Test func noTargetInAGuidedProfileIsLeftToTheUI() throws {
        let text = #"{"version": 1, "interactive": ["identity", "users", "disk"]}"#
        let guided = try InstallProfile.decode(Array(text.utf8))
        guard case .failure(let refusal) = Planner.plan(machine: try machine("qemu-vm"), profile: guided) else {
            Issue.record("planned without a target")
            return
        }
        #expect(refusal.reason.contains("the guided installer asks for it"))
    }
}
