import Foundation

/// A concrete location inside a document, such as `$.accounts[0].id`, built while walking a body.
public struct DocumentPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a concrete path.
    public enum Segment: Sendable, Hashable {
        /// The document root.
        case root
        /// An object key (or XML element, attribute or header name).
        case field(String)
        /// An array position.
        case index(Int)
    }

    /// The steps from the root.
    public private(set) var segments: [Segment]

    /// Creates a path from segments.
    public init(segments: [Segment]) {
        self.segments = segments
    }

    /// The root path `$`.
    public static let root = DocumentPath(segments: [.root])

    /// A path of one plain name, for headers and query parameters.
    public static func named(_ name: String) -> DocumentPath {
        DocumentPath(segments: [.field(name)])
    }

    /// Returns the path with a field appended.
    public func appending(field name: String) -> DocumentPath {
        var copy = self
        copy.segments.append(.field(name))
        return copy
    }

    /// Returns the path with an index appended.
    public func appending(index: Int) -> DocumentPath {
        var copy = self
        copy.segments.append(.index(index))
        return copy
    }

    /// Returns the path with a map key appended; keys made only of digits render as `[n]`, as Pact does.
    ///
    /// A key with leading zeros such as `007` stays a field, since `[7]` would lose the zeros and its rules.
    public func appending(key: String) -> DocumentPath {
        if !key.isEmpty, key.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let position = Int(key), String(position) == key {
            return appending(index: position)
        }
        return appending(field: key)
    }

    /// The text form, such as `$.a['x y'][0]`.
    public var description: String {
        var text = ""
        for segment in segments {
            switch segment {
            case .root: text += "$"
            case .field(let name): text += text.isEmpty ? name : PathExpression.renderField(name)
            case .index(let position): text += "[\(position)]"
            }
        }
        return text
    }

    /// The path as a JSON pointer (RFC 6901), such as `/a/0`.
    public var jsonPointer: String {
        var pointer = ""
        for segment in segments {
            switch segment {
            case .root: continue
            case .field(let name):
                pointer += "/" + name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            case .index(let position): pointer += "/\(position)"
            }
        }
        return pointer
    }
}

extension DocumentPath {
    /// Appends a step in place (for walkers that descend and come back up without copying the path).
    public mutating func push(_ segment: Segment) {
        segments.append(segment)
    }

    /// Appends a map key in place, rendering digit-only keys as indices like `appending(key:)`.
    public mutating func push(key: String) {
        if !key.isEmpty, key.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let position = Int(key), String(position) == key {
            segments.append(.index(position))
        } else {
            segments.append(.field(key))
        }
    }

    /// Removes the last step in place.
    public mutating func pop() {
        if segments.count > 1 { segments.removeLast() } else if !segments.isEmpty, segments[0] != .root { segments.removeLast() }
    }
}
