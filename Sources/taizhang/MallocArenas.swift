#if canImport(Glibc)
import Glibc
#endif

/// At most two malloc arenas for the whole process, unless the operator set `MALLOC_ARENA_MAX`
/// (or `glibc.malloc.arena_max` in `GLIBC_TUNABLES`).
///
/// glibc gives a thread that meets another in malloc an arena of its own, up to eight per core,
/// and an arena keeps much of what was freed in it. Measured (BENCHMARKS, "One pass"): a national
/// import of 1,000,000 rows peaked at 410–443 MB with the default and at 357 MB with two arenas,
/// in the same time; the web server's requests per second did not move.
enum MallocArenas {
    static func limit(environment: [String: String]) {
        #if canImport(Glibc)
        guard environment["MALLOC_ARENA_MAX"] == nil, !(environment["GLIBC_TUNABLES"] ?? "").contains("arena_max"),
              // `mallopt` and M_ARENA_MAX (-8) are in <malloc.h>, which Swift's Glibc module does not import.
              let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt")
        else { return }
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        _ = unsafeBitCast(symbol, to: Mallopt.self)(-8, 2)
        #endif
    }
}
