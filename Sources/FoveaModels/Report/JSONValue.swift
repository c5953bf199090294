/// A JSON document built in order (keys keep their insertion order) and printed with
/// containers of plain values on one line.
enum JSONValue {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    static func optional(_ value: Int?) -> JSONValue { value.map(JSONValue.int) ?? .null }
    static func ints(_ values: [Int]) -> JSONValue { .array(values.map(JSONValue.int)) }
    static func numbers(_ values: [Double]) -> JSONValue { .array(values.map(JSONValue.number)) }
    static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
    static func range(_ range: ClosedRange<Int>?) -> JSONValue {
        range.map { .ints([$0.lowerBound, $0.upperBound]) } ?? .null
    }

    /// The document, indented by two spaces per level.
    func rendered() -> String {
        var text = ""
        text.reserveCapacity(1 << 18)  // the largest zoo report is ~200 kB; avoids repeated regrowth
        write(to: &text, indent: "")
        return text
    }

    private func write(to text: inout String, indent: String) {
        switch self {
        case .null: text += "null"
        case .bool(let value): text += value ? "true" : "false"
        case .int(let value): text += String(value)
        case .number(let value): text += ReportNumber.json(value)
        case .string(let value): Self.quote(value, into: &text)
        case .array(let items):
            let inline = items.allSatisfy { $0.isFlat || $0.isFlatContainer }
            let inner = indent + "  "
            text += inline ? "[" : "[\n"
            for (i, item) in items.enumerated() {
                if i > 0 { text += inline ? ", " : ",\n" }
                if !inline { text += inner }
                item.write(to: &text, indent: inner)
            }
            text += inline ? "]" : "\n\(indent)]"
        case .object(let pairs):
            let inline = !isTopLevel(indent) && pairs.count <= 16
                && pairs.allSatisfy { $0.1.isFlat || $0.1.isFlatContainer }
            let inner = indent + "  "
            text += inline ? "{" : "{\n"
            for (i, pair) in pairs.enumerated() {
                if i > 0 { text += inline ? ", " : ",\n" }
                if !inline { text += inner }
                Self.quote(pair.0, into: &text)
                text += ": "
                pair.1.write(to: &text, indent: inner)
            }
            text += inline ? "}" : "\n\(indent)}"
        }
    }

    private func isTopLevel(_ indent: String) -> Bool { indent.isEmpty }

    /// A scalar.
    private var isFlat: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    /// An array of scalars or of arrays of scalars.
    private var isFlatContainer: Bool {
        guard case .array(let items) = self else { return false }
        return items.allSatisfy { item in
            if item.isFlat { return true }
            if case .array(let inner) = item { return inner.allSatisfy(\.isFlat) }
            return false
        }
    }

    private static func quote(_ value: String, into text: inout String) {
        text += "\""
        guard value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            text += value
            text += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
