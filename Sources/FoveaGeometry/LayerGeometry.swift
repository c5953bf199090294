/// Which padding a pooling window may have.
public enum PoolPaddingRule: Sendable, Hashable {
    /// Any padding, as ONNX allows (a window may lie entirely in padding).
    case unrestricted
    /// PyTorch's rule: every padding at most `kernel / 2` (rounded down); larger → `GeometryError`.
    case pytorch
}

/// Propagates sizes, channels and receptive fields through one node.
struct LayerGeometry {
    let node: Node
    let networkInputSize: [Int]
    let poolPaddingRule: PoolPaddingRule

    var name: String { node.name }
    var rank: Int { networkInputSize.count }

    /// The node's output, its parameter count and, for merges, the alignment diagnosis.
    func output(from inputs: [(name: String, state: TensorState)]) throws(GeometryError)
        -> (TensorState, parameters: Int?, merge: MergeDiagnosis?) {
        switch node.layer {
        case .add, .multiply, .concat:
            let (state, diagnosis) = try MergeGeometry(node: node, networkInputSize: networkInputSize).output(from: inputs)
            return (state, 0, diagnosis)
        default:
            guard inputs.count == 1, let input = inputs.first else {
                throw .invalidParameter(node: name, parameter: "inputs", axis: nil, value: inputs.count,
                                        requirement: "must be exactly 1")
            }
            let (state, parameters) = try output(from: input.state)
            return (state, parameters, nil)
        }
    }

    /// The output of a single-input layer and its parameter count.
    private func output(from input: TensorState) throws(GeometryError) -> (TensorState, parameters: Int?) {
        var result = input
        var parameters: Int? = 0
        switch node.layer {
        case .convolution(let conv):
            try checkGroups(conv.groups, inChannels: input.channels, outChannels: conv.outChannels)
            let window = try conv.window.resolved(inputSize: input.size, node: name)
            try applyWindow(window, to: &result)
            result.channels = conv.outChannels
            parameters = try weightCount(in: input.channels, out: conv.outChannels, groups: conv.groups,
                                         kernel: window.kernel, bias: conv.bias, transposed: false)
        case .pooling(let pool):
            let window = try pool.window.resolved(inputSize: input.size, node: name)
            if poolPaddingRule == .pytorch {
                for axis in 0..<rank {
                    let padding = Swift.max(window.padBegin[axis], window.padEnd[axis])
                    guard padding <= window.kernel[axis] / 2 else {
                        throw .poolPaddingExceedsHalfKernel(node: name, axis: axis, padding: padding,
                                                            kernel: window.kernel[axis])
                    }
                }
            }
            try applyWindow(window, to: &result)
        case .transposedConvolution(let conv):
            try checkGroups(conv.groups, inChannels: input.channels, outChannels: conv.outChannels)
            try applyTransposed(conv, to: &result)
            result.channels = conv.outChannels
            parameters = try weightCount(in: input.channels, out: conv.outChannels, groups: conv.groups,
                                         kernel: conv.kernel, bias: conv.bias, transposed: true)
        case .adaptivePooling(let pool):
            try checkRank("output size", pool.outputSize.count)
            var reducesAll = true
            for axis in 0..<rank {
                let n = input.size[axis]
                let m = pool.outputSize[axis] ?? n
                guard m >= 1 else {
                    throw .invalidParameter(node: name, parameter: "output size", axis: axis, value: m,
                                            requirement: "must be at least 1")
                }
                if m == 1 {
                    try reduce(axis, into: &result)
                } else {
                    reducesAll = false
                    let window = { (j: Int) throws(AxisError) -> ClosedRange<Int> in
                        let start = floorDivision(try j.times(n), m)
                        let end = ceilDivision(try (j + 1).times(n), m) - 1
                        return start...end
                    }
                    try update(axis, of: &result, size: m) { map, reach throws(AxisError) in
                        (try map.ranges(outputCount: m, window), try reach.ranges(map: map, outputCount: m, window))
                    }
                }
            }
            if reducesAll { result.flagReduction(networkInputSize: networkInputSize) }
        case .globalPooling:
            try reduceAll(into: &result)
        case .resize(let resize):
            try applyResize(resize, to: &result)
        case .pad(let pad):
            try checkRank("pad begin", pad.begin.count)
            try checkRank("pad end", pad.end.count)
            for axis in 0..<rank {
                let n = input.size[axis]
                let out = try onAxis(axis) { () throws(AxisError) in try n.plus(pad.begin[axis]).plus(pad.end[axis]) }
                guard out >= 1 else { throw .emptyOutput(node: name, axis: axis, size: out) }
                try update(axis, of: &result, size: out) { map, reach throws(AxisError) in
                    let start = try 0.minus(pad.begin[axis])
                    return (try map.indexMap(start: start, step: 1, outputCount: out),
                            try reach.indexMap(map: map, start: start, step: 1, outputCount: out))
                }
            }
        case .slice(let slice):
            try applySlice(slice, to: &result)
        case .batchNorm:
            parameters = try input.channels.map { c throws(GeometryError) in try count { () throws(AxisError) in try 2.times(c) } }
        case .pointwise(let op):
            let key = op.lowercased().filter { $0 != "_" && $0 != "-" && $0 != " " }
            parameters = Self.parameterFreeOperations.contains(key) ? 0 : nil
        case .flatten:
            let features = try featureCount(input)
            try reduceAll(into: &result)
            result.channels = features
        case .linear(let linear):
            if let out = linear.outFeatures, out < 1 {
                throw .invalidParameter(node: name, parameter: "out features", axis: nil, value: out,
                                        requirement: "must be at least 1")
            }
            let features = try featureCount(input)
            try reduceAll(into: &result)
            result.channels = linear.outFeatures
            if let features, let out = linear.outFeatures {
                parameters = try count { () throws(AxisError) in try features.times(out).plus(linear.bias ? out : 0) }
            } else {
                parameters = nil
            }
        case .add, .multiply, .concat:
            // A merge of one tensor (Network allows none; kept for exhaustiveness) is an identity.
            break
        }
        return (result, parameters)
    }

