import Foundation

/// Runs blocking work (a socket read, a child process) on a thread of its own and waits for it without holding one
/// of the few threads that async tests share: a blocked shared thread slows every other test, and can starve the
/// very server under test.
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try work()) } catch { continuation.resume(throwing: error) }
        }
        thread.start()
    }
}
