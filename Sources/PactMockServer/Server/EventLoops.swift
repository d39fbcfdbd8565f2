import Foundation
import NIOPosix

/// The event loops every mock server in the process shares: one thread per CPU the process may run on.
///
/// NIO's own singleton sizes itself by the machine's cores; a server pinned to fewer CPUs (taskset, containers) then
/// runs more loop threads than CPUs, and requests wait behind each other's time slices, which shows in tail latency.
enum EventLoops {
    static let shared: MultiThreadedEventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: threadCount)

    /// `PACTCTL_EVENT_LOOP_THREADS` when set, otherwise the number of CPUs in the process's affinity mask.
    static var threadCount: Int {
        if let configured = ProcessInfo.processInfo.environment["PACTCTL_EVENT_LOOP_THREADS"].flatMap(Int.init), configured > 0 {
            return min(configured, 256)
        }
        #if os(Linux)
        // The affinity mask, e.g. "Cpus_allowed:\t00000002" when pinned to CPU 1.
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) {
            let mask = line.dropFirst("Cpus_allowed:".count).filter { $0.isHexDigit }
            let count = mask.reduce(0) { $0 + (Int(String($1), radix: 16) ?? 0).nonzeroBitCount }
            if count > 0 { return count }
        }
        #endif
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }
}
