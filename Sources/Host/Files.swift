#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Small, allocation-light file access for sysfs, procfs and udev's database.
///
/// sysfs attributes claim a size of 4096 and procfs files a size of 0, so nothing here trusts `st_size`:
/// files are read until end of file.
public enum Files {
    /// The whole content of a file.
    public static func read(_ path: String) throws(SystemError) -> [UInt8] {
        let fd = retryingOnInterrupt { open(path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw SystemError("open", path: path, errno: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                retryingOnInterrupt { Glibc.read(fd, buffer.baseAddress, buffer.count) }
            }
            if count < 0 { throw SystemError("read", path: path, errno: errno) }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// The file's text, or nil when it cannot be read (absent, permission, I/O error).
    public static func text(_ path: String) -> String? {
        guard let bytes = try? read(path) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A sysfs-style attribute: the text with surrounding whitespace and NUL padding removed,
    /// or nil when absent or empty.
    public static func attribute(_ path: String) -> String? {
        guard let text = text(path) else { return nil }
        let trimmed = text.trimmingWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Writes `bytes` to a new or truncated file with the given permissions.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(SystemError) {
        let fd = retryingOnInterrupt { open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode) }
        guard fd >= 0 else { throw SystemError("create", path: path, errno: errno) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { buffer in
                retryingOnInterrupt { Glibc.write(fd, buffer.baseAddress, buffer.count) }
            }
            if written < 0 { throw SystemError("write", path: path, errno: errno) }
            offset += written
        }
    }

    /// The names in a directory (without "." and ".."), sorted; empty when it cannot be read.
    public static func list(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// The target of a symbolic link, as stored in the link.
    public static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The canonical path with every symlink resolved, or nil when some part does not exist.
    public static func resolve(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    public static func isSymlink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }
}

extension StringProtocol {
    /// The string without leading and trailing spaces, tabs, newlines and NULs (sysfs pads some values).
    public func trimmingWhitespace() -> String {
        let isPadding: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == "\0" }
        guard let first = firstIndex(where: { !isPadding($0) }) else { return "" }
        let last = lastIndex(where: { !isPadding($0) })!
        return String(self[first...last])
    }
}

/// Writes all of `text` to a file descriptor (standard output is 1), retrying short writes.
public func writeAll(_ text: String, to fd: Int32) {
    var text = text
    text.withUTF8 { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = retryingOnInterrupt { write(fd, buffer.baseAddress! + offset, buffer.count - offset) }
            if written <= 0 { return }
            offset += written
        }
    }
}

extension Files {
    /// Up to `count` bytes at `offset` of a file or device (fewer at its end), for reading on-disk
    /// structures without mounting them.
    public static func read(_ path: String, offset: UInt64, count: Int) throws(SystemError) -> [UInt8] {
        let fd = retryingOnInterrupt { open(path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw SystemError("open", path: path, errno: errno) }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                retryingOnInterrupt { pread(fd, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done)) }
            }
            if got < 0 { throw SystemError("read", path: path, errno: errno) }
            if got == 0 { break }
            done += got
        }
        return Array(bytes[0..<done])
    }
}

extension Files {
    /// Creates `path` and any missing parents (like `mkdir -p`).
    public static func createDirectories(_ path: String, mode: mode_t = 0o755) throws(SystemError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, mode) != 0 && errno != EEXIST { throw SystemError("create directory", path: current, errno: errno) }
        }
        guard isDirectory(path) else { throw SystemError("create directory", path: path, errno: ENOTDIR) }
    }
}

extension Files {
    /// A sparse file of `size` bytes (an empty disk image), created or extended.
    public static func createSparse(_ path: String, size: UInt64) throws(SystemError) {
        let fd = retryingOnInterrupt { open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644) }
        guard fd >= 0 else { throw SystemError("create", path: path, errno: errno) }
        defer { close(fd) }
        guard ftruncate(fd, off_t(size)) == 0 else { throw SystemError("resize", path: path, errno: errno) }
    }
}
