import Host

/// A disk's stable identity: model, serial, WWN and its /dev/disk/by-id names.
///
/// udev's database is preferred (its ata_id reads the full ATA model, which SCSI emulation truncates to
/// 16 characters). Without udev — a busybox initramfs, this project's CI hosts — the same values are
/// derived from sysfs, and the by-id names follow udev's rules as closely as sysfs allows.
public struct DiskIdentity {
    public var model: String?
    var serial: String?
    var wwn: String?
    var byId: [String]

    init(name: String, sysPath: String, transport: Disk.Transport, udev: UdevRecord?) {
        let device = sysPath + "/device"
        // Only SCSI-like devices (SATA, USB, SAS) carry INQUIRY vendor/model; a virtio device's
        // `vendor` is a PCI vendor number, not a name.
        let scsiLike = [.sata, .usb, .scsi].contains(transport)
        let sysModel = Files.attribute(device + "/model") ?? Files.attribute(device + "/name")
        let sysVendor = scsiLike ? Files.attribute(device + "/vendor").flatMap { $0 == "ATA" ? nil : $0 } : nil
        let usbDevice = transport == .usb ? Self.usbDeviceDirectory(above: sysPath) : nil

        model = udev?["ID_MODEL_ENC"].map(UdevRecord.unescape)?.trimmingWhitespace()
            ?? udev?["ID_MODEL"]?.replacing("_", with: " ")
            ?? [sysVendor, sysModel].compactMap { $0 }.joined(separator: " ").nonEmpty
        serial = udev?["ID_SERIAL_SHORT"]
            ?? Files.attribute(sysPath + "/serial")                      // virtio-blk
            ?? usbDevice.flatMap { Files.attribute($0 + "/serial") }     // USB sticks: the USB serial
            ?? Files.attribute(device + "/serial")                       // NVMe controller, MMC
            ?? Self.vpdSerial(device + "/vpd_pg80")                      // SATA/SAS through SCSI VPD page 0x80
        wwn = udev?["ID_WWN_WITH_EXTENSION"] ?? udev?["ID_WWN"] ?? Self.sysfsWWN(sysPath)

        if let links = udev?.byIdNames, !links.isEmpty {
            byId = links.filter { !$0.contains("-part") }
        } else {
            byId = Self.derivedByIdNames(transport: transport, model: sysModel, vendor: sysVendor,
                                         serial: serial, wwn: wwn, sysPath: sysPath, usbDevice: usbDevice)
        }
    }

    /// The kernel's name for partition `number`: `sda1`, but `nvme0n1p1`, `mmcblk0p1`, `loop0p1`.
    public static func partitionName(disk: String, number: Int) -> String {
        (disk.last?.isNumber == true ? disk + "p" : disk) + String(number)
    }

    /// The by-id names udev would create, from sysfs values.
    static func derivedByIdNames(transport: Disk.Transport, model: String?, vendor: String?, serial: String?,
                                 wwn: String?, sysPath: String, usbDevice: String?) -> [String] {
        var names: [String] = []
        let model = model.map(udevSafe)
        switch transport {
        case .nvme:
            if let model, let serial { names.append("nvme-\(model)_\(udevSafe(serial))") }
            if let wwn, wwn.hasPrefix("eui.") || wwn.hasPrefix("nvme.") { names.append("nvme-\(wwn)") }
        case .sata:
            if let model, let serial { names.append("ata-\(model)_\(udevSafe(serial))") }
        case .usb:
            let usbVendor = vendor ?? usbDevice.flatMap { Files.attribute($0 + "/manufacturer") }
            if let serial {
                let lun = sysPath.split(separator: "/").last { $0.split(separator: ":").count == 4 }?
                    .split(separator: ":").suffix(2).joined(separator: ":") ?? "0:0"
                let parts = [usbVendor.map(udevSafe), model, udevSafe(serial)].compactMap { $0 }
                names.append("usb-\(parts.joined(separator: "_"))-\(lun)")
            }
        case .virtio:
            // udev's virtio rule uses the serial as the kernel exposes it (at most 20 bytes).
            if let serial { names.append("virtio-\(udevSafe(String(serial.prefix(20))))") }
        case .mmc:
            if let model, let serial { names.append("mmc-\(model)_\(serial)") }
        case .scsi:
            if let model, let serial { names.append("scsi-0\(vendor.map(udevSafe).map { $0 + "_" } ?? "")\(model)_\(udevSafe(serial))") }
        case .loop, .unknown:
            break
        }
        if let wwn, wwn.hasPrefix("0x") { names.append("wwn-\(wwn)") }
        return names.sorted()
    }

    /// udev turns runs of whitespace into one `_` and drops characters outside its safe set.
    static func udevSafe(_ value: String) -> String {
        var result = ""
        var pendingSpace = false
        for character in value.trimmingWhitespace() {
            if character == " " || character == "\t" {
                pendingSpace = true
                continue
            }
            if pendingSpace { result.append("_"); pendingSpace = false }
            let safe = character.isASCII && (character.isLetter || character.isNumber || "#+-.:=@_".contains(character))
            result.append(safe ? character : "_")
        }
        return result
    }

    /// The USB device directory (the one with `idVendor`) above a USB disk's sysfs path.
    static func usbDeviceDirectory(above sysPath: String) -> String? {
        var path = sysPath
        while let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            path = String(path[..<slash])
            if Files.exists(path + "/idVendor") { return path }
        }
        return nil
    }

    /// SCSI VPD page 0x80 (unit serial number): 4 header bytes, then the serial, space padded.
    static func vpdSerial(_ path: String) -> String? {
        guard let bytes = try? Files.read(path), bytes.count > 4, bytes[1] == 0x80 else { return nil }
        let length = Int(bytes[2]) << 8 | Int(bytes[3])
        let serial = String(decoding: bytes.dropFirst(4).prefix(length), as: UTF8.self).trimmingWhitespace()
        return serial.isEmpty ? nil : serial
    }

    /// NVMe `wwid` (`eui.…`) or SCSI `device/wwid` (`naa.…` → `0x…`); T10 vendor IDs are not WWNs.
    static func sysfsWWN(_ sysPath: String) -> String? {
        if let wwid = Files.attribute(sysPath + "/wwid") ?? Files.attribute(sysPath + "/device/wwid") {
            if wwid.hasPrefix("eui.") { return wwid }
            if wwid.hasPrefix("naa.") { return "0x" + wwid.dropFirst(4).lowercased() }
        }
        return nil
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
