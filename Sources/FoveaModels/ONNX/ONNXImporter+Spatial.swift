import FoveaGeometry

/// Sliding windows, padding, resampling and slicing: the operators that change spatial geometry.
extension ONNXImporter {
    /// Gives spatial axes that were reduced to size 1 their channels-first positions back when
    /// the tensor has size-1 axes there, so a later spatial operator can address them.
    func rebound(_ x: DynamicTensor) -> DynamicTensor {
        let present = x.presentSpatialAxes
        guard present.count < spatialRank, x.rank == spatialRank + 2 else { return x }
        var y = x
        for a in 0..<spatialRank where !present.contains(a) {
            guard x.shape[2 + a] == 1, x.kind(2 + a) == .plain else { return x }
            y.parts[2 + a] = [AxisPart(size: 1, spatial: a)]
        }
        return spatialOrderKept(y.parts) && y.spatialAxes.allSatisfy({ $0 != nil }) ? y : x
    }

    /// For an operator that works on axes `2…` (Conv, pooling): `true` when those are the
    /// network's spatial axes, `false` when the tensor has none left (the operator then mixes
    /// non-spatial values only); throws when the spatial axes are elsewhere.
    func bindsSpatialAxes(_ x: DynamicTensor, windowRank: Int, _ node: ONNXNodeContext) throws(ONNXError) -> Bool {
        if windowRank == spatialRank, (0..<x.rank).allSatisfy({ t in
            t < 2 ? x.kind(t) == .plain : x.kind(t) == .spatial(t - 2)
        }) { return true }
        if x.isGlobal { return false }
        throw node.error("works on axes 2…\(windowRank + 1) of a tensor laid out as \(describe(x)); "
                         + "only channels-first layouts are supported")
    }

    /// A short description of a tensor's layout for error messages, e.g. `[N, C, h, w]`.
    func describe(_ x: DynamicTensor) -> String {
        let names = spatialRank == 2 ? ["h", "w"] : (0..<spatialRank).map { "s\($0)" }
        let axes = x.parts.map { axis -> String in
            let text = axis.filter { $0.size != 1 || $0.spatial != nil }
                .map { $0.spatial.map { names[$0] } ?? String($0.size) }
            return text.isEmpty ? "1" : text.joined(separator: "·")
        }
        return "[" + axes.joined(separator: ", ") + "]"
    }

    /// Reads strides, dilations, pads, auto_pad and ceil_mode into a window over `kernel`.
    func slidingWindow(_ node: ONNXNodeContext, kernel: [Int]) throws(ONNXError) -> SlidingWindow {
        let r = kernel.count
        if let bad = kernel.firstIndex(where: { $0 < 1 || $0 > ONNXLimits.maxDimension }) {
            throw node.error("kernel size \(kernel[bad]) on axis \(bad) is out of range")
        }
        let strides = try node.axisList("strides", count: r, minimum: 1, default: 1)
        let dilations = try node.axisList("dilations", count: r, minimum: 1, default: 1)
        try checkEffectiveKernel(node, kernel: kernel, dilation: dilations)
        let ceilMode = (try node.int("ceil_mode") ?? 0) != 0
        let padding: Padding
        switch try node.string("auto_pad") ?? "NOTSET" {
        case "NOTSET", "":
            let pads = try node.axisList("pads", count: 2 * r, minimum: 0, default: 0)
            padding = .explicit(begin: Array(pads[..<r]), end: Array(pads[r...]))
        case "SAME_UPPER": padding = .sameUpper
        case "SAME_LOWER": padding = .sameLower
        case "VALID": padding = .valid
        case let other: throw node.error("auto_pad '\(other)' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID")
        }
        return SlidingWindow(kernel: kernel, stride: strides, dilation: dilations, padding: padding, ceilMode: ceilMode)
    }

    /// Refuses kernels whose dilated extent `d·(k − 1) + 1` exceeds 2^31 − 1 (keeps later arithmetic exact).
    func checkEffectiveKernel(_ node: ONNXNodeContext, kernel: [Int], dilation: [Int]) throws(ONNXError) {
        for a in kernel.indices {
            let (span, overflow) = dilation[a].multipliedReportingOverflow(by: kernel[a] - 1)
            guard !overflow, span < ONNXLimits.maxDimension else {
                throw node.error("dilated kernel \(kernel[a]) × \(dilation[a]) on axis \(a) is larger than \(ONNXLimits.maxDimension)")
            }
        }
    }

