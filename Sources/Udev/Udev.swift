import CUdev

/// One device as libudev sees it: its kernel properties plus, when udevd runs, the database
/// entries (ID_SERIAL, ID_WWN, ID_FS_TYPE, ...) and the /dev symlinks udev made.
public struct UdevDevice: Sendable, Equatable {
    public var sysPath: String
    public var properties: [String: String]
    /// Absolute /dev paths, e.g. `/dev/disk/by-id/nvme-eui.0025385b71b0a123`.
    public var links: [String]
}

/// The thin wrapper around libudev.
///
/// libudev always reads the live /sys and /run/udev: it cannot be pointed at a captured tree, so the
/// prober uses it only when probing the running machine.
public enum Udev {
    /// The device at `sysPath` (e.g. `/sys/class/block/sda`), or nil when libudev does not know it.
    public static func device(atSysPath sysPath: String) -> UdevDevice? {
        guard let context = udev_new() else { return nil }
        defer { udev_unref(context) }
        guard let device = udev_device_new_from_syspath(context, sysPath) else { return nil }
        defer { udev_device_unref(device) }
        var properties: [String: String] = [:]
        var entry = udev_device_get_properties_list_entry(device)
        while let current = entry {
            if let name = udev_list_entry_get_name(current) {
                properties[String(cString: name)] = udev_list_entry_get_value(current).map { String(cString: $0) } ?? ""
            }
            entry = udev_list_entry_get_next(current)
        }
        var links: [String] = []
        entry = udev_device_get_devlinks_list_entry(device)
        while let current = entry {
            if let name = udev_list_entry_get_name(current) { links.append(String(cString: name)) }
            entry = udev_list_entry_get_next(current)
        }
        return UdevDevice(sysPath: String(cString: udev_device_get_syspath(device)), properties: properties, links: links.sorted())
    }

    /// The sysfs paths of every device in `subsystem` (e.g. "block"), as libudev enumerates them.
    public static func devices(inSubsystem subsystem: String) -> [String] {
        guard let context = udev_new() else { return [] }
        defer { udev_unref(context) }
        guard let enumerate = udev_enumerate_new(context) else { return [] }
        defer { udev_enumerate_unref(enumerate) }
        udev_enumerate_add_match_subsystem(enumerate, subsystem)
        udev_enumerate_scan_devices(enumerate)
        var paths: [String] = []
        var entry = udev_enumerate_get_list_entry(enumerate)
        while let current = entry {
            if let name = udev_list_entry_get_name(current) { paths.append(String(cString: name)) }
            entry = udev_list_entry_get_next(current)
        }
        return paths
    }
}
