/// Output formats of a derivation.
public enum ExplainFormat: String, Sendable, CaseIterable {
    /// Plain text with Unicode symbols, one equation per entry.
    case text
    /// Markdown with `$…$` math (GitHub, pandoc).
    case markdown
    /// A complete LaTeX document (amsmath).
    case latex
}

/// A derivation as headings, prose, matrices and equations, independent of the output format.
public struct ExplainDocument: Sendable {
    /// Text with formulas.
    public enum Inline: Sendable, Hashable {
        case text(String)
        case math(ExplainMath)
    }

    /// One equation written as a chain `sides[0] = sides[1] = …`, with an optional remark.
    public struct Equation: Sendable, Hashable {
        public var sides: [ExplainMath]
        public var note: [Inline]?

        /// A side that reads like the next one (a single term equal to its value) is left out.
        public init(_ sides: [ExplainMath], note: [Inline]? = nil) {
            var kept: [ExplainMath] = []
            for side in sides {
                if kept.last?.plain == side.plain { kept.removeLast() }
                kept.append(side)
            }
            self.sides = kept
            self.note = note
        }
    }

    public enum Block: Sendable, Hashable {
        case heading(level: Int, [Inline])
        case paragraph([Inline])
        /// A tensor's values, rows and columns numbered from 0.
        case matrix(name: String, gradient: Bool, rows: [[Float]])
        case equations([Equation])
    }

    public var title: String
    public var blocks: [Block]

    /// The document in `format`.
    public func rendered(as format: ExplainFormat) -> String {
        switch format {
        case .text: return text()
        case .markdown: return markdown(titleLevel: 1)
        case .latex: return latex()
        }
    }

    // MARK: - Text