    /// Output sizes of a window over the spatial dims `sizes`, by the ONNX/PyTorch rules.
    func windowOutput(_ sizes: [Int], _ w: SlidingWindow, _ node: ONNXNodeContext) throws(ONNXError) -> [Int] {
        var out: [Int] = []
        for (a, n) in sizes.enumerated() {
            let k = w.dilation[a] * (w.kernel[a] - 1) + 1, s = w.stride[a]
            let size: Int
            switch w.padding {
            case .explicit(let begin, let end):
                let span = n + begin[a] + end[a] - k
                guard span >= 0 else {
                    throw node.error("effective kernel \(k) exceeds the padded input \(n + begin[a] + end[a]) on spatial axis \(a)")
                }
                var count = (w.ceilMode ? (span + s - 1) / s : span / s) + 1
                if w.ceilMode, (count - 1) * s >= n + begin[a] { count -= 1 }
                size = count
            case .sameUpper, .sameLower:
                size = (n + s - 1) / s
            case .valid:
                guard n >= k else { throw node.error("effective kernel \(k) exceeds the input \(n) on spatial axis \(a) (VALID)") }
                size = (n - k) / s + 1
            }
            out.append(size)
        }
        return out
    }

    // MARK: - Convolution

    mutating func importConvolution(_ node: ONNXNodeContext, _ inputs: [TensorValue?]) throws(ONNXError) {
        let x = rebound(try dynamicInput(node, inputs))
        let r = x.rank - 2
        guard r >= 1 else { throw node.error("input rank \(x.rank) has no spatial axis") }
        guard let weight = constantInput(node, inputs, at: 1) else { throw node.error("the weight input is missing") }
        let wShape = weight.shape
        if let ws = wShape, ws.count != r + 2 {
            throw node.error("weight '\(node.inputs[1])' has rank \(ws.count), expected \(r + 2)")
        }
        let kernel: [Int]
        if node.has("kernel_shape") {
            kernel = try node.axisList("kernel_shape", count: r, minimum: 1, default: 1)
        } else if let ws = wShape {
            kernel = Array(ws[2...])
        } else {
            throw node.error("kernel_shape is absent and the shape of weight '\(node.inputs[1])' is unknown")
        }
        guard let ws = wShape else { throw node.error("the shape of weight '\(node.inputs[1])' is unknown, so are the output channels") }
        let groups = try node.int("group") ?? 1
        guard groups >= 1, groups <= ONNXLimits.maxDimension else { throw node.error("group \(groups) is out of range") }
        guard x.shape[1] == ws[1] * groups else {
            throw node.error("input has \(x.shape[1]) channels, weight expects \(ws[1]) × group \(groups)")
        }
        let window = try slidingWindow(node, kernel: kernel)
        let spatial = try bindsSpatialAxes(x, windowRank: r, node)
        let shape = [x.shape[0], ws[0]] + (try windowOutput(Array(x.shape[2...]), window, node))
        let bias = inputs.count > 2 && inputs[2] != nil
        let layer: Layer = spatial
            ? .convolution(Convolution(window: window, outChannels: ws[0], groups: groups, bias: bias))
            : .pointwise("conv")
        try produce(node, layer, inputs: [x], shape: shape, like: x)
    }

