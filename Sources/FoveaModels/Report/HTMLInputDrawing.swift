import FoveaGeometry

/// The input-pixel window a figure shows on its two drawn axes (`rows` nil for a 1-D network),
/// in pixel-edge coordinates (pixel p spans [p, p + 1]), and its mapping to SVG coordinates.
struct DrawingFrame {
    let rowsAxis: Int?
    let colsAxis: Int
    let rows: ClosedRange<Double>
    let cols: ClosedRange<Double>
    let scale: Double
    let left: Double
    let top: Double

    /// The smallest window holding the input and every interval, scaled to fit `width × height`
    /// SVG units (at most `maximumScale` per pixel).
    init(inputSize: [Int], intervals: [[ClosedRange<Int>?]], width: Double, height: Double,
         maximumScale: Double = 28, left: Double = 44, top: Double = 22) {
        let rank = inputSize.count
        colsAxis = rank - 1
        rowsAxis = rank >= 2 ? rank - 2 : nil
        func extent(_ axis: Int) -> ClosedRange<Double> {
            var lo = 0.0, hi = Double(inputSize[axis])
            for entry in intervals {
                guard let range = entry[axis] else { continue }
                lo = Swift.min(lo, Double(range.lowerBound))
                hi = Swift.max(hi, Double(range.upperBound) + 1)
            }
            return lo...hi
        }
        cols = extent(colsAxis)
        rows = rowsAxis.map(extent) ?? 0...1
        let colScale = width / (cols.upperBound - cols.lowerBound)
        let rowScale = rowsAxis == nil ? colScale : height / (rows.upperBound - rows.lowerBound)
        scale = Swift.min(colScale, rowScale, maximumScale)
        self.left = left
        self.top = top
    }

    func x(_ col: Double) -> Double { left + (col - cols.lowerBound) * scale }
    /// For a 1-D network rows are a strip of fixed height.
    func y(_ row: Double) -> Double { top + (row - rows.lowerBound) * (rowsAxis == nil ? 36 : scale) }
    var plotWidth: Double { (cols.upperBound - cols.lowerBound) * scale }
    var plotHeight: Double { rowsAxis == nil ? 36 : (rows.upperBound - rows.lowerBound) * scale }

    /// The hatched padding region and the input rectangle.
    func background(_ svg: inout HTMLMarkup, inputSize: [Int], pattern: String) {
        svg.start("defs")
        svg.start("pattern", [("id", pattern), ("width", "6"), ("height", "6"), ("patternUnits", "userSpaceOnUse"),
                              ("patternTransform", "rotate(45)")])
        svg.empty("rect", [("width", "6"), ("height", "6"), ("fill", "#eceff3")])
        svg.empty("line", [("x1", "0"), ("y1", "0"), ("x2", "0"), ("y2", "6"), ("stroke", "#c3c9d2"), ("stroke-width", "2.2")])
        svg.end()
        svg.end()
        svg.start("rect", [("x", SVGNumber.text(x(cols.lowerBound))), ("y", SVGNumber.text(y(rows.lowerBound))),
                           ("width", SVGNumber.text(plotWidth)), ("height", SVGNumber.text(plotHeight)),
                           ("fill", "url(#\(pattern))"), ("class", "padding")])
        svg.element("title", [], "padding: outside the input")
        svg.end()
        let inputRows = rowsAxis.map { Double(inputSize[$0]) } ?? 1
        svg.empty("rect", [("x", SVGNumber.text(x(0))), ("y", SVGNumber.text(y(0))),
                           ("width", SVGNumber.text(Double(inputSize[colsAxis]) * scale)),
                           ("height", SVGNumber.text(y(inputRows) - y(0))), ("fill", "#ffffff"), ("class", "input")])
    }

