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
    func rendered(indent: String = "") -> String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .number(let value): return ReportNumber.json(value)
        case .string(let value): return Self.quoted(value)
        case .array(let items):
            if items.allSatisfy({ $0.isFlat || $0.isFlatContainer }) { return "[" + items.map { $0.rendered() }.joined(separator: ", ") + "]" }
            let inner = indent + "  "
            return "[\n" + items.map { inner + $0.rendered(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let pairs):
            if pairs.allSatisfy({ $0.1.isFlat || $0.1.isFlatContainer }) && pairs.count <= 16 && !isTopLevel(indent) {
                return "{" + pairs.map { Self.quoted($0.0) + ": " + $0.1.rendered() }.joined(separator: ", ") + "}"
            }
            let inner = indent + "  "
            return "{\n" + pairs.map { inner + Self.quoted($0.0) + ": " + $0.1.rendered(indent: inner) }
                .joined(separator: ",\n") + "\n\(indent)}"
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

    private static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
