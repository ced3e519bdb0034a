/// The network a machine joins, as the cLAN technical overview writes it, turned into a flake reference.
///
/// `nix://https-github.com/org/repo` → `git+https://github.com/org/repo`,
/// `nix://ipfs-<cid>` → `https://ipfs.io/ipfs/<cid>` as a tarball flake,
/// `nix://ygg-<address>/<path>` → `git+http://[<address>]/<path>` (a repository served over Yggdrasil),
/// and plain flake references (`github:org/repo`, `git+https://...`, `path:...`) pass through.
public enum CLANURI {
    public static func flakeReference(_ uri: String) -> Result<String, URIError> {
        guard uri.hasPrefix("nix://") else {
            let flakeSchemes = ["github:", "gitlab:", "sourcehut:", "git+https://", "git+ssh://", "git+http://", "git+file://",
                                "https://", "http://", "path:", "tarball+https://", "file+https://", "flake:"]
            guard flakeSchemes.contains(where: uri.hasPrefix), !uri.contains(" ") else {
                return .failure(URIError(message: "\"\(uri)\" is neither a cLAN URI (nix://https-..., nix://ipfs-..., nix://ygg-...) nor a flake reference (github:org/repo, git+https://...)"))
            }
            return .success(uri)
        }
        let rest = String(uri.dropFirst("nix://".count))
        if rest.hasPrefix("https-") || rest.hasPrefix("http-") {
            let scheme = rest.hasPrefix("https-") ? "https" : "http"
            let location = String(rest.drop { $0 != "-" }.dropFirst())
            let host = location.prefix { $0 != "/" }
            guard host.contains("."), location.count > host.count + 1, !location.contains(" ") else {
                return .failure(URIError(message: "\"\(uri)\" needs a host and a path: nix://\(scheme)-<host>/<path to the repository>"))
            }
            return .success("git+\(scheme)://\(location)")
        }
        if rest.hasPrefix("ipfs-") {
            let cid = String(rest.dropFirst(5))
            guard cid.count >= 46, cid.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                return .failure(URIError(message: "\"\(uri)\" needs an IPFS content identifier: nix://ipfs-<Qm... or bafy...>"))
            }
            return .success("https://ipfs.io/ipfs/\(cid)")
        }
        if rest.hasPrefix("ygg-") {
            let location = String(rest.dropFirst(4))
            let address = String(location.prefix { $0 != "/" })
            let path = location.dropFirst(address.count)
            guard Validation.isIPv6(address), let first = address.split(separator: ":").first, let top = UInt16(first, radix: 16), top & 0xFE00 == 0x0200 else {
                return .failure(URIError(message: "\"\(uri)\" needs a Yggdrasil address (200::/7): nix://ygg-<address>/<path>"))
            }
            return .success("git+http://[\(address)]\(path.isEmpty ? "/" : path)")
        }
        return .failure(URIError(message: "\"\(uri)\" has an unknown cLAN URI form: use nix://https-<host>/<path>, nix://ipfs-<cid> or nix://ygg-<address>/<path>"))
    }

    static func problem(with uri: String) -> String? {
        if case .failure(let error) = flakeReference(uri) { return error.message }
        return nil
    }

    public struct URIError: Error, Equatable {
        public var message: String
    }
}