    /// The input outline and tick labels at the input's edges and the window's ends.
    func outline(_ svg: inout HTMLMarkup, inputSize: [Int], axisNames: [String]) {
        let inputRows = rowsAxis.map { Double(inputSize[$0]) } ?? 1
        svg.empty("rect", [("x", SVGNumber.text(x(0))), ("y", SVGNumber.text(y(0))),
                           ("width", SVGNumber.text(Double(inputSize[colsAxis]) * scale)),
                           ("height", SVGNumber.text(y(inputRows) - y(0))), ("fill", "none"), ("stroke", "#1d2430"),
                           ("stroke-width", "1.5")])
        var colTicks = [0.0, Double(inputSize[colsAxis])]
        for end in [cols.lowerBound, cols.upperBound] where !colTicks.contains(end) { colTicks.append(end) }
        let bottom = y(rows.upperBound)
        var drawn: [Double] = []
        for tick in colTicks.sorted() {
            let tx = x(tick)
            guard !drawn.contains(where: { abs($0 - tx) < 26 }) else { continue }
            drawn.append(tx)
            svg.empty("line", [("x1", SVGNumber.text(tx)), ("x2", SVGNumber.text(tx)), ("y1", SVGNumber.text(bottom)),
                               ("y2", SVGNumber.text(bottom + 4)), ("stroke", "#5d6675")])
            svg.element("text", [("x", SVGNumber.text(tx)), ("y", SVGNumber.text(bottom + 14)), ("text-anchor", "middle"),
                                 ("class", "small")], ReportNumber.text(tick))
        }
        svg.element("text", [("x", SVGNumber.text(x(cols.upperBound) + 18)), ("y", SVGNumber.text(bottom + 14)),
                             ("class", "small")], axisNames[colsAxis])
        guard let rowsAxis else { return }
        var rowTicks = [0.0, Double(inputSize[rowsAxis])]
        for end in [rows.lowerBound, rows.upperBound] where !rowTicks.contains(end) { rowTicks.append(end) }
        drawn = []
        for tick in rowTicks.sorted() {
            let ty = y(tick)
            guard !drawn.contains(where: { abs($0 - ty) < 12 }) else { continue }
            drawn.append(ty)
            svg.empty("line", [("x1", SVGNumber.text(left - 4)), ("x2", SVGNumber.text(left)), ("y1", SVGNumber.text(ty)),
                               ("y2", SVGNumber.text(ty)), ("stroke", "#5d6675")])
            svg.element("text", [("x", SVGNumber.text(left - 6)), ("y", SVGNumber.text(ty + 3.5)), ("text-anchor", "end"),
                                 ("class", "small")], ReportNumber.text(tick))
        }
        svg.element("text", [("x", SVGNumber.text(left - 6)), ("y", SVGNumber.text(top - 8)), ("text-anchor", "end"),
                             ("class", "small")], axisNames[rowsAxis])
    }
}

extension HTMLReport {
    /// A unit drawn with its receptive field.
    struct DrawnUnit {
        let role: String
        let colour: String
        let index: [Int]
        let intervals: [ClosedRange<Int>?]
    }

    /// Corner, centre and the requested unit (each once).
    var drawnUnits: [DrawnUnit] {
        var units: [DrawnUnit] = []
        func add(_ role: String, _ colour: String, _ index: [Int]) {
            guard !units.contains(where: { $0.index == index }) else { return }
            units.append(DrawnUnit(role: role, colour: colour, index: index,
                                   intervals: index.indices.map { node.axes[$0].interval(ofUnit: index[$0]) }))
        }
        add(cornerUnit == centreUnit ? "the only unit" : "corner unit", "#c8620a", cornerUnit)
        add("centre unit", "#1f5fa8", centreUnit)
        if let unit { add("requested unit", "#2f8a3b", unit.index) }
        return units
    }

    func drawingSection(_ page: inout HTMLMarkup) {
        page.start("section", [("id", "fields")])
        page.element("h2", [], "Receptive fields of \(nodeTitle) (\(RFReport.size(node.outputSize)) units)")
        page.start("div", [("class", "figures")])
        page.start("figure", [("id", "drawing")])
        page.raw(inputDrawing())
        page.start("figcaption")
        page.start("ul", [("class", "legend")])
        for unit in drawnUnits {
            let parts = unit.intervals.enumerated().map { axis, range -> String in
                guard let range else { return "\(axisNames[axis]) sees nothing" }
                let padded = node.axes[axis].paddedCount(ofUnit: unit.index[axis])
                return "\(axisNames[axis]) \(Self.intervalText(range))" + (padded > 0 ? " (\(padded) in padding)" : "")
            }
            page.start("li", [("data-unit", unit.index.map(String.init).joined(separator: ","))])
            page.element("span", [("class", "swatch"), ("style", "border-color: \(unit.colour)")], "")
            page.write("\(unit.role) \(Self.indexText(unit.index)): " + parts.joined(separator: ", "))
            page.end()
        }
        page.end()
        page.write(drawingCaption)
        page.end()
        page.end()
        page.start("figure", [("id", "effective-field")])
        heatmapFigure(&page)
        page.end()
        page.end()
        page.end()
        page.newline()
    }

    private var drawingCaption: String {
        let units = drawnUnits
        let frame = DrawingFrame(inputSize: geometry.inputSize, intervals: units.map(\.intervals), width: 400, height: 380)
        var text = "To scale: one input pixel is \(ReportNumber.text((frame.scale * 100).rounded() / 100)) px. "
        text += "Hatched: padding, outside the \(RFReport.size(geometry.inputSize)) input. "
        let step = gridStep(frame)
        text += "Grey marks: the centres of the units of \(node.name)"
        if step > 1 { text += " (one unit in \(step) per axis)" }
        let outside = [frame.rowsAxis, frame.colsAxis].compactMap { $0 }.contains { axis in
            (0..<node.outputSize[axis]).contains { unit in
                node.axes[axis].centre(ofUnit: unit).map { $0 < 0 || $0 > Double(geometry.inputSize[axis] - 1) } ?? false
            }
        }
        if outside { text += "; some centres lie in the padding" }
        text += ". Boxes: the receptive fields "
        text += units.map { "of the \($0.role) \(Self.indexText($0.index))" }.joined(separator: ", ")
        text += "; their centres are marked. "
        let hidden = geometry.inputSize.indices.filter { $0 != frame.colsAxis && $0 != frame.rowsAxis }
        if !hidden.isEmpty {
            text += "Axis " + hidden.map { axisNames[$0] }.joined(separator: ", ") + " is not drawn: "
            text += hidden.map { axis in
                "there the centre unit sees \(Self.intervalText(node.axes[axis].interval(ofUnit: centreUnit[axis])))"
            }.joined(separator: "; ") + ". "
        }
        return text
    }

