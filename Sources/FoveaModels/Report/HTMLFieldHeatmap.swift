import Foundation
import FoveaGeometry

extension HTMLReport {
    /// The effective receptive field of the centre unit as a heatmap beside its theoretical box.
    func heatmapFigure(_ page: inout HTMLMarkup) {
        switch effectiveField {
        case .failure(let failure):
            page.element("p", [("class", "note")], "No effective receptive field: \(failure.description)")
        case .success(let field):
            page.raw(heatmap(field))
            page.element("figcaption", [], heatmapCaption(field))
        }
    }

    /// The 2-D slice shown: for three or more axes, the leading axes are fixed at the field's peak.
    private func slice(of field: EffectiveField) -> (fixed: [Int], rows: Int, cols: Int, values: [Double]) {
        let size = field.inputSize, rank = size.count
        var fixed: [Int] = []
        for axis in 0..<Swift.max(rank - 2, 0) {
            let profile = field.profile(axis: axis)
            fixed.append(profile.indices.max { profile[$0] < profile[$1] } ?? 0)
        }
        let rows = rank >= 2 ? size[rank - 2] : 1, cols = size[rank - 1]
        var values = [Double](repeating: 0, count: rows * cols)
        for r in 0..<rows {
            for c in 0..<cols {
                values[r * cols + c] = field[rank >= 2 ? fixed + [r, c] : [c]]
            }
        }
        let peak = values.max() ?? 0
        if peak > 0 && peak != 1 { values = values.map { $0 / peak } }
        return (fixed, rows, cols, values)
    }

    /// Colour of a value in [0, 1]: white through yellow and orange to a dark purple.
    static func colour(_ value: Double) -> (UInt8, UInt8, UInt8) {
        let anchors: [(Double, (Double, Double, Double))] = [
            (0, (255, 255, 255)), (0.08, (254, 240, 196)), (0.25, (252, 196, 102)), (0.45, (240, 128, 56)),
            (0.7, (196, 52, 72)), (1, (72, 14, 84)),
        ]
        let v = Swift.min(Swift.max(value, 0), 1)
        for k in 1..<anchors.count where v <= anchors[k].0 {
            let (a, ca) = anchors[k - 1], (b, cb) = anchors[k]
            let t = (v - a) / (b - a)
            func mix(_ x: Double, _ y: Double) -> UInt8 { UInt8((x + (y - x) * t).rounded()) }
            return (mix(ca.0, cb.0), mix(ca.1, cb.1), mix(ca.2, cb.2))
        }
        return (72, 14, 84)
    }

    /// The slice as a PNG, averaged over blocks so that neither side exceeds 400 pixels.
    private static func image(rows: Int, cols: Int, values: [Double]) -> (png: [UInt8], width: Int, height: Int) {
        let blockRows = (rows + 399) / 400, blockCols = (cols + 399) / 400
        let height = (rows + blockRows - 1) / blockRows, width = (cols + blockCols - 1) / blockCols
        var pixels = [UInt8](repeating: 255, count: width * height * 3)
        for i in 0..<height {
            for j in 0..<width {
                var sum = 0.0, count = 0.0
                for r in (i * blockRows)..<Swift.min((i + 1) * blockRows, rows) {
                    for c in (j * blockCols)..<Swift.min((j + 1) * blockCols, cols) {
                        sum += values[r * cols + c]
                        count += 1
                    }
                }
                let (red, green, blue) = colour(count > 0 ? sum / count : 0)
                let at = (i * width + j) * 3
                pixels[at] = red
                pixels[at + 1] = green
                pixels[at + 2] = blue
            }
        }
        return (PNGImage(width: width, height: height, pixels: pixels).encoded(), width, height)
    }

    /// The shortest run of a profile holding at least `share` of its sum: its length.
    static func shortestRun(_ profile: [Double], holding share: Double) -> Int {
        let total = profile.reduce(0, +)
        guard total > 0 else { return 0 }
        var best = profile.count, sum = 0.0, start = 0
        for end in profile.indices {
            sum += profile[end]
            while start < end, sum - profile[start] >= share * total {
                sum -= profile[start]
                start += 1
            }
            if sum >= share * total { best = Swift.min(best, end - start + 1) }
        }
        return best
    }

