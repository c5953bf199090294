/// A small expression tree for the formulas of a derivation, written out as plain text (with
/// Unicode symbols) or as LaTeX math.
public indirect enum ExplainMath: Sendable, Hashable {
    /// A value as the layers computed it (shortest round-trip `Float` text).
    case number(Float)
    /// An exact integer, e.g. the 2 of `2c(o − y)`.
    case integer(Int)
    /// A scalar name: `E`, `c`, `b`, `b1`.
    case name(String)
    /// An entry of a tensor, `x[0,1]`, or of its gradient, `δx[0,1]` (= ∂E/∂x[0,1]).
    case entry(String, [Int], gradient: Bool)
    /// An entry with index expressions: `x[2i+u, 2j+v]`.
    case symbolicEntry(String, [String], gradient: Bool)
    /// A whole tensor or its gradient: `x`, `δw`.
    case tensor(String, gradient: Bool)
    case sum([ExplainMath])
    case product([ExplainMath])
    case difference(ExplainMath, ExplainMath)
    case quotient(ExplainMath, ExplainMath)
    case square(ExplainMath)
    case maximum([ExplainMath])
    /// `Σ_{indices} body`.
    case summation(String, ExplainMath)
    /// `⌊value⌋`.
    case floor(ExplainMath)
    /// Upright words inside a formula.
    case text(String)
    /// A short formula given as text, e.g. an index expression `2i + u − 1`.
    case formula(String)

    /// Plain text: `δo[0,0]·x[0,1] + (-1)·2`, `max(1, 2)`, `(o − y)²`.
    public var plain: String { plain(context: .top) }

    /// LaTeX math (without delimiters).
    public var latex: String { latex(context: .top) }

    private enum Context { case top, sumTerm, factor, base }

    private func plain(context: Context) -> String {
        switch self {
        case .number(let value):
            let text = ExplainNumber.text(value)
            return value < 0 && context != .top ? "(\(text))" : text
        case .integer(let value):
            return value < 0 && context != .top ? "(\(value))" : String(value)
        case .name(let name): return name
        case .entry(let name, let index, let gradient):
            return (gradient ? "δ" : "") + name + "[" + index.map(String.init).joined(separator: ",") + "]"
        case .symbolicEntry(let name, let index, let gradient):
            let separator = index.contains { $0.contains(" ") } ? ", " : ","
            return (gradient ? "δ" : "") + name + "[" + index.joined(separator: separator) + "]"
        case .tensor(let name, let gradient): return (gradient ? "δ" : "") + name
        case .sum(let terms):
            guard !terms.isEmpty else { return "0" }
            if terms.count == 1 { return terms[0].plain(context: context) }
            var text = ""
            for (i, term) in terms.enumerated() {
                text += i == 0 ? term.plain(context: .top) : " + " + term.plain(context: .sumTerm)
            }
            return context == .factor || context == .base ? "(\(text))" : text
        case .product(let factors):
            let text = factors.map { $0.plain(context: .factor) }.joined(separator: "·")
            return context == .base ? "(\(text))" : text
        case .difference(let a, let b):
            let text = a.plain(context: .top) + " − " + b.plain(context: .factor)
            return context == .top || context == .sumTerm ? text : "(\(text))"
        case .quotient(let a, let b):
            let text = a.plain(context: .factor) + "/" + b.plain(context: .base)
            return context == .base ? "(\(text))" : text
        case .square(let base): return base.plain(context: .base) + "²"
        case .maximum(let items): return "max(" + items.map { $0.plain(context: .top) }.joined(separator: ", ") + ")"
        case .summation(let indices, let body):
            let text = "Σ_{\(indices)} " + body.plain(context: .factor)
            return context == .base ? "(\(text))" : text
        case .floor(let value): return "⌊" + value.plain(context: .top) + "⌋"
        case .text(let words): return words
        case .formula(let formula): return formula
        }
    }

    private func latex(context: Context) -> String {
        switch self {
        case .number(let value):
            let text = ExplainNumber.latex(value)
            return value < 0 && context != .top ? "(\(text))" : text
        case .integer(let value):
            return value < 0 && context != .top ? "(\(value))" : String(value)
        case .name(let name): return Self.latexName(name)
        case .entry(let name, let index, let gradient):
            return (gradient ? "\\delta " : "") + Self.latexName(name, lower: index.map(String.init).joined(separator: ","))
        case .symbolicEntry(let name, let index, let gradient):
            let indices = index.map { $0.replacingOccurrences(of: "−", with: "-").replacingOccurrences(of: " ", with: "") }
            return (gradient ? "\\delta " : "") + Self.latexName(name, lower: indices.joined(separator: ",\\,"))
        case .tensor(let name, let gradient): return (gradient ? "\\delta " : "") + Self.latexName(name)
        case .sum(let terms):
            guard !terms.isEmpty else { return "0" }
            if terms.count == 1 { return terms[0].latex(context: context) }
            var text = ""
            for (i, term) in terms.enumerated() {
                text += i == 0 ? term.latex(context: .top) : " + " + term.latex(context: .sumTerm)
            }
            return context == .factor || context == .base ? "\\left(\(text)\\right)" : text
        case .product(let factors):
            let text = factors.map { $0.latex(context: .factor) }.joined(separator: " \\cdot ")
            return context == .base ? "\\left(\(text)\\right)" : text
        case .difference(let a, let b):
            let text = a.latex(context: .top) + " - " + b.latex(context: .factor)
            return context == .top || context == .sumTerm ? text : "\\left(\(text)\\right)"
        case .quotient(let a, let b):
            return "\\frac{\(a.latex(context: .top))}{\(b.latex(context: .top))}"
        case .square(let base): return base.latex(context: .base) + "^2"
        case .maximum(let items): return "\\max\\left(" + items.map { $0.latex(context: .top) }.joined(separator: ", ") + "\\right)"
        case .summation(let indices, let body):
            let text = "\\sum_{\(indices)} " + body.latex(context: .factor)
            return context == .base ? "\\left(\(text)\\right)" : text
        case .floor(let value): return "\\left\\lfloor " + value.latex(context: .top) + " \\right\\rfloor"
        case .text(let words): return "\\text{" + ExplainLaTeX.escape(words) + "}"
        case .formula(let formula): return formula.replacingOccurrences(of: "−", with: "-")
        }
    }

    /// `z1` → `z^{(1)}`, with an optional subscript: `z^{(1)}_{0,1}`.
    static func latexName(_ name: String, lower: String? = nil) -> String {
        let letters = name.prefix { !$0.isNumber }
        let digits = name.dropFirst(letters.count)
        var text = String(letters)
        if let lower { text += "_{\(lower)}" }
        if !digits.isEmpty { text += "^{(\(digits))}" }
        return text
    }
}

