#if os(Linux)
import Glibc
#endif

/// Gives memory that was freed back to the system.
///
/// glibc keeps freed heap memory for reuse, so after a long-running server has read its input (a large pact parses
/// into a tree several times its size, then is dropped) the process would go on holding that peak. Asking glibc to
/// trim once at that point makes the resident size show what the server really keeps.
enum FreedMemory {
    static func release() {
        #if os(Linux)
        // glibc's malloc_trim is not in the Glibc module; RTLD_DEFAULT (a null handle) finds it in the C library.
        typealias Trim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
        #endif
    }
}
