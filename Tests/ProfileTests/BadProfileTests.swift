import Testing
@testable import Profile

/// The corpus of bad profiles: each with the exact messages a person gets. Every problem in a
/// document is reported, with its JSON path and position.
@Suite struct BadProfileTests {
    /// `minimal` with `old` replaced by `new`.
    func variant(_ old: String, _ new: String) -> String {
        precondition(minimal.contains(old), "test setup: \(old) not in the minimal profile")
        return minimal.replacing(old, with: new)
    }

    @Test(arguments: [
        // wrong types
        (#""hostname": "box""#, #""hostname": 42"#, ["identity.hostname: expected a string, found a number (line 3, column 29)"]),
        (#""version": 1"#, #""version": "1""#, ["version: must be 1 (this installer reads version 1 profiles) (line 2, column 14)"]),
        (#""wipe": ["S1"]"#, #""wipe": "S1""#, ["disk.wipe: expected a list, found a string (line 5, column 51)"]),
        // unknown keys, with suggestions
        (#""hostname": "box""#, #""hostnme": "box""#, [
            "identity.hostname: is required (line 3, column 15)",
            "identity.hostnme: unknown key (did you mean hostname?) (line 3, column 17)",
        ]),
        (#""rescue":"#, #""rescue_": {}, "rescue":"#, ["rescue_: unknown key (did you mean rescue?) (line 6, column 3)"]),
        // empty hostname, hostname with spaces
        (#""hostname": "box""#, #""hostname": """#, ["identity.hostname: must not be empty (line 3, column 29)"]),
        (#""hostname": "box""#, #""hostname": "my laptop""#, [
            "identity.hostname: \"my laptop\" is not a valid host name: use letters, digits and hyphens (no spaces or dots), at most 63 characters, not starting or ending with a hyphen (line 3, column 29)",
        ]),
        // negative and impossible sizes
        (#""wipe": ["S1"]"#, #""wipe": ["S1"], "swap": "-4G""#, ["disk.swap: \"-4G\" must not be negative (line 5, column 67)"]),
        (#""wipe": ["S1"]"#, #""wipe": ["S1"], "espSize": "10M""#, ["disk.espSize: 10M is too small: at least 100M (line 5, column 70)"]),
        (#""wipe": ["S1"]"#, #""wipe": ["S1"], "swap": "3 bananas""#, ["disk.swap: \"3 bananas\" has an unknown unit \"BANANAS\" (use K, M, G or T) (line 5, column 67)"]),
        // encryption without a passphrase
        (#""wipe": ["S1"]"#, #""wipe": ["S1"], "encryption": {}"#, [
            "disk.encryption.passphrase: is required: \"prompt\" (asked at the machine) or \"secrets\" (from the secrets file) (line 5, column 73)",
        ]),
        (#""wipe": ["S1"]"#, #""wipe": ["S1"], "encryption": {"passphrase": ""}"#, ["disk.encryption.passphrase: must not be empty (line 5, column 88)"]),
        (#""wipe": ["S1"]"#, #""wipe": ["S1"], "encryption": {"passphrase": "prompt"}"#, [
            "disk.encryption.passphrase: \"prompt\" needs a person at the machine, but this profile is unattended (interactive is empty): use \"secrets\" (line 5, column 88)",
        ]),
        // two selectors, no selector
        (#""target": { "serial": "S1" }"#, #""target": { "serial": "S1", "wwn": "0x5" }"#, ["disk.target.serial: use only one of serial, wwn (line 5, column 23)"]),
        (#""target": { "serial": "S1" }"#, #""target": {}"#, ["disk.target.byId: name the disk with exactly one of byId, serial, wwn or rule (line 5, column 23)"]),
        (#""target": { "serial": "S1" }, "#, "", ["disk.target: is required for an unattended install: name the disk by byId, serial or wwn, or give a rule (line 5, column 11)"]),
        // words from a fixed set
        (#""when": "never""#, #""when": "nevr""#, [
            "rescue.when: \"nevr\" is not one of \"never\", \"on-failure\", \"always\", \"ask\" (did you mean never?) (line 6, column 23)",
        ]),
        // users
        (#""name": "ada""#, #""name": "root""#, ["users[0].name: \"root\" is reserved by the system; choose another user name (line 4, column 23)"]),
        (#""sshKeys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICsLueub6OoaSacaGZik0p8v2pwXBVOl290JY5DRHL3U a@b"]"#, #""sshKeys": ["-----BEGIN OPENSSH PRIVATE KEY-----"]"#, [
            "users[0].sshKeys[0]: is a private key: give the public key (the .pub file) instead (line 4, column 42)",
            "users: no user has a password or an SSH key: nobody could log in (line 4, column 12)",
        ]),
        (#""name": "ada","#, #""name": "ada", "password": {"hash": "plaintext"},"#, [
            "users[0].password.hash: is not a yescrypt ($y$...) or SHA-512 ($6$...) crypt hash (make one with `mkpasswd -m yescrypt`) (line 4, column 51)",
        ]),
    ])
    func badProfile(old: String, new: String, expected: [String]) {
        #expect(issues(variant(old, new)) == expected)
    }

    @Test func everyProblemIsReportedAtOnce() {
        let document = """
        {
          "version": 2,
          "identity": { "hostname": "my box", "locale": "klingon" },
          "users": [{ "name": "Ada" }],
          "disk": { "layout": "zfs", "target": { "rule": { "pick": "biggest" } } },
          "network": { "mode": "static" },
          "colour": "blue"
        }
        """
        #expect(issues(document) == [
            "version: must be 1 (this installer reads version 1 profiles) (line 2, column 14)",
            "identity.hostname: \"my box\" is not a valid host name: use letters, digits and hyphens (no spaces or dots), at most 63 characters, not starting or ending with a hyphen (line 3, column 29)",
            "identity.locale: \"klingon\" is not a UTF-8 locale such as \"en_US.UTF-8\" or \"de_DE.UTF-8\" (line 3, column 49)",
            "users[0].name: \"Ada\" is not a valid user name: lower-case letters, digits, - and _, starting with a letter, at most 32 characters (line 4, column 23)",
            "disk.target.rule.pick: \"biggest\" is not one of \"largest\", \"smallest\" (line 5, column 60)",
            "disk.layout: \"zfs\" is not one of \"ext4\", \"btrfs\" (line 5, column 23)",
            "network.address: is required (line 6, column 14)",
            "colour: unknown key (line 7, column 3)",
        ])
    }

    @Test func plainPasswordsAreRefusedWithoutBeingRepeated() {
        let messages = issues(variant(#""name": "ada","#, #""name": "ada", "password": "hunter2-secret","#))
        #expect(messages == ["users[0].password: must be {\"hash\": \"$y$...\"}, \"prompt\" or \"secrets\"; a plain password never goes into a profile (put it in the secrets file) (line 4, column 42)"])
        #expect(!messages.joined().contains("hunter2"))
    }

    @Test func notJSONAtAll() {
        #expect(issues("{\"version\": 1,\n  \"identity\": {\"hostname\": \"box\",}\n}") == ["not valid JSON: trailing comma before } (line 2, column 34)"])
        #expect(issues("[]") == ["expected an object, found a list (line 1, column 1)"])
    }
}
