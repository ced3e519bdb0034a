#!/usr/bin/env python3
"""Generate the captured-machine fixture trees used by the hardware prober tests.

Each tree `<name>/` stands in for `/` of one machine and holds the parts of
`/sys`, `/proc` and `/run/udev/data` the prober reads.  The content is
synthetic but follows what Linux 6.12 and systemd-udev 258 expose: the same
attribute names and value formats, the same device hierarchy, and relative
symlinks computed the way kernfs computes them.

Re-runnable: every tree directory is deleted and recreated.  Nothing outside
the directory holding this script is touched.

    python3 Tests/Fixtures/trees/make-trees.py [tree ...]
"""

import hashlib
import os
import re
import shutil
import sys
import uuid as _uuid

HERE = os.path.dirname(os.path.abspath(__file__))
KERNEL = "6.12.60"
KERNEL_BCD = 0x0612  # bcdDevice of the USB root hubs: kernel version
ISO_LABEL = "nixos-minimal-25.11-x86_64"
GUID_EFIVARS = "8be4df61-93ca-11d2-aa0d-e398032c4efd"

# GPT partition type GUIDs
T_ESP = "c12a7328-f81f-11d2-ba4b-00a0c93ec93b"
T_MSR = "e3c9e316-0b5c-4db8-817d-f92df00215ae"
T_MSDATA = "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7"
T_WINRE = "de94bba4-06d1-4d40-a16a-bfd50179d6ac"
T_LINUX = "0fc63daf-8483-4772-8e79-3d69d8477de4"
T_RAID = "a19d880f-05fc-4d3b-a006-bd1f3f8ba176"
T_LUKS = "ca7d7ccb-63ed-4c53-861c-1742536059cc"


# ---------------------------------------------------------------------------
# deterministic identifiers


def _digest(*parts):
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()


def guid(*parts):
    b = bytearray(_digest("guid", *parts)[:16])
    b[6] = (b[6] & 0x0F) | 0x40
    b[8] = (b[8] & 0x3F) | 0x80
    return str(_uuid.UUID(bytes=bytes(b)))


def hexid(n, *parts):
    return _digest("hex", *parts).hex()[:n]


NIX32 = "0123456789abcdfghijklmnpqrsvwxyz"


def nixhash(*parts):
    d = _digest("nix", *parts)
    return "".join(NIX32[b % 32] for b in d[:32])


def vfat_uuid(*parts):
    h = hexid(8, "vfat", *parts).upper()
    return h[:4] + "-" + h[4:]


def ntfs_uuid(*parts):
    return hexid(16, "ntfs", *parts).upper()


# ---------------------------------------------------------------------------
# udev string helpers


def udev_enc(s):
    """blkid_encode_string(): keep [A-Za-z0-9#+-.:=@_], hex-escape the rest."""
    out = []
    for ch in s:
        if ch.isascii() and (ch.isalnum() or ch in "#+-.:=@_"):
            out.append(ch)
        else:
            out.extend("\\x%02x" % b for b in ch.encode())
    return "".join(out)


def udev_safe(s):
    """blkid_safe_string()/udev_replace_whitespace(): trim, whitespace -> '_'."""
    return re.sub(r"\s", "_", s.strip())


def path_tag(p):
    return re.sub(r"[^A-Za-z0-9-]", "_", p)


# ---------------------------------------------------------------------------
# tree writer


