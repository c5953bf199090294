import FoveaGeometry

/// Pieces shared by the report formats: titles, per-axis values and the text sections.
extension RFReport {
    /// Axis letters for column names: `l` (1-D), `h w` (2-D), `d h w` (3-D), else numbers.
    var axisNames: [String] {
        switch inputSize.count {
        case 1: return ["l"]
        case 2: return ["h", "w"]
        case 3: return ["d", "h", "w"]
        default: return inputSize.indices.map(String.init)
        }
    }

    static func size(_ values: [Int]) -> String { values.map(String.init).joined(separator: "×") }

    /// `r`, `S`, `P` of a row: one value when the axes agree.
    static func fieldTexts(_ row: Row) -> (r: String, s: String, p: String) {
        (ReportNumber.axes(row.axes.map(\.receptiveField)),
         ReportNumber.axes(row.axes.map { ReportNumber.text($0.effectiveStride) }),
         ReportNumber.axes(row.axes.map { ReportNumber.text($0.effectivePadding) }))
    }

    var title: String {
        var text = "\(model) at \(Self.size(inputSize))"
        if let inputChannels { text += ", \(inputChannels) channel" + (inputChannels == 1 ? "" : "s") }
        if let selectedNode {
            text += ": node " + (requestedNode.map { $0 == selectedNode ? selectedNode : "\($0) = \(selectedNode)" } ?? selectedNode)
        }
        return text
    }

    /// Merge lines worth reading: a count, then every merge that is misaligned or has global context.
    var mergeLines: [String] {
        guard !merges.isEmpty else { return [] }
        let notable = merges.filter { !$0.isAligned || !$0.contextInputs.isEmpty }
        let misaligned = merges.filter { !$0.isAligned }.count
        var head = "\(merges.count) merge" + (merges.count == 1 ? "" : "s") + ": "
        head += misaligned == 0 ? "all aligned" : "\(misaligned) misaligned"
        let context = merges.filter { !$0.contextInputs.isEmpty }.count
        if context > 0 { head += ", \(context) with global context" }
        return [head] + notable.map(\.description)
    }

    var unitLines: [String] {
        guard let unit else { return [] }
        var lines = ["unit \(unit.index.map(String.init).joined(separator: ",")) of \(unit.node) (\(Self.size(unit.outputSize))):"]
        for (axis, entry) in unit.axes.enumerated() {
            guard let interval = entry.interval, let centre = entry.centre else {
                lines.append("  axis \(axis) (\(axisNames[axis])): sees no input")
                continue
            }
            let length = interval.upperBound - interval.lowerBound + 1
            let percent = ReportNumber.text((entry.paddedFraction * 1000).rounded() / 10)
            var line = "  axis \(axis) (\(axisNames[axis])): input [\(interval.lowerBound), \(interval.upperBound)], "
                + "centre \(ReportNumber.text(centre)), \(entry.paddedCount) of \(length) in padding (\(percent)%), "
                + "reads \(Self.interval(entry.reached))"
            if entry.unreachedCount > 0 {
                line += " (\(entry.unreachedCount) more pixel" + (entry.unreachedCount == 1 ? "" : "s")
                    + " in the interval only through padding)"
            }
            lines.append(line)
        }
        return lines
    }

    var verificationLines: [String] {
        guard let verification else { return [] }
        var lines: [String] = []
        for node in verification.nodes {
            lines.append("verification of \(node.node) (gradient support with Fovea's kernels: weights 1, max→avg):")
            for check in node.checks {
                var line = "  axis \(check.axis), input \(check.inputSize): unit \(check.unit) (\(check.role.rawValue)): "
                line += "analysis \(Self.interval(check.analytic))"
                if check.expected != check.analytic { line += " reads \(Self.interval(check.expected))" }
                line += ", gradient \(Self.interval(check.measured))"
                if check.holes > 0 { line += " with \(check.holes) hole" + (check.holes == 1 ? "" : "s") }
                line += check.agrees ? "  ok" : "  DISAGREES"
                lines.append(line)
            }
            for field in node.fields {
                var line = "  axis \(field.axis): measured " + Self.field(field.measured) + " at input \(field.inputSize)"
                if field.confirmsRequestedSize {
                    line += ": ok, as analysed at \(inputSize[field.axis])"
                } else if field.agrees {
                    line += ": ok at that size (the analysis at \(inputSize[field.axis]) is " + Self.field(field.analytic) + ")"
                } else {
                    line += ": DISAGREES with the analysis " + Self.field(field.analyticAtGrownSize)
                }
                lines.append(line)
            }
            lines += node.notes.map { "  " + $0 }
            if let failure = node.failure { lines.append("  FAILED: \(failure.description)") }
            let count = node.checks.count + node.fields.count
            lines.append("  " + (node.passed ? "agrees (\(count) checks)" : "DISAGREES"))
        }
        return lines
    }

    static func interval(_ range: ClosedRange<Int>?) -> String {
        range.map { "[\($0.lowerBound), \($0.upperBound)]" } ?? "none"
    }

    static func field(_ field: AffineReceptiveField?) -> String {
        field.map { "r \($0.size) S \($0.stride) P \($0.padding)" } ?? "(not affine)"
    }

    static let legend = "unit i sees input [i·S − P, i·S − P + r − 1] along each axis; r, S, P read H×W when the axes differ"
}