    /// Activations and other per-element operations known to have no parameters (names compared
    /// in lower case without `_`, `-` and spaces).
    static let parameterFreeOperations: Set<String> = [
        "relu", "relu6", "leakyrelu", "elu", "selu", "celu", "gelu", "silu", "swish", "hardswish",
        "hardsigmoid", "sigmoid", "tanh", "hardtanh", "mish", "softplus", "softsign", "softmax",
        "logsoftmax", "dropout", "dropout2d", "dropout3d", "alphadropout", "identity",
        "stochasticdepth", "clip", "abs", "neg", "exp", "log", "sqrt", "permute", "transpose",
        "reshape", "contiguous",
    ]

    // MARK: - Layer kinds

    private func applyWindow(_ window: ResolvedWindow, to result: inout TensorState) throws(GeometryError) {
        for axis in 0..<rank {
            let (k, s, d, pb) = (window.kernel[axis], window.stride[axis], window.dilation[axis], window.padBegin[axis])
            let n = window.outputSize[axis]
            try update(axis, of: &result, size: n) { map, reach throws(AxisError) in
                (try map.window(kernel: k, stride: s, dilation: d, padBegin: pb, outputCount: n),
                 try reach.window(map: map, kernel: k, stride: s, dilation: d, padBegin: pb, outputCount: n))
            }
        }
    }

    private func applyTransposed(_ conv: TransposedConvolution, to result: inout TensorState) throws(GeometryError) {
        let lists = [("kernel", conv.kernel), ("stride", conv.stride), ("dilation", conv.dilation),
                     ("padding begin", conv.padBegin), ("padding end", conv.padEnd),
                     ("output padding", conv.outputPadding)]
        for (parameter, list) in lists {
            try checkRank(parameter, list.count)
            let minimum = parameter.hasPrefix("pad") || parameter.hasPrefix("output") ? 0 : 1
            for (axis, value) in list.enumerated() where value < minimum {
                throw .invalidParameter(node: name, parameter: parameter, axis: axis, value: value,
                                        requirement: minimum == 0 ? "must not be negative" : "must be at least 1")
            }
        }
        for axis in 0..<rank {
            let n = result.size[axis], k = conv.kernel[axis], s = conv.stride[axis], d = conv.dilation[axis]
            let out = try onAxis(axis) { () throws(AxisError) in
                try (n - 1).times(s).minus(conv.padBegin[axis]).minus(conv.padEnd[axis])
                    .plus(AffineReceptiveField.effectiveKernel(k, d)).plus(conv.outputPadding[axis])
            }
            guard out >= 1 else { throw .emptyOutput(node: name, axis: axis, size: out) }
            let pb = conv.padBegin[axis]
            try update(axis, of: &result, size: out) { map, reach throws(AxisError) in
                (try map.transposedWindow(kernel: k, stride: s, dilation: d, padBegin: pb, inputCount: n, outputCount: out),
                 try reach.transposedWindow(map: map, kernel: k, stride: s, dilation: d, padBegin: pb, outputCount: out))
            }
        }
    }