    /// One in `step` units per axis gets a mark, at most 48 per axis.
    private func gridStep(_ frame: DrawingFrame) -> Int {
        let counts = [frame.rowsAxis, frame.colsAxis].compactMap { $0 }.map { node.outputSize[$0] }
        let largest = counts.max() ?? 1
        return (largest + 47) / 48
    }

    /// The to-scale drawing of the input, the padding, the unit grid and the receptive fields.
    func inputDrawing() -> String {
        let units = drawnUnits
        let frame = DrawingFrame(inputSize: geometry.inputSize, intervals: units.map(\.intervals), width: 400, height: 380)
        let width = frame.left + frame.plotWidth + 36
        let height = frame.top + frame.plotHeight + 24
        var svg = HTMLMarkup()
        svg.start("svg", [("id", "rf-drawing"), ("width", SVGNumber.text(Swift.max(width, 380))),
                          ("height", SVGNumber.text(height)),
                          ("viewBox", "0 0 \(SVGNumber.text(Swift.max(width, 380))) \(SVGNumber.text(height))"),
                          ("role", "img"), ("aria-label", "input with receptive fields to scale")])
        frame.background(&svg, inputSize: geometry.inputSize, pattern: "pad-drawing")

        // Unit grid: marks at the unit centres.
        do {
            let step = gridStep(frame)
            let colCentres = stride(from: 0, to: node.outputSize[frame.colsAxis], by: step).compactMap { j in
                node.axes[frame.colsAxis].centre(ofUnit: j).map { $0 + 0.5 }
            }
            let rowCentres: [Double] = frame.rowsAxis.map { axis in
                stride(from: 0, to: node.outputSize[axis], by: step).compactMap { i in node.axes[axis].centre(ofUnit: i).map { $0 + 0.5 } }
            } ?? [0.5]
            let radius = Swift.min(2.4, Swift.max(1.2, frame.scale * 0.6))
            svg.start("g", [("class", "unit-grid"), ("fill", "#5d6675")])
            for row in rowCentres {
                for col in colCentres {
                    svg.empty("circle", [("cx", SVGNumber.text(frame.x(col))), ("cy", SVGNumber.text(frame.y(row))),
                                         ("r", SVGNumber.text(radius))])
                }
            }
            svg.end()
        }

        // Receptive fields.
        for unit in units {
            let colRange = unit.intervals[frame.colsAxis]
            let rowRange = frame.rowsAxis.map { unit.intervals[$0] } ?? 0...0
            let description = unit.intervals.enumerated().map { axis, range in
                "\(axisNames[axis]) \(Self.intervalText(range))"
            }.joined(separator: ", ")
            let data = unit.intervals.map { range in range.map { "\($0.lowerBound) \($0.upperBound)" } ?? "none" }
                .joined(separator: ";")
            guard let colRange, let rowRange else { continue }
            svg.start("rect", [("x", SVGNumber.text(frame.x(Double(colRange.lowerBound)))),
                               ("y", SVGNumber.text(frame.y(Double(rowRange.lowerBound)))),
                               ("width", SVGNumber.text(Double(colRange.count) * frame.scale)),
                               ("height", SVGNumber.text(frame.y(Double(rowRange.upperBound) + 1) - frame.y(Double(rowRange.lowerBound)))),
                               ("fill", unit.colour), ("fill-opacity", "0.05"), ("stroke", unit.colour), ("stroke-width", "2"),
                               ("class", "rf"), ("data-role", unit.role), ("data-unit", unit.index.map(String.init).joined(separator: ",")),
                               ("data-interval", data)])
            svg.element("title", [], "\(unit.role) \(Self.indexText(unit.index)): \(description)")
            svg.end()
            let cx = (Double(colRange.lowerBound) + Double(colRange.upperBound) + 1) / 2
            let cy = (Double(rowRange.lowerBound) + Double(rowRange.upperBound) + 1) / 2
            svg.empty("circle", [("cx", SVGNumber.text(frame.x(cx))), ("cy", SVGNumber.text(frame.y(cy))), ("r", "4"),
                                 ("fill", "#ffffff"), ("stroke", unit.colour), ("stroke-width", "2")])
        }
        frame.outline(&svg, inputSize: geometry.inputSize, axisNames: axisNames)

        svg.end()
        return svg.text
    }
}
