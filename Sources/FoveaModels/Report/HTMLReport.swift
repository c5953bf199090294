import FoveaGeometry

/// The receptive-field report as one self-contained HTML page (`fovea rf --html`): a summary,
/// a chart of `r` and `S` along the main path, a to-scale drawing of the input with the receptive
/// fields of the centre and corner units of one node, that node's uniform-weight effective
/// receptive field as a heatmap, the merges with their alignment diagnosis and the per-layer
/// table. Inline SVG and CSS only: no scripts, fonts or external references; the markup is
/// well-formed XML.
public struct HTMLReport: Sendable {
    /// The model name shown in the title.
    public let model: String
    public let geometry: NetworkGeometry
    /// The node drawn and analysed: the `at` node, or the last node that is not global.
    public let node: TensorGeometry
    /// The name the node was requested by, when given.
    public let requestedNode: String?
    /// The centre unit and the corner unit (index 0 on every axis) of `node`.
    public let centreUnit: [Int]
    public let cornerUnit: [Int]
    /// A unit requested in addition, with its interval.
    public let unit: UnitInterval?
    /// The per-layer report of every node, with the merges and the verification, if any.
    public let report: RFReport
    /// The effective receptive field of the centre unit, or why it could not be computed.
    public let effectiveField: Result<EffectiveField, VerificationFailure>

    /// Builds the report of `geometry`.
    /// - Parameters:
    ///   - at: the node to draw (a node name or container); default the last node that is not global.
    ///   - unit: one more unit of that node to draw, one index per axis.
    ///   - verification: a verification to include.
    /// - Throws: `ReportError` for an unknown node or a unit outside the node's grid.
    public init(geometry: NetworkGeometry, model: String, at: String? = nil, unit: [Int]? = nil,
                verification: RFVerification? = nil) throws(ReportError) {
        let name = at ?? RFReport.finalSpatialNode(of: geometry)
        guard let tensor = geometry[name] else {
            throw .unknownNode(name, suggestions: RFReport.similarNames(to: name, in: geometry.network))
        }
        self.model = model
        self.geometry = geometry
        node = tensor
        requestedNode = at
        centreUnit = tensor.outputSize.map { ($0 - 1) / 2 }
        cornerUnit = tensor.outputSize.map { _ in 0 }
        self.unit = try unit.map { index throws(ReportError) in try UnitInterval(tensor: tensor, unit: index) }
        var report = try RFReport(geometry: geometry, model: model)
        report.verification = verification
        self.report = report
        do {
            effectiveField = .success(try EffectiveField(geometry: geometry, node: tensor.name, unit: centreUnit))
        } catch {
            effectiveField = .failure(error)
        }
    }

    /// The complete page.
    public func rendered() -> String {
        var page = HTMLMarkup()
        page.raw("<!DOCTYPE html>\n")
        page.start("html", [("lang", "en")])
        page.newline()
        page.start("head")
        page.empty("meta", [("charset", "utf-8")])
        page.element("title", [], "\(model): receptive fields")
        page.start("style")
        page.raw(Self.style)  // raw text in HTML: no entities (the sheet has no '<' or '&')
        page.end()
        page.end()
        page.newline()
        page.start("body")
        page.start("header")
        page.element("h1", [], "\(model): receptive fields at \(RFReport.size(geometry.inputSize))")
        page.element("p", [("class", "convention")],
                     "Unit i of a tensor sees the input interval [i·S − P, i·S − P + r − 1] along each axis "
                     + "(r: receptive-field size, S: effective stride, P: effective padding; positions outside the "
                     + "input are padding). Units and pixels are numbered from 0.")
        page.end()
        page.newline()
        summarySection(&page)
        chartSection(&page)
        drawingSection(&page)
        mergeSection(&page)
        verificationSection(&page)
        tableSection(&page)
        page.element("footer", [], "Written by fovea rf --html. Every number comes from Fovea's geometry analysis "
                     + "(the same as fovea rf --format json); the heatmap from its backward kernels.")
        page.newline()
        page.end()
        page.newline()
        page.end()
        page.newline()
        return page.text
    }

    // MARK: - Names and numbers

    /// `h`, `w`, … for the axes.
    var axisNames: [String] { report.axisNames }

    /// The node's name as requested and resolved: `layer4 = layer4.2.relu_2`.
    var nodeTitle: String {
        guard let requestedNode, requestedNode != node.name else { return node.name }
        return "\(requestedNode) = \(node.name)"
    }

    /// One text when every axis has the same, else `h …, w …`.
    func perAxis(_ texts: [String]) -> String {
        guard let first = texts.first, texts.contains(where: { $0 != first }) else { return texts.first ?? "" }
        return zip(axisNames, texts).map { "\($0) \($1)" }.joined(separator: ", ")
    }

    static func indexText(_ index: [Int]) -> String { "(" + index.map(String.init).joined(separator: ", ") + ")" }

