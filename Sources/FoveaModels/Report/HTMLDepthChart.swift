import Foundation
import FoveaGeometry

extension HTMLReport {
    /// The nodes from the input to the network's output along the longest chain of layers (ties
    /// go to the first input), every node included.
    static func mainPath(of geometry: NetworkGeometry) -> [TensorGeometry] {
        var position: [String: Int] = [:]
        var depth = [Int](repeating: 0, count: geometry.tensors.count)
        var parent = [Int?](repeating: nil, count: geometry.tensors.count)
        for (index, tensor) in geometry.tensors.enumerated() {
            position[tensor.name] = index
            for input in tensor.inputs {
                guard let source = position[input] else { continue }
                if parent[index] == nil || depth[source] + 1 > depth[index] {
                    depth[index] = depth[source] + 1
                    parent[index] = source
                }
            }
        }
        let endName = geometry.network.outputs.first ?? geometry.tensors[geometry.tensors.count - 1].name
        var current: Int? = position[endName] ?? geometry.tensors.count - 1
        var path: [TensorGeometry] = []
        while let index = current {
            path.append(geometry.tensors[index])
            current = parent[index]
        }
        return path.reversed()
    }

    /// The points of the chart: the main path without activations and normalisations, whose
    /// receptive fields equal their input's.
    var chartPoints: [TensorGeometry] {
        Self.mainPath(of: geometry).filter { tensor in
            switch tensor.layer {
            case .pointwise, .batchNorm: return false
            default: return true
            }
        }
    }

    func chartSection(_ page: inout HTMLMarkup) {
        let points = chartPoints
        page.start("section", [("id", "depth")])
        page.element("h2", [], "Receptive field and stride against depth")
        page.start("figure")
        page.raw(depthChart(points))
        let omitted = Self.mainPath(of: geometry).count - points.count
        var caption = "One point per node on the main path (the longest chain of layers from the input to "
            + "\(points.last?.name ?? "the output")), \(points.count) points"
        if omitted > 0 { caption += "; \(omitted) activations and normalisations, which change neither r nor S, are left out" }
        caption += ". Dotted vertical lines: stage boundaries, where the effective stride changes by a factor of 1.25 or more. "
        caption += "The grey dashed line is the input size. Global nodes (S = 0) have no stride point."
        page.element("figcaption", [], caption)
        page.end()
        page.end()
        page.newline()
    }