    mutating func importTransposedConvolution(_ node: ONNXNodeContext, _ inputs: [TensorValue?]) throws(ONNXError) {
        let x = rebound(try dynamicInput(node, inputs))
        let r = x.rank - 2
        guard r >= 1 else { throw node.error("input rank \(x.rank) has no spatial axis") }
        guard let ws = constantInput(node, inputs, at: 1)?.shape else {
            throw node.error("the shape of weight '\(node.inputs.count > 1 ? node.inputs[1] : "")' is unknown")
        }
        guard ws.count == r + 2 else { throw node.error("weight has rank \(ws.count), expected \(r + 2)") }
        let groups = try node.int("group") ?? 1
        guard groups >= 1, groups <= ONNXLimits.maxDimension else { throw node.error("group \(groups) is out of range") }
        guard x.shape[1] == ws[0] else { throw node.error("input has \(x.shape[1]) channels, weight expects \(ws[0])") }
        let kernel = node.has("kernel_shape")
            ? try node.axisList("kernel_shape", count: r, minimum: 1, default: 1) : Array(ws[2...])
        let stride = try node.axisList("strides", count: r, minimum: 1, default: 1)
        let dilation = try node.axisList("dilations", count: r, minimum: 1, default: 1)
        if let bad = kernel.firstIndex(where: { $0 < 1 || $0 > ONNXLimits.maxDimension }) {
            throw node.error("kernel size \(kernel[bad]) on axis \(bad) is out of range")
        }
        try checkEffectiveKernel(node, kernel: kernel, dilation: dilation)
        var outputPadding = try node.axisList("output_padding", count: r, minimum: 0, default: 0)
        let autoPad = try node.string("auto_pad") ?? "NOTSET"
        guard ["NOTSET", "", "SAME_UPPER", "SAME_LOWER", "VALID"].contains(autoPad) else {
            throw node.error("auto_pad '\(autoPad)' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID")
        }
        let n = Array(x.shape[2...])
        let effective = (0..<r).map { dilation[$0] * (kernel[$0] - 1) + 1 }
        var begin = [Int](repeating: 0, count: r), end = begin
        var target: [Int]?
        if var requested = try node.ints("output_shape") {
            if requested.count == r + 2 { requested = Array(requested[2...]) }
            guard requested.count == r, requested.allSatisfy({ $0 >= 1 && $0 <= ONNXLimits.maxDimension }) else {
                throw node.error("output_shape \(requested) does not give \(r) positive spatial sizes")
            }
            target = requested
        } else if autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER" {
            target = (0..<r).map { n[$0] * stride[$0] }
        } else if autoPad == "NOTSET" || autoPad.isEmpty {
            let pads = try node.axisList("pads", count: 2 * r, minimum: 0, default: 0)
            begin = Array(pads[..<r])
            end = Array(pads[r...])
        }
        if let target {
            // ONNX: total padding = s(n − 1) + output_padding + d(k − 1) + 1 − output size, split
            // with the odd pixel at the end for SAME_UPPER and at the beginning otherwise.
            for a in 0..<r {
                let total = stride[a] * (n[a] - 1) + outputPadding[a] + effective[a] - target[a]
                if total >= 0 {
                    begin[a] = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2
                    end[a] = total - begin[a]
                } else {
                    outputPadding[a] -= total
                }
            }
        }
        var shape = [x.shape[0], ws[1] * groups]
        for a in 0..<r {
            let size = stride[a] * (n[a] - 1) + outputPadding[a] + effective[a] - begin[a] - end[a]
            guard size >= 1 else { throw node.error("output size \(size) on spatial axis \(a) is not positive") }
            shape.append(size)
        }
        let spatial = try bindsSpatialAxes(x, windowRank: r, node)
        let layer: Layer = spatial
            ? .transposedConvolution(TransposedConvolution(
                kernel: kernel, stride: stride, dilation: dilation, padBegin: begin, padEnd: end,
                outputPadding: outputPadding, outChannels: shape[1], groups: groups,
                bias: inputs.count > 2 && inputs[2] != nil))
            : .pointwise("convtranspose")
        try produce(node, layer, inputs: [x], shape: shape, like: x)
    }

    // MARK: - Pooling

    mutating func importPooling(_ node: ONNXNodeContext, _ inputs: [TensorValue?]) throws(ONNXError) {
        let x = rebound(try dynamicInput(node, inputs))
        let r = x.rank - 2
        guard r >= 1 else { throw node.error("input rank \(x.rank) has no spatial axis") }
        guard node.has("kernel_shape") else { throw node.error("attribute 'kernel_shape' is missing") }
        let kernel = try node.axisList("kernel_shape", count: r, minimum: 1, default: 1)
        let window = try slidingWindow(node, kernel: kernel)
        let kind: PoolKind
        switch node.op {
        case "MaxPool": kind = .max
        case "AveragePool": kind = .average
        default: kind = .lp(try node.number("p") ?? 2)
        }
        let countIncludePad = (try node.int("count_include_pad") ?? 0) != 0
        let spatial = try bindsSpatialAxes(x, windowRank: r, node)
        let shape = Array(x.shape[..<2]) + (try windowOutput(Array(x.shape[2...]), window, node))
        let layer: Layer = spatial
            ? .pooling(Pooling(kind: kind, window: window, countIncludePad: countIncludePad))
            : .pointwise(node.op.lowercased())
        try produce(node, layer, inputs: [x], shape: shape, like: x)
    }

    mutating func importGlobalPooling(_ node: ONNXNodeContext, _ inputs: [TensorValue?]) throws(ONNXError) {
        let x = rebound(try dynamicInput(node, inputs))
        guard x.rank >= 3 else { throw node.error("input rank \(x.rank) has no spatial axis") }
        let kind: PoolKind = node.op == "GlobalMaxPool" ? .max
            : node.op == "GlobalAveragePool" ? .average : .lp(try node.number("p") ?? 2)
        let spatial = try bindsSpatialAxes(x, windowRank: x.rank - 2, node)
        let shape = Array(x.shape[..<2]) + Array(repeating: 1, count: x.rank - 2)
        try produce(node, spatial ? .globalPooling(kind) : .pointwise(node.op.lowercased()),
                    inputs: [x], shape: shape, like: x)
    }

    // MARK: - Pad

    mutating func importPad(_ node: ONNXNodeContext, _ inputs: [TensorValue?]) throws(ONNXError) {
        let x = rebound(try dynamicInput(node, inputs))
        let mode: Pad.Mode
        switch try node.string("mode") ?? "constant" {
        case "constant": mode = .constant
        case "reflect": mode = .reflect
        case "edge": mode = .edge
        case let other: throw node.error("mode '\(other)' is not supported (constant, reflect, edge)")
        }
        let pads: [Int]
        if node.opset < 11 {
            let given = try node.ints("pads")
            guard let p = given else { throw node.error("attribute 'pads' is missing") }
            pads = p
        } else {
            guard let p = try constantInts(node, inputs, at: 1, "pads") else { throw node.error("input 'pads' is missing") }
            pads = p
        }
        var axes = Array(0..<x.rank)
        if node.opset >= 18, let given = try constantInts(node, inputs, at: 3, "axes") {
            axes = try given.map { (a) throws(ONNXError) -> Int in try normalizedAxis(a, rank: x.rank, node) }
            guard Set(axes).count == axes.count else { throw node.error("axes \(given) repeat an axis") }
        }
        guard pads.count == 2 * axes.count else {
            throw node.error("pads has \(pads.count) values, expected \(2 * axes.count)")
        }
        var shape = x.shape
        var begin = [Int](repeating: 0, count: spatialRank), end = begin
        for (i, t) in axes.enumerated() {
            let b = pads[i], e = pads[i + axes.count]
            let limit = -ONNXLimits.maxDimension...ONNXLimits.maxDimension  // abs(Int.min) would trap
            guard limit.contains(b), limit.contains(e) else {
                throw node.error("pads \(b), \(e) on axis \(t) are out of range")
            }
            shape[t] += b + e
            guard shape[t] >= 0 else { throw node.error("padding \(b), \(e) leaves axis \(t) of size \(x.shape[t]) empty") }
            switch x.kind(t) {
            case .spatial(let a):
                begin[a] = b
                end[a] = e
            case .folded where b != 0 || e != 0:
                throw node.error("pads axis \(t) of \(describe(x)), which merges a spatial axis with others")
            default: break
            }
        }
        let layer: Layer = x.isGlobal ? .pointwise("pad") : .pad(Pad(begin: begin, end: end, mode: mode))
        try produce(node, layer, inputs: [x], shape: shape, like: x)
    }

    // MARK: - Resize / Upsample

    mutating func importResize(_ node: ONNXNodeContext, _ inputs: [TensorValue?]) throws(ONNXError) {
        let x = rebound(try dynamicInput(node, inputs))
        let legacy = node.op == "Upsample" || node.opset < 11
        var scales: [Double]?
        var sizes: [Int]?
        if node.op == "Upsample", node.opset < 9 {
            scales = try node.floats("scales")
        } else if legacy {
            scales = try constantDoubles(node, inputs, at: 1, "scales")
        } else {
            scales = try constantDoubles(node, inputs, at: 2, "scales")
            sizes = try constantInts(node, inputs, at: 3, "sizes")
        }
        if scales?.isEmpty == true { scales = nil }
        if sizes?.isEmpty == true { sizes = nil }
        var axes = Array(0..<x.rank)
        if !legacy, node.opset >= 18, let given = try node.ints("axes") {
            axes = try given.map { (a) throws(ONNXError) -> Int in try normalizedAxis(a, rank: x.rank, node) }
            guard Set(axes).count == axes.count else { throw node.error("axes \(given) repeat an axis") }
        }
        var shape = x.shape
        var usesScales = false
        if let scales {
            guard scales.count == axes.count else { throw node.error("scales has \(scales.count) values, expected \(axes.count)") }
            for (i, t) in axes.enumerated() {
                let s = scales[i]
                guard s.isFinite, s > 0, Double(x.shape[t]) * s < Double(ONNXLimits.maxDimension) else {
                    throw node.error("scale \(s) on axis \(t) is out of range")
                }
                shape[t] = Int((Double(x.shape[t]) * s).rounded(.down))
            }
            usesScales = true
        } else if let sizes {
            guard sizes.count == axes.count else { throw node.error("sizes has \(sizes.count) values, expected \(axes.count)") }
            if let bad = sizes.first(where: { $0 < 1 || $0 > ONNXLimits.maxDimension }) {
                throw node.error("size \(bad) is out of range 1…\(ONNXLimits.maxDimension)")
            }
            let policy = node.opset >= 18 ? try node.string("keep_aspect_ratio_policy") ?? "stretch" : "stretch"
            if policy == "stretch" {
                for (i, t) in axes.enumerated() { shape[t] = sizes[i] }
            } else {
                guard policy == "not_larger" || policy == "not_smaller" else {
                    throw node.error("keep_aspect_ratio_policy '\(policy)' is not supported")
                }
                let ratios = axes.enumerated().map { Double(sizes[$0.offset]) / Double(x.shape[$0.element]) }
                let scale = policy == "not_larger" ? ratios.min() ?? 1 : ratios.max() ?? 1
                for t in axes {
                    let size = scale * Double(x.shape[t]) + 0.5
                    guard size >= 1, size <= Double(ONNXLimits.maxDimension) else {
                        throw node.error("keep_aspect_ratio_policy gives size \(size) on axis \(t)")
                    }
                    shape[t] = Int(size)
                }
            }
        } else {
            throw node.error("neither scales nor sizes is given")
        }
        for t in shape.indices where shape[t] != x.shape[t] && x.kind(t) == .plain {
            throw node.error("resizes axis \(t) (\(x.shape[t]) → \(shape[t])), which is not spatial")
        }
        try checkShape(shape, tensor: node.tensor)

        let modeName = try node.string("mode") ?? "nearest"
        let transform: Resize.CoordinateTransform
        let rounding: Resize.NearestRounding
        if legacy {
            transform = .asymmetric
            rounding = .floor
        } else {
            let name = try node.string("coordinate_transformation_mode") ?? "half_pixel"
            guard let t = Resize.CoordinateTransform(rawValue: name) else {
                throw node.error("coordinate_transformation_mode '\(name)' is not supported")
            }
            transform = t
            let roundingName = try node.string("nearest_mode") ?? "round_prefer_floor"
            guard let r = Resize.NearestRounding(rawValue: roundingName) else {
                throw node.error("nearest_mode '\(roundingName)' is not supported")
            }
            rounding = r
        }
        let mode: Resize.Mode
        switch modeName {
        case "nearest": mode = .nearest(rounding)
        case "linear", "bilinear", "trilinear": mode = .linear
        case "cubic": mode = .cubic
        default: throw node.error("mode '\(modeName)' is not supported (nearest, linear, cubic)")
        }
        if node.opset >= 18, (try node.int("antialias") ?? 0) != 0, modeName != "nearest",
           zip(shape, x.shape).contains(where: { $0 < $1 }) {
            throw node.error("antialiased downsampling is not supported")
        }
        guard !x.isGlobal else {
            try produce(node, .pointwise("resize"), inputs: [x], shape: shape, like: x)
            return
        }
        let target: Resize.Target
        if usesScales, let scales {
            target = .scales(x.spatialAxes.map { t in t.flatMap { axes.firstIndex(of: $0) }.map { scales[$0] } ?? 1 })
        } else {
            target = .sizes(x.spatialAxes.map { t in t.map { shape[$0] } ?? 1 })
        }
        if x.presentSpatialAxes.contains(where: { x.spatialAxes[$0] == nil }) {
            throw node.error("resizes \(describe(x)), whose spatial axes are not all separate axes")
        }
        try produce(node, .resize(Resize(mode: mode, coordinateTransform: transform, target: target)),
                    inputs: [x], shape: shape, like: x)
    }

    // MARK: - Slice

    /// Starts, ends, axes (normalized) and steps of a Slice node, in either opset form.
    func sliceParameters(_ node: ONNXNodeContext, _ inputs: [TensorValue?], rank: Int) throws(ONNXError) -> (starts: [Int], ends: [Int], axes: [Int], steps: [Int]) {
        let starts: [Int], ends: [Int]
        var axes: [Int]?, steps: [Int]?
        if node.opset < 10 {
            guard let s = try node.ints("starts"), let e = try node.ints("ends") else {
                throw node.error("attributes 'starts' and 'ends' are required")
            }
            starts = s
            ends = e
            axes = try node.ints("axes")
        } else {
            guard let s = try constantInts(node, inputs, at: 1, "starts"),
                  let e = try constantInts(node, inputs, at: 2, "ends") else {
                throw node.error("inputs 'starts' and 'ends' are required")
            }
            starts = s
            ends = e
            axes = try constantInts(node, inputs, at: 3, "axes")
            steps = try constantInts(node, inputs, at: 4, "steps")
        }
        let count = starts.count
        let axisList = axes ?? Array(0..<count)
        let limit = ONNXLimits.maxDimension
        let stepList = (steps ?? Array(repeating: 1, count: count)).map { min(max($0, -limit), limit) }
        guard ends.count == count, axisList.count == count, stepList.count == count else {
            throw node.error("starts, ends, axes and steps have different lengths")
        }
        let normalized = try axisList.map { (a) throws(ONNXError) -> Int in try normalizedAxis(a, rank: rank, node) }
        guard Set(normalized).count == count else { throw node.error("axes \(axisList) repeat an axis") }
        if stepList.contains(0) { throw node.error("a step is 0") }
        return (starts, ends, normalized, stepList)
    }

    mutating func importSlice(_ node: ONNXNodeContext, _ inputs: [TensorValue?]) throws(ONNXError) {
        let x = rebound(try dynamicInput(node, inputs))
        let p = try sliceParameters(node, inputs, rank: x.rank)
        var shape = x.shape
        var start = [Int](repeating: 0, count: spatialRank)
        var end = [Int](repeating: Int(Int32.max), count: spatialRank)
        var step = [Int](repeating: 1, count: spatialRank)
        var slicesSpace = false
        for i in p.axes.indices {
            let t = p.axes[i], n = x.shape[t]
            // Clamping to ±(n + 1) keeps the ONNX meaning and keeps later arithmetic small.
            let s = min(max(p.starts[i], -(n + 1)), n + 1), e = min(max(p.ends[i], -(n + 1)), n + 1)
            shape[t] = sliceLength(n: n, start: s, end: e, step: p.steps[i])
            switch x.kind(t) {
            case .spatial(let a):
                start[a] = s
                end[a] = e
                step[a] = p.steps[i]
                slicesSpace = true
            case .folded where shape[t] != n || p.steps[i] != 1:
                throw node.error("slices axis \(t) of \(describe(x)), which merges a spatial axis with others")
            default: break
            }
        }
        let layer: Layer = slicesSpace ? .slice(Slice(start: start, end: end, step: step)) : .pointwise("slice")
        try produce(node, layer, inputs: [x], shape: shape, like: x)
    }
}

/// The length of an ONNX slice of an axis of size `n` (start/end already within ±(n + 1)).
func sliceLength(n: Int, start: Int, end: Int, step: Int) -> Int {
    var s = start < 0 ? start + n : start
    var e = end < 0 ? end + n : end
    if step > 0 {
        s = min(max(s, 0), n)
        e = min(max(e, 0), n)
        return e > s ? (e - s + step - 1) / step : 0
    }
    s = min(max(s, 0), n - 1)
    e = min(max(e, -1), n - 1)
    return s > e ? (s - e - step - 1) / -step : 0
}

/// The element indices an ONNX slice of an axis of size `n` visits.
func sliceIndices(n: Int, start: Int, end: Int, step: Int) -> [Int] {
    let count = sliceLength(n: n, start: start, end: end, step: step)
    var s = start < 0 ? start + n : start
    s = step > 0 ? min(max(s, 0), n) : min(max(s, 0), n - 1)
    return (0..<count).map { s + $0 * step }
}
