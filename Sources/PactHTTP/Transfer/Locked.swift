import Foundation

/// A value guarded by one lock; the single place where this module shares mutable state across threads.
final class Locked<Value>: @unchecked Sendable {
    // @unchecked: every access to `value` goes through `withLock`, so the lock provides the synchronisation.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
