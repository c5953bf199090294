import Foundation
@testable import FoveaModels

/// Spec text and example files for the spec, report and verification tests.
enum SpecSupport {
    /// `Examples/` at the package root.
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Examples")

    static func example(_ name: String) throws -> SpecFile {
        try SpecFile.load(path: examples.appendingPathComponent(name).path)
    }

    static func parse(_ text: String, file: String = "net.yaml") throws(SpecError) -> SpecFile {
        try SpecFile(text: text, file: file, defaultName: "net")
    }

    /// The error parsing `text` throws, or nil.
    static func error(_ text: String, file: String = "net.yaml") -> SpecError? {
        do {
            _ = try parse(text, file: file)
            return nil
        } catch {
            return error
        }
    }
}
