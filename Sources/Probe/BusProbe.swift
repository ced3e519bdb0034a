import Host

/// Network cards, PCI and USB devices: what the config generator needs to pick drivers and initrd modules.
enum BusProbe {
    /// Physical network interfaces (those backed by a device); bridges, veths and loopback are left out.
    static func network(sys: String) -> [NetworkInterface] {
        Files.list(sys + "/class/net").compactMap { name in
            guard let dir = Files.resolve(sys + "/class/net/" + name),
                  let device = Files.resolve(dir + "/device") else { return nil }
            let driver = driverName(device)
            let (bus, busPath) = location(of: device, sys: sys)
            let speed = Files.attribute(dir + "/speed").flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
            return NetworkInterface(
                name: name, mac: Files.attribute(dir + "/address"), driver: driver,
                state: Files.attribute(dir + "/operstate") ?? "unknown",
                carrier: Files.attribute(dir + "/carrier").map { $0 == "1" },
                wireless: Files.exists(dir + "/wireless") || Files.exists(dir + "/phy80211")
                    || DiskProbe.ueventValue(dir, "DEVTYPE") == "wlan",
                speedMbps: speed, bus: bus, busPath: busPath)
        }
    }

    /// Which bus a device sits on: the nearest PCI function or USB port in its sysfs path.
    static func location(of device: String, sys: String) -> (String, String?) {
        let parts = device.split(separator: "/").map(String.init)
        if let usb = parts.last(where: isUSBPort) {
            return ("usb", String(usb.prefix { $0 != ":" }))
        }
        if parts.last?.hasPrefix("virtio") == true, let pci = parts.last(where: isPCIAddress) { return ("virtio", pci) }
        if let pci = parts.last(where: isPCIAddress) { return ("pci", pci) }
        return ("other", nil)
    }

    static func pci(sys: String) -> [PCIDevice] {
        Files.list(sys + "/bus/pci/devices").compactMap { address in
            let dir = sys + "/bus/pci/devices/" + address
            guard let vendor = Files.attribute(dir + "/vendor"), let device = Files.attribute(dir + "/device") else { return nil }
            let classCode = String(hex(Files.attribute(dir + "/class") ?? "0").suffix(6))
            return PCIDevice(address: address, vendorId: hex(vendor), deviceId: hex(device),
                             subsystemVendorId: Files.attribute(dir + "/subsystem_vendor").map(hex),
                             subsystemDeviceId: Files.attribute(dir + "/subsystem_device").map(hex),
                             classCode: classCode, className: PCIClass.name(classCode),
                             driver: driverName(dir), modalias: Files.attribute(dir + "/modalias"))
        }
    }

    static func usb(sys: String) -> [USBDevice] {
        let names = Files.list(sys + "/bus/usb/devices")
        return names.filter { !$0.contains(":") && !$0.hasPrefix("usb") }.compactMap { path in
            let dir = sys + "/bus/usb/devices/" + path
            guard let vendor = Files.attribute(dir + "/idVendor"), let product = Files.attribute(dir + "/idProduct") else { return nil }
            let interfaces = names.filter { $0.hasPrefix(path + ":") }.compactMap { name -> USBInterface? in
                let interface = sys + "/bus/usb/devices/" + name
                guard let interfaceClass = Files.attribute(interface + "/bInterfaceClass") else { return nil }
                return USBInterface(name: name, interfaceClass: interfaceClass,
                                    interfaceSubclass: Files.attribute(interface + "/bInterfaceSubClass"),
                                    interfaceProtocol: Files.attribute(interface + "/bInterfaceProtocol"),
                                    driver: driverName(interface), modalias: Files.attribute(interface + "/modalias"))
            }
            return USBDevice(path: path, vendorId: vendor, productId: product,
                             manufacturer: Files.attribute(dir + "/manufacturer"), product: Files.attribute(dir + "/product"),
                             deviceClass: Files.attribute(dir + "/bDeviceClass") ?? "00",
                             speedMbps: Files.attribute(dir + "/speed").flatMap { Int($0) }, interfaces: interfaces)
        }
    }

    /// The kernel driver bound to a device: the last component of its `driver` link.
    static func driverName(_ dir: String) -> String? {
        Files.readLink(dir + "/driver").map { String($0.split(separator: "/").last ?? "") }.flatMap { $0.isEmpty ? nil : $0 }
    }

    private static func hex(_ value: String) -> String {
        (value.hasPrefix("0x") ? String(value.dropFirst(2)) : value).lowercased()
    }

    private static func isPCIAddress(_ part: String) -> Bool {
        let pieces = part.split(separator: ":")
        return pieces.count == 3 && pieces[2].contains(".") && pieces.allSatisfy { $0.allSatisfy(\.isHexDigit) || $0.contains(".") }
    }

    /// `2-1`, `1-4.2` or an interface `2-1:1.0`, but not the root hub `usb2`.
    private static func isUSBPort(_ part: String) -> Bool {
        guard let first = part.first, first.isNumber, part.contains("-") else { return false }
        return part.allSatisfy { $0.isNumber || $0 == "-" || $0 == "." || $0 == ":" }
    }
}

/// Names for the PCI classes an installer cares about (from the PCI-SIG class code table).
enum PCIClass {
    static func name(_ code: String) -> String {
        let known: [String: String] = [
            "0100": "SCSI controller", "0101": "IDE controller", "0104": "RAID controller", "0106": "SATA controller",
            "0107": "SAS controller", "0108": "NVMe controller", "0180": "storage controller",
            "0200": "Ethernet controller", "0280": "network controller (Wi-Fi)",
            "0300": "VGA controller", "0302": "3D controller", "0380": "display controller",
            "0401": "audio device", "0403": "audio device",
            "0600": "host bridge", "0601": "ISA bridge", "0604": "PCI bridge", "0680": "bridge",
            "0780": "communication controller", "0805": "SD host controller",
            "0c03": "USB controller", "0c05": "SMBus", "0c80": "serial bus controller",
            "0d11": "Bluetooth", "1080": "encryption controller", "1180": "signal processing controller",
            "00ff": "virtio device",
        ]
        return known[String(code.prefix(4))] ?? known[String(code.prefix(2)) + "80"] ?? "device class \(code)"
    }
}
