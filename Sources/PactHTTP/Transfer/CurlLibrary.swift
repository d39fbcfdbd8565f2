import CCurl

/// libcurl's process-wide initialisation, done once before the first handle is created.
enum CurlLibrary {
    /// `nil` when libcurl initialised, otherwise why it did not; Swift runs this initialiser exactly once, thread-safely.
    static let initializationFailure: String? = {
        let code = ccurl_global_init()
        return code == CURLE_OK ? nil : "libcurl could not be initialised (\(CurlLibrary.message(for: code)))"
    }()

    /// libcurl's own text for a result code.
    static func message(for code: CURLcode) -> String {
        guard let text = curl_easy_strerror(code) else { return "curl error \(code.rawValue)" }
        return String(cString: text)
    }
}
