/// What a person or an admin *wants*: the same value whether typed into the guided UI or read from a
/// profile file. It never holds a plain secret: passwords appear only as crypt(3) hashes, and
/// passphrases, plain passwords and Wi-Fi keys only as a reference to where they come from.
///
/// Encoding it (sorted keys) gives the document saved next to the install logs.
public struct InstallProfile: Equatable, Sendable, Encodable {
    public static let currentVersion = 1

    public var version: Int = InstallProfile.currentVersion
    public var identity: Identity
    public var users: [User]
    public var disk: DiskSettings
    public var network: NetworkSettings
    public var clan: ClanSettings
    public var rescue: RescueSettings
    public var reporting: ReportingSettings
    public var install: InstallSettings
    /// What to do after a verified install.
    public var finish: FinishAction
    /// Sections the guided UI still asks, with the profile's values as defaults. Empty: unattended.
    public var interactive: [Section]

    public var isUnattended: Bool { interactive.isEmpty }

    public enum Section: String, Sendable, Encodable, CaseIterable {
        case identity, users, disk, network, clan, rescue
    }
}

public enum FinishAction: String, Sendable, Encodable, CaseIterable {
    case reboot, poweroff, stay
}

/// Where a secret comes from. The secret itself never appears in a profile.
public enum SecretSource: String, Sendable, Encodable, CaseIterable {
    /// Asked on the console (guided installs only).
    case prompt
    /// Read from the separate secrets file (`--secrets FILE`), which is never saved.
    case secrets
}

public struct Identity: Equatable, Sendable, Encodable {
    public var hostname: String
    public var timezone: String
    public var locale: String
    public var keyboard: String
    public var rootLogin: RootLogin

    public enum RootLogin: String, Sendable, Encodable, CaseIterable {
        /// No root login at all; users have sudo.
        case disabled
        /// Root may log in over SSH with the keys of the users marked admin.
        case sshKeys = "ssh-keys"
    }
}

public struct User: Equatable, Sendable, Encodable {
    public var name: String
    public var sshKeys: [String]
    public var password: Password?
    /// Member of `wheel`: may administer the machine with sudo.
    public var admin: Bool

    public enum Password: Equatable, Sendable, Encodable {
        /// A crypt(3) hash: yescrypt (`$y$`) or SHA-512 (`$6$`).
        case hash(String)
        /// A plain password from the console or the secrets file, hashed by the installer.
        case from(SecretSource)

        public func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .hash(let hash): try container.encode(["hash": hash])
            case .from(let source): try container.encode(source.rawValue)
            }
        }
    }
}

public struct DiskSettings: Equatable, Sendable, Encodable {
    /// Which disk to install to; nil only when the guided UI asks.
    public var target: DiskSelector?
    public var layout: Layout
    public var encryption: Encryption?
    public var swap: SizeSetting
    public var espSize: ByteSize
    public var allowRemovable: Bool
    /// The disks an unattended install may erase: serial numbers or WWNs, or `empty` for disks with
    /// no partition table and no signature.
    public var wipe: [String]

    public enum Layout: String, Sendable, Encodable, CaseIterable {
        /// ext4 root and a swap partition.
        case ext4
        /// btrfs with subvolumes for /, /home, /nix and a swap file.
        case btrfs
    }

    public struct Encryption: Equatable, Sendable, Encodable {
        /// LUKS2 passphrase source.
        public var passphrase: SecretSource
    }
}

public enum DiskSelector: Equatable, Sendable, Encodable {
    case byId(String)
    case serial(String)
    case wwn(String)
    case rule(DiskRule)

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .byId(let value): try container.encode(value, forKey: .byId)
        case .serial(let value): try container.encode(value, forKey: .serial)
        case .wwn(let value): try container.encode(value, forKey: .wwn)
        case .rule(let rule): try container.encode(rule, forKey: .rule)
        }
    }

    enum Key: String, CodingKey { case byId, serial, wwn, rule }
}

/// "The largest non-removable disk", "the smallest SSD of at least 64 GB".
public struct DiskRule: Equatable, Sendable, Encodable {
    public enum Pick: String, Sendable, Encodable, CaseIterable { case largest, smallest }
    public enum Kind: String, Sendable, Encodable, CaseIterable { case any, ssd, hdd }
    public var pick: Pick
    public var kind: Kind
    public var minSize: ByteSize?
}

public enum SizeSetting: Equatable, Sendable, Encodable {
    /// The installer chooses (swap: the memory size, at most 8 GiB).
    case auto
    case size(ByteSize)

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .auto: try container.encode("auto")
        case .size(let size): try container.encode(size.description)
        }
    }
}

