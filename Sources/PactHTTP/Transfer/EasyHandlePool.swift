import CCurl

/// One libcurl easy handle; it owns the connections it has opened, so reusing the handle reuses them.
struct EasyHandle: @unchecked Sendable {
    // @unchecked: the pool hands a handle to one transfer at a time, which is the only way libcurl allows it to be used.
    let pointer: UnsafeMutableRawPointer
}

/// The idle easy handles of one client, kept so that later requests reuse their open connections.
final class EasyHandlePool: Sendable {
    private enum State {
        case open(idle: [EasyHandle])
        case shutDown
    }

    /// How many idle handles (and so sets of idle connections) are kept; handles beyond this are freed on return.
    private let maximumIdle: Int
    private let state = Locked(State.open(idle: []))

    init(maximumIdle: Int = 16) {
        self.maximumIdle = maximumIdle
    }

    /// An idle handle if there is one (the most recently used, whose connection is likeliest alive), else a new one.
    func checkOut() throws(EasyHandlePoolError) -> EasyHandle {
        let idleHandle: EasyHandle? = try state.withLock { (state) throws(EasyHandlePoolError) in
            guard case .open(var idle) = state else { throw .shutDown }
            let handle = idle.popLast()
            state = .open(idle: idle)
            return handle
        }
        if let idleHandle { return idleHandle }
        guard let pointer = curl_easy_init() else { throw .cannotCreateHandle }
        return EasyHandle(pointer: pointer)
    }

    /// Returns a handle after its transfer; its options are reset so no pointer into the finished transfer remains.
    func checkIn(_ handle: EasyHandle) {
        curl_easy_reset(handle.pointer)
        let kept = state.withLock { state in
            guard case .open(var idle) = state, idle.count < maximumIdle else { return false }
            idle.append(handle)
            state = .open(idle: idle)
            return true
        }
        if !kept { curl_easy_cleanup(handle.pointer) }
    }

    /// Frees every idle handle and closes their connections; handles still in use are freed when they come back.
    func shutdown() {
        let idle = state.withLock { state in
            defer { state = .shutDown }
            guard case .open(let idle) = state else { return [EasyHandle]() }
            return idle
        }
        for handle in idle { curl_easy_cleanup(handle.pointer) }
    }

    deinit {
        shutdown()
    }
}

/// Why the pool could not provide a handle.
enum EasyHandlePoolError: Error {
    case shutDown
    case cannotCreateHandle

    var reason: String {
        switch self {
        case .shutDown: "the HTTP client has been shut down; create a new one"
        case .cannotCreateHandle: "libcurl could not create a handle (out of memory?)"
        }
    }
}
