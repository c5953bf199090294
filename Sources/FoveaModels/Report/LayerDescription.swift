import FoveaGeometry

extension Layer {
    /// The operation's name as a spec file writes it (`conv`, `maxpool`, `relu`, …).
    public var operationName: String {
        switch self {
        case .convolution: return "conv"
        case .transposedConvolution: return "conv_transpose"
        case .pooling(let pool):
            switch pool.kind {
            case .max: return "maxpool"
            case .average: return "avgpool"
            case .lp: return "lppool"
            }
        case .adaptivePooling(let pool): return pool.kind == .max ? "adaptive_maxpool" : "adaptive_avgpool"
        case .globalPooling(let kind): return kind == .max ? "global_maxpool" : "global_avgpool"
        case .resize: return "resize"
        case .pad: return "pad"
        case .slice: return "slice"
        case .batchNorm: return "batchnorm"
        case .pointwise(let name): return name
        case .flatten: return "flatten"
        case .linear: return "linear"
        case .add: return "add"
        case .multiply: return "multiply"
        case .concat: return "concat"
        }
    }

    /// The operation with the hyperparameters that shape the geometry, e.g. `conv 7×7 s2 p3`,
    /// `maxpool 3×3 s2 p1 ceil`, `resize ×2 nearest`.
    public var summary: String {
        var parts = [operationName]
        switch self {
        case .convolution(let conv):
            parts += Self.window(conv.window)
            if conv.groups != 1 { parts.append("g\(conv.groups)") }
        case .pooling(let pool):
            parts += Self.window(pool.window)
            if case .lp(let p) = pool.kind { parts.append("p=\(ReportNumber.text(p))") }
        case .transposedConvolution(let conv):
            parts.append(conv.kernel.map(String.init).joined(separator: "×"))
            if conv.stride.contains(where: { $0 != 1 }) { parts.append("s" + ReportNumber.axes(conv.stride)) }
            if conv.dilation.contains(where: { $0 != 1 }) { parts.append("d" + ReportNumber.axes(conv.dilation)) }
            if let padding = Self.padding(begin: conv.padBegin, end: conv.padEnd) { parts.append("p" + padding) }
            if conv.outputPadding.contains(where: { $0 != 0 }) { parts.append("op" + ReportNumber.axes(conv.outputPadding)) }
            if conv.groups != 1 { parts.append("g\(conv.groups)") }
        case .adaptivePooling(let pool):
            parts.append("→" + pool.outputSize.map { $0.map(String.init) ?? "n" }.joined(separator: "×"))
        case .resize(let resize):
            switch resize.target {
            case .scales(let scales): parts.append("×" + ReportNumber.axes(scales.map(ReportNumber.text)))
            case .sizes(let sizes): parts.append("→" + sizes.map(String.init).joined(separator: "×"))
            }
            switch resize.mode {
            case .nearest: parts.append("nearest")
            case .linear: parts.append("linear")
            case .cubic: parts.append("cubic")
            }
        case .pad(let pad):
            parts.append(Self.padding(begin: pad.begin, end: pad.end) ?? "0")
        case .slice(let slice):
            let axes = slice.start.indices.map { axis -> String in
                let end = slice.end[axis]
                let endText = end == Int.max || end == Int.min ? "" : String(end)
                return "\(slice.start[axis]):\(endText)" + (slice.step[axis] == 1 ? "" : ":\(slice.step[axis])")
            }
            parts.append("[" + axes.joined(separator: ", ") + "]")
        case .linear(let linear):
            if let out = linear.outFeatures { parts.append(String(out)) }
        case .globalPooling, .batchNorm, .pointwise, .flatten, .add, .multiply, .concat:
            break
        }
        return parts.joined(separator: " ")
    }

    private static func window(_ window: SlidingWindow) -> [String] {
        var parts = [window.kernel.map(String.init).joined(separator: "×")]
        if window.stride.contains(where: { $0 != 1 }) { parts.append("s" + ReportNumber.axes(window.stride)) }
        if window.dilation.contains(where: { $0 != 1 }) { parts.append("d" + ReportNumber.axes(window.dilation)) }
        switch window.padding {
        case .sameUpper: parts.append("same")
        case .sameLower: parts.append("same_lower")
        case .valid: break
        case .explicit(let begin, let end):
            if let padding = padding(begin: begin, end: end) { parts.append("p" + padding) }
        }
        if window.ceilMode { parts.append("ceil") }
        return parts
    }

    /// `1`, `1×2`, or `0/1` (begin/end) per axis; nil when there is none.
    private static func padding(begin: [Int], end: [Int]) -> String? {
        guard begin.contains(where: { $0 != 0 }) || end.contains(where: { $0 != 0 }) else { return nil }
        let axes = begin.indices.map { begin[$0] == end[$0] ? "\(begin[$0])" : "\(begin[$0])/\(end[$0])" }
        return ReportNumber.axes(axes)
    }
}
