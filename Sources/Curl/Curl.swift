import CCurl
import Synchronization

/// HTTP(S) downloads through libcurl: profiles by URL, status reports later.
public enum Curl {
    public struct Response: Sendable, Equatable {
        public var status: Int
        public var body: [UInt8]
    }

    public struct Error: Swift.Error, Equatable, CustomStringConvertible {
        public var url: String
        public var message: String
        public var description: String { "\(url): \(message)" }
    }

    /// libcurl's entry points, loaded on first use; nil when libcurl is not installed. A table of function
    /// pointers written once and only read afterwards.
    nonisolated(unsafe) private static let api: clan_curl? = {
        var api = clan_curl()
        guard clan_curl_load(&api) == 1, api.global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK else { return nil }
        return api
    }()

    /// Downloads `url` and returns the status and body, whatever the status. Throws when no response
    /// came (connection refused, timeout, TLS failure, body over `maxBytes`).
    public static func get(_ url: String, timeoutSeconds: Int = 30, maxBytes: Int = 16 << 20) throws(Error) -> Response {
        guard var api, let handle = api.easy_init() else {
            throw Error(url: url, message: "libcurl (libcurl.so.4) is not installed on this system")
        }
        defer { api.easy_cleanup(handle) }
        let sink = Sink(limit: maxBytes)
        let box = Unmanaged.passRetained(sink)
        defer { box.release() }

        clan_curl_setopt_string(&api, handle, CURLOPT_URL, url)
        clan_curl_setopt_long(&api, handle, CURLOPT_FOLLOWLOCATION, 1)
        clan_curl_setopt_long(&api, handle, CURLOPT_MAXREDIRS, 5)
        clan_curl_setopt_long(&api, handle, CURLOPT_TIMEOUT, timeoutSeconds)
        clan_curl_setopt_long(&api, handle, CURLOPT_CONNECTTIMEOUT, min(timeoutSeconds, 10))
        clan_curl_setopt_long(&api, handle, CURLOPT_NOSIGNAL, 1)
        clan_curl_setopt_string(&api, handle, CURLOPT_USERAGENT, "clan-installer")
        clan_curl_setopt_write_function(&api, handle, collect)
        clan_curl_setopt_pointer(&api, handle, CURLOPT_WRITEDATA, box.toOpaque())

        let code = api.easy_perform(handle)
        if sink.overflowed { throw Error(url: url, message: "response larger than \(maxBytes) bytes") }
        guard code == CURLE_OK else { throw Error(url: url, message: api.easy_strerror(code).map { String(cString: $0) } ?? "error \(code.rawValue)") }
        var status = 0
        clan_curl_getinfo_long(&api, handle, CURLINFO_RESPONSE_CODE, &status)
        return Response(status: status, body: sink.bytes)
    }

    private final class Sink {
        var bytes: [UInt8] = []
        var overflowed = false
        let limit: Int
        init(limit: Int) { self.limit = limit }
    }

    private static let collect: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { data, size, count, context in
        guard let data, let context else { return 0 }
        let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
        let total = size * count
        guard sink.bytes.count + total <= sink.limit else { sink.overflowed = true; return 0 }
        data.withMemoryRebound(to: UInt8.self, capacity: total) { sink.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: total)) }
        return total
    }
}