    static func intervalText(_ range: ClosedRange<Int>?) -> String {
        range.map { "[\(ReportNumber.text(Double($0.lowerBound))), \(ReportNumber.text(Double($0.upperBound)))]" } ?? "nothing"
    }

    // MARK: - Summary

    private func summarySection(_ page: inout HTMLMarkup) {
        page.start("section", [("id", "summary")])
        page.element("h2", [], "Summary")
        page.start("table", [("class", "summary")])
        page.start("thead")
        page.start("tr")
        for heading in ["node", "axis", "input", "units", "r", "S", "P", "r / input"] { page.element("th", [], heading) }
        page.end()
        page.end()
        page.start("tbody")
        var shown = [(node, "the node drawn below" + (requestedNode == nil ? " (the last node that is not global)" : ""))]
        let final = RFReport.finalSpatialNode(of: geometry)
        if final != node.name, let tensor = geometry[final] {
            shown.append((tensor, "the last node that is not global"))
        }
        for (tensor, role) in shown {
            for (axis, entry) in tensor.axes.enumerated() {
                page.start("tr", [("data-node", tensor.name), ("data-axis", String(axis))])
                if axis == 0 {
                    page.start("td", [("class", "name"), ("rowspan", String(tensor.axes.count))])
                    page.element("code", [], tensor.name)
                    page.element("span", [("class", "role")], " " + role)
                    page.end()
                }
                page.element("td", [("class", "axis")], axisNames[axis])
                page.element("td", [("class", "num input")], String(entry.inputSize))
                page.element("td", [("class", "num units")], String(entry.outputSize))
                page.element("td", [("class", "num r")], String(entry.receptiveField))
                page.element("td", [("class", "num s")], ReportNumber.text(entry.effectiveStride))
                page.element("td", [("class", "num p")], ReportNumber.text(entry.effectivePadding))
                let ratio = Double(entry.receptiveField) / Double(entry.inputSize)
                page.element("td", [("class", "num ratio")], ReportNumber.text((ratio * 100).rounded() / 100))
                page.end()
            }
        }
        page.end()
        page.end()
        var facts = ["input \(RFReport.size(geometry.inputSize))"
                     + (geometry.network.inputChannels.map { ", \($0) channel" + ($0 == 1 ? "" : "s") } ?? "")
                     + ", \(geometry.network.nodes.count) nodes"]
        if let unit {
            let parts = unit.axes.enumerated().map { axis, entry in
                "\(axisNames[axis]) \(Self.intervalText(entry.interval)), \(entry.paddedCount) in padding"
            }
            facts.append("unit \(Self.indexText(unit.index)) of \(unit.node) sees " + parts.joined(separator: "; "))
        }
        page.start("ul", [("class", "flags"), ("id", "flags")])
        for fact in facts { page.element("li", [], fact) }
        for (flag, text) in flagLines { page.element("li", [("class", "flag"), ("data-flag", flag)], text) }
        page.end()
        page.end()
        page.newline()
    }

    /// One line per property worth knowing: merges, global context, RF larger than the input,
    /// non-affine axes, global tensors.
    var flagLines: [(String, String)] {
        var lines: [(String, String)] = []
        let merges = geometry.merges
        if !merges.isEmpty {
            let misaligned = merges.filter { !$0.isAligned }
            var text = "\(merges.count) merge" + (merges.count == 1 ? "" : "s") + ": "
            if misaligned.isEmpty {
                text += "all aligned"
            } else {
                text += "\(misaligned.count) misaligned (" + misaligned.prefix(5).map(\.node).joined(separator: ", ")
                    + (misaligned.count > 5 ? ", …" : "") + ")"
            }
            lines.append((misaligned.isEmpty ? "aligned" : GeometryFlag.misaligned.rawValue, text))
            let context = merges.filter { !$0.contextInputs.isEmpty }
            if !context.isEmpty {
                lines.append((GeometryFlag.globalContext.rawValue,
                              "global context: \(context.count) merge" + (context.count == 1 ? "" : "s")
                              + " with a global or broadcast input (e.g. " + context[0].node + ")"))
            }
        }
        if let first = geometry.tensors.first(where: { $0.flags.contains(.rfExceedsInput) }),
           let axis = first.axes.firstIndex(where: { $0.receptiveField > $0.inputSize }) {
            let entry = first.axes[axis]
            lines.append((GeometryFlag.rfExceedsInput.rawValue,
                          "receptive field larger than the input from \(first.name) on "
                          + "(r \(entry.receptiveField) > \(entry.inputSize) on axis \(axisNames[axis]))"))
        }
        let nonAffine = geometry.tensors.filter { $0.flags.contains(.nonAffine) }
        if let first = nonAffine.first {
            lines.append((GeometryFlag.nonAffine.rawValue,
                          "\(nonAffine.count) node" + (nonAffine.count == 1 ? "" : "s")
                          + " without an affine form, from \(first.name); S and P are summaries there"))
        }
        if let first = geometry.tensors.first(where: { $0.flags.contains(.global) }) {
            lines.append((GeometryFlag.global.rawValue, "every unit sees the whole input from \(first.name) on"))
        }
        return lines
    }

