/// Small ASCII helpers for the hot paths, where Foundation's Unicode-aware versions cost too much.
extension StringProtocol {
    /// The text without leading and trailing ASCII spaces and tabs.
    var trimmedASCIIWhitespace: SubSequence {
        var start = startIndex
        var end = endIndex
        while start < end, self[start] == " " || self[start] == "\t" { start = index(after: start) }
        while end > start {
            let before = index(before: end)
            guard self[before] == " " || self[before] == "\t" else { break }
            end = before
        }
        return self[start..<end]
    }
}
