import CCurl
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One blocking exchange on one easy handle: set the options, perform, and turn the outcome into a response or an
/// ``HTTPClientError``.
struct CurlTransfer {
    let request: PreparedRequest
    let configuration: HTTPClientConfiguration
    let handle: EasyHandle

    /// Runs the transfer on the calling thread, which it blocks until the exchange ends.
    ///
    /// The handle's options are reset before returning, so it holds no pointer to this transfer's buffers.
    func perform(cancellation: Locked<Bool>) -> Result<HTTPClientResponse, HTTPClientError> {
        let curl = handle.pointer
        let sink = TransferSink(limit: configuration.maxResponseBytes, cancellation: cancellation, allowsConnection: configuration.allowsConnection)
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer {
            curl_easy_reset(curl)
            curl_slist_free_all(headerList)
            errorBuffer.deallocate()
        }
        for line in request.headerLines {
            guard let extended = curl_slist_append(headerList, line) else {
                return .failure(.transport(url: request.url, reason: "out of memory while preparing the headers"))
            }
            headerList = extended
        }

        let code: CURLcode = withExtendedLifetime(sink) {
            let context = Unmanaged.passUnretained(sink).toOpaque()
            let setup = configure(curl, headers: headerList, errorBuffer: errorBuffer, context: context)
            guard setup == CURLE_OK else { return setup }
            return curl_easy_perform(curl)
        }
        guard code == CURLE_OK else {
            return .failure(error(for: code, sink: sink, errorText: String(cString: errorBuffer).trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        var responseCode = 0
        ccurl_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &responseCode)
        guard let status = responseCode > 0 ? responseCode : sink.headerParser.status else {
            return .failure(.transport(url: request.url, reason: "the server's reply had no readable HTTP status line"))
        }
        return .success(HTTPClientResponse(status: status, headers: sink.headerParser.headers, body: sink.body))
    }

    /// Sets every option of the exchange; the first failing option's code is returned.
    private func configure(
        _ curl: UnsafeMutableRawPointer,
        headers: UnsafeMutablePointer<curl_slist>?,
        errorBuffer: UnsafeMutablePointer<CChar>,
        context: UnsafeMutableRawPointer
    ) -> CURLcode {
        var options: [() -> CURLcode] = [
            { ccurl_setopt_string(curl, CURLOPT_URL, request.url) },
            { ccurl_setopt_pointer(curl, CURLOPT_ERRORBUFFER, errorBuffer) },
            // Signals are process-wide; a library running transfers on many threads must not use them.
            { ccurl_setopt_long(curl, CURLOPT_NOSIGNAL, 1) },
            // Send the path exactly as given: no squashing of "/../" or "/./".
            { ccurl_setopt_long(curl, CURLOPT_PATH_AS_IS, 1) },
            { ccurl_setopt_long(curl, CURLOPT_FOLLOWLOCATION, 0) },
            { ccurl_setopt_long(curl, CURLOPT_HTTP_CONTENT_DECODING, 0) },
            { ccurl_setopt_long(curl, CURLOPT_TIMEOUT_MS, Int(configuration.requestTimeout.wholeMilliseconds)) },
            { ccurl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, Int(configuration.connectTimeout.wholeMilliseconds)) },
            { ccurl_setopt_long(curl, CURLOPT_SSL_VERIFYPEER, configuration.verifyTLS ? 1 : 0) },
            { ccurl_setopt_long(curl, CURLOPT_SSL_VERIFYHOST, configuration.verifyTLS ? 2 : 0) },
            { ccurl_setopt_off_t(curl, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(max(configuration.maxResponseBytes, 0))) },
            { ccurl_setopt_slist(curl, CURLOPT_HTTPHEADER, headers) },
            { ccurl_setopt_pointer(curl, CURLOPT_HEADERDATA, context) },
            { ccurl_setopt_callback(curl, CURLOPT_HEADERFUNCTION) { data, size, count, context in
                guard let data, let context else { return 0 }
                let sink = Unmanaged<TransferSink>.fromOpaque(context).takeUnretainedValue()
                let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
                return sink.receiveHeaderLine(bytes) ? size * count : 0
            } },
            { ccurl_setopt_pointer(curl, CURLOPT_WRITEDATA, context) },
            { ccurl_setopt_callback(curl, CURLOPT_WRITEFUNCTION) { data, size, count, context in
                guard let data, let context else { return 0 }
                let sink = Unmanaged<TransferSink>.fromOpaque(context).takeUnretainedValue()
                let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
                return sink.receiveBody(bytes) ? size * count : 0
            } },
            { ccurl_setopt_long(curl, CURLOPT_NOPROGRESS, 0) },
            { ccurl_setopt_pointer(curl, CURLOPT_XFERINFODATA, context) },
            { ccurl_setopt_progress_callback(curl) { context, _, _, _, _ in
                guard let context else { return 1 }
                return Unmanaged<TransferSink>.fromOpaque(context).takeUnretainedValue().shouldContinue() ? 0 : 1
            } },
        ]
        options += methodAndBodyOptions(curl)
        if configuration.allowsConnection != nil {
            options.append { ccurl_setopt_pointer(curl, CURLOPT_OPENSOCKETDATA, context) }
            options.append {
                ccurl_setopt_opensocket_callback(curl) { context, _, address in
                    guard let context, let address else { return ccurl_socket_bad() }
                    let sink = Unmanaged<TransferSink>.fromOpaque(context).takeUnretainedValue()
                    guard let ip = CurlTransfer.ipAddress(address), sink.mayConnect(to: ip) else { return ccurl_socket_bad() }
                    return socket(address.pointee.family, address.pointee.socktype, address.pointee.protocol)
                }
            }
        }
        for option in options {
            let code = option()
            guard code == CURLE_OK else { return code }
        }
        return CURLE_OK
    }

    /// HEAD uses NOBODY so libcurl does not wait for a body; plain GET is the default; anything else, or a GET with a
    /// body, is sent as a custom method, because setting a body switches libcurl to POST.
    private func methodAndBodyOptions(_ curl: UnsafeMutableRawPointer) -> [() -> CURLcode] {
        if request.method == "HEAD" {
            return [{ ccurl_setopt_long(curl, CURLOPT_NOBODY, 1) }]
        }
        if request.method == "GET" && request.body == nil {
            return [{ ccurl_setopt_long(curl, CURLOPT_HTTPGET, 1) }]
        }
        var options: [() -> CURLcode] = []
        if let body = request.body {
            options.append { ccurl_setopt_off_t(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)) }
            // COPYPOSTFIELDS copies the bytes (zeros included, given the size), so no buffer must outlive this call;
            // an empty body still needs a non-null pointer or libcurl would send no body at all.
            options.append {
                body.isEmpty
                    ? "".withCString { ccurl_setopt_pointer(curl, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0)) }
                    : body.withUnsafeBytes { ccurl_setopt_pointer(curl, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress)) }
            }
        }
        options.append { ccurl_setopt_string(curl, CURLOPT_CUSTOMREQUEST, request.method) }
        return options
    }

    /// The IP address of a socket address libcurl is about to connect to; nil for other families.
    static func ipAddress(_ address: UnsafeMutablePointer<curl_sockaddr>) -> IPAddress? {
        // libcurl's address storage extends past the declared `struct sockaddr`, as far as `addrlen` says.
        guard let offset = MemoryLayout<curl_sockaddr>.offset(of: \curl_sockaddr.addr) else { return nil }
        let raw = UnsafeRawPointer(address) + offset
        let length = Int(address.pointee.addrlen)
        switch Int32(address.pointee.family) {
        case AF_INET:
            guard length >= MemoryLayout<sockaddr_in>.size else { return nil }
            let value = raw.loadUnaligned(as: sockaddr_in.self)
            return withUnsafeBytes(of: value.sin_addr) { IPAddress(bytes: Array($0)) }
        case AF_INET6:
            guard length >= MemoryLayout<sockaddr_in6>.size else { return nil }
            let value = raw.loadUnaligned(as: sockaddr_in6.self)
            return withUnsafeBytes(of: value.sin6_addr) { IPAddress(bytes: Array($0)) }
        default:
            return nil
        }
    }

    /// Maps libcurl's result to the error a caller can act on.
    private func error(for code: CURLcode, sink: TransferSink, errorText: String) -> HTTPClientError {
        let url = request.url
        let detail = errorText.isEmpty ? CurlLibrary.message(for: code) : errorText
        if sink.exceededLimit || code == CURLE_FILESIZE_EXCEEDED {
            return .responseTooLarge(url: url, limit: configuration.maxResponseBytes)
        }
        if sink.wasCancelled {
            return .transport(url: url, reason: "the request was cancelled")
        }
        if let refused = sink.refusedAddress, code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST {
            return .connectionFailed(url: url, reason: "connecting to \(refused) is not allowed by this client's address policy")
        }
        switch code {
        case CURLE_URL_MALFORMAT:
            return .invalidURL(url)
        case CURLE_COULDNT_CONNECT:
            var systemError = 0
            ccurl_getinfo_long(handle.pointer, CURLINFO_OS_ERRNO, &systemError)
            let reason = systemError != 0 ? String(cString: strerror(Int32(systemError))) : detail
            return .connectionFailed(url: url, reason: reason)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .connectionFailed(url: url, reason: detail)
        case CURLE_OPERATION_TIMEDOUT:
            return .timedOut(url: url, after: timeoutThatExpired())
        case CURLE_GOT_NOTHING:
            return .transport(url: url, reason: "the server closed the connection without sending a response")
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_WEIRD_SERVER_REPLY:
            // The URL was checked before sending, so this is a reply that is not HTTP (or HTTP/0.9, which is refused).
            return .transport(url: url, reason: "the server's reply is not HTTP (\(detail)); is this the right port?")
        case CURLE_PEER_FAILED_VERIFICATION:
            return .transport(url: url, reason: "\(detail) (the server's TLS certificate is not trusted; for a self-signed test server turn off verifyTLS)")
        default:
            return .transport(url: url, reason: detail)
        }
    }

    /// libcurl reports both timeouts with one code; a transfer that never connected hit the connect timeout when
    /// that is the shorter one.
    private func timeoutThatExpired() -> Duration {
        var connectMicroseconds: curl_off_t = 0
        ccurl_getinfo_off_t(handle.pointer, CURLINFO_CONNECT_TIME_T, &connectMicroseconds)
        let connect = configuration.connectTimeout, total = configuration.requestTimeout
        let connectIsShorter = connect > .zero && (total <= .zero || connect < total)
        return connectMicroseconds == 0 && connectIsShorter ? connect : total
    }
}
