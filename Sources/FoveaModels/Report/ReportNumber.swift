/// Number formatting shared by the report formats.
enum ReportNumber {
    /// An integer without decimals; otherwise up to three decimals, trailing zeros removed.
    static func text(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
        var text = String(format3(value))
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// The shortest JSON number: integers without decimals, others at full precision.
    static func json(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
        return value.isFinite ? "\(value)" : "null"
    }

    /// One value when all axes agree, else the values joined by `×`.
    static func axes<T: Equatable & CustomStringConvertible>(_ values: [T]) -> String {
        guard let first = values.first, values.allSatisfy({ $0 == first }) else {
            return values.map(\.description).joined(separator: "×")
        }
        return first.description
    }

    private static func format3(_ value: Double) -> String {
        let scaled = (value * 1000).rounded()
        let sign = scaled < 0 ? "-" : ""
        let magnitude = Int(abs(scaled))
        let fraction = String(magnitude % 1000)
        return "\(sign)\(magnitude / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
