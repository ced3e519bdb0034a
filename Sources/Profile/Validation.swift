/// Checks for single values. Each returns nil when the value is fine, or what is wrong in plain words.
/// None repeats a secret: they are only applied to values that are not secret.
enum Validation {
    static let promptUnattended = "\"prompt\" needs a person at the machine, but this profile is unattended (interactive is empty): use \"secrets\""

    static func hostname(_ name: String) -> String? {
        let allowed = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        guard allowed, name.count <= 63, name.first != "-", name.last != "-" else {
            return "\"\(name)\" is not a valid host name: use letters, digits and hyphens (no spaces or dots), at most 63 characters, not starting or ending with a hyphen"
        }
        return nil
    }

    static func timezone(_ zone: String) -> String? {
        let parts = zone.split(separator: "/", omittingEmptySubsequences: false)
        let valid = !parts.contains { $0.isEmpty || $0 == ".." } && zone.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/_+-".contains($0)) }
        return valid ? nil : "\"\(zone)\" is not a time zone name such as \"Europe/Berlin\" or \"UTC\""
    }

    static func locale(_ locale: String) -> String? {
        let parts = locale.split(separator: ".")
        let language = parts.first.map(String.init) ?? ""
        let valid = parts.count == 2 && ["UTF-8", "utf8"].contains(parts[1])
            && (language == "C" || language.split(separator: "_").count == 2 && language.allSatisfy { $0.isASCII && ($0.isLetter || $0 == "_" || $0 == "@") })
        return valid ? nil : "\"\(locale)\" is not a UTF-8 locale such as \"en_US.UTF-8\" or \"de_DE.UTF-8\""
    }

    static func keyboard(_ layout: String) -> String? {
        let valid = layout.count <= 32 && layout.first?.isLetter == true && layout.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || "-_".contains($0)) }
        return valid ? nil : "\"\(layout)\" is not a keyboard layout name such as \"us\", \"de\" or \"fr-bepo\""
    }

    static let reservedUsers: Set<String> = ["root", "nobody", "daemon", "bin", "sys", "sshd", "messagebus", "systemd-network", "nixbld"]

    static func userName(_ name: String) -> String? {
        if reservedUsers.contains(name) { return "\"\(name)\" is reserved by the system; choose another user name" }
        let valid = name.count <= 32 && (name.first.map { $0.isLowercase || $0 == "_" } ?? false)
            && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_" || $0 == "-") }
        return valid ? nil : "\"\(name)\" is not a valid user name: lower-case letters, digits, - and _, starting with a letter, at most 32 characters"
    }

    /// `$y$` (yescrypt) or `$6$` (SHA-512) crypt(3) hashes. The hash is not echoed: it is still sensitive.
    static func passwordHash(_ hash: String) -> String? {
        let fields = hash.split(separator: "$", omittingEmptySubsequences: false)
        let scheme = fields.count > 1 ? fields[1] : ""
        guard hash.hasPrefix("$"), scheme == "y" || scheme == "6" else {
            return "is not a yescrypt ($y$...) or SHA-512 ($6$...) crypt hash (make one with `mkpasswd -m yescrypt`)"
        }
        let ok = fields.count >= 4 && !fields.last!.isEmpty && hash.allSatisfy { $0.isASCII && !$0.isWhitespace }
        return ok ? nil : "is not a complete crypt hash (make one with `mkpasswd -m yescrypt`)"
    }

    static let sshKeyTypes = ["ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
                              "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com"]

    static func sshPublicKey(_ key: String) -> String? {
        let fields = key.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 2, sshKeyTypes.contains(String(fields[0])) else {
            if key.contains("PRIVATE KEY") { return "is a private key: give the public key (the .pub file) instead" }
            return "is not an SSH public key (\"ssh-ed25519 AAAA... comment\")"
        }
        let body = fields[1]
        let base64 = body.count >= 16 && body.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+/=".contains($0)) }
        return base64 ? nil : "is not an SSH public key: the part after \(fields[0]) is not base64"
    }

    static func interfaceName(_ name: String) -> String? {
        name.count <= 15 && !name.contains("/") && !name.contains(" ") ? nil : "\"\(name)\" is not a network interface name"
    }

    static func ipAddress(_ text: String) -> String? {
        isIPv4(text) || isIPv6(text) ? nil : "\"\(text)\" is not an IP address"
    }

    static func addressWithPrefix(_ text: String) -> String? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let prefix = Int(parts[1]) else {
            return "\"\(text)\" needs an address with its prefix length, like \"192.168.1.20/24\""
        }
        let address = String(parts[0])
        if isIPv4(address), (0...32).contains(prefix) { return nil }
        if isIPv6(address), (0...128).contains(prefix) { return nil }
        return "\"\(text)\" is not an address with a prefix length, like \"192.168.1.20/24\""
    }

    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isNumber) && (Int(part) ?? 256) <= 255 && !(part.count > 1 && part.first == "0")
        }
    }

    static func isIPv6(_ text: String) -> Bool {
        guard text.contains(":"), text.count <= 45 else { return false }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        let groups = halves.flatMap { $0.isEmpty ? [] : $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) }
        let valid = groups.allSatisfy { (1...4).contains($0.count) && $0.allSatisfy(\.isHexDigit) }
        return valid && (halves.count == 2 ? groups.count < 8 : groups.count == 8)
    }

    static func httpURL(_ url: String) -> String? {
        (url.hasPrefix("http://") || url.hasPrefix("https://")) && url.count > 8 && !url.contains(" ")
            ? nil : "\"\(url)\" is not an http:// or https:// URL"
    }

    static func hostPort(_ text: String) -> String? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port),
              colon != text.startIndex else {
            return "\"\(text)\" is not host:port"
        }
        return nil
    }

    static func wireguardKey(_ key: String) -> String? {
        key.count == 44 && key.hasSuffix("=") && key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+/=".contains($0)) })
            ? nil : "is not a WireGuard public key (44 characters of base64, as `wg pubkey` prints)"
    }

    static func yggdrasilPeer(_ peer: String) -> String? {
        let schemes = ["tls://", "tcp://", "quic://", "ws://", "wss://", "socks://", "unix://"]
        return schemes.contains(where: peer.hasPrefix) ? nil : "\"\(peer)\" is not a Yggdrasil peer URI such as \"tls://host:port\""
    }

    static func networkName(_ name: String) -> String? {
        let valid = name.count <= 32 && (name.first?.isLowercase ?? false) && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
        return valid ? nil : "\"\(name)\" is not a network name: lower-case letters, digits and hyphens, starting with a letter"
    }
}

extension String {
    /// Foundation-free split on a multi-character separator.
    func components(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var rest = self[...]
        while let range = rest.firstRange(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}