    private func text() -> String {
        var lines = [title, String(repeating: "=", count: title.count)]
        for block in blocks {
            switch block {
            case .heading(let level, let inlines):
                let heading = Self.plain(inlines)
                lines += ["", heading]
                if level <= 2 { lines.append(String(repeating: level == 1 ? "=" : "-", count: heading.count)) }
            case .paragraph(let inlines):
                lines += ["", Self.plain(inlines)]
            case .matrix(let name, let gradient, let rows):
                lines += [""] + Self.textMatrix(ExplainMath.tensor(name, gradient: gradient).plain, rows)
            case .equations(let equations):
                lines.append("")
                for equation in equations {
                    let parts = equation.sides.map(\.plain)
                    guard let first = parts.first else { continue }
                    var line = first
                    if parts.count > 1 { line += " = " + parts[1] }
                    let indent = String(repeating: " ", count: first.count)
                    if parts.count > 2 {
                        lines.append("  " + line)
                        line = indent + " = " + parts[2...].joined(separator: " = ")
                    }
                    if let note = equation.note { line += "   (\(Self.plain(note)))" }
                    lines.append("  " + line)
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `name (H×W):` then the rows right-aligned under column numbers.
    static func textMatrix(_ name: String, _ rows: [[Float]]) -> [String] {
        let cells = rows.map { $0.map(ExplainNumber.text) }
        let columns = rows.first?.count ?? 0
        let width = max(cells.flatMap { $0 }.map(\.count).max() ?? 1, String(columns - 1).count)
        let label = String(rows.count - 1).count
        func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(width - text.count, 0)) + text }
        var lines = ["\(name) (\(rows.count)×\(columns)):"]
        lines.append("  " + String(repeating: " ", count: label) + "  " + (0..<columns).map { pad(String($0), width) }.joined(separator: "  "))
        for (i, row) in cells.enumerated() {
            lines.append("  " + pad(String(i), label) + "  " + row.map { pad($0, width) }.joined(separator: "  "))
        }
        return lines
    }

    static func plain(_ inlines: [Inline]) -> String {
        inlines.map { inline in
            switch inline {
            case .text(let text): return text
            case .math(let math): return math.plain
            }
        }.joined()
    }

    // MARK: - Markdown

    /// Markdown with the title at heading level `titleLevel` (1: `#`) and sections below it, for
    /// embedding a derivation in a longer document.
    public func markdown(titleLevel: Int) -> String {
        let top = max(1, min(titleLevel, 4))
        var lines = [String(repeating: "#", count: top) + " " + title]
        for block in blocks {
            switch block {
            case .heading(let level, let inlines):
                lines += ["", String(repeating: "#", count: min(level + top, 6)) + " " + Self.markdownInline(inlines)]
            case .paragraph(let inlines):
                lines += ["", Self.markdownInline(inlines)]
            case .matrix(let name, let gradient, let rows):
                let columns = rows.first?.count ?? 0
                let label = "$" + ExplainMath.tensor(name, gradient: gradient).latex + "$"
                lines += ["", "| \(label) | " + (0..<columns).map(String.init).joined(separator: " | ") + " |",
                          "|---:|" + String(repeating: "---:|", count: columns)]
                for (i, row) in rows.enumerated() {
                    lines.append("| **\(i)** | " + row.map(ExplainNumber.text).joined(separator: " | ") + " |")
                }
            case .equations(let equations):
                lines += ["", "$$", "\\begin{aligned}"]
                lines += Self.alignedRows(equations)
                lines += ["\\end{aligned}", "$$"]
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func markdownInline(_ inlines: [Inline]) -> String {
        inlines.map { inline in
            switch inline {
            case .text(let text): return text.replacingOccurrences(of: "*", with: "\\*").replacingOccurrences(of: "_", with: "\\_")
            case .math(let math): return "$" + math.latex + "$"
            }
        }.joined()
    }

    /// Rows of an `aligned`/`align*` environment: the symbolic form on one line, the numbers and
    /// the value on the next.
    private static func alignedRows(_ equations: [Equation]) -> [String] {
        var rows: [String] = []
        for equation in equations {
            let parts = equation.sides.map(\.latex)
            guard let first = parts.first else { continue }
            let note = equation.note.map { inlines in
                " \\quad (" + inlines.map { inline in
                    switch inline {
                    case .text(let text): return "\\text{" + ExplainLaTeX.escape(text) + "}"
                    case .math(let math): return math.latex
                    }
                }.joined() + ")"
            } ?? ""
            switch parts.count {
            case 1: rows.append(first + note + " \\\\")
            case 2: rows.append(first + " &= " + parts[1] + note + " \\\\")
            default:
                rows.append(first + " &= " + parts[1] + " \\\\")
                rows.append("&= " + parts[2...].joined(separator: " = ") + note + " \\\\")
            }
        }
        if var last = rows.popLast() {
            if last.hasSuffix(" \\\\") { last.removeLast(3) }
            rows.append(last)
        }
        return rows
    }

    // MARK: - LaTeX

    private func latex() -> String {
        var lines = ["\\documentclass[11pt]{article}", "\\usepackage{amsmath}", "\\usepackage[margin=2cm]{geometry}",
                     "\\allowdisplaybreaks", "\\setcounter{MaxMatrixCols}{20}", "\\begin{document}",
                     "\\section*{" + ExplainLaTeX.escape(title) + "}"]
        for block in blocks {
            switch block {
            case .heading(let level, let inlines):
                lines += ["", (level <= 1 ? "\\subsection*{" : "\\subsubsection*{") + Self.latexInline(inlines) + "}"]
            case .paragraph(let inlines):
                lines += ["", Self.latexInline(inlines)]
            case .matrix(let name, let gradient, let rows):
                lines += ["", "\\[", ExplainMath.tensor(name, gradient: gradient).latex + " = \\begin{bmatrix}"]
                lines.append(rows.map { $0.map(ExplainNumber.latex).joined(separator: " & ") }.joined(separator: " \\\\\n"))
                lines += ["\\end{bmatrix}", "\\]"]
            case .equations(let equations):
                lines += ["", "\\begin{align*}"]
                lines += Self.alignedRows(equations)
                lines += ["\\end{align*}"]
            }
        }
        lines += ["", "\\end{document}"]
        return lines.joined(separator: "\n") + "\n"
    }

    private static func latexInline(_ inlines: [Inline]) -> String {
        inlines.map { inline in
            switch inline {
            case .text(let text): return ExplainLaTeX.escape(text)
            case .math(let math): return "$" + math.latex + "$"
            }
        }.joined()
    }
}