    private func applyResize(_ resize: Resize, to result: inout TensorState) throws(GeometryError) {
        for axis in 0..<rank {
            let n = result.size[axis]
            let out: Int, scale: Double
            switch resize.target {
            case .scales(let scales):
                try checkRank("scales", scales.count)
                scale = scales[axis]
                guard scale.isFinite && scale > 0 else { throw .invalidScale(node: name, axis: axis, scale: scale) }
                let size = (Double(n) * scale).rounded(.down)
                guard size >= 1 else { throw .emptyOutput(node: name, axis: axis, size: 0) }
                guard size <= Double(maximumTableLength) else {
                    throw .tableTooLarge(node: name, axis: axis, size: size < 9e18 ? Int(size) : Int.max,
                                         limit: maximumTableLength)
                }
                out = Int(size)
            case .sizes(let sizes):
                try checkRank("sizes", sizes.count)
                out = sizes[axis]
                guard out >= 1 else {
                    throw .invalidParameter(node: name, parameter: "sizes", axis: axis, value: out,
                                            requirement: "must be at least 1")
                }
                scale = Double(out) / Double(n)
            }
            let sources = { (j: Int) throws(AxisError) -> ClosedRange<Int> in
                Self.resizeSources(unit: j, inputCount: n, outputCount: out, scale: scale, resize: resize)
            }
            try update(axis, of: &result, size: out) { map, reach throws(AxisError) in
                (try map.ranges(outputCount: out, sources), try reach.ranges(map: map, outputCount: out, sources))
            }
        }
    }

    /// The input units whose interpolation weight for output unit `j` is not zero.
    static func resizeSources(unit j: Int, inputCount n: Int, outputCount out: Int, scale: Double,
                              resize: Resize) -> ClosedRange<Int> {
        let x: Double
        switch resize.coordinateTransform {
        case .halfPixel: x = (Double(j) + 0.5) / scale - 0.5
        case .pytorchHalfPixel: x = out > 1 ? (Double(j) + 0.5) / scale - 0.5 : 0
        case .alignCorners: x = out > 1 ? Double(j) * Double(n - 1) / Double(out - 1) : 0
        case .asymmetric: x = Double(j) / scale
        case .tfHalfPixelForNN: x = (Double(j) + 0.5) / scale
        }
        func clamp(_ v: Double) -> Int { Int(Swift.min(Swift.max(v, 0), Double(n - 1))) }
        let below = x.rounded(.down)
        switch resize.mode {
        case .nearest(let rounding):
            let index: Double
            switch rounding {
            case .floor: index = below
            case .ceil: index = x.rounded(.up)
            case .roundPreferFloor: index = x - below == 0.5 ? below : x.rounded(.toNearestOrAwayFromZero)
            case .roundPreferCeil: index = x - below == 0.5 ? below + 1 : x.rounded(.toNearestOrAwayFromZero)
            }
            let unit = clamp(index)
            return unit...unit
        case .linear:
            return clamp(below)...clamp(x.rounded(.up))
        case .cubic:
            if x == below { return clamp(x)...clamp(x) }
            return clamp(below - 1)...clamp(below + 2)
        }
    }

