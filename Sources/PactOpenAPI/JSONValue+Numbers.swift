import PactModel

extension JSONValue {
    /// The number as a Double, for schema bounds.
    var doubleValue: Double? {
        if case .number(let number) = self { return number.doubleValue }
        return nil
    }

    /// The number as an Int when it is whole, for counts such as `minItems`.
    var intValue: Int? {
        if case .number(let number) = self { return number.intValue }
        return nil
    }
}
