import Foundation

/// A value behind one lock, shared between threads.
///
/// `Synchronization.Mutex` needs macOS 15 and the package supports macOS 14, so this wraps `NSLock`.
final class LockedState<Value>: @unchecked Sendable {
    // Every access to `value` goes through `withLock`, which is what makes the unchecked conformance sound.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with exclusive access to the value.
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
