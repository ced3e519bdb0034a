import Testing
import Host
import TestSupport

/// profiles/schema.json (for editors and CI) and the installer's decoder agree on the examples, and the
/// schema is strict about unknown keys too. Checked with Debian's python3-jsonschema.
@Suite struct SchemaTests {
    let checker = profilesDirectory + "/check-schema"

    @Test func everyProfileInTheRepositoryValidatesAgainstTheSchema() throws {
        let examples = Files.list(profilesDirectory).filter { $0.hasSuffix(".json") && $0 != "schema.json" && !$0.hasSuffix(".secrets.json") }
            .map { profilesDirectory + "/" + $0 }
        let fixtures = Files.list(fixturesDirectory + "/profiles").map { fixturesDirectory + "/profiles/" + $0 }
        #expect(examples.count == 4)
        let result = try ProcessRunner().run(Command(checker, examples + fixtures))
        #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
    }

    @Test func theSchemaRejectsWhatTheDecoderRejects() throws {
        let directory = try TemporaryDirectory()
        let documents = [
            #"{"version": 1, "identity": {"hostnme": "x"}}"#,
            #"{"version": 2}"#,
            #"{"version": 1, "disk": {"target": {"serial": "a", "wwn": "b"}}}"#,
            #"{"version": 1, "users": [{"name": "ada", "password": "hunter2"}]}"#,
            #"{"version": 1, "network": {"mode": "wifi", "ssid": "x"}}"#,
        ]
        for (index, document) in documents.enumerated() {
            let path = directory.path + "/bad\(index).json"
            try Files.write(Array(document.utf8), to: path)
            #expect(try ProcessRunner().run(Command(checker, [path])).status == 1, "schema accepted \(document)")
        }
    }
}
