import Profile

/// `settings.json`: the person's choices as plain data. The Nix files read it with
/// `builtins.fromJSON (builtins.readFile ./settings.json)`, so a graphical tool can change a time zone,
/// add a user or an SSH key by editing JSON, without writing Nix.
public struct Settings: Encodable, Equatable {
    public var hostname: String
    public var timezone: String
    public var locale: String
    public var keyboard: String
    public var rootLogin: String
    public var users: [User]
    public var adminMode: String
    public var networkLayer: String
    public var network: Network
    public var firstNetwork: FirstNetwork?
    public var managementPeers: [String]

    public struct User: Encodable, Equatable {
        public var name: String
        public var admin: Bool
        public var sshKeys: [String]
        /// The password hash lives in this file (mode 0600, outside the Nix store), or null.
        public var hashedPasswordFile: String?
    }

    /// How the installed system reaches the network.
    public struct Network: Encodable, Equatable {
        public var mode: String
        public var interface: String?
        public var address: String?
        public var prefixLength: Int?
        public var gateway: String?
        public var dns: [String]
        public var ssid: String?
    }

    public struct FirstNetwork: Encodable, Equatable {
        public var name: String
        public var uri: String
        /// The flake reference the URI stands for.
        public var flake: String
    }

    static func passwordFile(for user: String) -> String { "/var/lib/clan-installer/passwords/\(user)" }

    public init(profile: InstallProfile) {
        let identity = profile.identity
        hostname = identity.hostname
        timezone = identity.timezone
        locale = identity.locale
        keyboard = identity.keyboard
        rootLogin = identity.rootLogin.rawValue
        users = profile.users.map {
            User(name: $0.name, admin: $0.admin, sshKeys: $0.sshKeys, hashedPasswordFile: $0.password == nil ? nil : Settings.passwordFile(for: $0.name))
        }
        adminMode = profile.clan.adminMode.rawValue
        networkLayer = profile.clan.networkLayer.rawValue
        let address = profile.network.address?.split(separator: "/")
        network = Network(mode: profile.network.mode.rawValue, interface: profile.network.interface,
                          address: address.map { String($0[0]) }, prefixLength: address.flatMap { Int($0[1]) },
                          gateway: profile.network.gateway, dns: profile.network.dns, ssid: profile.network.ssid)
        firstNetwork = profile.clan.network.flatMap { network in
            (try? CLANURI.flakeReference(network.uri).get()).map { FirstNetwork(name: network.name, uri: network.uri, flake: $0) }
        }
        managementPeers = profile.rescue.backend == .yggdrasil ? profile.rescue.peers : []
    }
}