class Tree:
    def __init__(self, name):
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
            raise SystemExit(f"bad tree name {name!r}")
        self.name = name
        self.root = os.path.join(HERE, name)
        if os.path.dirname(self.root) != HERE:
            raise SystemExit("refusing to write outside " + HERE)
        if os.path.lexists(self.root):
            shutil.rmtree(self.root)
        os.makedirs(self.root)
        self._watch = 0
        self._usec = 2_000_000
        self.blocks = []  # (major, minor, size_sectors, name) for proc/partitions

    def path(self, rel):
        rel = rel.strip("/")
        p = os.path.normpath(os.path.join(self.root, rel))
        if p != self.root and not p.startswith(self.root + os.sep):
            raise SystemExit(f"path escapes tree: {rel}")
        return p

    def write(self, rel, data):
        p = self.path(rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        if isinstance(data, str):
            data = data.encode()
        with open(p, "wb") as f:
            f.write(data)

    def attr(self, rel, value):
        """A sysfs attribute: the value followed by a newline."""
        self.write(rel, f"{value}\n")

    def attrs(self, d, mapping):
        for k, v in mapping.items():
            self.attr(f"{d}/{k}", v)

    def link(self, rel, target):
        """Create `rel` -> `target` (both tree-relative) as a relative symlink
        computed like kernfs_get_target_path(): climb from the link's directory
        until reaching an ancestor of the target's parent, then descend."""
        ldir = rel.strip("/").split("/")[:-1]
        tgt = target.strip("/").split("/")
        tparent = tgt[:-1]
        base = ldir[:]
        up = 0
        while base and tparent[: len(base)] != base:
            base = base[:-1]
            up += 1
        s = "../" * up + "/".join(tgt[len(base):])
        p = self.path(rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        if os.path.lexists(p):
            os.remove(p)
        os.symlink(s, p)

    def next_watch(self):
        self._watch += 1
        return self._watch + 3

    def next_usec(self):
        self._usec += 137_531 + (self._watch * 7919) % 50_000
        return self._usec


# ---------------------------------------------------------------------------
# /proc


def cpuinfo(cpus, common, flags, bugs, vmx_flags=None, amd_tlb=None,
            power="", mhz_base=1000.0):
    """cpus: list of (physical_id, core_id, apicid); common: dict of constants."""
    out = []
    siblings = common["siblings"]
    for n, (pid, cid, apic) in enumerate(cpus):
        mhz = mhz_base + ((n * 7919) % 997) * 1.013
        lines = [
            f"processor\t: {n}",
            f"vendor_id\t: {common['vendor']}",
            f"cpu family\t: {common['family']}",
            f"model\t\t: {common['model']}",
            f"model name\t: {common['name']}",
            f"stepping\t: {common['stepping']}",
            f"microcode\t: {common['microcode']}",
            f"cpu MHz\t\t: {mhz:.3f}",
            f"cache size\t: {common['cache']} KB",
            f"physical id\t: {pid}",
            f"siblings\t: {siblings}",
            f"core id\t\t: {cid}",
            f"cpu cores\t: {common['cores']}",
            f"apicid\t\t: {apic}",
            f"initial apicid\t: {apic}",
            "fpu\t\t: yes",
            "fpu_exception\t: yes",
            f"cpuid level\t: {common['cpuid_level']}",
            "wp\t\t: yes",
            "flags\t\t: " + " ".join(flags.split()),
        ]
        if vmx_flags:
            lines.append("vmx flags\t: " + " ".join(vmx_flags.split()))
        lines.append("bugs\t\t: " + " ".join(bugs.split()))
        lines.append(f"bogomips\t: {common['bogomips']}")
        if amd_tlb:
            lines.append(f"TLB size\t: {amd_tlb} 4K pages")
        lines += [
            "clflush size\t: 64",
            "cache_alignment\t: 64",
            f"address sizes\t: {common['addr']}",
            "power management:" + ((" " + power) if power else ""),
        ]
        out.append("\n".join(lines) + "\n")
    return "\n".join(out) + "\n"


def meminfo(total_kb, used_frac=0.08, cached_kb=800_000, shmem_kb=60_000,
            swap_kb=0, direct1g=True, hugepage_total=0):
    free = int(total_kb * (1 - used_frac)) - cached_kb
    buffers = 4_312 + total_kb // 20_000
    anon = int(total_kb * used_frac * 0.55)
    active_anon = anon // 5
    inactive_anon = anon - active_anon + shmem_kb
    active_file = int(cached_kb * 0.31)
    inactive_file = cached_kb + buffers - shmem_kb - active_file
    sreclaim = 40_000 + total_kb // 200
    sunreclaim = 30_000 + total_kb // 300
    avail = free + int((cached_kb - shmem_kb) * 0.9) + sreclaim // 2
    mapped = 120_000 + total_kb // 400
    vals = [
        ("MemTotal", total_kb), ("MemFree", free), ("MemAvailable", avail),
        ("Buffers", buffers), ("Cached", cached_kb), ("SwapCached", 0),
        ("Active", active_anon + active_file),
        ("Inactive", inactive_anon + inactive_file),
        ("Active(anon)", active_anon), ("Inactive(anon)", inactive_anon),
        ("Active(file)", active_file), ("Inactive(file)", inactive_file),
        ("Unevictable", 0), ("Mlocked", 0),
        ("SwapTotal", swap_kb), ("SwapFree", swap_kb),
        ("Zswap", 0), ("Zswapped", 0),
        ("Dirty", 412), ("Writeback", 0),
        ("AnonPages", anon), ("Mapped", mapped), ("Shmem", shmem_kb),
        ("KReclaimable", sreclaim + 1_024), ("Slab", sreclaim + sunreclaim),
        ("SReclaimable", sreclaim), ("SUnreclaim", sunreclaim),
        ("KernelStack", 9_000 + total_kb // 4_000),
        ("PageTables", 6_000 + total_kb // 5_000), ("SecPageTables", 0),
        ("NFS_Unstable", 0), ("Bounce", 0), ("WritebackTmp", 0),
        ("CommitLimit", total_kb // 2 + swap_kb),
        ("Committed_AS", anon * 3 + shmem_kb),
        ("VmallocTotal", 34359738367), ("VmallocUsed", 41_000 + total_kb // 500),
        ("VmallocChunk", 0), ("Percpu", 3_000 + total_kb // 3_000),
        ("HardwareCorrupted", 0), ("AnonHugePages", 0),
        ("ShmemHugePages", 0), ("ShmemPmdMapped", 0),
        ("FileHugePages", 0), ("FilePmdMapped", 0), ("Unaccepted", 0),
    ]
    lines = [f"HardwareCorrupted: {v:5d} kB" if k == "HardwareCorrupted" else f"{k + ':':<16}{v:>8} kB"
             for k, v in vals]
    lines += [
        f"{'HugePages_Total:':<16}{hugepage_total:>8}",
        f"{'HugePages_Free:':<16}{hugepage_total:>8}",
        f"{'HugePages_Rsvd:':<16}{0:>8}",
        f"{'HugePages_Surp:':<16}{0:>8}",
        f"{'Hugepagesize:':<16}{2048:>8} kB",
        f"{'Hugetlb:':<16}{hugepage_total * 2048:>8} kB",
    ]
    # direct map: roughly the physical RAM plus the low hole, 4k/2M/1G split
    phys = total_kb + total_kb // 40
    d4k = 412_000 + (total_kb // 100_000) * 4
    if direct1g and phys > 4 * 1048576:
        d1g = ((phys - 3 * 1048576) // 1048576) * 1048576
        d2m = ((phys - d1g - d4k) // 2048 + 1) * 2048
        lines += [f"{'DirectMap4k:':<16}{d4k:>8} kB", f"{'DirectMap2M:':<16}{d2m:>8} kB",
                  f"{'DirectMap1G:':<16}{d1g:>8} kB"]
    else:
        d2m = ((phys - d4k) // 2048 + 1) * 2048
        lines += [f"{'DirectMap4k:':<16}{d4k:>8} kB", f"{'DirectMap2M:':<16}{d2m:>8} kB"]
    return "\n".join(lines) + "\n"


def mountinfo(entries, first_id=22):
    """entries: (mountpoint, parent_mountpoint|None, majmin, opts, fstype, source, superopts[, root])"""
    ids = {}
    out = []
    shared = 0
    for i, e in enumerate(entries):
        mp, parent, majmin, opts, fstype, source, superopts = e[:7]
        root = e[7] if len(e) > 7 else "/"
        mid = first_id + i
        pid = 1 if parent is None else ids[parent]
        ids[mp] = mid
        shared += 1
        out.append(f"{mid} {pid} {majmin} {root} {mp} {opts} shared:{shared} - {fstype} {source} {superopts}")
    return "\n".join(out) + "\n"


def base_mounts(run_size_kb, dev_size_kb, nr_inodes, efi):
    """The API filesystems every booted NixOS system has."""
    m = [
        ("/proc", "/", "0:22", "rw,nosuid,nodev,noexec,relatime", "proc", "proc", "rw"),
        ("/sys", "/", "0:23", "rw,nosuid,nodev,noexec,relatime", "sysfs", "sysfs", "rw"),
        ("/dev", "/", "0:5", "rw,nosuid", "devtmpfs", "devtmpfs",
         f"rw,size={dev_size_kb}k,nr_inodes={nr_inodes},mode=755"),
        ("/dev/pts", "/dev", "0:24", "rw,nosuid,noexec,relatime", "devpts", "devpts",
         "rw,gid=3,mode=620,ptmxmode=666"),
        ("/dev/shm", "/dev", "0:25", "rw,nosuid,nodev", "tmpfs", "tmpfs", "rw"),
        ("/run", "/", "0:26", "rw,nosuid,nodev", "tmpfs", "tmpfs", f"rw,size={run_size_kb}k,mode=755"),
    ]
    return m


def api_mounts_late(efi):
    m = [
        ("/sys/kernel/security", "/sys", "0:6", "rw,nosuid,nodev,noexec,relatime", "securityfs", "securityfs", "rw"),
        ("/sys/fs/cgroup", "/sys", "0:30", "rw,nosuid,nodev,noexec,relatime", "cgroup2", "cgroup2",
         "rw,nsdelegate,memory_recursiveprot"),
        ("/sys/fs/pstore", "/sys", "0:31", "rw,nosuid,nodev,noexec,relatime", "pstore", "pstore", "rw"),
    ]
    if efi:
        m.append(("/sys/firmware/efi/efivars", "/sys", "0:32", "rw,nosuid,nodev,noexec,relatime",
                  "efivarfs", "efivarfs", "rw"))
    m += [
        ("/sys/fs/bpf", "/sys", "0:33", "rw,nosuid,nodev,noexec,relatime", "bpf", "bpf", "rw,mode=700"),
        ("/dev/hugepages", "/dev", "0:34", "rw,nosuid,nodev,relatime", "hugetlbfs", "hugetlbfs", "rw,pagesize=2M"),
        ("/dev/mqueue", "/dev", "0:20", "rw,nosuid,nodev,noexec,relatime", "mqueue", "mqueue", "rw"),
        ("/sys/kernel/debug", "/sys", "0:7", "rw,nosuid,nodev,noexec,relatime", "debugfs", "debugfs", "rw"),
        ("/sys/kernel/tracing", "/sys", "0:12", "rw,nosuid,nodev,noexec,relatime", "tracefs", "tracefs", "rw"),
        ("/sys/fs/fuse/connections", "/sys", "0:35", "rw,nosuid,nodev,noexec,relatime", "fusectl", "fusectl", "rw"),
        ("/sys/kernel/config", "/sys", "0:36", "rw,nosuid,nodev,noexec,relatime", "configfs", "configfs", "rw"),
        ("/run/wrappers", "/run", "0:37", "rw,nodev,relatime", "tmpfs", "tmpfs", "rw,mode=755"),
        ("/run/keys", "/run", "0:38", "rw,nosuid,nodev,relatime", "ramfs", "none", "rw,mode=750"),
    ]
    return m


def nix_store_mounts(loop_dev="/dev/loop0"):
    over = ("rw,lowerdir=/mnt-root/nix/.ro-store,upperdir=/mnt-root/nix/.rw-store/store,"
            "workdir=/mnt-root/nix/.rw-store/work")
    return [
        ("/nix/.ro-store", "/", "7:0", "ro,relatime", "squashfs", loop_dev, "ro,errors=continue,threads=multi"),
        ("/nix/.rw-store", "/", "0:28", "rw,relatime", "tmpfs", "tmpfs", "rw,mode=755"),
        ("/nix/store", "/", "0:29", "rw,relatime", "overlay", "overlay", over),
    ]


def proc_partitions(t):
    lines = ["major minor  #blocks  name", ""]
    for maj, mi, size, name in t.blocks:
        if size == 0:
            continue
        lines.append(f"{maj:4d}  {mi:7d} {size // 2:10d} {name}")
    t.write("proc/partitions", "\n".join(lines) + "\n")


def proc_version(t):
    t.attr("proc/version",
           f"Linux version {KERNEL} (nixbld@localhost) (gcc (GCC) 14.3.0, GNU ld (GNU Binutils) 2.44) "
           "#1-NixOS SMP PREEMPT_DYNAMIC Thu Nov 27 09:34:56 UTC 2025")


def nixos_init(tag):
    return (f"/nix/store/{nixhash('system', tag)}-nixos-system-nixos-25.11.20251130.{hexid(7, 'rev')}/init")


# ---------------------------------------------------------------------------
# firmware, DMI


def efi(t, secure_boot, boot_current):
    t.attr("sys/firmware/efi/fw_platform_size", 64)
    t.attr("sys/firmware/efi/runtime", "0x3f5d0000")
    t.attr("sys/firmware/efi/config_table", "0x3f8e9018")
    v = "sys/firmware/efi/efivars"
    t.write(f"{v}/SecureBoot-{GUID_EFIVARS}", bytes([6, 0, 0, 0, 1 if secure_boot else 0]))
    t.write(f"{v}/SetupMode-{GUID_EFIVARS}", bytes([6, 0, 0, 0, 0]))
    t.write(f"{v}/BootCurrent-{GUID_EFIVARS}", bytes([6, 0, 0, 0, boot_current & 0xFF, boot_current >> 8]))


DMI_MODALIAS_FIELDS = [
    ("bvn", "bios_vendor"), ("bvr", "bios_version"), ("bd", "bios_date"), ("br", "bios_release"),
    ("efr", "ec_firmware_release"), ("svn", "sys_vendor"), ("pn", "product_name"),
    ("pvr", "product_version"), ("rvn", "board_vendor"), ("rn", "board_name"),
    ("rvr", "board_version"), ("cvn", "chassis_vendor"), ("ct", "chassis_type"),
    ("cvr", "chassis_version"), ("sku", "product_sku"),
]


def dmi(t, fields):
    base = "sys/devices/virtual/dmi/id"
    t.attrs(base, fields)
    m = "dmi:"
    for pfx, key in DMI_MODALIAS_FIELDS:
        if key in fields:
            val = "".join(c for c in str(fields[key]) if " " < c < "\x7f" and c != ":")
            m += f"{pfx}{val}:"
    t.attr(f"{base}/modalias", m)
    t.write(f"{base}/uevent", f"MODALIAS={m}\n")
    t.link("sys/class/dmi/id", base)


def cpu_sysfs(t, n):
    rng = f"0-{n - 1}" if n > 1 else "0"
    t.attrs("sys/devices/system/cpu", {"online": rng, "present": rng})


# ---------------------------------------------------------------------------
# PCI


def pci(t, parent, addr, ven, dev, cls, sv, sd, rev=0, driver=None, numa=-1, extra=None):
    d = f"{parent}/{addr}"
    ma = "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X" % (
        ven, dev, sv, sd, cls >> 16, (cls >> 8) & 0xFF, cls & 0xFF)
    a = {
        "vendor": f"0x{ven:04x}", "device": f"0x{dev:04x}",
        "subsystem_vendor": f"0x{sv:04x}", "subsystem_device": f"0x{sd:04x}",
        "class": f"0x{cls:06x}", "revision": f"0x{rev:02x}", "modalias": ma,
    }
    if numa >= 0:
        a["numa_node"] = numa
    a.update(extra or {})
    t.attrs(d, a)
    uev = (f"DRIVER={driver}\n" if driver else "") + (
        f"PCI_CLASS={cls:X}\nPCI_ID={ven:04X}:{dev:04X}\nPCI_SUBSYS_ID={sv:04X}:{sd:04X}\n"
        f"PCI_SLOT_NAME={addr}\nMODALIAS={ma}\n")
    t.write(f"{d}/uevent", uev)
    t.link(f"sys/bus/pci/devices/{addr}", d)
    t.link(f"{d}/subsystem", "sys/bus/pci")
    if driver:
        t.link(f"{d}/driver", f"sys/bus/pci/drivers/{driver}")
        t.link(f"sys/bus/pci/drivers/{driver}/{addr}", d)
    return d


# ---------------------------------------------------------------------------
# USB


def usb_dev(t, parent, name, bus, devnum, vid, pid, bcd, speed, version,
            manufacturer=None, product=None, serial=None, dcls=(0, 0, 0),
            maxpower="100mA", removable="removable", ifaces=(), maxchild=0):
    """ifaces: list of (number, class, subclass, protocol, n_endpoints, driver)."""
    d = f"{parent}/{name}"
    root_hub = name.startswith("usb")
    devpath = "0" if root_hub else name.split("-", 1)[1]
    minor = (bus - 1) * 128 + devnum - 1
    a = {
        "idVendor": f"{vid:04x}", "idProduct": f"{pid:04x}", "bcdDevice": f"{bcd:04x}",
        "bDeviceClass": f"{dcls[0]:02x}", "bDeviceSubClass": f"{dcls[1]:02x}",
        "bDeviceProtocol": f"{dcls[2]:02x}", "bNumInterfaces": f"{len(ifaces):2d}",
        "bMaxPower": maxpower, "speed": speed, "version": version, "busnum": bus, "devnum": devnum,
        "devpath": devpath, "removable": removable,
    }
    if root_hub:
        a["maxchild"] = maxchild
    if manufacturer:
        a["manufacturer"] = manufacturer
    if product:
        a["product"] = product
    if serial:
        a["serial"] = serial
    t.attrs(d, a)
    product_key = f"{vid:x}/{pid:x}/{bcd:x}"
    t.write(f"{d}/uevent",
            f"MAJOR=189\nMINOR={minor}\nDEVNAME=bus/usb/{bus:03d}/{devnum:03d}\nDEVTYPE=usb_device\n"
            f"DRIVER=usb\nPRODUCT={product_key}\nTYPE={dcls[0]}/{dcls[1]}/{dcls[2]}\n"
            f"BUSNUM={bus:03d}\nDEVNUM={devnum:03d}\n")
    t.link(f"{d}/driver", "sys/bus/usb/drivers/usb")
    t.link(f"sys/bus/usb/drivers/usb/{name}", d)
    t.link(f"{d}/subsystem", "sys/bus/usb")
    t.link(f"sys/bus/usb/devices/{name}", d)
    out = {}
    for (num, c, sc, pr, neps, drv) in ifaces:
        iname = f"{bus}-0:1.{num}" if root_hub else f"{name}:1.{num}"
        idir = f"{d}/{iname}"
        ma = "usb:v%04Xp%04Xd%04Xdc%02Xdsc%02Xdp%02Xic%02Xisc%02Xip%02Xin%02X" % (
            vid, pid, bcd, dcls[0], dcls[1], dcls[2], c, sc, pr, num)
        t.attrs(idir, {
            "bInterfaceClass": f"{c:02x}", "bInterfaceSubClass": f"{sc:02x}",
            "bInterfaceProtocol": f"{pr:02x}", "bInterfaceNumber": f"{num:02x}",
            "bNumEndpoints": f"{neps:02x}", "modalias": ma,
        })
        t.write(f"{idir}/uevent",
                "DEVTYPE=usb_interface\n" + (f"DRIVER={drv}\n" if drv else "") +
                f"PRODUCT={product_key}\nTYPE={dcls[0]}/{dcls[1]}/{dcls[2]}\n"
                f"INTERFACE={c}/{sc}/{pr}\nMODALIAS={ma}\n")
        if drv:
            t.link(f"{idir}/driver", f"sys/bus/usb/drivers/{drv}")
            t.link(f"sys/bus/usb/drivers/{drv}/{iname}", idir)
        t.link(f"{idir}/subsystem", "sys/bus/usb")
        t.link(f"sys/bus/usb/devices/{iname}", idir)
        out[num] = idir
    return d, out


def xhci_root_hubs(t, hcd, addr, usb2_ports, usb3_ports, usb3_speed="10000",
                   usb3_version=" 3.10", first_bus=1):
    b2, b3 = first_bus, first_bus + 1
    r2, _ = usb_dev(t, hcd, f"usb{b2}", b2, 1, 0x1D6B, 0x0002, KERNEL_BCD, "480", " 2.00",
                    f"Linux {KERNEL} xhci-hcd", "xHCI Host Controller", addr, dcls=(9, 0, 1),
                    maxpower="0mA", removable="unknown", maxchild=usb2_ports,
                    ifaces=[(0, 9, 0, 0, 1, "hub")])
    r3, _ = usb_dev(t, hcd, f"usb{b3}", b3, 1, 0x1D6B, 0x0003, KERNEL_BCD, usb3_speed, usb3_version,
                    f"Linux {KERNEL} xhci-hcd", "xHCI Host Controller", addr, dcls=(9, 0, 3),
                    maxpower="0mA", removable="unknown", maxchild=usb3_ports,
                    ifaces=[(0, 9, 0, 0, 1, "hub")])
    return r2, r3


# ---------------------------------------------------------------------------
# SCSI


def scsi_host(t, parent, n, proc_name):
    h = f"{parent}/host{n}"
    t.attr(f"{h}/scsi_host/host{n}/proc_name", proc_name)
    t.link(f"sys/class/scsi_host/host{n}", f"{h}/scsi_host/host{n}")
    return h


def scsi_dev(t, host, hctl, vendor, model, rev, typ, driver, wwid=None, pg80=None,
             scsi_level=6, queue_depth=32):
    h, c, tg, lun = hctl
    name = f"{h}:{c}:{tg}:{lun}"
    d = f"{host}/target{h}:{c}:{tg}/{name}"
    ma = f"scsi:t-0x{typ:02x}"
    t.attrs(d, {
        "vendor": vendor.ljust(8)[:8], "model": model.ljust(16)[:16], "rev": rev.ljust(4)[:4],
        "type": typ, "scsi_level": scsi_level, "device_blocked": 0, "queue_depth": queue_depth,
        "state": "running", "modalias": ma,
    })
    if wwid:
        t.attr(f"{d}/wwid", wwid)
    if pg80 is not None:
        t.write(f"{d}/vpd_pg80", bytes([0x00, 0x80, 0x00, len(pg80)]) + pg80.encode())
    t.write(f"{d}/uevent", f"DEVTYPE=scsi_device\nDRIVER={driver}\nMODALIAS={ma}\n")
    t.link(f"{d}/driver", f"sys/bus/scsi/drivers/{driver}")
    t.link(f"sys/bus/scsi/drivers/{driver}/{name}", d)
    t.link(f"{d}/subsystem", "sys/bus/scsi")
    t.link(f"sys/bus/scsi/devices/{name}", d)
    return d


def ata_id_props(model, serial, fw, wwn=None, rpm=None, typ="disk", sata=True):
    """What `ata_id --export` contributes for an ATA disk or ATAPI drive."""
    p = [("ID_ATA", "1"), ("ID_TYPE", typ), ("ID_BUS", "ata"),
         ("ID_MODEL", udev_safe(model)),
         ("ID_MODEL_ENC", udev_enc(model.ljust(40))),
         ("ID_REVISION", fw),
         ("ID_SERIAL", f"{udev_safe(model)}_{serial}"),
         ("ID_SERIAL_SHORT", serial)]
    if typ == "disk":
        p += [("ID_ATA_WRITE_CACHE", "1"), ("ID_ATA_WRITE_CACHE_ENABLED", "1"),
              ("ID_ATA_FEATURE_SET_PM", "1"), ("ID_ATA_FEATURE_SET_PM_ENABLED", "1"),
              ("ID_ATA_FEATURE_SET_SMART", "1"), ("ID_ATA_FEATURE_SET_SMART_ENABLED", "1"),
              ("ID_ATA_DOWNLOAD_MICROCODE", "1")]
        if sata:
            p += [("ID_ATA_SATA", "1"), ("ID_ATA_SATA_SIGNAL_RATE_GEN1", "1"),
                  ("ID_ATA_SATA_SIGNAL_RATE_GEN2", "1")]
        p.append(("ID_ATA_ROTATION_RATE_RPM", str(rpm or 0)))
    if wwn:
        p += [("ID_WWN", f"0x{wwn}"), ("ID_WWN_WITH_EXTENSION", f"0x{wwn}")]
    return p


# ---------------------------------------------------------------------------
# block devices


def fs_props(fs):
    if not fs:
        return []
    p = []
    if fs.get("label"):
        p += [("ID_FS_LABEL", udev_safe(fs["label"])), ("ID_FS_LABEL_ENC", udev_enc(fs["label"]))]
    if fs.get("uuid"):
        p += [("ID_FS_UUID", fs["uuid"]), ("ID_FS_UUID_ENC", udev_enc(fs["uuid"]))]
    if fs.get("uuid_sub"):
        p += [("ID_FS_UUID_SUB", fs["uuid_sub"]), ("ID_FS_UUID_SUB_ENC", udev_enc(fs["uuid_sub"]))]
    if fs.get("version"):
        p.append(("ID_FS_VERSION", fs["version"]))
    p += list(fs.get("extra", []))
    p += [("ID_FS_TYPE", fs["type"]), ("ID_FS_USAGE", fs["usage"])]
    return p


def fs_links(fs):
    if not fs or fs["usage"] not in ("filesystem", "other", "crypto"):
        return []
    out = []
    if fs.get("uuid"):
        out.append(f"disk/by-uuid/{udev_enc(fs['uuid'])}")
    if fs.get("label"):
        out.append(f"disk/by-label/{udev_enc(fs['label'])}")
    return out


def udev_db(t, major, minor, links, props, watch=True, tags=("systemd",), prio=None):
    lines = [f"S:{s}" for s in links]
    if prio is not None:
        lines.append(f"L:{prio}")
    if watch:
        lines.append(f"W:{t.next_watch()}")
    lines.append(f"I:{t.next_usec()}")
    lines += [f"E:{k}={v}" for k, v in props]
    lines += [f"G:{g}" for g in tags] + [f"Q:{g}" for g in tags] + ["V:1"]
    t.write(f"run/udev/data/b{major}:{minor}", "\n".join(lines) + "\n")


def block_common(t, d, name, major, minor, size, ro=0):
    t.attrs(d, {"size": size, "ro": ro, "dev": f"{major}:{minor}"})
    t.link(f"sys/class/block/{name}", d)
    t.link(f"sys/dev/block/{major}:{minor}", d)
    t.link(f"{d}/subsystem", "sys/class/block")
    t.blocks.append((major, minor, size, name))


def disk(t, spec):
    """Write one whole-disk block device (+ partitions) and its udev database entries.

    spec keys: name dir major minor size diskseq [removable ro lbs pbs rot sched device
    sysattrs id_props id_links path_links extra_props extra_links table fs parts watch prio]
    """
    name, d = spec["name"], spec["dir"]
    major, minor, size = spec["major"], spec["minor"], spec["size"]
    block_common(t, d, name, major, minor, size, spec.get("ro", 0))
    t.attrs(d, {"removable": spec.get("removable", 0), "diskseq": spec["diskseq"]})
    t.write(f"{d}/uevent", f"MAJOR={major}\nMINOR={minor}\nDEVNAME={name}\nDEVTYPE=disk\n"
                           f"DISKSEQ={spec['diskseq']}\n")
    lbs, pbs = spec.get("lbs", 512), spec.get("pbs", 512)
    t.attrs(f"{d}/queue", {
        "logical_block_size": lbs, "physical_block_size": pbs, "rotational": spec.get("rot", 0),
        "scheduler": spec.get("sched", "none"),
    })
    if spec.get("device"):
        t.link(f"{d}/device", spec["device"])
    t.attrs(d, spec.get("sysattrs", {}))
    t.link(f"sys/block/{name}", d)

    id_props = list(spec.get("id_props", []))
    id_links = list(spec.get("id_links", []))
    path_links = list(spec.get("path_links", []))
    table = spec.get("table")
    tprops = []
    if table:
        tprops = [("ID_PART_TABLE_UUID", table["uuid"]), ("ID_PART_TABLE_TYPE", table["type"])]
    props = id_props + list(spec.get("extra_props", [])) + fs_props(spec.get("fs")) + tprops
    links = id_links + path_links + fs_links(spec.get("fs")) + list(spec.get("extra_links", []))
    links.append(f"disk/by-diskseq/{spec['diskseq']}")
    udev_db(t, major, minor, links, props, watch=spec.get("watch", True), prio=spec.get("prio"))

    id_path = dict(id_props).get("ID_PATH")
    inherited = [(k, v) for k, v in id_props + tprops if k.startswith("ID_") and not k.startswith("ID_FS")]
    for p in spec.get("parts", []):
        n, pname = p["n"], p["name"]
        pd = f"{d}/{pname}"
        pminor = p["minor"]
        block_common(t, pd, pname, major, pminor, p["size"], spec.get("ro", 0))
        t.attrs(pd, {"partition": n, "start": p["start"]})
        uev = (f"MAJOR={major}\nMINOR={pminor}\nDEVNAME={pname}\nDEVTYPE=partition\nPARTN={n}\n")
        if table["type"] == "gpt" and p.get("label"):
            uev += f"PARTNAME={p['label']}\n"
        t.write(f"{pd}/uevent", uev)
        for hname, hdir in p.get("holders", []):
            t.link(f"{pd}/holders/{hname}", hdir)
            t.link(f"{hdir}/slaves/{pname}", pd)

        pprops = list(inherited) + fs_props(p.get("fs"))
        pprops.append(("ID_PART_ENTRY_SCHEME", table["type"]))
        if table["type"] == "gpt" and p.get("label"):
            pprops.append(("ID_PART_ENTRY_NAME", udev_enc(p["label"])))
        pprops += [("ID_PART_ENTRY_UUID", p["uuid"]), ("ID_PART_ENTRY_TYPE", p["type"])]
        if p.get("flags"):
            pprops.append(("ID_PART_ENTRY_FLAGS", p["flags"]))
        pprops += [("ID_PART_ENTRY_NUMBER", str(n)), ("ID_PART_ENTRY_OFFSET", str(p["start"])),
                   ("ID_PART_ENTRY_SIZE", str(p["size"])), ("ID_PART_ENTRY_DISK", f"{major}:{minor}")]
        pprops += list(p.get("extra_props", []))
        plinks = [f"{s}-part{n}" for s in id_links + path_links]
        plinks += fs_links(p.get("fs"))
        plinks.append(f"disk/by-partuuid/{p['uuid']}")
        if table["type"] == "gpt" and p.get("label"):
            plinks.append(f"disk/by-partlabel/{udev_enc(p['label'])}")
        if id_path:
            bp = f"disk/by-path/{id_path}-part"
            plinks.append(f"{bp}/by-partnum/{n}")
            plinks.append(f"{bp}/by-partuuid/{p['uuid']}")
            if table["type"] == "gpt" and p.get("label"):
                plinks.append(f"{bp}/by-partlabel/{udev_enc(p['label'])}")
            for l in fs_links(p.get("fs")):
                plinks.append(f"{bp}/{l.split('/', 1)[1]}")
        udev_db(t, major, pminor, plinks, pprops, watch=spec.get("watch", True))
    return d


def virtual_disk(t, name, major, minor, size, diskseq, extra_attrs=None, ro=0, lbs=512, pbs=512):
    d = f"sys/devices/virtual/block/{name}"
    block_common(t, d, name, major, minor, size, ro)
    t.attrs(d, {"removable": 0, "diskseq": diskseq})
    t.write(f"{d}/uevent", f"MAJOR={major}\nMINOR={minor}\nDEVNAME={name}\nDEVTYPE=disk\nDISKSEQ={diskseq}\n")
    t.attrs(f"{d}/queue", {"logical_block_size": lbs, "physical_block_size": pbs, "rotational": 0})
    t.attrs(d, extra_attrs or {})
    t.link(f"sys/block/{name}", d)
    return d


def loops(t, first_seq, attached=None):
    """loop0..loop7; attached = dict(backing, size, seq, inode, backing_dev) for loop0."""
    seqs = {}
    for i in range(8):
        seq = first_seq + i
        if i == 0 and attached:
            seq = attached["seq"]
        size = attached["size"] if (i == 0 and attached) else 0
        d = virtual_disk(t, f"loop{i}", 7, i, size, seq, ro=1 if (i == 0 and attached) else 0)
        seqs[i] = seq
        if i == 0 and attached:
            t.attrs(f"{d}/loop", {"backing_file": attached["backing"], "offset": 0, "sizelimit": 0,
                                  "autoclear": 1, "partscan": 0, "dio": 0})
            fname = attached["lo_file_name"]
            udev_db(t, 7, 0, [f"disk/by-diskseq/{seq}",
                              f"disk/by-loop-inode/{attached['backing_dev']}-{attached['inode']}",
                              f"disk/by-loop-ref/{udev_enc(fname)}"],
                    [("ID_LOOP_BACKING_DEVICE", attached["backing_dev"]),
                     ("ID_LOOP_BACKING_INODE", str(attached["inode"])),
                     ("ID_LOOP_BACKING_FILENAME", fname),
                     ("ID_LOOP_BACKING_FILENAME_ENC", udev_enc(fname)),
                     ("ID_FS_VERSION", "4.0"), ("ID_FS_BLOCKSIZE", "131072"),
                     ("ID_FS_TYPE", "squashfs"), ("ID_FS_USAGE", "filesystem")])
        else:
            udev_db(t, 7, i, [f"disk/by-diskseq/{seq}"], [("SYSTEMD_READY", "0")])
    return seqs


# ---------------------------------------------------------------------------
# network


def netdev(t, parent, name, ifindex, mac, operstate, carrier, speed=None, duplex=None,
           mtu=1500, devtype=None, typ=1, flags="0x1003", virtual=False, link_mode=0,
           name_assign_type=4):
    d = f"{parent}/net/{name}"
    a = {
        "address": mac, "addr_len": 6, "carrier": carrier, "flags": flags, "ifindex": ifindex,
        "mtu": mtu, "name_assign_type": name_assign_type, "operstate": operstate, "type": typ,
    }
    if speed is not None:
        a["speed"] = speed
        a["duplex"] = duplex
    t.attrs(d, a)
    t.write(f"{d}/uevent", (f"DEVTYPE={devtype}\n" if devtype else "") +
            f"INTERFACE={name}\nIFINDEX={ifindex}\n")
    if not virtual:
        t.link(f"{d}/device", parent)
    t.link(f"sys/class/net/{name}", d)
    t.link(f"{d}/subsystem", "sys/class/net")
    return d


def loopback(t):
    return netdev(t, "sys/devices/virtual", "lo", 1, "00:00:00:00:00:00", "unknown", 1,
                  mtu=65536, typ=772, flags="0x9", virtual=True, name_assign_type=1)


# ---------------------------------------------------------------------------
# shared ISO image (the NixOS installer ISO: isohybrid MBR + appended ESP)

ISO_SECTORS = 2412544          # iso9660 area, 512-byte sectors (~1.15 GiB)
ISO_ESP_SECTORS = 6144         # appended FAT12 ESP (3 MiB)
ISO_TOTAL = ISO_SECTORS + ISO_ESP_SECTORS
ISO_SQUASHFS_SECTORS = 2348032  # /iso/nix-store.squashfs
ISO_PTUUID = "0f3c6a2e"
ISO_FS = dict(type="iso9660", usage="filesystem", label=ISO_LABEL, uuid="1980-01-01-00-00-00-00",
              version="Joliet Extension",
              extra=[("ID_FS_BOOT_SYSTEM_ID", udev_enc("EL TORITO SPECIFICATION"))])
ISO_ESP_FS = dict(type="vfat", usage="filesystem", label="EFIBOOT", uuid="1234-5678", version="FAT12",
                  extra=[("ID_FS_SEC_TYPE", "msdos")])

INTEL_FLAGS_TGL = """fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi
mmx fxsr sse sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc art arch_perfmon pebs bts rep_good
nopl xtopology nonstop_tsc cpuid aperfmperf tsc_known_freq pni pclmulqdq dtes64 monitor ds_cpl vmx est tm2
ssse3 sdbg fma cx16 xtpr pdcm pcid sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c
rdrand lahf_lm abm 3dnowprefetch cpuid_fault epb cat_l2 cdp_l2 ssbd ibrs ibpb stibp ibrs_enhanced tpr_shadow
flexpriority ept vpid ept_ad fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid rdt_a avx512f avx512dq
rdseed adx smap avx512ifma clflushopt clwb intel_pt avx512cd sha_ni avx512bw avx512vl xsaveopt xsavec
xgetbv1 xsaves split_lock_detect user_shstk dtherm ida arat pln pts hwp hwp_notify hwp_act_window hwp_epp
hwp_pkg_req vnmi avx512vbmi umip pku ospke avx512_vbmi2 gfni vaes vpclmulqdq avx512_vnni avx512_bitalg
avx512_vpopcntdq rdpid movdiri movdir64b fsrm avx512_vp2intersect md_clear ibt flush_l1d
arch_capabilities"""
INTEL_VMX_TGL = """vnmi preemption_timer posted_intr invvpid ept_x_only ept_ad ept_1gb flexpriority apicv
tsc_offset vtpr mtf vapic ept vpid unrestricted_guest vapic_reg vid ple pml ept_mode_based_exec tsc_scaling"""


def build_laptop():
    t = Tree("laptop")
    # --- proc ---------------------------------------------------------------
    cpus = [(0, c, c * 2) for c in range(4)] + [(0, c, c * 2 + 1) for c in range(4)]
    t.write("proc/cpuinfo", cpuinfo(
        cpus, dict(vendor="GenuineIntel", family=6, model=140, stepping=1, microcode="0xb8",
                   name="11th Gen Intel(R) Core(TM) i7-1165G7 @ 2.80GHz", cache=12288, siblings=8,
                   cores=4, cpuid_level=27, bogomips="5606.40", addr="39 bits physical, 48 bits virtual"),
        INTEL_FLAGS_TGL, "spectre_v1 spectre_v2 spec_store_bypass swapgs eibrs_pbrsb gds bhi",
        vmx_flags=INTEL_VMX_TGL, mhz_base=1190.0))
    cpu_sysfs(t, 8)
    t.write("proc/meminfo", meminfo(15_952_312, used_frac=0.07, cached_kb=1_412_880, shmem_kb=151_220))
    init = nixos_init("laptop-iso")
    t.attr("proc/cmdline", f"BOOT_IMAGE=/boot/bzImage init={init} root=fstab loglevel=4 lsm=landlock,yama,bpf")
    proc_version(t)
    t.write("proc/self/mountinfo", mountinfo(
        [("/", None, "0:21", "rw,relatime", "tmpfs", "tmpfs", "rw,mode=755")]
        + base_mounts(1_595_236, 797_616, 1_993_078, True)
        + [("/iso", "/", "8:0", "ro,relatime", "iso9660", "/dev/sda",
            "ro,check=s,map=n,blocksize=2048,iocharset=utf8")]
        + nix_store_mounts()
        + api_mounts_late(True)
        + [("/run/user/1000", "/run", "0:47", "rw,nosuid,nodev,relatime", "tmpfs", "tmpfs",
            "rw,size=1595232k,nr_inodes=398808,mode=700,uid=1000,gid=100")]))

    # --- firmware -----------------------------------------------------------
    efi(t, secure_boot=True, boot_current=0x0019)
    dmi(t, {
        "bios_vendor": "LENOVO", "bios_version": "N34ET59W (1.59 )", "bios_date": "06/14/2024",
        "bios_release": "1.59", "ec_firmware_release": "1.27",
        "sys_vendor": "LENOVO", "product_name": "20W0005QGE", "product_version": "ThinkPad T14 Gen 2i",
        "product_family": "ThinkPad T14 Gen 2i", "product_serial": "PF3AB7KD",
        "product_sku": "LENOVO_MT_20W0_BU_Think_FM_ThinkPad T14 Gen 2i",
        "product_uuid": guid("laptop", "smbios"),
        "board_vendor": "LENOVO", "board_name": "20W0005QGE", "board_version": "SDK0J40697 WIN",
        "board_serial": "L1HF21Y04BZ", "board_asset_tag": "Not Available",
        "chassis_vendor": "LENOVO", "chassis_type": 10, "chassis_version": "None",
        "chassis_serial": "PF3AB7KD", "chassis_asset_tag": "No Asset Information",
    })

    # --- PCI ----------------------------------------------------------------
    R = "sys/devices/pci0000:00"
    SV, SD = 0x17AA, 0x5082
    pci(t, R, "0000:00:00.0", 0x8086, 0x9A14, 0x060000, SV, SD, 0x01, driver="igen6_edac")
    pci(t, R, "0000:00:02.0", 0x8086, 0x9A49, 0x030000, SV, SD, 0x01, driver="i915", extra={"boot_vga": 1})
    xhci = pci(t, R, "0000:00:14.0", 0x8086, 0xA0ED, 0x0C0330, SV, SD, 0x20, driver="xhci_hcd")
    wifi = pci(t, R, "0000:00:14.3", 0x8086, 0xA0F0, 0x028000, 0x8086, 0x0244, 0x20, driver="iwlwifi")
    pci(t, R, "0000:00:16.0", 0x8086, 0xA0E0, 0x078000, SV, SD, 0x20, driver="mei_me")
    rp = pci(t, R, "0000:00:1d.0", 0x8086, 0xA0B0, 0x060400, SV, SD, 0x20, driver="pcieport")
    nvme_pci = pci(t, rp, "0000:3d:00.0", 0x144D, 0xA80A, 0x010802, 0x144D, 0xA801, 0x00, driver="nvme")
    pci(t, R, "0000:00:1f.0", 0x8086, 0xA082, 0x060100, SV, SD, 0x20)
    pci(t, R, "0000:00:1f.3", 0x8086, 0xA0C8, 0x040380, SV, SD, 0x20, driver="snd_hda_intel")
    pci(t, R, "0000:00:1f.4", 0x8086, 0xA0A3, 0x0C0500, SV, SD, 0x20, driver="i801_smbus")

    # --- USB ----------------------------------------------------------------
    u1, u2 = xhci_root_hubs(t, xhci, "0000:00:14.0", 12, 4)
    usb_dev(t, u1, "1-3", 1, 2, 0x046D, 0xC31C, 0x6400, "1.5", " 1.10", "Logitech", "USB Keyboard",
            dcls=(0, 0, 0), maxpower="90mA",
            ifaces=[(0, 3, 1, 1, 1, "usbhid"), (1, 3, 0, 0, 1, "usbhid")])
    usb_dev(t, u1, "1-10", 1, 3, 0x8087, 0x0026, 0x0002, "12", " 2.00", dcls=(0xE0, 1, 1),
            maxpower="100mA", removable="fixed",
            ifaces=[(0, 0xE0, 1, 1, 3, "btusb"), (1, 0xE0, 1, 1, 2, "btusb")])
    stick, sifs = usb_dev(t, u2, "2-1", 2, 2, 0x0781, 0x5597, 0x0100, "5000", " 3.00", "SanDisk",
                          "Cruzer Glide 3.0", "4C530001230516112345", maxpower="896mA",
                          ifaces=[(0, 8, 6, 0x50, 2, "usb-storage")])
    eth, eifs = usb_dev(t, u2, "2-2", 2, 3, 0x0BDA, 0x8153, 0x3000, "5000", " 3.00", "Realtek",
                        "USB 10/100/1000 LAN", "000001", maxpower="288mA",
                        ifaces=[(0, 0xFF, 0xFF, 0, 3, "r8152")])

    # --- network ------------------------------------------------------------
    loopback(t)
    w = netdev(t, wifi, "wlp0s20f3", 2, "3c:e9:f7:5a:21:c4", "up", 1, devtype="wlan", link_mode=1)
    t.attrs(f"{w}/wireless", {"status": "0x0000", "link": 58, "level": 196})
    phy = f"{wifi}/ieee80211/phy0"
    t.attrs(phy, {"index": 0, "name": "phy0", "macaddress": "3c:e9:f7:5a:21:c4"})
    t.link(f"{phy}/device", wifi)
    t.link("sys/class/ieee80211/phy0", phy)
    t.link(f"{w}/phy80211", phy)
    netdev(t, eifs[0], "enx00e04c680001", 3, "00:e0:4c:68:00:01", "down", 0, speed=-1,
           duplex="unknown")

    # --- storage ------------------------------------------------------------
    ctrl = f"{nvme_pci}/nvme/nvme0"
    model, serial, fw = "Samsung SSD 980 PRO 512GB", "S5GXNX0T412345", "5B2QGXA7"
    t.attrs(ctrl, {"model": model.ljust(40), "serial": serial.ljust(20), "firmware_rev": fw.ljust(8),
                   "transport": "pcie", "address": "0000:3d:00.0", "state": "live",
                   "subsysnqn": f"nqn.1994-11.com.samsung:nvme:980PRO:M.2:{serial}", "dev": "240:0"})
    t.write(f"{ctrl}/uevent", "MAJOR=240\nMINOR=0\nDEVNAME=nvme0\nNVME_TRTYPE=pcie\n")
    t.link(f"{ctrl}/device", nvme_pci)
    t.link(f"{ctrl}/subsystem", "sys/class/nvme")
    t.link("sys/class/nvme/nvme0", ctrl)
    eui = "eui.002538b411a12345"
    path = "pci-0000:3d:00.0-nvme-1"
    ser = f"{udev_safe(model)}_{serial}"
    nsize = 1_000_215_216
    disk(t, dict(
        name="nvme0n1", dir=f"{ctrl}/nvme0n1", major=259, minor=0, size=nsize, diskseq=9,
        device=ctrl, sysattrs={"wwid": eui, "nsid": 1}, sched="none",
        id_props=[("ID_SERIAL_SHORT", serial), ("ID_WWN", eui), ("ID_MODEL", model),
                  ("ID_REVISION", fw), ("ID_NSID", "1"), ("ID_SERIAL", f"{ser}_1"),
                  ("ID_PATH", path), ("ID_PATH_TAG", path_tag(path))],
        id_links=[f"disk/by-id/nvme-{eui}", f"disk/by-id/nvme-{ser}", f"disk/by-id/nvme-{ser}_1"],
        path_links=[f"disk/by-path/{path}"],
        table=dict(type="gpt", uuid=guid("laptop", "nvme0n1", "gpt")),
        parts=[
            dict(n=1, name="nvme0n1p1", minor=1, start=2048, size=532480, label="EFI system partition",
                 type=T_ESP, uuid=guid("laptop", "p1"),
                 fs=dict(type="vfat", usage="filesystem", label="SYSTEM", uuid=vfat_uuid("laptop-esp"),
                         version="FAT32")),
            dict(n=2, name="nvme0n1p2", minor=2, start=534528, size=32768,
                 label="Microsoft reserved partition", type=T_MSR, uuid=guid("laptop", "p2")),
            dict(n=3, name="nvme0n1p3", minor=3, start=567296, size=997599232, label="Basic data partition",
                 type=T_MSDATA, uuid=guid("laptop", "p3"),
                 fs=dict(type="ntfs", usage="filesystem", label="Windows", uuid=ntfs_uuid("laptop-c"))),
            dict(n=4, name="nvme0n1p4", minor=4, start=998166528, size=2048000, label=None,
                 type=T_WINRE, uuid=guid("laptop", "p4"), flags="0x8000000000000001",
                 fs=dict(type="ntfs", usage="filesystem", label="WINRE_DRV", uuid=ntfs_uuid("laptop-re"))),
        ]))

    host = scsi_host(t, f"{sifs[0]}", 2, "usb-storage")
    sdev = scsi_dev(t, host, (2, 0, 0, 0), "SanDisk", "Cruzer Glide 3.0", "1.00", 0, "sd",
                    scsi_level=7, queue_depth=1)
    usb_serial = "SanDisk_Cruzer_Glide_3.0_4C530001230516112345-0:0"
    upath = "pci-0000:00:14.0-usb-0:1:1.0-scsi-0:0:0:0"
    upath_rev = "pci-0000:00:14.0-usbv3-0:1:1.0-scsi-0:0:0:0"
    disk(t, dict(
        name="sda", dir=f"{sdev}/block/sda", major=8, minor=0, size=60063744, diskseq=10, removable=1,
        device=sdev, sched="mq-deadline",
        id_props=[("ID_VENDOR", "SanDisk"), ("ID_VENDOR_ENC", "SanDisk\\x20"), ("ID_VENDOR_ID", "0781"),
                  ("ID_MODEL", "Cruzer_Glide_3.0"), ("ID_MODEL_ENC", udev_enc("Cruzer Glide 3.0")),
                  ("ID_MODEL_ID", "5597"), ("ID_REVISION", "1.00"), ("ID_SERIAL", usb_serial),
                  ("ID_SERIAL_SHORT", "4C530001230516112345"), ("ID_TYPE", "disk"), ("ID_INSTANCE", "0:0"),
                  ("ID_BUS", "usb"), ("ID_USB_INTERFACES", ":080650:"), ("ID_USB_INTERFACE_NUM", "00"),
                  ("ID_USB_DRIVER", "usb-storage"), ("ID_USB_VENDOR", "SanDisk"),
                  ("ID_USB_VENDOR_ENC", "SanDisk\\x20"), ("ID_USB_VENDOR_ID", "0781"),
                  ("ID_USB_MODEL", "Cruzer_Glide_3.0"), ("ID_USB_MODEL_ENC", udev_enc("Cruzer Glide 3.0")),
                  ("ID_USB_MODEL_ID", "5597"), ("ID_USB_REVISION", "1.00"), ("ID_USB_SERIAL", usb_serial),
                  ("ID_USB_SERIAL_SHORT", "4C530001230516112345"), ("ID_USB_TYPE", "disk"),
                  ("ID_USB_INSTANCE", "0:0"),
                  ("ID_PATH", upath), ("ID_PATH_TAG", path_tag(upath)),
                  ("ID_PATH_WITH_USB_REVISION", upath_rev)],
        id_links=[f"disk/by-id/usb-{usb_serial}"],
        path_links=[f"disk/by-path/{upath}", f"disk/by-path/{upath_rev}"],
        table=dict(type="dos", uuid=ISO_PTUUID), fs=ISO_FS,
        parts=[
            dict(n=1, name="sda1", minor=1, start=0, size=ISO_SECTORS, type="0x0", flags="0x80",
                 uuid=f"{ISO_PTUUID}-01", fs=ISO_FS),
            dict(n=2, name="sda2", minor=2, start=ISO_SECTORS, size=ISO_ESP_SECTORS, type="0xef",
                 uuid=f"{ISO_PTUUID}-02", fs=ISO_ESP_FS),
        ]))

    loops(t, 1, attached=dict(backing="/iso/nix-store.squashfs", lo_file_name="/iso/nix-store.squashfs",
                              size=ISO_SQUASHFS_SECTORS, seq=11, inode=1362, backing_dev="8:0"))
    virtual_disk(t, "zram0", 254, 0, 0, 12, extra_attrs={"disksize": 0, "initstate": 0})
    udev_db(t, 254, 0, [], [], watch=False)

    proc_partitions(t)
    return t


AMD_FLAGS_ZEN3 = """fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr
sse sse2 ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc rep_good nopl nonstop_tsc cpuid
extd_apicid aperfmperf rapl pni pclmulqdq monitor ssse3 fma cx16 sse4_1 sse4_2 x2apic movbe popcnt aes xsave
avx f16c rdrand lahf_lm cmp_legacy svm extapic cr8_legacy abm sse4a misalignsse 3dnowprefetch osvw ibs skinit
wdt tce topoext perfctr_core perfctr_nb bpext perfctr_llc mwaitx cpb cat_l3 cdp_l3 hw_pstate ssbd mba ibrs
ibpb stibp vmmcall fsgsbase bmi1 avx2 smep bmi2 erms invpcid cqm rdt_a rdseed adx smap clflushopt clwb sha_ni
xsaveopt xsavec xgetbv1 xsaves cqm_llc cqm_occup_llc cqm_mbm_total cqm_mbm_local user_shstk clzero irperf
xsaveerptr rdpru wbnoinvd arat npt lbrv svm_lock nrip_save tsc_scale vmcb_clean flushbyasid decodeassists
pausefilter pfthreshold avic v_vmsave_vmload vgif v_spec_ctrl umip pku ospke vaes vpclmulqdq rdpid
overflow_recov succor smca fsrm debug_swap"""


def build_desktop():
    t = Tree("desktop")
    cpus = [(0, c, c * 2) for c in range(8)] + [(0, c, c * 2 + 1) for c in range(8)]
    t.write("proc/cpuinfo", cpuinfo(
        cpus, dict(vendor="AuthenticAMD", family=25, model=33, stepping=0, microcode="0xa20120a",
                   name="AMD Ryzen 7 5800X 8-Core Processor", cache=512, siblings=16, cores=8,
                   cpuid_level=16, bogomips="7585.50", addr="48 bits physical, 48 bits virtual"),
        AMD_FLAGS_ZEN3, "sysret_ss_attrs spectre_v1 spectre_v2 spec_store_bypass srso",
        amd_tlb=2560, power="ts ttp tm hwpstate cpb eff_freq_ro [13] [14]", mhz_base=2200.0))
    cpu_sysfs(t, 16)
    t.write("proc/meminfo", meminfo(32_786_500, used_frac=0.05, cached_kb=1_391_004, shmem_kb=98_332))
    init = nixos_init("desktop-netboot")
    t.attr("proc/cmdline", f"init={init} initrd=initrd nohibernate loglevel=4 "
                           "clan.profile=http://10.0.2.2:8000/p.json")
    proc_version(t)
    t.write("proc/self/mountinfo", mountinfo(
        [("/", None, "0:21", "rw,relatime", "tmpfs", "tmpfs", "rw,mode=755")]
        + base_mounts(3_278_652, 1_639_324, 4_094_707, False)
        + nix_store_mounts()
        + api_mounts_late(False)))

    dmi(t, {
        "bios_vendor": "American Megatrends Inc.", "bios_version": "3405", "bios_date": "02/01/2024",
        "bios_release": "5.17", "sys_vendor": "ASUS", "product_name": "System Product Name",
        "product_version": "System Version", "product_family": "To be filled by O.E.M.",
        "product_serial": "System Serial Number", "product_sku": "SKU",
        "product_uuid": guid("desktop", "smbios"),
        "board_vendor": "ASUSTeK COMPUTER INC.", "board_name": "TUF GAMING B550-PLUS",
        "board_version": "Rev X.0x", "board_serial": "210686553800412", "board_asset_tag": "Default string",
        "chassis_vendor": "Default string", "chassis_type": 3, "chassis_version": "Default string",
        "chassis_serial": "Default string", "chassis_asset_tag": "Default string",
    })

    R = "sys/devices/pci0000:00"
    SV, SD = 0x1043, 0x87C0
    pci(t, R, "0000:00:00.0", 0x1022, 0x1480, 0x060000, SV, SD, 0x00)
    gpp = pci(t, R, "0000:00:01.2", 0x1022, 0x1483, 0x060400, 0x0000, 0x0000, 0x00, driver="pcieport")
    xhci = pci(t, gpp, "0000:01:00.0", 0x1022, 0x43EE, 0x0C0330, 0x1B21, 0x1142, 0x00, driver="xhci_hcd")
    ahci = pci(t, gpp, "0000:01:00.1", 0x1022, 0x43EB, 0x010601, 0x1B21, 0x1062, 0x00, driver="ahci")
    sw_up = pci(t, gpp, "0000:01:00.2", 0x1022, 0x43E9, 0x060400, 0x1B21, 0x0201, 0x00, driver="pcieport")
    sw_dn = pci(t, sw_up, "0000:02:09.0", 0x1022, 0x43EA, 0x060400, 0x1B21, 0x3308, 0x00, driver="pcieport")
    nic = pci(t, sw_dn, "0000:03:00.0", 0x10EC, 0x8168, 0x020000, SV, 0x8677, 0x15, driver="r8169")
    gfx_rp = pci(t, R, "0000:00:03.1", 0x1022, 0x1483, 0x060400, 0x0000, 0x0000, 0x00, driver="pcieport")
    pci(t, gfx_rp, "0000:04:00.0", 0x1002, 0x73FF, 0x030000, 0x1DA2, 0xE448, 0xC7, driver="amdgpu",
        extra={"boot_vga": 1})
    pci(t, gfx_rp, "0000:04:00.1", 0x1002, 0xAB28, 0x040300, 0x1DA2, 0xAB28, 0x00, driver="snd_hda_intel")
    pci(t, R, "0000:00:14.0", 0x1022, 0x790B, 0x0C0500, SV, SD, 0x61, driver="piix4_smbus")
    pci(t, R, "0000:00:14.3", 0x1022, 0x790E, 0x060100, SV, SD, 0x51)

    u1, u2 = xhci_root_hubs(t, xhci, "0000:01:00.0", 10, 4)
    usb_dev(t, u1, "1-3", 1, 2, 0x046D, 0xC077, 0x7200, "1.5", " 2.00", "Logitech", "USB Optical Mouse",
            maxpower="100mA", ifaces=[(0, 3, 1, 2, 1, "usbhid")])
    usb_dev(t, u1, "1-4", 1, 3, 0x046D, 0xC31C, 0x6400, "1.5", " 1.10", "Logitech", "USB Keyboard",
            maxpower="90mA",
            ifaces=[(0, 3, 1, 1, 1, "usbhid"), (1, 3, 0, 0, 1, "usbhid")])

    loopback(t)
    netdev(t, nic, "enp3s0", 2, "04:d9:f5:7c:3e:91", "up", 1, speed=1000, duplex="full")

    # SATA: sda (SSD, ata1), sdb (HDD, ata2), sr0 (DVD, ata3)
    def sata_disk(port, name, minor, model, serial, fw, wwn, size, rot, pbs, rpm, seq, table, parts,
                  fs=None):
        host = scsi_host(t, f"{ahci}/ata{port}", port - 1, "ahci")
        ser20 = serial.ljust(20) if not serial.startswith("WD-") else serial.rjust(20)
        sdev = scsi_dev(t, host, (port - 1, 0, 0, 0), "ATA", model[:16], fw[4:8], 0, "sd",
                        wwid=f"naa.{wwn}", pg80=ser20)
        path = f"pci-0000:01:00.1-ata-{port}.0"
        compat = f"pci-0000:01:00.1-ata-{port}"
        idp = ata_id_props(model, serial, fw, wwn=wwn, rpm=rpm)
        idp += [("ID_PATH", path), ("ID_PATH_TAG", path_tag(path)), ("ID_PATH_ATA_COMPAT", compat)]
        return disk(t, dict(
            name=name, dir=f"{sdev}/block/{name}", major=8, minor=minor, size=size, diskseq=seq,
            device=sdev, rot=rot, pbs=pbs, sched="mq-deadline",
            id_props=idp,
            id_links=[f"disk/by-id/ata-{udev_safe(model)}_{serial}", f"disk/by-id/wwn-0x{wwn}"],
            path_links=[f"disk/by-path/{path}", f"disk/by-path/{compat}"],
            table=table, fs=fs, parts=parts))

    sig = "9c5d2a41"
    sata_disk(1, "sda", 0, "Samsung SSD 870 EVO 500GB", "S62ANJ0R312456", "SVT02B6Q", "5002538f4131a2b3",
              976773168, 0, 512, 0, 1, dict(type="dos", uuid=sig), [
                  dict(n=1, name="sda1", minor=1, start=2048, size=102400, type="0x7", flags="0x80",
                       uuid=f"{sig}-01",
                       fs=dict(type="ntfs", usage="filesystem", label="System Reserved",
                               uuid=ntfs_uuid("desktop-sysres"))),
                  dict(n=2, name="sda2", minor=2, start=104448, size=976666624, type="0x7",
                       uuid=f"{sig}-02",
                       fs=dict(type="ntfs", usage="filesystem", uuid=ntfs_uuid("desktop-c"))),
              ])
    sata_disk(2, "sdb", 16, "WDC WD20EZRZ-00Z5HB0", "WD-WCC4M3KX1234", "80.00A80", "50014ee2b8c51234",
              3907029168, 1, 4096, 5400, 2, dict(type="gpt", uuid=guid("desktop", "sdb", "gpt")), [
                  dict(n=1, name="sdb1", minor=17, start=2048, size=3907026944, label="data", type=T_LINUX,
                       uuid=guid("desktop", "sdb1"),
                       fs=dict(type="ext4", usage="filesystem", label="data", uuid=guid("desktop", "ext4data"),
                               version="1.0", extra=[("ID_FS_BLOCKSIZE", "4096")])),
              ])

    # empty DVD writer: sr reports a 1 GiB placeholder capacity when no disc is present
    host = scsi_host(t, f"{ahci}/ata3", 2, "ahci")
    srdev = scsi_dev(t, host, (2, 0, 0, 0), "HL-DT-ST", "DVDRAM GH24NSD1", "LG00", 5, "sr", queue_depth=1)
    path = "pci-0000:01:00.1-ata-3.0"
    compat = "pci-0000:01:00.1-ata-3"
    ser = "HL-DT-ST_DVDRAM_GH24NSD1_K1U8A2B1234"
    idp = ata_id_props("HL-DT-ST DVDRAM GH24NSD1", "K1U8A2B1234", "LG00", typ="cd", sata=False)
    disk(t, dict(
        name="sr0", dir=f"{srdev}/block/sr0", major=11, minor=0, size=2097151, diskseq=3, removable=1,
        device=srdev, lbs=2048, pbs=2048, rot=1, sched="mq-deadline", watch=False, prio=-100,
        id_props=idp + [("ID_PATH", path), ("ID_PATH_TAG", path_tag(path)), ("ID_PATH_ATA_COMPAT", compat)],
        extra_props=[("ID_CDROM", "1"), ("SYSTEMD_MOUNT_DEVICE_BOUND", "1"), ("ID_CDROM_CD", "1"),
                     ("ID_CDROM_CD_R", "1"), ("ID_CDROM_CD_RW", "1"), ("ID_CDROM_DVD", "1"),
                     ("ID_CDROM_DVD_R", "1"), ("ID_CDROM_DVD_RW", "1"), ("ID_CDROM_DVD_RAM", "1"),
                     ("ID_CDROM_DVD_PLUS_R", "1"), ("ID_CDROM_DVD_PLUS_RW", "1"),
                     ("ID_CDROM_DVD_PLUS_R_DL", "1"), ("ID_CDROM_MRW", "1"), ("ID_CDROM_MRW_W", "1")],
        id_links=[f"disk/by-id/ata-{ser}"],
        path_links=[f"disk/by-path/{path}", f"disk/by-path/{compat}"],
        extra_links=["cdrom"]))

    loops(t, 4, attached=dict(backing="/nix-store.squashfs (deleted)", lo_file_name="/nix-store.squashfs",
                              size=2371584, seq=12, inode=4097, backing_dev="0:1"))
    proc_partitions(t)
    return t


def build_qemu_vm():
    t = Tree("qemu-vm")
    flags = """fpu de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2
syscall nx lm rep_good nopl xtopology cpuid tsc_known_freq pni cx16 x2apic hypervisor lahf_lm cpuid_fault pti"""
    t.write("proc/cpuinfo", cpuinfo(
        [(0, 0, 0), (0, 1, 1)],
        dict(vendor="GenuineIntel", family=15, model=107, stepping=1, microcode="0x1",
             name="QEMU Virtual CPU version 2.5+", cache=16384, siblings=2, cores=2, cpuid_level=13,
             bogomips="5990.40", addr="40 bits physical, 48 bits virtual"),
        flags, "cpu_meltdown spectre_v1 spectre_v2 spec_store_bypass swapgs itlb_multihit mmio_unknown bhi",
        mhz_base=2995.0))
    cpu_sysfs(t, 2)
    t.write("proc/meminfo", meminfo(2_030_116, used_frac=0.12, cached_kb=611_208, shmem_kb=12_840,
                                    direct1g=False))
    init = nixos_init("qemu-iso")
    t.attr("proc/cmdline", f"BOOT_IMAGE=/boot/bzImage init={init} root=fstab loglevel=4 "
                           "console=ttyS0,115200n8 console=tty0")
    proc_version(t)
    t.write("proc/self/mountinfo", mountinfo(
        [("/", None, "0:21", "rw,relatime", "tmpfs", "tmpfs", "rw,mode=755")]
        + base_mounts(203_012, 101_504, 252_596, False)
        + [("/iso", "/", "11:0", "ro,relatime", "iso9660", "/dev/sr0",
            "ro,check=s,map=n,blocksize=2048,iocharset=utf8")]
        + nix_store_mounts()
        + api_mounts_late(False)))

    dmi(t, {
        "bios_vendor": "SeaBIOS", "bios_version": "rel-1.16.3-0-ga6ed6b701f0a-prebuilt.qemu.org",
        "bios_date": "04/01/2014", "bios_release": "0.0",
        "sys_vendor": "QEMU", "product_name": "Standard PC (Q35 + ICH9, 2009)", "product_version": "pc-q35-9.2",
        "chassis_vendor": "QEMU", "chassis_type": 1, "chassis_version": "pc-q35-9.2",
    })

    R = "sys/devices/pci0000:00"
    SV, SD = 0x1AF4, 0x1100
    pci(t, R, "0000:00:00.0", 0x8086, 0x29C0, 0x060000, SV, SD, 0x00)
    pci(t, R, "0000:00:01.0", 0x1234, 0x1111, 0x030000, SV, SD, 0x02, driver="bochs-drm",
        extra={"boot_vga": 1})
    vnet = pci(t, R, "0000:00:03.0", 0x1AF4, 0x1000, 0x020000, 0x1AF4, 0x0001, 0x00, driver="virtio-pci")
    vblk1 = pci(t, R, "0000:00:04.0", 0x1AF4, 0x1001, 0x010000, 0x1AF4, 0x0002, 0x00, driver="virtio-pci")
    vblk2 = pci(t, R, "0000:00:05.0", 0x1AF4, 0x1001, 0x010000, 0x1AF4, 0x0002, 0x00, driver="virtio-pci")
    xhci = pci(t, R, "0000:00:07.0", 0x1B36, 0x000D, 0x0C0330, SV, SD, 0x01, driver="xhci_hcd")
    pci(t, R, "0000:00:1f.0", 0x8086, 0x2918, 0x060100, SV, SD, 0x02, driver="lpc_ich")
    ahci = pci(t, R, "0000:00:1f.2", 0x8086, 0x2922, 0x010601, SV, SD, 0x02, driver="ahci")
    pci(t, R, "0000:00:1f.3", 0x8086, 0x2930, 0x0C0500, SV, SD, 0x02, driver="i801_smbus")

    def virtio(pcidir, n, devid, driver):
        d = f"{pcidir}/virtio{n}"
        ma = f"virtio:d{devid:08d}v00001AF4"
        t.attrs(d, {"device": f"0x{devid:04x}", "vendor": "0x1af4", "status": "0x0000000f",
                    "modalias": ma})
        t.write(f"{d}/uevent", f"DRIVER={driver}\nMODALIAS={ma}\n")
        t.link(f"{d}/driver", f"sys/bus/virtio/drivers/{driver}")
        t.link(f"sys/bus/virtio/drivers/{driver}/virtio{n}", d)
        t.link(f"{d}/subsystem", "sys/bus/virtio")
        t.link(f"sys/bus/virtio/devices/virtio{n}", d)
        return d

    v0 = virtio(vnet, 0, 1, "virtio_net")
    v1 = virtio(vblk1, 1, 2, "virtio_blk")
    v2 = virtio(vblk2, 2, 2, "virtio_blk")

    u1, u2 = xhci_root_hubs(t, xhci, "0000:00:07.0", 4, 4, usb3_speed="5000", usb3_version=" 3.00")
    usb_dev(t, u1, "1-1", 1, 2, 0x0627, 0x0001, 0x0000, "480", " 2.00", "QEMU", "QEMU USB Tablet",
            "28754-0000:00:07.0-1", maxpower="100mA", ifaces=[(0, 3, 0, 0, 1, "usbhid")])

    loopback(t)
    netdev(t, v0, "ens3", 2, "52:54:00:12:34:56", "up", 1, speed=-1, duplex="unknown")

    def vdisk(vdir, pciaddr, name, minor, size, serial, seq, fs=None):
        path = f"pci-{pciaddr}"
        return disk(t, dict(
            name=name, dir=f"{vdir}/block/{name}", major=254, minor=minor, size=size, diskseq=seq,
            device=vdir, sysattrs={"serial": serial, "cache_type": "write back"}, sched="none",
            rot=1,
            id_props=[("ID_SERIAL", serial), ("ID_PATH", path), ("ID_PATH_TAG", path_tag(path))],
            id_links=[f"disk/by-id/virtio-{serial}"],
            path_links=[f"disk/by-path/{path}", f"disk/by-path/virtio-{path}"],
            fs=fs))

    vdisk(v1, "0000:00:04.0", "vda", 0, 41943040, "CLANTEST01", 1)
    vdisk(v2, "0000:00:05.0", "vdb", 16, 16777216, "CLANDATA02", 2,
          fs=dict(type="ext4", usage="filesystem", label="olddata", uuid=guid("qemu", "olddata"),
                  version="1.0", extra=[("ID_FS_BLOCKSIZE", "4096")]))

    # -cdrom on q35 sits on AHCI port 2 (ata3)
    host = scsi_host(t, f"{ahci}/ata3", 2, "ahci")
    srdev = scsi_dev(t, host, (2, 0, 0, 0), "QEMU", "QEMU DVD-ROM", "2.5+", 5, "sr", queue_depth=1)
    path = "pci-0000:00:1f.2-ata-3.0"
    compat = "pci-0000:00:1f.2-ata-3"
    idp = ata_id_props("QEMU DVD-ROM", "QM00003", "2.5+", typ="cd", sata=False)
    disk(t, dict(
        name="sr0", dir=f"{srdev}/block/sr0", major=11, minor=0, size=ISO_TOTAL, diskseq=3, removable=1,
        device=srdev, lbs=2048, pbs=2048, rot=1, sched="mq-deadline", watch=False, prio=-100,
        id_props=idp + [("ID_PATH", path), ("ID_PATH_TAG", path_tag(path)), ("ID_PATH_ATA_COMPAT", compat)],
        extra_props=[("ID_CDROM", "1"), ("SYSTEMD_MOUNT_DEVICE_BOUND", "1"), ("ID_CDROM_CD", "1"),
                     ("ID_CDROM_DVD", "1"), ("ID_CDROM_MRW", "1"), ("ID_CDROM_MRW_W", "1"),
                     ("ID_CDROM_MEDIA", "1"), ("ID_CDROM_MEDIA_DVD", "1"),
                     ("ID_CDROM_MEDIA_STATE", "complete"), ("ID_CDROM_MEDIA_SESSION_COUNT", "1"),
                     ("ID_CDROM_MEDIA_TRACK_COUNT", "1"), ("ID_CDROM_MEDIA_TRACK_COUNT_DATA", "1")],
        id_links=["disk/by-id/ata-QEMU_DVD-ROM_QM00003"],
        path_links=[f"disk/by-path/{path}", f"disk/by-path/{compat}"],
        extra_links=["cdrom"],
        table=dict(type="dos", uuid=ISO_PTUUID), fs=ISO_FS))

    loops(t, 4, attached=dict(backing="/iso/nix-store.squashfs", lo_file_name="/iso/nix-store.squashfs",
                              size=ISO_SQUASHFS_SECTORS, seq=12, inode=1362, backing_dev="11:0"))
    proc_partitions(t)
    return t


INTEL_FLAGS_CLX = """fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi
mmx fxsr sse sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc art arch_perfmon pebs bts rep_good
nopl xtopology nonstop_tsc cpuid aperfmperf pni pclmulqdq dtes64 monitor ds_cpl vmx smx est tm2 ssse3 sdbg
fma cx16 xtpr pdcm pcid dca sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand
lahf_lm abm 3dnowprefetch cpuid_fault epb cat_l3 cdp_l3 intel_ppin ssbd mba ibrs ibpb stibp ibrs_enhanced
tpr_shadow flexpriority ept vpid ept_ad fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid cqm mpx rdt_a
avx512f avx512dq rdseed adx smap clflushopt clwb intel_pt avx512cd avx512bw avx512vl xsaveopt xsavec
xgetbv1 xsaves cqm_llc cqm_occup_llc cqm_mbm_total cqm_mbm_local dtherm ida arat pln pts hwp hwp_act_window
hwp_epp hwp_pkg_req vnmi pku ospke avx512_vnni md_clear flush_l1d arch_capabilities"""
INTEL_VMX_CLX = """vnmi preemption_timer posted_intr invvpid ept_x_only ept_ad ept_1gb flexpriority apicv
tsc_offset vtpr mtf vapic ept vpid unrestricted_guest vapic_reg vid ple shadow_vmcs pml ept_mode_based_exec
tsc_scaling"""


def build_server():
    t = Tree("server")
    # 2 sockets x 8 cores x 2 threads; Cascade Lake core ids are not contiguous
    core_ids = [0, 1, 2, 3, 4, 8, 9, 10]
    cpus = []
    for thread in (0, 1):
        for sock in (0, 1):
            for c in core_ids:
                cpus.append((sock, c, sock * 32 + c * 2 + thread))
    t.write("proc/cpuinfo", cpuinfo(
        cpus, dict(vendor="GenuineIntel", family=6, model=85, stepping=7, microcode="0x5003707",
                   name="Intel(R) Xeon(R) Silver 4208 CPU @ 2.10GHz", cache=11264, siblings=16, cores=8,
                   cpuid_level=22, bogomips="4200.00", addr="46 bits physical, 48 bits virtual"),
        INTEL_FLAGS_CLX,
        "spectre_v1 spectre_v2 spec_store_bypass swapgs taa itlb_multihit mmio_stale_data retbleed "
        "eibrs_pbrsb gds bhi",
        vmx_flags=INTEL_VMX_CLX, mhz_base=800.0))
    cpu_sysfs(t, 32)
    t.write("proc/meminfo", meminfo(131_481_868, used_frac=0.02, cached_kb=1_503_116, shmem_kb=102_400))
    init = nixos_init("server-netboot")
    t.attr("proc/cmdline", f"init={init} initrd=initrd ip=dhcp console=ttyS1,115200n8 console=tty0 "
                           "nohibernate loglevel=4")
    proc_version(t)
    t.write("proc/self/mountinfo", mountinfo(
        [("/", None, "0:21", "rw,relatime", "tmpfs", "tmpfs", "rw,mode=755")]
        + base_mounts(13_148_188, 6_574_092, 16_435_233, True)
        + nix_store_mounts()
        + api_mounts_late(True)
        + [("/srv", "/", "9:127", "rw,relatime", "ext4", "/dev/md127", "rw"),
           ("/mnt/old", "/", "254:0", "rw,relatime", "ext4", "/dev/mapper/cryptroot", "rw")]))

    efi(t, secure_boot=False, boot_current=0x0004)
    dmi(t, {
        "bios_vendor": "American Megatrends Inc.", "bios_version": "3.8a", "bios_date": "10/25/2022",
        "bios_release": "5.14",
        "sys_vendor": "Supermicro", "product_name": "SYS-1029P-WTR", "product_version": "0123456789",
        "product_family": "Family", "product_serial": "S348475X9A25821", "product_sku": "To be filled by O.E.M.",
        "product_uuid": guid("server", "smbios"),
        "board_vendor": "Supermicro", "board_name": "X11DDW-L", "board_version": "1.10",
        "board_serial": "ZM19AS039211", "board_asset_tag": "Base Board Asset Tag",
        "chassis_vendor": "Supermicro", "chassis_type": 17, "chassis_version": "0123456789",
        "chassis_serial": "C1160LI27A30125", "chassis_asset_tag": "Chassis Asset Tag",
    })

    R = "sys/devices/pci0000:00"
    SV, SD = 0x15D9, 0x095D
    pci(t, R, "0000:00:00.0", 0x8086, 0x2020, 0x060000, SV, SD, 0x07, numa=0)
    xhci = pci(t, R, "0000:00:14.0", 0x8086, 0xA1AF, 0x0C0330, SV, SD, 0x09, driver="xhci_hcd", numa=0)
    ahci = pci(t, R, "0000:00:17.0", 0x8086, 0xA182, 0x010601, SV, SD, 0x09, driver="ahci", numa=0)
    rp_nic = pci(t, R, "0000:00:1c.0", 0x8086, 0xA190, 0x060400, SV, SD, 0xF9, driver="pcieport", numa=0)
    nic0 = pci(t, rp_nic, "0000:03:00.0", 0x8086, 0x1521, 0x020000, SV, 0x1521, 0x01, driver="igb", numa=0)
    nic1 = pci(t, rp_nic, "0000:03:00.1", 0x8086, 0x1521, 0x020000, SV, 0x1521, 0x01, driver="igb", numa=0)
    rp_vga = pci(t, R, "0000:00:1c.5", 0x8086, 0xA195, 0x060400, SV, SD, 0xF9, driver="pcieport", numa=0)
    br = pci(t, rp_vga, "0000:04:00.0", 0x1A03, 0x1150, 0x060400, SV, SD, 0x04, numa=0)
    pci(t, br, "0000:05:00.0", 0x1A03, 0x2000, 0x030000, SV, SD, 0x41, driver="ast", numa=0,
        extra={"boot_vga": 1})
    pci(t, R, "0000:00:1f.0", 0x8086, 0xA1C3, 0x060100, SV, SD, 0x09, numa=0)
    pci(t, R, "0000:00:1f.4", 0x8086, 0xA1A3, 0x0C0500, SV, SD, 0x09, driver="i801_smbus", numa=0)
    R5 = "sys/devices/pci0000:5d"
    rpa = pci(t, R5, "0000:5d:00.0", 0x8086, 0x2030, 0x060400, SV, SD, 0x07, driver="pcieport", numa=0)
    rpb = pci(t, R5, "0000:5d:02.0", 0x8086, 0x2032, 0x060400, SV, SD, 0x07, driver="pcieport", numa=0)
    nv0 = pci(t, rpa, "0000:5e:00.0", 0x1344, 0x51C3, 0x010802, 0x1344, 0x4100, 0x01, driver="nvme", numa=0)
    nv1 = pci(t, rpb, "0000:5f:00.0", 0x1344, 0x51C3, 0x010802, 0x1344, 0x4100, 0x01, driver="nvme", numa=0)

    u1, u2 = xhci_root_hubs(t, xhci, "0000:00:14.0", 16, 10, usb3_speed="5000", usb3_version=" 3.00")
    usb_dev(t, u1, "1-3", 1, 2, 0x046B, 0xFF10, 0x0100, "480", " 2.00", "American Megatrends Inc.",
            "Virtual Keyboard and Mouse", "serial", maxpower="2mA", removable="fixed",
            ifaces=[(0, 3, 1, 1, 1, "usbhid"), (1, 3, 1, 2, 1, "usbhid")])

    loopback(t)
    netdev(t, nic0, "eno1", 2, "ac:1f:6b:4e:7a:10", "up", 1, speed=1000, duplex="full")
    netdev(t, nic1, "eno2", 3, "ac:1f:6b:4e:7a:11", "down", 0, speed=-1, duplex="unknown")

    md = "sys/devices/virtual/block/md127"
    dm = "sys/devices/virtual/block/dm-0"
    md_uuid = hexid(32, "server", "md")
    md_uuid_colon = ":".join(md_uuid[i:i + 8] for i in range(0, 32, 8))
    md_uuid_dash = f"{md_uuid[:8]}-{md_uuid[8:12]}-{md_uuid[12:16]}-{md_uuid[16:20]}-{md_uuid[20:]}"
    md_name = "oldsrv:srv"

    # --- NVMe ---------------------------------------------------------------
    nsize = 3_750_748_848
    p2_size = 3_749_697_536
    md_data_offset = 264_192
    nvmes = [
        (0, nv0, "0000:5e:00.0", "2237E6A1B2C3", "eui.000000000000000100a0752237e6a1b2", 0, 1),
        (1, nv1, "0000:5f:00.0", "2237E6A1C4D5", "eui.000000000000000100a0752237e6a1c4", 3, 2),
    ]
    model, fw = "Micron_7450_MTFDKBG1T9TFR", "E2MU200"
    for idx, pcid, addr, serial, eui, minor, seq in nvmes:
        ctrl = f"{pcid}/nvme/nvme{idx}"
        t.attrs(ctrl, {"model": model.ljust(40), "serial": serial.ljust(20), "firmware_rev": fw.ljust(8),
                       "transport": "pcie", "address": addr, "state": "live",
                       "subsysnqn": f"nqn.2014-08.com.micron:nvme:nvm-subsystem-sn-{serial}",
                       "dev": f"240:{idx}"})
        t.write(f"{ctrl}/uevent", f"MAJOR=240\nMINOR={idx}\nDEVNAME=nvme{idx}\nNVME_TRTYPE=pcie\n")
        t.link(f"{ctrl}/device", pcid)
        t.link(f"{ctrl}/subsystem", "sys/class/nvme")
        t.link(f"sys/class/nvme/nvme{idx}", ctrl)
        name = f"nvme{idx}n1"
        path = f"pci-{addr}-nvme-1"
        ser = f"{model}_{serial}"
        disk(t, dict(
            name=name, dir=f"{ctrl}/{name}", major=259, minor=minor, size=nsize, diskseq=seq,
            device=ctrl, sysattrs={"wwid": eui, "nsid": 1}, sched="none",
            id_props=[("ID_SERIAL_SHORT", serial), ("ID_WWN", eui), ("ID_MODEL", model),
                      ("ID_REVISION", fw), ("ID_NSID", "1"), ("ID_SERIAL", f"{ser}_1"),
                      ("ID_PATH", path), ("ID_PATH_TAG", path_tag(path))],
            id_links=[f"disk/by-id/nvme-{eui}", f"disk/by-id/nvme-{ser}", f"disk/by-id/nvme-{ser}_1"],
            path_links=[f"disk/by-path/{path}"],
            table=dict(type="gpt", uuid=guid("server", name, "gpt")),
            parts=[
                dict(n=1, name=f"{name}p1", minor=minor + 1, start=2048, size=1048576,
                     label="EFI system partition", type=T_ESP, uuid=guid("server", name, "p1"),
                     fs=dict(type="vfat", usage="filesystem", uuid=vfat_uuid("server", name), version="FAT32")),
                dict(n=2, name=f"{name}p2", minor=minor + 2, start=1050624, size=p2_size,
                     label="Linux RAID", type=T_RAID, uuid=guid("server", name, "p2"),
                     holders=[("md127", md)],
                     fs=dict(type="linux_raid_member", usage="raid", label=md_name, uuid=md_uuid_dash,
                             uuid_sub=guid("server", name, "mddev"), version="1.2"),
                     extra_props=[("MD_LEVEL", "raid1"), ("MD_DEVICES", "2"), ("MD_NAME", md_name),
                                  ("MD_UUID", md_uuid_colon), ("MD_DEV_UUID",
                                   guid("server", name, "mddev").replace("-", "")[:8] + ":" +
                                   guid("server", name, "mddev").replace("-", "")[8:16] + ":" +
                                   guid("server", name, "mddev").replace("-", "")[16:24] + ":" +
                                   guid("server", name, "mddev").replace("-", "")[24:]),
                                  ("MD_EVENTS", "18342"), ("MD_DEV_OFFSET", str(md_data_offset))]),
            ]))

    # --- md127: raid1 over nvme0n1p2 + nvme1n1p2 ----------------------------
    md_size = p2_size - md_data_offset
    virtual_disk(t, "md127", 9, 127, md_size, 4)
    t.attrs(f"{md}/md", {"level": "raid1", "array_state": "clean", "raid_disks": 2,
                         "metadata_version": "1.2", "degraded": 0, "sync_action": "idle",
                         "component_size": md_size // 2})
    for slot, (idx, *_r) in enumerate(nvmes):
        part = f"nvme{idx}n1p2"
        pdir = f"{nvmes[slot][1]}/nvme/nvme{idx}/nvme{idx}n1/{part}"
        devd = f"{md}/md/dev-{part}"
        t.attrs(devd, {"state": "in_sync", "slot": slot, "offset": md_data_offset})
        t.link(f"{devd}/block", pdir)
        t.link(f"{md}/md/rd{slot}", devd)
    srv_uuid = guid("server", "srv-ext4")
    udev_db(t, 9, 127,
            [f"disk/by-id/md-name-{md_name}", f"disk/by-id/md-uuid-{md_uuid_colon}", f"md/{md_name}",
             f"disk/by-uuid/{srv_uuid}", "disk/by-label/srv", "disk/by-diskseq/4"],
            [("MD_LEVEL", "raid1"), ("MD_DEVICES", "2"), ("MD_METADATA", "1.2"), ("MD_UUID", md_uuid_colon),
             ("MD_DEVNAME", md_name), ("MD_NAME", md_name),
             ("MD_DEVICE_dev_nvme0n1p2_ROLE", "0"), ("MD_DEVICE_dev_nvme0n1p2_DEV", "/dev/nvme0n1p2"),
             ("MD_DEVICE_dev_nvme1n1p2_ROLE", "1"), ("MD_DEVICE_dev_nvme1n1p2_DEV", "/dev/nvme1n1p2"),
             ("ID_FS_LABEL", "srv"), ("ID_FS_LABEL_ENC", "srv"), ("ID_FS_UUID", srv_uuid),
             ("ID_FS_UUID_ENC", srv_uuid), ("ID_FS_VERSION", "1.0"), ("ID_FS_BLOCKSIZE", "4096"),
             ("ID_FS_TYPE", "ext4"), ("ID_FS_USAGE", "filesystem"),
             ("SYSTEMD_WANTS", "mdmonitor.service"), ("UDISKS_MD_LEVEL", "raid1")],
            watch=True)

    # --- SATA boot disk of the old system, LUKS2 -> dm-0 -> ext4 -------------
    luks_uuid = guid("server", "luks")
    dm_uuid = f"CRYPT-LUKS2-{luks_uuid.replace('-', '')}-cryptroot"
    host = scsi_host(t, f"{ahci}/ata1", 0, "ahci")
    model_s, serial_s, fw_s, wwn = "INTEL SSDSC2KB240G8", "PHYF9134012A240AGN", "XCV10132", "55cd2e415a6b7c8d"
    sdev = scsi_dev(t, host, (0, 0, 0, 0), "ATA", model_s[:16], fw_s[4:8], 0, "sd", wwid=f"naa.{wwn}",
                    pg80=serial_s.ljust(20))
    path = "pci-0000:00:17.0-ata-1.0"
    compat = "pci-0000:00:17.0-ata-1"
    idp = ata_id_props(model_s, serial_s, fw_s, wwn=wwn, rpm=0)
    idp += [("ID_PATH", path), ("ID_PATH_TAG", path_tag(path)), ("ID_PATH_ATA_COMPAT", compat)]
    p2size = 467_810_304
    disk(t, dict(
        name="sda", dir=f"{sdev}/block/sda", major=8, minor=0, size=468_862_128, diskseq=3, device=sdev,
        pbs=4096, sched="mq-deadline",
        id_props=idp,
        id_links=[f"disk/by-id/ata-{udev_safe(model_s)}_{serial_s}", f"disk/by-id/wwn-0x{wwn}"],
        path_links=[f"disk/by-path/{path}", f"disk/by-path/{compat}"],
        table=dict(type="gpt", uuid=guid("server", "sda", "gpt")),
        parts=[
            dict(n=1, name="sda1", minor=1, start=2048, size=1048576, label="disk-main-ESP", type=T_ESP,
                 uuid=guid("server", "sda1"),
                 fs=dict(type="vfat", usage="filesystem", uuid=vfat_uuid("server", "sda1"), version="FAT32")),
            dict(n=2, name="sda2", minor=2, start=1050624, size=p2size, label="disk-main-luks", type=T_LUKS,
                 uuid=guid("server", "sda2"), holders=[("dm-0", dm)],
                 fs=dict(type="crypto_LUKS", usage="crypto", uuid=luks_uuid, version="2")),
        ]))

    dm_size = p2size - 32768  # LUKS2 16 MiB header
    virtual_disk(t, "dm-0", 254, 0, dm_size, 5, pbs=4096)
    t.attrs(f"{dm}/dm", {"name": "cryptroot", "uuid": dm_uuid, "suspended": 0})
    root_uuid = guid("server", "old-root")
    udev_db(t, 254, 0,
            [f"disk/by-id/dm-name-cryptroot", f"disk/by-id/dm-uuid-{dm_uuid}", "mapper/cryptroot",
             f"disk/by-uuid/{root_uuid}", "disk/by-label/nixos", "disk/by-diskseq/5"],
            [("DM_UDEV_DISABLE_LIBRARY_FALLBACK_FLAG", "1"), ("DM_UDEV_PRIMARY_SOURCE_FLAG", "1"),
             ("DM_UDEV_RULES_VSN", "2"), ("DM_ACTIVATION", "1"), ("DM_NAME", "cryptroot"),
             ("DM_UUID", dm_uuid), ("DM_SUSPENDED", "0"),
             ("ID_FS_LABEL", "nixos"), ("ID_FS_LABEL_ENC", "nixos"), ("ID_FS_UUID", root_uuid),
             ("ID_FS_UUID_ENC", root_uuid), ("ID_FS_VERSION", "1.0"), ("ID_FS_BLOCKSIZE", "4096"),
             ("ID_FS_TYPE", "ext4"), ("ID_FS_USAGE", "filesystem")],
            watch=False)

    loops(t, 6, attached=dict(backing="/nix-store.squashfs (deleted)", lo_file_name="/nix-store.squashfs",
                              size=2371584, seq=14, inode=4097, backing_dev="0:1"))
    proc_partitions(t)
    return t


# ---------------------------------------------------------------------------

BUILDERS = {
    "laptop": build_laptop,
    "desktop": build_desktop,
    "qemu-vm": build_qemu_vm,
    "server": build_server,
}


def check(root):
    """Consistency checks over a generated tree; returns a list of problems."""
    errs = []
    rootr = os.path.realpath(root)

    def read(p):
        with open(p) as f:
            return f.read()

    # every symlink is relative and resolves to an existing path inside the tree
    for dp, dns, fns in os.walk(root):
        for n in dns + fns:
            p = os.path.join(dp, n)
            if not os.path.islink(p):
                continue
            r = os.path.realpath(p)
            if os.readlink(p).startswith("/"):
                errs.append(f"absolute symlink {p}")
            if not (r == rootr or r.startswith(rootr + os.sep)):
                errs.append(f"symlink escapes tree: {p}")
            elif not os.path.exists(r):
                errs.append(f"dangling symlink: {p}")
    # block devices: maj:min consistent across sysfs, uevent, udev db; partitions fit
    devs = {}
    cls = os.path.join(root, "sys/class/block")
    def inside(d):
        return d.startswith(rootr + os.sep) and os.path.isdir(d)

    for name in sorted(os.listdir(cls)):
        d = os.path.realpath(os.path.join(cls, name))
        if not inside(d):
            errs.append(f"sys/class/block/{name} does not lead to a device directory")
            continue
        dev = read(f"{d}/dev").strip()
        uev = dict(line.split("=", 1) for line in read(f"{d}/uevent").splitlines())
        if uev.get("DEVNAME") != name or f"{uev.get('MAJOR')}:{uev.get('MINOR')}" != dev:
            errs.append(f"uevent mismatch for {name}")
        if dev in devs:
            errs.append(f"{dev} used by {devs[dev]} and {name}")
        devs[dev] = name
        if os.path.realpath(os.path.join(root, "sys/dev/block", dev)) != d:
            errs.append(f"sys/dev/block/{dev} does not point at {name}")
        db = os.path.join(root, "run/udev/data", f"b{dev}")
        if not os.path.exists(db):
            errs.append(f"no udev database entry for {name} ({dev})")
            continue
        env = dict(line[2:].split("=", 1) for line in read(db).splitlines() if line.startswith("E:"))
        if uev["DEVTYPE"] == "partition":
            parent = os.path.dirname(d)
            start, size = int(read(f"{d}/start")), int(read(f"{d}/size"))
            if start + size > int(read(f"{parent}/size")):
                errs.append(f"{name} does not fit its disk")
            if (env.get("ID_PART_ENTRY_OFFSET") != str(start) or env.get("ID_PART_ENTRY_SIZE") != str(size)
                    or env.get("ID_PART_ENTRY_DISK") != read(f"{parent}/dev").strip()
                    or env.get("ID_PART_ENTRY_NUMBER") != uev.get("PARTN")
                    or read(f"{d}/partition").strip() != uev.get("PARTN")):
                errs.append(f"udev/sysfs partition geometry differs for {name}")
        elif not os.path.islink(os.path.join(root, "sys/block", name)):
            errs.append(f"no sys/block link for {name}")
    for f in os.listdir(os.path.join(root, "run/udev/data")):
        if f[1:] not in devs:
            errs.append(f"udev database entry {f} has no device")
    # partitions of one disk do not overlap
    for name in os.listdir(os.path.join(root, "sys/block")):
        d = os.path.realpath(os.path.join(root, "sys/block", name))
        if not inside(d):
            errs.append(f"sys/block/{name} does not lead to a device directory")
            continue
        parts = sorted((int(read(f"{d}/{s}/start")), int(read(f"{d}/{s}/size")), s)
                       for s in os.listdir(d) if os.path.exists(f"{d}/{s}/partition"))
        for a, b in zip(parts, parts[1:]):
            if a[0] + a[1] > b[0]:
                errs.append(f"{a[2]} overlaps {b[2]}")
    # holders <-> slaves
    for dp, dns, fns in os.walk(os.path.join(root, "sys/devices")):
        if os.path.basename(dp) != "holders":
            continue
        lower = os.path.realpath(os.path.dirname(dp))
        for n in dns + fns:
            upper = os.path.realpath(os.path.join(dp, n))
            if os.path.realpath(os.path.join(upper, "slaves", os.path.basename(lower))) != lower:
                errs.append(f"{lower} held by {n} without matching slaves/ link")
    # mountinfo: block-backed mounts name known devices
    for line in read(os.path.join(root, "proc/self/mountinfo")).splitlines():
        f = line.split()
        sep = f.index("-")
        if len(f) != sep + 4 or sep < 6:
            errs.append(f"malformed mountinfo line: {line}")
            continue
        if not f[2].startswith("0:"):
            if f[2] not in devs:
                errs.append(f"mountinfo names unknown device {f[2]}")
            elif f[sep + 2] != f"/dev/{devs[f[2]]}" and not f[sep + 2].startswith("/dev/mapper/"):
                errs.append(f"mountinfo source {f[sep + 2]} is not {devs[f[2]]}")
    # proc/partitions agrees with sysfs
    for line in read(os.path.join(root, "proc/partitions")).splitlines()[2:]:
        maj, mi, blocks, name = line.split()
        if devs.get(f"{maj}:{mi}") != name:
            errs.append(f"proc/partitions line disagrees with sysfs: {line}")
    # text attributes end in a newline
    for dp, dns, fns in os.walk(os.path.join(root, "sys")):
        for n in fns:
            p = os.path.join(dp, n)
            if os.path.islink(p) or "/efivars/" in p or n.startswith("vpd_pg"):
                continue
            with open(p, "rb") as fh:
                if not fh.read().endswith(b"\n"):
                    errs.append(f"attribute without trailing newline: {p}")
    return errs


def main(argv):
    names = argv or list(BUILDERS)
    for n in names:
        if n not in BUILDERS:
            raise SystemExit(f"unknown tree {n!r}; known: {', '.join(BUILDERS)}")
    failed = False
    for n in names:
        t = BUILDERS[n]()
        files = sum(1 for _, _, fs in os.walk(t.root) for _ in fs)
        errs = check(t.root)
        print(f"{n}: {files} files, {len(t.blocks)} block devices, {len(errs)} problems")
        for e in errs:
            print("  " + e)
        failed = failed or bool(errs)
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
