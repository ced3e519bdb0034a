/// Sizes as people read them on a disk's box: decimal units (a "512 GB" SSD is 512 × 10⁹ bytes).
public enum ByteCount {
    public static func decimal(_ bytes: UInt64) -> String {
        let units: [(UInt64, String)] = [(1_000_000_000_000, "TB"), (1_000_000_000, "GB"), (1_000_000, "MB"), (1_000, "kB")]
        for (size, unit) in units where bytes >= size {
            return oneDecimal(bytes, size) + " " + unit
        }
        return "\(bytes) B"
    }

    /// Binary units, for memory ("16 GiB") and for partition sizes in layouts ("512M").
    public static func binary(_ bytes: UInt64) -> String {
        let units: [(UInt64, String)] = [(1 << 40, "TiB"), (1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
        for (size, unit) in units where bytes >= size {
            return oneDecimal(bytes, size) + " " + unit
        }
        return "\(bytes) B"
    }

    /// One decimal below 10 ("1.9 TB", "8.6 GB"), whole numbers above ("475 GB"), rounded to nearest.
    private static func oneDecimal(_ bytes: UInt64, _ unit: UInt64) -> String {
        if bytes >= 10 * unit { return String(bytes / unit + (bytes % unit >= unit / 2 ? 1 : 0)) }
        let tenths = (bytes * 10 + unit / 2) / unit
        if tenths >= 100 { return "10" }
        return tenths % 10 == 0 ? String(tenths / 10) : "\(tenths / 10).\(tenths % 10)"
    }
}
