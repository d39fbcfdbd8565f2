import Foundation

/// Finds the broker's web assets (`templates/` and `static/` in this folder) at run time.
///
/// They are looked up, in order, in `PACTCTL_BROKER_ASSETS` (a folder holding `templates/` and `static/`), in the
/// resource bundle SwiftPM puts beside the executable, and in this source folder (for `swift run` and tests).
/// Nothing here traps when they are missing: the caller gets nil and answers with an explanation.
public enum BrokerAssets {
    public static func directory(_ name: String) -> URL? {
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["PACTCTL_BROKER_ASSETS"], !override.isEmpty {
            candidates.append(URL(fileURLWithPath: override))
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for folder in [executable, Bundle.main.bundleURL] {
            candidates.append(folder.appendingPathComponent("pactctl_BrokerAssets.resources"))
            candidates.append(folder.appendingPathComponent("pactctl_BrokerAssets.bundle/Contents/Resources"))
        }
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent())
        for candidate in candidates {
            let url = candidate.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue { return url }
        }
        return nil
    }
}
