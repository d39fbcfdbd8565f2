/// The method of an expected request: one of the usual constants, or any other token through `init(custom:)`.
///
/// It is a struct rather than an enum so that extension methods (`PROPFIND`, `REPORT`, ...) fit without a special
/// case; the constants read the same as enum cases (`.get`, `.post`).
public struct HTTPMethod: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The method name, upper-case.
    public let rawValue: String

    /// A method from its name; the name is upper-cased, since Pact compares methods case-insensitively.
    public init(rawValue: String) {
        self.rawValue = rawValue.uppercased()
    }

    /// Any other method, such as `PROPFIND`; the name is upper-cased.
    public init(custom name: String) {
        self.init(rawValue: name)
    }

    /// `GET`.
    public static let get = HTTPMethod(rawValue: "GET")
    /// `POST`.
    public static let post = HTTPMethod(rawValue: "POST")
    /// `PUT`.
    public static let put = HTTPMethod(rawValue: "PUT")
    /// `PATCH`.
    public static let patch = HTTPMethod(rawValue: "PATCH")
    /// `DELETE`.
    public static let delete = HTTPMethod(rawValue: "DELETE")
    /// `HEAD`.
    public static let head = HTTPMethod(rawValue: "HEAD")
    /// `OPTIONS`.
    public static let options = HTTPMethod(rawValue: "OPTIONS")

    /// The method name.
    public var description: String { rawValue }
}
