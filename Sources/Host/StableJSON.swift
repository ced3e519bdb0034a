import FoundationEssentials

/// The one JSON form every saved document uses (machine reports, profiles, plans): pretty-printed,
/// keys sorted, slashes unescaped, ending in a newline. Decoding and re-encoding gives the same bytes,
/// so saved documents diff cleanly and golden files stay stable.
public enum StableJSON {
    public static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain structs of strings, integers and booleans cannot fail.
        return String(decoding: try! encoder.encode(value), as: UTF8.self) + "\n"
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try JSONDecoder().decode(type, from: Data(bytes))
    }
}

extension StableJSON {
    /// One compact line (sorted keys), for JSON-lines streams.
    public static func encodeLine<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(value), as: UTF8.self) + "\n"
    }
}