public struct NetworkSettings: Equatable, Sendable, Encodable {
    public enum Mode: String, Sendable, Encodable, CaseIterable { case dhcp, `static`, wifi }
    public var mode: Mode
    /// Static: which interface (any wired link when nil), address with prefix, gateway, DNS servers.
    public var interface: String?
    public var address: String?
    public var gateway: String?
    public var dns: [String]
    /// Wi-Fi: the network name and where its key comes from.
    public var ssid: String?
    public var psk: SecretSource?
}

public struct ClanSettings: Equatable, Sendable, Encodable {
    public enum AdminMode: String, Sendable, Encodable, CaseIterable { case local, remote, shared }
    public enum NetworkLayer: String, Sendable, Encodable, CaseIterable { case yggdrasil, wireguard, zerotier, tinc }
    public var adminMode: AdminMode
    public var networkLayer: NetworkLayer
    /// The network to join as the first VM; nil: the Base OS stands alone.
    public var network: FirstNetwork?

    public struct FirstNetwork: Equatable, Sendable, Encodable {
        public var name: String
        /// A cLAN URI (`nix://https-github.com/org/repo`, `nix://ipfs-<hash>`, `nix://ygg-<addr>`) or a flake reference.
        public var uri: String
        /// The network's `applications` sidecar, passed through verbatim.
        public var applications: JSONNode?
    }
}

public struct RescueSettings: Equatable, Sendable, Encodable {
    public enum When: String, Sendable, Encodable, CaseIterable {
        case never
        case onFailure = "on-failure"
        case always
        case ask
    }
    public enum Backend: String, Sendable, Encodable, CaseIterable { case yggdrasil, wireguard }
    public var when: When
    public var backend: Backend
    /// Yggdrasil peers (`tls://host:port`) to join through.
    public var peers: [String]
    /// WireGuard: the helper's endpoint (`host:port`) and public key, and this machine's address.
    public var endpoint: String?
    public var publicKey: String?
    public var address: String?
    /// SSH public keys of the people allowed to help.
    public var helperKeys: [String]
    /// Whether the installer may show a one-time password for a helper without a key.
    public var oneTimePassword: Bool
}

public struct ReportingSettings: Equatable, Sendable, Encodable {
    /// Where to POST status events (PXE fleets); nil: no reports.
    public var url: String?
    public var intervalSeconds: Int
}

public struct InstallSettings: Equatable, Sendable, Encodable {
    /// The NixOS release the flake follows, e.g. `nixos-25.11`.
    public var nixpkgs: String
    /// Install only from the store on the boot medium (no binary cache).
    public var offline: Bool
}

extension JSONNode: Encodable {
    public func encode(to encoder: Encoder) throws {
        switch value {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .number(let text):
            var container = encoder.singleValueContainer()
            if let integer = Int64(text) { try container.encode(integer) } else { try container.encode(Double(text) ?? 0) }
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements { try container.encode(element) }
        case .object(let members):
            var container = encoder.container(keyedBy: AnyKey.self)
            for member in members { try container.encode(member.value, forKey: AnyKey(member.key)) }
        }
    }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

// Only the keys that belong to the chosen mode or backend are written, so that a saved profile reads
// back through the strict decoder, which calls keys of another mode unknown.
extension NetworkSettings {
    enum Key: String, CodingKey { case mode, interface, address, gateway, dns, ssid, psk }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(mode, forKey: .mode)
        switch mode {
        case .dhcp:
            try container.encodeIfPresent(interface, forKey: .interface)
        case .static:
            try container.encodeIfPresent(interface, forKey: .interface)
            try container.encodeIfPresent(address, forKey: .address)
            try container.encodeIfPresent(gateway, forKey: .gateway)
            try container.encode(dns, forKey: .dns)
        case .wifi:
            try container.encodeIfPresent(ssid, forKey: .ssid)
            try container.encodeIfPresent(psk, forKey: .psk)
        }
    }
}

extension RescueSettings {
    enum Key: String, CodingKey { case when, backend, peers, endpoint, publicKey, address, helperKeys, oneTimePassword }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(when, forKey: .when)
        try container.encode(backend, forKey: .backend)
        switch backend {
        case .yggdrasil:
            try container.encode(peers, forKey: .peers)
        case .wireguard:
            try container.encodeIfPresent(endpoint, forKey: .endpoint)
            try container.encodeIfPresent(publicKey, forKey: .publicKey)
            try container.encodeIfPresent(address, forKey: .address)
        }
        try container.encode(helperKeys, forKey: .helperKeys)
        try container.encode(oneTimePassword, forKey: .oneTimePassword)
    }
}