/// How values are written: the shortest text that reads back as the same `Float`.
public enum ExplainNumber {
    /// `0.4375`, `-0.5`, `44` (no `.0`), `1e-05`.
    public static func text(_ value: Float) -> String {
        if value == 0 { return "0" }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    /// As `text`, with exponents as `\times 10^{…}`.
    static func latex(_ value: Float) -> String {
        let text = self.text(value)
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        let mantissa = text[..<e]
        var exponent = String(text[text.index(after: e)...])
        if exponent.hasPrefix("+") { exponent.removeFirst() }
        return "\(mantissa) \\times 10^{\(Int(exponent).map(String.init) ?? exponent)}"
    }
}

/// Escaping for LaTeX text mode; the few symbols prose uses become math.
enum ExplainLaTeX {
    static let symbols: [Character: String] = [
        "×": "$\\times$", "−": "$-$", "δ": "$\\delta$", "∂": "$\\partial$", "Σ": "$\\Sigma$", "·": "$\\cdot$",
        "²": "$^2$", "→": "$\\to$", "⌊": "$\\lfloor$", "⌋": "$\\rfloor$", "≥": "$\\geq$", "≤": "$\\leq$",
    ]

    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            if character == "-" && result.hasSuffix("-") {
                result += "{}-"  // keep `--` from becoming a dash
                continue
            }
            if let symbol = symbols[character] {
                result += symbol
                continue
            }
            switch character {
            case "\\": result += "\\textbackslash{}"
            case "&", "%", "$", "#", "_", "{", "}": result += "\\" + String(character)
            case "~": result += "\\textasciitilde{}"
            case "^": result += "\\textasciicircum{}"
            default: result.append(character)
            }
        }
        return result
    }
}
