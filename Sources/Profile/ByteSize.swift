/// A size as people write it in a profile: `512M`, `8G`, `1.5T`, `512MiB`, `64GB`.
///
/// Binary units throughout (`G` and `GiB` and `GB` all mean 2^30): partition sizes are what NixOS and
/// disko people write, and they mean binary units there.
public struct ByteSize: Equatable, Comparable, Sendable, Encodable, CustomStringConvertible {
    public var bytes: UInt64

    public init(bytes: UInt64) { self.bytes = bytes }
    public static func mebibytes(_ count: UInt64) -> ByteSize { ByteSize(bytes: count << 20) }
    public static func gibibytes(_ count: UInt64) -> ByteSize { ByteSize(bytes: count << 30) }

    /// Parses a size; nil with a reason for anything else (negative, no number, unknown unit, too large).
    public static func parse(_ text: String) -> Result<ByteSize, SizeError> {
        let trimmed = text.filter { $0 != " " }
        if trimmed.hasPrefix("-") { return .failure(.negative) }
        let number = trimmed.prefix { $0.isNumber || $0 == "." }
        let unit = trimmed.dropFirst(number.count).uppercased()
        guard !number.isEmpty, number.filter({ $0 == "." }).count <= 1, let value = Double(number) else { return .failure(.notASize) }
        let shift: UInt64
        switch unit {
        case "", "B": shift = 0
        case "K", "KB", "KIB": shift = 10
        case "M", "MB", "MIB": shift = 20
        case "G", "GB", "GIB": shift = 30
        case "T", "TB", "TIB": shift = 40
        default: return .failure(.unknownUnit(String(unit)))
        }
        let bytes = value * Double(UInt64(1) << shift)
        guard bytes < 1e18 else { return .failure(.tooLarge) }
        return .success(ByteSize(bytes: UInt64(bytes)))
    }

    public enum SizeError: Error, Equatable {
        case negative, notASize, unknownUnit(String), tooLarge

        public var message: String {
            switch self {
            case .negative: "must not be negative"
            case .notASize: "is not a size (write it like 512M, 8G or 1T)"
            case .unknownUnit(let unit): "has an unknown unit \"\(unit)\" (use K, M, G or T)"
            case .tooLarge: "is larger than any disk"
            }
        }
    }

    /// The shortest exact form: `512M`, `8G`, `1536M`.
    public var description: String {
        for (shift, unit) in [(40, "T"), (30, "G"), (20, "M"), (10, "K")] where bytes >= UInt64(1) << shift && bytes % (UInt64(1) << shift) == 0 {
            return "\(bytes >> UInt64(shift))\(unit)"
        }
        return "\(bytes)"
    }

    public static func < (lhs: ByteSize, rhs: ByteSize) -> Bool { lhs.bytes < rhs.bytes }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
