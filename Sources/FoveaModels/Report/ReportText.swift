extension RFReport {
    /// The cells of the layer table, header first.
    private var tableCells: [[String]] {
        var cells = [["name", "op", "ch", "out", "r", "S", "P", "flags"]]
        for row in rows {
            let (r, s, p) = Self.fieldTexts(row)
            cells.append([row.name, row.summary, row.channels.map(String.init) ?? "", Self.size(row.outputSize), r, s, p,
                          row.flags.map(\.rawValue).joined(separator: ", ")])
        }
        return cells
    }

    /// An aligned text table with sections for merges, the unit and the verification.
    func table() -> String {
        let cells = tableCells
        let widths = (0..<cells[0].count).map { column in cells.map { $0[column].count }.max() ?? 0 }
        let numeric: Set<Int> = [2, 4, 5, 6]
        var lines = [title]
        for row in cells {
            let padded = row.enumerated().map { column, text in
                let fill = String(repeating: " ", count: widths[column] - text.count)
                return numeric.contains(column) ? fill + text : text + fill
            }
            var line = padded.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(line)
        }
        for section in [mergeLines, unitLines, verificationLines, assumptionLines] where !section.isEmpty {
            lines.append("")
            lines += section
        }
        lines += ["", Self.legend]
        return lines.joined(separator: "\n") + "\n"
    }

    /// A markdown table with the same sections as lists.
    func markdown() -> String {
        let cells = tableCells
        func line(_ row: [String]) -> String {
            "| " + row.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        var lines = ["### " + title, "", line(cells[0]),
                     "|" + cells[0].indices.map { [2, 4, 5, 6].contains($0) ? "---:|" : "---|" }.joined()]
        lines += cells.dropFirst().map(line)
        for section in [mergeLines, unitLines, verificationLines] where !section.isEmpty {
            lines.append("")
            lines.append(section[0])
            lines.append("")
            lines += section.dropFirst().map { "- " + $0.trimmingPrefix("  ") }
        }
        for line in assumptionLines { lines += ["", line] }
        lines += ["", "_\(Self.legend)_"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// One CSV row per node with a column per axis; unit and verification results follow as
    /// separate blocks after a blank line.
    func csv() -> String {
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        func record(_ values: [String]) -> String { values.map(field).joined(separator: ",") }
        let perAxis = { (prefix: String) in self.axisNames.map { "\(prefix)_\($0)" } }
        var lines = [record(["name", "op", "layer", "channels"] + perAxis("out") + perAxis("r") + perAxis("S")
                            + perAxis("P") + ["aligned", "flags"])]
        for row in rows {
            lines.append(record([row.name, row.operation, row.summary, row.channels.map(String.init) ?? ""]
                                + row.outputSize.map(String.init) + row.axes.map { String($0.receptiveField) }
                                + row.axes.map { ReportNumber.json($0.effectiveStride) }
                                + row.axes.map { ReportNumber.json($0.effectivePadding) }
                                + [String(row.isAligned), row.flags.map(\.rawValue).joined(separator: ";")]))
        }
        if let unit {
            lines += ["", record(["node", "axis", "unit", "start", "end", "centre", "padded", "padded_fraction",
                                  "reached_start", "reached_end", "unreached"])]
            for (axis, entry) in unit.axes.enumerated() {
                lines.append(record([unit.node, String(axis), String(unit.index[axis]),
                                     entry.interval.map { String($0.lowerBound) } ?? "",
                                     entry.interval.map { String($0.upperBound) } ?? "",
                                     entry.centre.map(ReportNumber.json) ?? "", String(entry.paddedCount),
                                     ReportNumber.json(entry.paddedFraction),
                                     entry.reached.map { String($0.lowerBound) } ?? "",
                                     entry.reached.map { String($0.upperBound) } ?? "", String(entry.unreachedCount)]))
            }
        }
        if let verification {
            lines += ["", record(["node", "axis", "input_size", "unit", "role", "analysis_start", "analysis_end",
                                  "expected_start", "expected_end", "gradient_start", "gradient_end", "holes", "agrees"])]
            for node in verification.nodes {
                for check in node.checks {
                    let ends = [check.analytic, check.expected, check.measured].flatMap { range in
                        [range.map { String($0.lowerBound) } ?? "", range.map { String($0.upperBound) } ?? ""]
                    }
                    lines.append(record([node.node, String(check.axis), String(check.inputSize), String(check.unit),
                                         check.role.rawValue] + ends + [String(check.holes), String(check.agrees)]))
                }
            }
        }
        let assumed = assumptionRecords
        if !assumed.isEmpty { lines += [""] + assumed.map(record) }
        return lines.joined(separator: "\n") + "\n"
    }
}
