import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import FoveaModels

/// Parses report pages as XML and reads their tables back.
enum HTMLSupport {
    static func document(_ html: String) throws -> XMLDocument {
        try XMLDocument(xmlString: html, options: [])
    }

    static func elements(_ document: XMLDocument, _ path: String) throws -> [XMLElement] {
        try document.nodes(forXPath: path).compactMap { $0 as? XMLElement }
    }

    static func attribute(_ element: XMLElement, _ name: String) -> String? {
        element.attribute(forName: name)?.stringValue
    }

    /// The cells of a table row keyed by their last class (`num r` → `r`).
    static func cells(_ row: XMLElement) -> [String: String] {
        var result: [String: String] = [:]
        for cell in row.elements(forName: "td") {
            guard let key = attribute(cell, "class")?.split(separator: " ").last.map(String.init) else { continue }
            result[key] = cell.stringValue ?? ""
        }
        return result
    }

    /// Numbers of a cell: `427` or `7×5`; `-` and `−` both read as minus.
    static func numbers(_ text: String) -> [Double] {
        text.replacingOccurrences(of: "−", with: "-").split(separator: "×").compactMap {
            Double($0.trimmingCharacters(in: .whitespaces))
        }
    }

    /// Whether displayed values (one for all axes, or one per axis, three decimals) equal the JSON ones.
    static func matches(_ shown: [Double], _ json: [Double]) -> Bool {
        guard !shown.isEmpty else { return false }
        let expanded = shown.count == 1 ? Array(repeating: shown[0], count: json.count) : shown
        return expanded.count == json.count && zip(expanded, json).allSatisfy { abs($0 - $1) <= 0.0005 + 1e-12 * abs($1) }
    }

    /// The JSON report's layers by name.
    static func jsonLayers(_ report: RFReport) throws -> [String: [String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(report.rendered(as: .json).utf8)) as? [String: Any]
        var layers: [String: [String: Any]] = [:]
        for layer in (object?["layers"] as? [[String: Any]]) ?? [] {
            if let name = layer["name"] as? String { layers[name] = layer }
        }
        return layers
    }

    static func doubles(_ value: Any?) -> [Double] {
        ((value as? [Any]) ?? []).compactMap { ($0 as? NSNumber)?.doubleValue }
    }
}
