import Foundation

extension Process {
    /// Waits up to `seconds` for the child to exit; true when it did.
    ///
    /// Foundation learns of a child's exit from a monitor of its own, which can lag seconds behind on a machine busy
    /// with a parallel test run, so `isRunning` alone would blame a prompt child. The kernel's view decides as well:
    /// a child that has exited is a zombie (state Z) until it is reaped, and then has no /proc entry at all.
    public func waitForExit(within seconds: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if hasExited { return true }
            if Date() >= deadline { return false }
            usleep(20_000)
        }
    }

    /// True once the child has exited, whether or not Foundation has noticed yet.
    public var hasExited: Bool {
        guard isRunning else { return true }
        #if os(Linux)
        guard let stat = try? String(contentsOfFile: "/proc/\(processIdentifier)/stat", encoding: .utf8) else { return true }
        // "PID (COMMAND) STATE …": the command may contain spaces and parentheses, so the state follows the last ')'.
        guard let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].split(separator: " ").first
        return state == "Z" || state == "X"
        #else
        return false
        #endif
    }
}

/// One spawn at a time across the test process.
private let spawnLock = NSLock()

extension Process {
    /// `run()`, one at a time within this process. Foundation's `Process.run()` is not safe to call from several
    /// threads at once on Linux: a parallel test run crashed inside it (a bad pointer in its memcpy) while other
    /// tests were starting processes. Serializing the spawn costs microseconds.
    public func runSerialized() throws {
        spawnLock.lock()
        defer { spawnLock.unlock() }
        try run()
    }
}
