import Testing
@testable import Profile
import Host
import TestSupport

@Suite struct SecretsTests {
    let profile = try! InstallProfile.decode(Array(minimal
        .replacing(#""wipe": ["S1"]"#, with: #""wipe": ["S1"], "encryption": {"passphrase": "secrets"}"#)
        .replacing(#""name": "ada","#, with: #""name": "ada", "password": "secrets","#).utf8))

    @Test func secretsFileIsReadAndNeverPrinted() throws {
        let secrets = try InstallSecrets.decode(Array(#"{"version": 1, "diskPassphrase": "tr0ub4dor&3", "userPasswords": {"ada": "s3cr3t-pw"}}"#.utf8))
        #expect(secrets.diskPassphrase == "tr0ub4dor&3" && secrets.userPasswords["ada"] == "s3cr3t-pw")
        #expect(secrets.description == "secrets (disk passphrase, password of ada)")
        #expect(secrets.unmetReferences(of: profile).isEmpty)
    }

    @Test func missingSecretsAreNamedByTheirProfilePath() throws {
        let secrets = try InstallSecrets.decode(Array(#"{"version": 1, "userPasswords": {"bob": "x"}}"#.utf8))
        #expect(secrets.unmetReferences(of: profile) == ["disk.encryption.passphrase", "users[0].password"])
    }

    @Test func errorsInTheSecretsFileNeverEchoAValue() {
        let documents = [
            #"{"version": 1, "diskPassphrase": 12345678, "wifiPSK": "short"}"#,
            #"{"version": 1, "diskPassphrase": "hunter2hunter2", "diskPasphrase": "hunter2hunter2"}"#,
            "{\"version\": 1, \"diskPassphrase\": \"hunter2hunter2\n\"}",
        ]
        for document in documents {
            do {
                _ = try InstallSecrets.decode(Array(document.utf8))
                Issue.record("accepted \(document)")
            } catch {
                let text = error.description
                #expect(!text.contains("hunter2") && !text.contains("12345678") && !text.contains("short"), "\(text)")
            }
        }
    }
}

/// Random and mutated documents for a bounded number of rounds: the decoder always answers with a
/// profile or with errors, never crashes, and never echoes the secret planted in the document.
@Suite struct ProfileFuzzTests {
    @Test func randomAndMutatedDocuments() throws {
        var generator = SeededRandom(seed: 0xC1A9)
        let seeds = try ["demo", "laptop-ext4", "desktop-btrfs-luks", "pxe-fleet-member"].map { try Files.read(profilesDirectory + "/\($0).json") }
        let fragments = ["{", "}", "[", "]", ",", ":", "\"", "null", "true", "-", "1e999", "\\u", "\"version\"", "\"disk\"", "\u{0}", "é", "99999999999999999999"].map { Array($0.utf8) }
        var accepted = 0, rejected = 0
        for round in 0..<4000 {
            var bytes: [UInt8]
            if round % 10 == 0 {
                bytes = (0..<Int(generator.next() % 300)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            } else {
                bytes = seeds[Int(generator.next() % UInt64(seeds.count))]
                for _ in 0..<(1 + Int(generator.next() % 4)) {
                    let position = bytes.isEmpty ? 0 : Int(generator.next() % UInt64(bytes.count))
                    switch generator.next() % 4 {
                    case 0: bytes.remove(at: min(position, bytes.count - 1))
                    case 1: bytes.insert(contentsOf: fragments[Int(generator.next() % UInt64(fragments.count))], at: position)
                    case 2: bytes[min(position, bytes.count - 1)] = UInt8(truncatingIfNeeded: generator.next())
                    default: bytes.insert(contentsOf: Array("\"password\": \"plaintext-secret-42\",".utf8), at: position)
                    }
                }
            }
            do {
                _ = try InstallProfile.decode(bytes)
                accepted += 1
            } catch {
                rejected += 1
                #expect(!error.issues.isEmpty)
                #expect(!error.description.contains("plaintext-secret-42"))
            }
        }
        // Both outcomes happen: the mutations are neither all harmless nor all fatal.
        #expect(accepted > 0 && rejected > 0)
    }
}
