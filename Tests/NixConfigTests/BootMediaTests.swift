import Testing
import Host
import TestSupport

/// The NixOS flake of the real boot media cannot be built here (no nixpkgs offline); every file of it
/// must at least parse with the real Nix parser.
@Suite struct BootMediaTests {
    @Test func everyNixFileOfTheMediaParses() throws {
        let root = fixturesDirectory + "/../../iso"
        let files = try sh("find", root, "-name", "*.nix").split(separator: "\n").map(String.init)
        #expect(files.count >= 3)
        #expect(try NixTool.parseErrors(files) == nil)
    }
}
