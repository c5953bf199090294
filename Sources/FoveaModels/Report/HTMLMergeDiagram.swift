import FoveaGeometry

extension HTMLReport {
    /// One misaligned merge: the intervals of its centre unit along each local path, on the worst
    /// axis, to scale, with the centres marked.
    func mergeDiagram(_ merge: MergeDiagnosis, into page: inout HTMLMarkup) {
        guard let tensor = geometry[merge.node] else { return }
        let axis = merge.worstAxis ?? 0
        let unit = (tensor.outputSize[axis] - 1) / 2
        let paths: [(name: String, interval: ClosedRange<Int>?)] = merge.inputs.map { input in
            (input, geometry[input]?.axes[axis].interval(ofUnit: unit))
        }
        let n = geometry.inputSize[axis]
        var lo = 0.0, hi = Double(n)
        for path in paths {
            guard let range = path.interval else { continue }
            lo = Swift.min(lo, Double(range.lowerBound))
            hi = Swift.max(hi, Double(range.upperBound) + 1)
        }
        let labelWidth = 150.0, plotWidth = 520.0, lane = 24.0, top = 16.0
        let scale = Swift.min(plotWidth / (hi - lo), 40)
        func x(_ position: Double) -> Double { labelWidth + (position - lo) * scale }
        let height = top + lane * Double(paths.count) + 30
        let width = labelWidth + (hi - lo) * scale + 20
        var svg = HTMLMarkup()
        svg.start("svg", [("class", "merge-diagram"), ("data-node", merge.node), ("width", SVGNumber.text(width)),
                          ("height", SVGNumber.text(height)),
                          ("viewBox", "0 0 \(SVGNumber.text(width)) \(SVGNumber.text(height))"), ("role", "img"),
                          ("aria-label", "paths of merge \(merge.node)")])
        let bottom = top + lane * Double(paths.count)
        // Padding on both sides of the input, then the input's outline.
        for (a, b) in [(lo, 0.0), (Double(n), hi)] where b > a {
            svg.empty("rect", [("x", SVGNumber.text(x(a))), ("y", SVGNumber.text(top - 4)), ("width", SVGNumber.text((b - a) * scale)),
                               ("height", SVGNumber.text(bottom - top + 4)), ("fill", "#eceff3")])
        }
        svg.empty("rect", [("x", SVGNumber.text(x(0))), ("y", SVGNumber.text(top - 4)), ("width", SVGNumber.text(Double(n) * scale)),
                           ("height", SVGNumber.text(bottom - top + 4)), ("fill", "none"), ("stroke", "#1d2430")])
        if scale >= 6 {
            for p in 0...n {
                svg.empty("line", [("x1", SVGNumber.text(x(Double(p)))), ("x2", SVGNumber.text(x(Double(p)))),
                                   ("y1", SVGNumber.text(bottom)), ("y2", SVGNumber.text(bottom + 3)), ("stroke", "#9aa5b4")])
            }
        }
        for (index, path) in paths.enumerated() {
            let y = top + lane * Double(index)
            svg.element("text", [("x", SVGNumber.text(labelWidth - 8)), ("y", SVGNumber.text(y + 12)), ("text-anchor", "end")],
                        path.name)
            guard let range = path.interval else { continue }
            let colour = index % 2 == 0 ? "#1f5fa8" : "#c8620a"
            svg.start("rect", [("x", SVGNumber.text(x(Double(range.lowerBound)))), ("y", SVGNumber.text(y + 2)),
                               ("width", SVGNumber.text(Double(range.count) * scale)), ("height", SVGNumber.text(lane - 8)),
                               ("fill", colour), ("fill-opacity", "0.25"), ("stroke", colour), ("stroke-width", "1.5"),
                               ("data-interval", "\(range.lowerBound) \(range.upperBound)")])
            svg.element("title", [], "\(path.name): unit \(unit) sees \(Self.intervalText(range))")
            svg.end()
            let centre = (Double(range.lowerBound) + Double(range.upperBound) + 1) / 2
            svg.empty("line", [("x1", SVGNumber.text(x(centre))), ("x2", SVGNumber.text(x(centre))),
                               ("y1", SVGNumber.text(y)), ("y2", SVGNumber.text(y + lane - 4)), ("stroke", colour),
                               ("stroke-width", "2.5")])
        }
        svg.element("text", [("x", SVGNumber.text(x(0))), ("y", SVGNumber.text(bottom + 16)), ("class", "small")], "0")
        svg.element("text", [("x", SVGNumber.text(x(Double(n)))), ("y", SVGNumber.text(bottom + 16)), ("class", "small"),
                             ("text-anchor", "middle")], String(n))
        svg.end()
        page.start("figure", [("class", "merge")])
        page.raw(svg.text)
        page.element("figcaption", [], "\(merge.description). Bars: what unit \(unit) of \(merge.node) sees along axis "
                     + "\(axisNames[axis]) through each path; thick marks: their centres; grey: padding.")
        page.end()
    }
}
