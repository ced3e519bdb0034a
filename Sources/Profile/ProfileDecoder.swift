extension InstallProfile {
    /// Reads and checks a profile document. Throws every problem found, not just the first.
    public static func decode(_ bytes: [UInt8]) throws(ProfileErrors) -> InstallProfile {
        let root: JSONNode
        do { root = try JSONParser.parse(bytes) } catch {
            throw ProfileErrors(issues: [ProfileIssue(path: "", message: "not valid JSON: \(error.message)", line: error.line, column: error.column)])
        }
        let issues = IssueCollector()
        let profile = ProfileReader(issues: issues).read(root)
        if let profile, issues.issues.isEmpty { return profile }
        throw ProfileErrors(issues: issues.issues.isEmpty ? [ProfileIssue(path: "", message: "not a profile")] : issues.issues)
    }
}

/// The rules of the profile format, section by section. Each reader returns a value with defaults
/// filled in, and records an issue for every problem; the caller keeps going so that all are found.
struct ProfileReader {
    let issues: IssueCollector

    func read(_ root: JSONNode) -> InstallProfile? {
        guard let document = ObjectReader(root, path: "", issues: issues) else { return nil }
        if let versionNode = document.member("version") {
            if case .number(let text) = versionNode.value, Int(text) == InstallProfile.currentVersion {
            } else {
                issues.add("version", "must be \(InstallProfile.currentVersion) (this installer reads version \(InstallProfile.currentVersion) profiles)", at: versionNode)
            }
        } else {
            document.missing("version", "is required: add \"version\": \(InstallProfile.currentVersion)")
        }
        let interactive = readInteractive(document)
        let unattended = interactive.isEmpty
        let identity = readIdentity(document.object("identity"), path: "identity", required: !interactive.contains(.identity))
        let users = readUsers(document, unattended: unattended, asked: interactive.contains(.users))
        let disk = readDisk(document.object("disk"), unattended: unattended, asked: interactive.contains(.disk))
        let network = readNetwork(document.object("network"), unattended: unattended)
        let clan = readClan(document.object("clan"))
        let rescue = readRescue(document.object("rescue"))
        let reporting = readReporting(document.object("reporting"))
        let install = readInstall(document.object("install"))
        let finish: FinishAction = document.choice("finish", default: .reboot)
        document.finish()
        if !document.has("identity") && !interactive.contains(.identity) {
            document.missing("identity", "is required (at least a hostname), or add \"identity\" to interactive")
        }
        guard let identity else { return nil }
        return InstallProfile(identity: identity, users: users, disk: disk, network: network, clan: clan, rescue: rescue,
                              reporting: reporting, install: install, finish: finish, interactive: interactive)
    }