    /// The chart as an SVG element.
    func depthChart(_ points: [TensorGeometry]) -> String {
        let width = 980.0, height = 330.0
        let left = 62.0, right = 90.0, top = 30.0, bottom = 52.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        // Axes with the same input size, r and S at every point share one line.
        var groups: [[Int]] = []
        for axis in geometry.inputSize.indices {
            let same = { (other: Int) in
                geometry.inputSize[other] == geometry.inputSize[axis] && points.allSatisfy { tensor in
                    tensor.axes[other].receptiveField == tensor.axes[axis].receptiveField
                        && tensor.axes[other].effectiveStride == tensor.axes[axis].effectiveStride
                }
            }
            if let group = groups.firstIndex(where: { same($0[0]) }) { groups[group].append(axis) } else { groups.append([axis]) }
        }
        let shownAxes = groups.map { $0[0] }
        let groupNames = groups.map { $0.map { axisNames[$0] }.joined(separator: ", ") }
        let dashes: [String?] = [nil, "5 3", "1.5 2.5"]

        var positive: [Double] = geometry.inputSize.map(Double.init)
        for tensor in points {
            for axis in shownAxes {
                positive.append(Double(tensor.axes[axis].receptiveField))
                positive.append(tensor.axes[axis].effectiveStride)
            }
        }
        positive = positive.filter { $0 > 0 }
        let largest = positive.max() ?? 1, smallest = positive.min() ?? 1
        let logarithmic = largest / Swift.max(smallest, 1e-9) > 16
        let (low, high): (Double, Double)
        if logarithmic {
            low = Swift.min(0, log2(Swift.min(smallest, 1)).rounded(.down))
            high = Swift.max(low + 1, log2(largest * 1.15).rounded(.up))
        } else {
            low = 0
            high = Self.niceCeiling(largest * 1.1)
        }
        func y(_ value: Double) -> Double {
            let t = logarithmic ? (log2(value) - low) / (high - low) : (value - low) / (high - low)
            return top + plotHeight * (1 - t)
        }
        let count = points.count
        func x(_ index: Int) -> Double {
            left + (count > 1 ? Double(index) / Double(count - 1) * plotWidth : plotWidth / 2)
        }

        var svg = HTMLMarkup()
        svg.start("svg", [("id", "rf-chart"), ("width", SVGNumber.text(width)), ("height", SVGNumber.text(height)),
                          ("viewBox", "0 0 \(SVGNumber.text(width)) \(SVGNumber.text(height))"),
                          ("role", "img"), ("aria-label", "receptive field and effective stride against depth")])
        // Grid and y axis.
        var ticks: [Double] = []
        if logarithmic {
            let step = (high - low) > 12 ? 2.0 : 1.0
            var e = low
            while e <= high { ticks.append(pow(2, e)); e += step }
        } else {
            let step = Self.niceCeiling(high / 6)
            var v = 0.0
            while v <= high + 1e-9 { ticks.append(v); v += step }
        }
        for tick in ticks {
            let ty = y(Swift.max(tick, logarithmic ? 1e-12 : 0))
            svg.empty("line", [("x1", SVGNumber.text(left)), ("x2", SVGNumber.text(left + plotWidth)),
                               ("y1", SVGNumber.text(ty)), ("y2", SVGNumber.text(ty)),
                               ("stroke", "#e6e9ee"), ("stroke-width", "1")])
            svg.element("text", [("x", SVGNumber.text(left - 6)), ("y", SVGNumber.text(ty + 3.5)),
                                 ("text-anchor", "end"), ("class", "small")], ReportNumber.text(tick))
        }
        svg.empty("rect", [("x", SVGNumber.text(left)), ("y", SVGNumber.text(top)), ("width", SVGNumber.text(plotWidth)),
                           ("height", SVGNumber.text(plotHeight)), ("fill", "none"), ("stroke", "#9aa5b4")])
        svg.element("text", [("transform", "translate(16 \(SVGNumber.text(top + plotHeight / 2))) rotate(-90)"),
                             ("text-anchor", "middle")], "input pixels" + (logarithmic ? " (log scale)" : ""))
        // X ticks.
        let tickStep = Self.niceCeiling(Double(Swift.max(count - 1, 1)) / 10)
        var tick = 0
        while tick < count {
            svg.empty("line", [("x1", SVGNumber.text(x(tick))), ("x2", SVGNumber.text(x(tick))),
                               ("y1", SVGNumber.text(top + plotHeight)), ("y2", SVGNumber.text(top + plotHeight + 4)),
                               ("stroke", "#9aa5b4")])
            svg.element("text", [("x", SVGNumber.text(x(tick))), ("y", SVGNumber.text(top + plotHeight + 16)),
                                 ("text-anchor", "middle"), ("class", "small")], String(tick))
            tick += Swift.max(1, Int(tickStep))
        }
        svg.element("text", [("x", SVGNumber.text(left + plotWidth / 2)), ("y", SVGNumber.text(height - 10)),
                             ("text-anchor", "middle")],
                    "depth: nodes on the main path (0 = input)")

        // Stage boundaries: the effective stride changes.
        var lastLabelX = -100.0, labelRow = 0
        for index in points.indices.dropFirst() {
            let before = points[index - 1].axes.map(\.effectiveStride), now = points[index].axes.map(\.effectiveStride)
            guard Self.isStageBoundary(from: before, to: now) else { continue }
            let bx = x(index)
            svg.start("line", [("x1", SVGNumber.text(bx)), ("x2", SVGNumber.text(bx)), ("y1", SVGNumber.text(top)),
                               ("y2", SVGNumber.text(top + plotHeight)), ("stroke", "#8792a2"),
                               ("stroke-dasharray", "2 3"), ("class", "stage")])
            svg.element("title", [], "stage boundary at \(points[index].name): S \(ReportNumber.axes(now.map(ReportNumber.text)))")
            svg.end()
            labelRow = bx - lastLabelX < 34 ? (labelRow + 1) % 2 : 0
            lastLabelX = bx
            svg.element("text", [("x", SVGNumber.text(bx + 2)), ("y", SVGNumber.text(top - 6 - Double(labelRow) * 11)),
                                 ("class", "small")], "S " + ReportNumber.axes(now.map(ReportNumber.text)))
        }

        // Input size reference lines, one per distinct size.
        var sizes: [(size: Int, axes: [String])] = []
        for axis in geometry.inputSize.indices {
            if let index = sizes.firstIndex(where: { $0.size == geometry.inputSize[axis] }) {
                sizes[index].axes.append(axisNames[axis])
            } else {
                sizes.append((geometry.inputSize[axis], [axisNames[axis]]))
            }
        }
        for entry in sizes {
            let ny = y(Double(entry.size))
            svg.empty("line", [("x1", SVGNumber.text(left)), ("x2", SVGNumber.text(left + plotWidth)),
                               ("y1", SVGNumber.text(ny)), ("y2", SVGNumber.text(ny)), ("stroke", "#7b8494"),
                               ("stroke-width", "1.2"), ("stroke-dasharray", "6 4"), ("class", "input-size")])
            svg.element("text", [("x", SVGNumber.text(left + plotWidth + 6)), ("y", SVGNumber.text(ny + 4)),
                                 ("class", "small")],
                        "input \(entry.size)" + (sizes.count > 1 ? " (" + entry.axes.joined(separator: ", ") + ")" : ""))
        }

        // The node drawn below.
        if let marked = points.lastIndex(where: { $0.name == node.name })
            ?? Self.lastPoint(onPathBefore: node.name, points: points, path: Self.mainPath(of: geometry)) {
            let mx = x(marked)
            svg.empty("line", [("x1", SVGNumber.text(mx)), ("x2", SVGNumber.text(mx)), ("y1", SVGNumber.text(top)),
                               ("y2", SVGNumber.text(top + plotHeight)), ("stroke", "#1f5fa8"), ("stroke-width", "1"),
                               ("stroke-opacity", "0.5")])
            svg.element("text", [("x", SVGNumber.text(mx - 3)), ("y", SVGNumber.text(top + plotHeight - 6)),
                                 ("text-anchor", "end"), ("class", "small")], node.name)
        }

        // Series: r and S per shown axis.
        let colours = ["#1f5fa8", "#c8620a"]
        for (seriesIndex, quantity) in ["r", "S"].enumerated() {
            for (group, axis) in shownAxes.enumerated() {
                let dash = dashes[min(group, dashes.count - 1)]
                var segment: [String] = []
                var segments: [[String]] = []
                var circles: [(Double, Double, String)] = []
                for (index, tensor) in points.enumerated() {
                    let entry = tensor.axes[axis]
                    let value = quantity == "r" ? Double(entry.receptiveField) : entry.effectiveStride
                    guard value > 0 || !logarithmic else {
                        if !segment.isEmpty { segments.append(segment); segment = [] }
                        continue
                    }
                    let px = x(index), py = y(value)
                    segment.append("\(SVGNumber.text(px)),\(SVGNumber.text(py))")
                    let label = "\(tensor.name): \(quantity) \(ReportNumber.text(value))"
                        + (shownAxes.count > 1 ? " (\(groupNames[group]))" : "")
                    circles.append((px, py, label))
                }
                if !segment.isEmpty { segments.append(segment) }
                for points in segments where points.count > 1 {
                    svg.empty("polyline", [("points", points.joined(separator: " ")), ("fill", "none"),
                                           ("stroke", colours[seriesIndex]), ("stroke-width", "1.6"),
                                           ("stroke-dasharray", dash)])
                }
                let radius = count > 120 ? 1.6 : 2.4
                for (px, py, label) in circles {
                    svg.start("circle", [("cx", SVGNumber.text(px)), ("cy", SVGNumber.text(py)), ("r", SVGNumber.text(radius)),
                                         ("fill", colours[seriesIndex]), ("class", "point \(quantity.lowercased())")])
                    svg.element("title", [], label)
                    svg.end()
                }
            }
        }

        // Legend.
        let legendY = top + 12
        var lx = left + 10
        for (index, entry) in ["receptive field r", "effective stride S"].enumerated() {
            svg.empty("line", [("x1", SVGNumber.text(lx)), ("x2", SVGNumber.text(lx + 20)), ("y1", SVGNumber.text(legendY)),
                               ("y2", SVGNumber.text(legendY)), ("stroke", colours[index]), ("stroke-width", "2")])
            svg.element("text", [("x", SVGNumber.text(lx + 25)), ("y", SVGNumber.text(legendY + 4))], entry)
            lx += 150
        }
        if shownAxes.count > 1 {
            let styles = ["solid", "dashed", "dotted"]
            svg.element("text", [("x", SVGNumber.text(lx)), ("y", SVGNumber.text(legendY + 4)), ("class", "small")],
                        groupNames.enumerated().map { "\(styles[min($0, 2)]): \($1)" }.joined(separator: "; "))
        }
        svg.end()
        return svg.text
    }

    /// The index of the last chart point at or before `name` on the main path, when it is on it.
    private static func lastPoint(onPathBefore name: String, points: [TensorGeometry], path: [TensorGeometry]) -> Int? {
        guard let at = path.firstIndex(where: { $0.name == name }) else { return nil }
        let before = Set(path[...at].map(\.name))
        return points.lastIndex { before.contains($0.name) }
    }

    /// Whether the effective strides change by a factor of at least 1.25 on some axis (the mean
    /// spacing of non-affine tables drifts a little; a stage changes it by a real factor).
    static func isStageBoundary(from before: [Double], to after: [Double]) -> Bool {
        guard !before.contains(0), !after.contains(0) else { return false }
        return zip(before, after).contains { $1 / $0 >= 1.25 || $1 / $0 <= 0.8 }
    }

    /// 1, 2 or 5 times a power of ten, at least `value`.
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let power = pow(10, log10(value).rounded(.down))
        for factor in [1.0, 2, 5, 10] where factor * power >= value { return factor * power }
        return 10 * power
    }
}