    // MARK: - Merges

    private func mergeSection(_ page: inout HTMLMarkup) {
        let merges = geometry.merges
        guard !merges.isEmpty else { return }
        page.start("section", [("id", "merges")])
        page.element("h2", [], "Merges")
        let misaligned = merges.filter { !$0.isAligned }
        page.element("p", [], "\(merges.count) merge" + (merges.count == 1 ? "" : "s") + ", "
                     + (misaligned.isEmpty ? "all aligned" : "\(misaligned.count) misaligned")
                     + ". Paths are aligned on an axis when they agree on the effective stride and on the centre of "
                     + "unit 0, (r − 1)/2 − P; the mismatch is the largest distance between the centres of one unit "
                     + "along two paths, in input pixels.")
        for merge in misaligned.prefix(8) { mergeDiagram(merge, into: &page) }
        page.start("table", [("class", "merges")])
        page.start("thead")
        page.start("tr")
        for heading in ["merge", "inputs", "strides", "centres of unit 0", "mismatch (px)", "diagnosis"] {
            page.element("th", [], heading)
        }
        page.end()
        page.end()
        page.start("tbody")
        for merge in merges {
            page.start("tr", [("data-node", merge.node), ("class", merge.isAligned ? "aligned" : "misaligned")])
            page.start("td", [("class", "name")])
            page.element("code", [], merge.node)
            page.end()
            page.element("td", [("class", "inputs")], merge.inputs.joined(separator: ", ")
                         + (merge.contextInputs.isEmpty ? "" : "; context: " + merge.contextInputs.joined(separator: ", ")))
            page.element("td", [("class", "num strides")], perAxis(merge.axes.map { axis in
                axis.strides.map(ReportNumber.text).joined(separator: " / ")
            }))
            page.element("td", [("class", "num offsets")], perAxis(merge.axes.map { axis in
                axis.centreOffsets.map(ReportNumber.text).joined(separator: " / ")
            }))
            page.element("td", [("class", "num mismatch")], perAxis(merge.axes.map { ReportNumber.text($0.mismatch) }))
            page.element("td", [("class", "description")], merge.description)
            page.end()
        }
        page.end()
        page.end()
        page.end()
        page.newline()
    }

    // MARK: - Verification

    private func verificationSection(_ page: inout HTMLMarkup) {
        guard let verification = report.verification else { return }
        page.start("section", [("id", "verification")])
        page.element("h2", [], "Verification: " + (verification.passed ? "agrees" : "DISAGREES"))
        page.element("pre", [], report.verificationLines.joined(separator: "\n"))
        page.end()
        page.newline()
    }

    // MARK: - Per-layer table

    private func tableSection(_ page: inout HTMLMarkup) {
        page.start("section", [("id", "layers-section")])
        page.element("h2", [], "Every layer")
        page.element("p", [], "r, S and P read \(axisNames.joined(separator: "×")) when the axes differ; "
                     + "out is the output size, ch the channels.")
        page.start("table", [("class", "layers"), ("id", "layers")])
        page.start("thead")
        page.start("tr")
        for heading in ["#", "name", "op", "ch", "out", "r", "S", "P", "flags"] { page.element("th", [], heading) }
        page.end()
        page.end()
        page.start("tbody")
        var previousStride: [Double]?
        for (index, row) in report.rows.enumerated() {
            let (r, s, p) = RFReport.fieldTexts(row)
            let strides = row.axes.map(\.effectiveStride)
            var classes: [String] = []
            if let previousStride, Self.isStageBoundary(from: previousStride, to: strides) { classes.append("stage") }
            if row.name == node.name { classes.append("selected") }
            if !row.isAligned { classes.append("misaligned") }
            previousStride = strides
            page.start("tr", [("data-node", row.name), ("class", classes.isEmpty ? nil : classes.joined(separator: " "))])
            page.element("td", [("class", "num index")], String(index))
            page.start("td", [("class", "name")])
            page.element("code", [], row.name)
            page.end()
            page.element("td", [("class", "op")], row.summary)
            page.element("td", [("class", "num ch")], row.channels.map(String.init) ?? "")
            page.element("td", [("class", "num out")], RFReport.size(row.outputSize))
            page.element("td", [("class", "num r")], r)
            page.element("td", [("class", "num s")], s)
            page.element("td", [("class", "num p")], p)
            page.element("td", [("class", "flags")], row.flags.map(\.rawValue).joined(separator: ", "))
            page.end()
            page.newline()
        }
        page.end()
        page.end()
        page.end()
        page.newline()
    }
}
