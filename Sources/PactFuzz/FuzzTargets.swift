import CLibFuzzer
import Foundation
import PactMatching
import PactModel

/// libFuzzer targets for the code that reads input from outside: the JSON parser, the pact reader, and the request
/// matching a mock server does for every request it receives. Built only by `Scripts/fuzz` (with
/// `-sanitize=fuzzer,address`), which chooses a target with `PACTCTL_FUZZ_TARGET`; the executable's entry point
/// hands the command line to libFuzzer's driver.
///
/// A target fails (and libFuzzer keeps the input) on a crash, a sanitizer report, or a broken property: what the
/// parser accepts must write back and parse to the same value, what the reader accepts must write as V4 and load
/// again, and matching must give the same answer twice.
enum FuzzTarget: String {
    case json
    case pact
    case request

    static let chosen = FuzzTarget(rawValue: ProcessInfo.processInfo.environment["PACTCTL_FUZZ_TARGET"] ?? "") ?? .json

    /// The pact whose interactions `request` matches against: `PACTCTL_FUZZ_PACT`, else the banking example's.
    static let servedPact: Pact = {
        let path = ProcessInfo.processInfo.environment["PACTCTL_FUZZ_PACT"] ?? "Tests/Fixtures/pacts/banking-v4.json"
        do { return try PactReader().read(contentsOf: URL(fileURLWithPath: path)).pact } catch {
            fatalError("the fuzz pact \(path) does not load: \(error)")
        }
    }()

    func run(_ bytes: [UInt8]) {
        switch self {
        case .json: FuzzTarget.json(bytes)
        case .pact: FuzzTarget.pact(bytes)
        case .request: FuzzTarget.request(bytes)
        }
    }

    static func json(_ bytes: [UInt8]) {
        guard let value = try? JSONParser.parse(bytes) else { return }
        for style in [JSONWriter.Style.compact, .pretty] {
            let written = JSONWriter.bytes(value, style: style)
            guard let again = try? JSONParser.parse(written), again == value else {
                fatalError("JSON that parsed does not parse back to the same value after writing it \(style)")
            }
        }
    }

    static func pact(_ bytes: [UInt8]) {
        guard let loaded = try? PactReader().read(bytes, source: "fuzz") else { return }
        let written: [UInt8]
        do { written = try PactWriter().bytes(for: loaded.pact, as: .v4).bytes } catch {
            fatalError("a pact that loaded cannot be written as V4: \(error)")
        }
        guard (try? PactReader().read(written, source: "fuzz (written back)")) != nil else {
            fatalError("a pact written as V4 does not load again")
        }
    }

    /// The input as a request: `METHOD TARGET` on the first line, header lines, an empty line, the body.
    static func request(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let (head, body) = text.range(of: "\r\n\r\n").map { (String(text[..<$0.lowerBound]), String(text[$0.upperBound...])) } ?? (text, "")
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.isEmpty ? [] : lines.removeFirst().split(separator: " ", maxSplits: 1).map(String.init)
        let target = requestLine.count > 1 ? requestLine[1] : "/"
        let (path, query) = target.firstIndex(of: "?").map { (String(target[..<$0]), String(target[target.index(after: $0)...])) } ?? (target, "")
        let headers = HTTPHeaders(lines.compactMap { line in
            line.firstIndex(of: ":").map { (String(line[..<$0]), String(line[line.index(after: $0)...]).trimmingCharacters(in: .whitespaces)) }
        })
        var request = HTTPRequest(method: requestLine.first ?? "GET", path: path, query: QueryParameters(parsing: query), headers: headers)
        if !body.isEmpty { request.body = Body(bytes: Array(body.utf8), contentType: headers.first("Content-Type").flatMap(ContentType.init)) }
        for interaction in servedPact.httpInteractions {
            let quick = RequestMatcher.matches(expected: interaction.request, actual: request)
            let full = RequestMatcher.compare(expected: interaction.request, actual: request)
            if quick != full.isEmpty { fatalError("the quick match and the full comparison disagree for '\(interaction.description)'") }
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzTarget.chosen.run(bytes)
    return 0
}

/// The executable's entry point (SwiftPM names it after the module): libFuzzer's driver, with the command line.
@_cdecl("pactctl_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    // What every input shares is made before the first one runs.
    if FuzzTarget.chosen == .request { _ = FuzzTarget.servedPact }
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
