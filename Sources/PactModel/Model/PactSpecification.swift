/// A version of the Pact specification.
public enum PactSpecification: Int, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// 1.0.0
    case v1 = 10
    /// 1.1.0
    case v1_1 = 11
    /// 2.0.0
    case v2 = 20
    /// 3.0.0
    case v3 = 30
    /// 4.0
    case v4 = 40

    /// The version string written in pact metadata.
    public var versionString: String {
        switch self {
        case .v1: return "1.0.0"
        case .v1_1: return "1.1.0"
        case .v2: return "2.0.0"
        case .v3: return "3.0.0"
        case .v4: return "4.0"
        }
    }

    /// A short name such as `V3`.
    public var description: String {
        switch self {
        case .v1: return "V1"
        case .v1_1: return "V1.1"
        case .v2: return "V2"
        case .v3: return "V3"
        case .v4: return "V4"
        }
    }

    /// Parses a metadata version (`"3.0.0"`, `"4.0"`, `"2"`) or a short name (`v3`, `V1.1`).
    public init?(parsing text: String) {
        var trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed.hasPrefix("v") { trimmed.removeFirst() }
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let major = parts.first.flatMap({ Int($0) }) else { return nil }
        let minor = parts.count > 1 ? Int(parts[1]) : 0
        guard parts.count <= 3, parts.dropFirst().allSatisfy({ Int($0) != nil }) else { return nil }
        switch (major, minor ?? 0) {
        case (1, 0): self = .v1
        case (1, 1): self = .v1_1
        case (2, 0): self = .v2
        case (3, 0): self = .v3
        case (4, _): self = .v4
        default: return nil
        }
    }

    /// Orders versions from oldest to newest.
    public static func < (lhs: PactSpecification, rhs: PactSpecification) -> Bool { lhs.rawValue < rhs.rawValue }
}

import Foundation
