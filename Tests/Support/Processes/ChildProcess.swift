import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started with `posix_spawn`, with the part of `Foundation.Process`'s interface the tests use.
///
/// Foundation's `Process.run()` on Linux reads `/proc/self/fd` with a copy of each entry's full 256-byte name, which
/// can read past the end of glibc's buffer and crash (swift-corelibs-foundation PR 5472, fixed after Swift 6.3.1).
/// In a parallel test run with many descriptors open it crashed about one run in five. Here the child closes every
/// descriptor above standard error in the kernel (`posix_spawn_file_actions_addclosefrom_np` on Linux,
/// `POSIX_SPAWN_CLOEXEC_DEFAULT` on Darwin), and nothing walks `/proc`.
public final class ChildProcess: @unchecked Sendable {
    public var executableURL: URL?
    public var arguments: [String] = []
    /// The child's whole environment; nil inherits this process's.
    public var environment: [String: String]?
    public var currentDirectoryURL: URL?
    /// `Pipe`, `FileHandle` or nil (the child inherits this process's stream).
    public var standardInput: Any?
    public var standardOutput: Any?
    public var standardError: Any?

    private let lock = NSLock()
    private var pid: pid_t = 0
    private var status: Int32?

    public init() {}

    public var processIdentifier: Int32 { lock.withLock { pid } }

    /// Starts the child; throws when it cannot be started (the reason from `posix_spawn`).
    public func run() throws {
        guard let executable = executableURL?.path else { throw ChildProcessError(message: "no executable given") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        for (stream, target) in [(standardInput, STDIN_FILENO), (standardOutput, STDOUT_FILENO), (standardError, STDERR_FILENO)] {
            guard let descriptor = ChildProcess.descriptor(for: stream, reading: target == STDIN_FILENO) else { continue }
            if descriptor < 0 {
                // FileHandle.nullDevice has no descriptor of its own.
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_RDWR, 0)
            } else {
                posix_spawn_file_actions_adddup2(&actions, descriptor, target)
            }
        }
        #if os(Linux)
        guard let closeFrom = ChildProcess.addCloseFrom else {
            throw ChildProcessError(message: "this C library has no posix_spawn_file_actions_addclosefrom_np (glibc 2.34 or later has it)")
        }
        _ = closeFrom(&actions, 3)
        #else
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_CLOEXEC_DEFAULT))
        #endif
        if let directory = currentDirectoryURL?.path {
            #if os(Linux)
            guard let addChdir = ChildProcess.addChdir else { throw ChildProcessError(message: "this C library cannot set a child's directory") }
            _ = addChdir(&actions, directory)
            #else
            posix_spawn_file_actions_addchdir_np(&actions, directory)
            #endif
        }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let environment = self.environment ?? ProcessInfo.processInfo.environment
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }

        var child: pid_t = 0
        let result = argv.withUnsafeBufferPointer { argvBuffer in
            envp.withUnsafeBufferPointer { envpBuffer in
                posix_spawn(&child, executable, &actions, &attributes,
                            UnsafeMutablePointer(mutating: argvBuffer.baseAddress!), UnsafeMutablePointer(mutating: envpBuffer.baseAddress!))
            }
        }
        guard result == 0 else {
            throw ChildProcessError(message: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        lock.withLock { pid = child }
        // The child has its own copies of the pipe ends it uses; closing ours lets the reader see end of file.
        for (stream, reading) in [(standardInput, true), (standardOutput, false), (standardError, false)] {
            if let pipe = stream as? Pipe {
                try? (reading ? pipe.fileHandleForReading : pipe.fileHandleForWriting).close()
            }
        }
    }

    /// The descriptor the child gets for a stream: a pipe's end, a file handle's descriptor, or nil to inherit.
    private static func descriptor(for stream: Any?, reading: Bool) -> Int32? {
        switch stream {
        case let pipe as Pipe: return reading ? pipe.fileHandleForReading.fileDescriptor : pipe.fileHandleForWriting.fileDescriptor
        case let handle as FileHandle: return handle === FileHandle.nullDevice ? -1 : handle.fileDescriptor
        default: return nil
        }
    }

    #if os(Linux)
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    // glibc declares these only with _GNU_SOURCE, which Swift's Glibc module does not set; look them up instead.
    nonisolated(unsafe) private static let addCloseFrom: AddCloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: AddCloseFrom.self) }
    nonisolated(unsafe) private static let addChdir: AddChdir? = dlsym(nil, "posix_spawn_file_actions_addchdir_np")
        .map { unsafeBitCast($0, to: AddChdir.self) }
    #endif

    /// Reaps the child if it has exited; true when it has.
    private func poll() -> Bool {
        lock.withLock {
            if status != nil { return true }
            guard pid > 0 else { return false }
            var raw: Int32 = 0
            let reaped = waitpid(pid, &raw, WNOHANG)
            if reaped == pid {
                status = raw
                return true
            }
            if reaped == -1 && errno == ECHILD {
                status = 0
                return true
            }
            return false
        }
    }

    public var isRunning: Bool { processIdentifier > 0 && !poll() }

    /// True once the child has exited.
    public var hasExited: Bool { poll() }

    /// Waits until the child exits.
    public func waitUntilExit() {
        while !poll() { usleep(5_000) }
    }

    /// Waits up to `seconds` for the child to exit; true when it did.
    public func waitForExit(within seconds: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !poll() {
            if Date() >= deadline { return false }
            usleep(5_000)
        }
        return true
    }

    /// The exit code, or the number of the signal that ended the child; 0 before it exits.
    public var terminationStatus: Int32 {
        guard let raw = lock.withLock({ status }) else { return 0 }
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : signal
    }

    /// True when a signal ended the child.
    public var wasSignalled: Bool {
        guard let raw = lock.withLock({ status }) else { return false }
        let signal = raw & 0x7f
        return signal != 0 && signal != 0x7f
    }

    /// Sends SIGTERM.
    public func terminate() { send(SIGTERM) }

    /// Sends SIGINT.
    public func interrupt() { send(SIGINT) }

    /// Sends a signal to a child that has not been reaped yet.
    public func send(_ signal: Int32) {
        lock.withLock {
            if status == nil && pid > 0 { _ = kill(pid, signal) }
        }
    }
}

/// Why a child process could not be started.
public struct ChildProcessError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