    private func readInteractive(_ document: ObjectReader) -> [InstallProfile.Section] {
        let words = document.strings("interactive")
        if words == ["*"] { return InstallProfile.Section.allCases }
        var sections: [InstallProfile.Section] = []
        for (index, word) in words.enumerated() {
            if let section = InstallProfile.Section(rawValue: word) {
                if !sections.contains(section) { sections.append(section) }
            } else {
                let all = InstallProfile.Section.allCases.map(\.rawValue)
                issues.add("interactive[\(index)]", "\"\(word)\" is not a section: use \(all.map { "\"\($0)\"" }.joined(separator: ", ")) or \"*\"\(Suggestion.didYouMean(word, among: all))",
                           at: document.list("interactive")[index].node)
            }
        }
        return sections
    }

    // MARK: identity

    private func readIdentity(_ reader: ObjectReader?, path: String, required: Bool) -> Identity? {
        guard let reader else {
            // Asked in the guided UI: start from empty values.
            return required ? nil : Identity(hostname: "", timezone: "UTC", locale: "en_US.UTF-8", keyboard: "us", rootLogin: .disabled)
        }
        let hostname = reader.string("hostname", required: required, validate: Validation.hostname)
        let identity = Identity(
            hostname: hostname ?? "",
            timezone: reader.string("timezone", validate: Validation.timezone) ?? "UTC",
            locale: reader.string("locale", validate: Validation.locale) ?? "en_US.UTF-8",
            keyboard: reader.string("keyboard", validate: Validation.keyboard) ?? "us",
            rootLogin: reader.choice("rootLogin", default: .disabled))
        reader.finish()
        return identity
    }

    // MARK: users

    private func readUsers(_ document: ObjectReader, unattended: Bool, asked: Bool) -> [User] {
        var users: [User] = []
        for (node, path) in document.list("users") {
            guard let reader = ObjectReader(node, path: path, issues: issues) else { continue }
            let name = reader.string("name", required: true, validate: Validation.userName)
            if let name, users.contains(where: { $0.name == name }) {
                issues.add(path + ".name", "the user \"\(name)\" is listed twice", at: reader.member("name"))
            }
            let keys = reader.strings("sshKeys", validate: Validation.sshPublicKey)
            let password = readPassword(reader, unattended: unattended)
            let admin = reader.bool("admin", default: true)
            reader.finish()
            if let name { users.append(User(name: name, sshKeys: keys, password: password, admin: admin)) }
        }
        if users.isEmpty && !asked && !document.has("users") {
            document.missing("users", "at least one user is required, or add \"users\" to interactive")
        } else if !asked, !users.isEmpty, users.allSatisfy({ $0.password == nil && $0.sshKeys.isEmpty }) {
            issues.add("users", "no user has a password or an SSH key: nobody could log in", at: document.member("users"))
        }
        return users
    }

    private func readPassword(_ reader: ObjectReader, unattended: Bool) -> User.Password? {
        let path = reader.childPath("password")
        guard let node = reader.member("password") else { return nil }
        switch node.value {
        case .string(let word):
            guard let source = SecretSource(rawValue: word) else {
                // Never echo what was written: it may be the password itself.
                issues.add(path, "must be {\"hash\": \"$y$...\"}, \"prompt\" or \"secrets\"; a plain password never goes into a profile (put it in the secrets file)", at: node)
                return nil
            }
            if source == .prompt && unattended { issues.add(path, Validation.promptUnattended, at: node) }
            return .from(source)
        case .object:
            guard let object = ObjectReader(node, path: path, issues: issues) else { return nil }
            let hash = object.string("hash", required: true, validate: Validation.passwordHash)
            object.finish()
            return hash.map { .hash($0) }
        default:
            issues.add(path, "expected {\"hash\": ...}, \"prompt\" or \"secrets\", found \(node.kindName)", at: node)
            return nil
        }
    }

    // MARK: disk

    private func readDisk(_ reader: ObjectReader?, unattended: Bool, asked: Bool) -> DiskSettings {
        var settings = DiskSettings(target: nil, layout: .ext4, encryption: nil, swap: .auto, espSize: .mebibytes(512),
                                    allowRemovable: false, wipe: [])
        guard let reader else {
            if !asked { issues.add("disk", "is required: say which disk to install to (disk.target), or add \"disk\" to interactive", at: nil) }
            return settings
        }
        if let target = reader.object("target") {
            settings.target = readSelector(target)
        } else if !asked {
            reader.missing("target", "is required for an unattended install: name the disk by byId, serial or wwn, or give a rule")
        }
        settings.layout = reader.choice("layout", default: .ext4)
        if let encryption = reader.object("encryption") {
            let source: SecretSource? = encryption.choice("passphrase")
            if !encryption.has("passphrase") {
                encryption.missing("passphrase", "is required: \"prompt\" (asked at the machine) or \"secrets\" (from the secrets file)")
            }
            if source == .prompt && unattended { issues.add(encryption.childPath("passphrase"), Validation.promptUnattended, at: encryption.member("passphrase")) }
            encryption.finish()
            if let source { settings.encryption = .init(passphrase: source) }
        }
        if let swap = reader.string("swap") {
            if swap == "auto" {
                settings.swap = .auto
            } else if let size = size(swap, path: reader.childPath("swap"), node: reader.member("swap"), maximum: .gibibytes(256)) {
                settings.swap = .size(size)
            }
        }
        if let text = reader.string("espSize"),
           let size = size(text, path: reader.childPath("espSize"), node: reader.member("espSize"), minimum: .mebibytes(100), maximum: .gibibytes(4)) {
            settings.espSize = size
        }
        settings.allowRemovable = reader.bool("allowRemovable", default: false)
        settings.wipe = reader.strings("wipe")
        reader.finish()
        return settings
    }

    private func readSelector(_ reader: ObjectReader) -> DiskSelector? {
        let kinds = ["byId", "serial", "wwn", "rule"].filter(reader.has)
        defer { reader.finish() }
        guard kinds.count == 1 else {
            reader.missing(kinds.first ?? "byId", kinds.isEmpty
                ? "name the disk with exactly one of byId, serial, wwn or rule"
                : "use only one of \(kinds.joined(separator: ", "))")
            kinds.forEach { _ = reader.member($0) }
            return nil
        }
        switch kinds[0] {
        case "byId": return reader.string("byId").map { .byId($0.hasPrefix("/dev/disk/by-id/") ? String($0.dropFirst(16)) : $0) }
        case "serial": return reader.string("serial").map(DiskSelector.serial)
        case "wwn": return reader.string("wwn").map(DiskSelector.wwn)
        default:
            guard let rule = reader.object("rule") else { return nil }
            let pick: DiskRule.Pick = rule.choice("pick", default: .largest)
            let kind: DiskRule.Kind = rule.choice("kind", default: .any)
            let minSize = rule.string("minSize").flatMap { size($0, path: rule.childPath("minSize"), node: rule.member("minSize"), maximum: .gibibytes(1 << 20)) }
            rule.finish()
            return .rule(DiskRule(pick: pick, kind: kind, minSize: minSize))
        }
    }

    private func size(_ text: String, path: String, node: JSONNode?, minimum: ByteSize? = nil, maximum: ByteSize) -> ByteSize? {
        switch ByteSize.parse(text) {
        case .failure(let error):
            issues.add(path, "\"\(text)\" \(error.message)", at: node)
            return nil
        case .success(let size):
            if let minimum, size < minimum {
                issues.add(path, "\(size) is too small: at least \(minimum)", at: node)
                return nil
            }
            if size > maximum {
                issues.add(path, "\(size) is too large: at most \(maximum)", at: node)
                return nil
            }
            return size
        }
    }

    // MARK: network

    private func readNetwork(_ reader: ObjectReader?, unattended: Bool) -> NetworkSettings {
        var settings = NetworkSettings(mode: .dhcp, interface: nil, address: nil, gateway: nil, dns: [], ssid: nil, psk: nil)
        guard let reader else { return settings }
        settings.mode = reader.choice("mode", default: .dhcp)
        switch settings.mode {
        case .dhcp:
            settings.interface = reader.string("interface", validate: Validation.interfaceName)
        case .static:
            settings.interface = reader.string("interface", validate: Validation.interfaceName)
            settings.address = reader.string("address", required: true, validate: Validation.addressWithPrefix)
            settings.gateway = reader.string("gateway", validate: Validation.ipAddress)
            settings.dns = reader.strings("dns", validate: Validation.ipAddress)
        case .wifi:
            settings.ssid = reader.string("ssid", required: true) { $0.utf8.count > 32 ? "is longer than 32 bytes, the most a Wi-Fi name can have" : nil }
            settings.psk = reader.choice("psk")
            if !reader.has("psk") { reader.missing("psk", "is required: \"prompt\" or \"secrets\" (the key never goes into the profile)") }
            if settings.psk == .prompt && unattended { issues.add(reader.childPath("psk"), Validation.promptUnattended, at: reader.member("psk")) }
        }
        reader.finish()
        return settings
    }

    // MARK: cLAN

    private func readClan(_ reader: ObjectReader?) -> ClanSettings {
        var settings = ClanSettings(adminMode: .local, networkLayer: .yggdrasil, network: nil)
        guard let reader else { return settings }
        settings.adminMode = reader.choice("adminMode", default: .local)
        settings.networkLayer = reader.choice("networkLayer", default: .yggdrasil)
        if let network = reader.object("network") {
            let name = network.string("name", required: true, validate: Validation.networkName)
            let uri = network.string("uri", required: true) { CLANURI.problem(with: $0) }
            var applications = network.member("applications")
            if let node = applications, case .object = node.value {} else if let node = applications {
                issues.add(network.childPath("applications"), "expected an object, found \(node.kindName)", at: node)
                applications = nil
            }
            network.finish()
            if let name, let uri { settings.network = .init(name: name, uri: uri, applications: applications) }
        }
        reader.finish()
        return settings
    }

    // MARK: rescue, reporting, install

    private func readRescue(_ reader: ObjectReader?) -> RescueSettings {
        var settings = RescueSettings(when: .onFailure, backend: .yggdrasil, peers: [], endpoint: nil, publicKey: nil, address: nil,
                                      helperKeys: [], oneTimePassword: true)
        guard let reader else { return settings }
        let when: RescueSettings.When? = reader.choice("when")
        // A misspelt `when` is already reported; do not pile a consequence of the default on top.
        let whenIsValid = when != nil || !reader.has("when")
        settings.when = when ?? .onFailure
        settings.backend = reader.choice("backend", default: .yggdrasil)
        switch settings.backend {
        case .yggdrasil:
            settings.peers = reader.strings("peers", validate: Validation.yggdrasilPeer)
        case .wireguard:
            settings.endpoint = reader.string("endpoint", required: settings.when != .never, validate: Validation.hostPort)
            settings.publicKey = reader.string("publicKey", required: settings.when != .never, validate: Validation.wireguardKey)
            settings.address = reader.string("address", validate: Validation.addressWithPrefix)
        }
        settings.helperKeys = reader.strings("helperKeys", validate: Validation.sshPublicKey)
        settings.oneTimePassword = reader.bool("oneTimePassword", default: true)
        reader.finish()
        if whenIsValid && settings.when != .never && settings.helperKeys.isEmpty && !settings.oneTimePassword {
            issues.add("rescue.helperKeys", "remote help is enabled (when: \"\(settings.when.rawValue)\") but no helper could log in: add helperKeys or allow oneTimePassword", at: reader.node)
        }
        return settings
    }

    private func readReporting(_ reader: ObjectReader?) -> ReportingSettings {
        var settings = ReportingSettings(url: nil, intervalSeconds: 10)
        guard let reader else { return settings }
        settings.url = reader.string("url", validate: Validation.httpURL)
        settings.intervalSeconds = reader.integer("intervalSeconds", default: 10, range: 1...3600)
        reader.finish()
        return settings
    }

    private func readInstall(_ reader: ObjectReader?) -> InstallSettings {
        var settings = InstallSettings(nixpkgs: "nixos-25.11", offline: false)
        guard let reader else { return settings }
        settings.nixpkgs = reader.string("nixpkgs") { $0.hasPrefix("nixos-") || $0 == "nixpkgs-unstable" ? nil : "must name a NixOS channel such as \"nixos-25.11\" or \"nixos-unstable\"" } ?? settings.nixpkgs
        settings.offline = reader.bool("offline", default: false)
        reader.finish()
        return settings
    }
}