    private func applySlice(_ slice: Slice, to result: inout TensorState) throws(GeometryError) {
        try checkRank("slice start", slice.start.count)
        try checkRank("slice end", slice.end.count)
        try checkRank("slice step", slice.step.count)
        for axis in 0..<rank {
            let n = result.size[axis], step = slice.step[axis]
            guard step != 0 else {
                throw .invalidParameter(node: name, parameter: "slice step", axis: axis, value: 0,
                                        requirement: "must not be 0")
            }
            var start = slice.start[axis], end = slice.end[axis]
            let out: Int
            if step > 0 {
                start = start < 0 ? Swift.max(start, -n) + n : Swift.min(start, n)
                end = end < 0 ? Swift.max(end, -n) + n : Swift.min(end, n)
                out = end > start ? (end - start - 1) / step + 1 : 0
            } else {
                start = start < 0 ? Swift.max(start, -n) + n : Swift.min(start, n - 1)
                end = end < 0 ? Swift.max(end, -n - 1) + n : Swift.min(end, n - 1)
                let magnitude = step == Int.min ? Int.max : -step
                out = start > end ? (start - end - 1) / magnitude + 1 : 0
            }
            guard out >= 1 else { throw .emptyOutput(node: name, axis: axis, size: out) }
            try update(axis, of: &result, size: out) { map, reach throws(AxisError) in
                (try map.indexMap(start: start, step: step, outputCount: out),
                 try reach.indexMap(map: map, start: start, step: step, outputCount: out))
            }
        }
    }

    // MARK: - Global reductions

    /// Reduces one axis to a single unit that sees the input pixels its input's units actually read.
    private func reduce(_ axis: Int, into result: inout TensorState) throws(GeometryError) {
        try update(axis, of: &result, size: 1) { map, reach throws(AxisError) in
            (try .globalReduction(reached: try reach.whole(map: map)), .allClean(count: 1))
        }
    }

    private func reduceAll(into result: inout TensorState) throws(GeometryError) {
        for axis in 0..<rank { try reduce(axis, into: &result) }
        result.flagReduction(networkInputSize: networkInputSize)
    }

    // MARK: - Channels and parameters

    private func checkGroups(_ groups: Int, inChannels: Int?, outChannels: Int?) throws(GeometryError) {
        guard groups >= 1 else {
            throw .invalidParameter(node: name, parameter: "groups", axis: nil, value: groups,
                                    requirement: "must be at least 1")
        }
        if let out = outChannels, out < 1 {
            throw .invalidParameter(node: name, parameter: "output channels", axis: nil, value: out,
                                    requirement: "must be at least 1")
        }
        for (parameter, channels) in [("input channels", inChannels), ("output channels", outChannels)] {
            if let channels, channels % groups != 0 {
                throw .channelsNotDivisible(node: name, parameter: parameter, channels: channels, groups: groups)
            }
        }
    }

    /// Convolution: `out·(in/groups)·Πk + bias`; transposed: `in·(out/groups)·Πk + bias`.
    private func weightCount(in inChannels: Int?, out outChannels: Int?, groups: Int, kernel: [Int], bias: Bool,
                             transposed: Bool) throws(GeometryError) -> Int? {
        guard let inChannels, let outChannels else { return nil }
        return try count { () throws(AxisError) in
            var weights = transposed ? try inChannels.times(outChannels / groups)
                                     : try outChannels.times(inChannels / groups)
            for k in kernel { weights = try weights.times(k) }
            return try weights.plus(bias ? outChannels : 0)
        }
    }

    /// `C·Π sizes`, the number of features after flattening.
    private func featureCount(_ input: TensorState) throws(GeometryError) -> Int? {
        guard let channels = input.channels else { return nil }
        return try count { () throws(AxisError) in
            var features = channels
            for n in input.size { features = try features.times(n) }
            return features
        }
    }

    // MARK: - Helpers

    private func checkRank(_ parameter: String, _ count: Int) throws(GeometryError) {
        guard count == rank else {
            throw .rankMismatch(node: name, parameter: parameter, count: count, spatialRank: rank)
        }
    }

    /// Replaces axis `axis` of `result` by the layer's output of `size` units: the interval map and
    /// the reach, computed by `body` from the input's.
    private func update(_ axis: Int, of result: inout TensorState, size: Int,
                        _ body: (AxisMap, ReachTable) throws(AxisError) -> (AxisMap, ReachTable)) throws(GeometryError) {
        let (map, reach) = try onAxis(axis) { () throws(AxisError) in try body(result.maps[axis], result.reaches[axis]) }
        result.maps[axis] = map
        result.reaches[axis] = reach
        result.size[axis] = size
    }

    private func onAxis<T>(_ axis: Int, _ body: () throws(AxisError) -> T) throws(GeometryError) -> T {
        do { return try body() } catch { throw GeometryError(error, node: name, axis: axis) }
    }

    private func count(_ body: () throws(AxisError) -> Int) throws(GeometryError) -> Int {
        do { return try body() } catch { throw .overflow(node: name, axis: nil) }
    }
}
