/// The plain secrets an install needs, kept apart from the profile (`--secrets FILE`), never saved,
/// logged or printed: `description` shows only which secrets are present.
///
/// ```json
/// {"version": 1, "diskPassphrase": "…", "userPasswords": {"alice": "…"}, "wifiPSK": "…"}
/// ```
public struct InstallSecrets: Equatable, Sendable, CustomStringConvertible {
    public var diskPassphrase: String?
    public var userPasswords: [String: String]
    public var wifiPSK: String?

    public init(diskPassphrase: String? = nil, userPasswords: [String: String] = [:], wifiPSK: String? = nil) {
        self.diskPassphrase = diskPassphrase
        self.userPasswords = userPasswords
        self.wifiPSK = wifiPSK
    }

    public var description: String {
        var present: [String] = []
        if diskPassphrase != nil { present.append("disk passphrase") }
        present += userPasswords.keys.sorted().map { "password of \($0)" }
        if wifiPSK != nil { present.append("Wi-Fi key") }
        return "secrets (" + (present.isEmpty ? "none" : present.joined(separator: ", ")) + ")"
    }

    public static func decode(_ bytes: [UInt8]) throws(ProfileErrors) -> InstallSecrets {
        let root: JSONNode
        do { root = try JSONParser.parse(bytes) } catch {
            // The syntax error's position is safe to show; the text around it is not.
            throw ProfileErrors(issues: [ProfileIssue(path: "", message: "the secrets file is not valid JSON: \(error.message)", line: error.line, column: error.column)])
        }
        let issues = IssueCollector()
        var secrets = InstallSecrets()
        if let document = ObjectReader(root, path: "", issues: issues) {
            if let version = document.member("version"), case .number("1") = version.value {} else {
                document.missing("version", "must be 1")
            }
            secrets.diskPassphrase = document.string("diskPassphrase")
            secrets.wifiPSK = document.string("wifiPSK")
            if let wifiPSK = secrets.wifiPSK, !(8...63).contains(wifiPSK.utf8.count) {
                issues.add("wifiPSK", "a WPA key has 8 to 63 characters", at: document.member("wifiPSK"))
            }
            if let passwords = document.object("userPasswords") {
                if case .object(let members) = passwords.node.value {
                    for member in members { secrets.userPasswords[member.key] = passwords.string(member.key) }
                }
                passwords.finish()
            }
            document.finish()
        }
        guard issues.issues.isEmpty else { throw ProfileErrors(issues: issues.issues) }
        return secrets
    }

    /// The profile's references to the secrets file that this file does not satisfy, as JSON paths.
    public func unmetReferences(of profile: InstallProfile) -> [String] {
        var missing: [String] = []
        if profile.disk.encryption?.passphrase == .secrets, diskPassphrase == nil { missing.append("disk.encryption.passphrase") }
        for (index, user) in profile.users.enumerated() where user.password == .from(.secrets) && userPasswords[user.name] == nil {
            missing.append("users[\(index)].password")
        }
        if profile.network.psk == .secrets, wifiPSK == nil { missing.append("network.psk") }
        return missing
    }
}