    private func heatmap(_ field: EffectiveField) -> String {
        let (fixed, rows, cols, values) = slice(of: field)
        let box = centreUnit.indices.map { node.axes[$0].interval(ofUnit: centreUnit[$0]) }
        let frame = DrawingFrame(inputSize: geometry.inputSize, intervals: [box], width: 360, height: 360)
        let width = frame.left + frame.plotWidth + 90
        let height = frame.top + frame.plotHeight + 40
        var svg = HTMLMarkup()
        svg.start("svg", [("id", "erf"), ("width", SVGNumber.text(width)), ("height", SVGNumber.text(height)),
                          ("viewBox", "0 0 \(SVGNumber.text(width)) \(SVGNumber.text(height))"), ("role", "img"),
                          ("aria-label", "effective receptive field heatmap"),
                          ("data-unit", centreUnit.map(String.init).joined(separator: ","))])
        frame.background(&svg, inputSize: geometry.inputSize, pattern: "pad-field")
        let (png, _, _) = Self.image(rows: rows, cols: cols, values: values)
        svg.empty("image", [("x", SVGNumber.text(frame.x(0))), ("y", SVGNumber.text(frame.y(0))),
                            ("width", SVGNumber.text(Double(cols) * frame.scale)),
                            ("height", SVGNumber.text(frame.y(Double(rows)) - frame.y(0))),
                            ("preserveAspectRatio", "none"), ("style", "image-rendering: pixelated"),
                            ("href", "data:image/png;base64," + Data(png).base64EncodedString())])
        if let colRange = box[frame.colsAxis], let rowRange = frame.rowsAxis.map({ box[$0] }) ?? 0...0 {
            svg.start("rect", [("x", SVGNumber.text(frame.x(Double(colRange.lowerBound)))),
                               ("y", SVGNumber.text(frame.y(Double(rowRange.lowerBound)))),
                               ("width", SVGNumber.text(Double(colRange.count) * frame.scale)),
                               ("height", SVGNumber.text(frame.y(Double(rowRange.upperBound) + 1) - frame.y(Double(rowRange.lowerBound)))),
                               ("fill", "none"), ("stroke", "#1f5fa8"), ("stroke-width", "2"), ("stroke-dasharray", "7 4"),
                               ("class", "rf theoretical")])
            svg.element("title", [], "theoretical receptive field of the centre unit \(Self.indexText(centreUnit))")
            svg.end()
        }
        frame.outline(&svg, inputSize: geometry.inputSize, axisNames: axisNames)

        // Colour bar.
        let barX = frame.left + frame.plotWidth + 34, barTop = frame.top, barHeight = Swift.min(frame.plotHeight, 200)
        svg.start("defs")
        svg.start("linearGradient", [("id", "erf-scale"), ("x1", "0"), ("y1", "1"), ("x2", "0"), ("y2", "0")])
        for stop in stride(from: 0.0, through: 1.0, by: 0.125) {
            let (r, g, b) = Self.colour(stop)
            svg.empty("stop", [("offset", SVGNumber.text(stop)), ("stop-color", "rgb(\(r),\(g),\(b))")])
        }
        svg.end()
        svg.end()
        svg.empty("rect", [("x", SVGNumber.text(barX)), ("y", SVGNumber.text(barTop)), ("width", "12"),
                           ("height", SVGNumber.text(barHeight)), ("fill", "url(#erf-scale)"), ("stroke", "#9aa5b4")])
        for (value, label) in [(1.0, "1 (peak)"), (0.5, "0.5"), (0.0, "0")] {
            svg.element("text", [("x", SVGNumber.text(barX + 16)), ("y", SVGNumber.text(barTop + (1 - value) * barHeight + 3.5)),
                                 ("class", "small")], label)
        }
        if !fixed.isEmpty {
            svg.element("text", [("x", SVGNumber.text(frame.left)), ("y", SVGNumber.text(height - 4)), ("class", "small")],
                        "slice at " + fixed.enumerated().map { "\(axisNames[$0]) = \($1)" }.joined(separator: ", "))
        }
        svg.end()
        return svg.text
    }

    private func heatmapCaption(_ field: EffectiveField) -> String {
        var text = "Effective receptive field of the centre unit \(Self.indexText(centreUnit)) of \(node.name): "
        text += "the gradient of that unit with respect to each input pixel in a copy of the network with one channel, "
        text += "every weight 1, activations and batch norm as the identity and max pooling as average pooling "
        text += "(the backward pass of fovea rf --verify, not binarised). Through convolutions and additions a value "
        text += "counts the paths from the pixel to the unit; average pooling divides by its window. Exact in "
        text += "single precision (power-of-two rescaling after each layer), scaled to a peak of 1; colours are linear. "
        text += "Dashed: the theoretical receptive field; padding (hatched) receives no gradient. "
        var spreads: [String] = []
        for axis in field.inputSize.indices {
            let profile = field.profile(axis: axis)
            let r = node.axes[axis].receptiveField
            spreads.append("\(Self.shortestRun(profile, holding: 0.5)) of r = \(r) pixels along \(axisNames[axis])")
        }
        text += "Half of the gradient mass lies within " + spreads.joined(separator: " and ") + "."
        return text
    }
}
