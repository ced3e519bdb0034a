import CLI
import Host
#if canImport(Glibc)
import Glibc
#endif

let streams = Streams(out: { writeAll($0, to: 1) }, err: { writeAll($0, to: 2) })
exit(ClanInstaller.main(arguments: Array(CommandLine.arguments.dropFirst()), streams: streams))
