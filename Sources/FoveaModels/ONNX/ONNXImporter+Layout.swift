import FoveaGeometry

/// Operators that move, merge, split or reduce axes, and element-wise operators.
extension ONNXImporter {
    // MARK: - Element-wise

    mutating func importElementwise(_ node: ONNXNodeContext, _ inputs: [TensorValue?]) throws(ONNXError) {
        let dynamic = inputs.compactMap { $0?.dynamic }
        let shapes = inputs.compactMap { $0?.shape }
        guard let shape = broadcastShape(shapes) else {
            throw node.error("input shapes \(shapes) do not broadcast")
        }
        // The layout follows a computed input that broadcasting leaves unchanged.
        let base = dynamic.first { Array(shape.suffix($0.rank)) == $0.shape } ?? dynamic[0]
        let layout = shifted(base.spatialAxes, by: shape.count - base.rank)
        let layer: Layer
        if dynamic.count == 1 {
            layer = .pointwise(try pointwiseName(node, inputs))
        } else {
            layer = onnxMultiplicativeMerge.contains(node.op) || node.op == "PRelu" ? .multiply : .add
        }
        try produce(node, layer, inputs: dynamic, shape: shape, spatialAxes: layout)
    }

    /// The name of a pointwise layer: the operator in lower case, with Clip's bounds when known.
    private func pointwiseName(_ node: ONNXNodeContext, _ inputs: [TensorValue?]) throws(ONNXError) -> String {
        guard node.op == "Clip" else { return node.op.lowercased() }
        let bounds: [Double?]
        if node.opset < 11 {
            bounds = [try node.float("min"), try node.float("max")]
        } else {
            bounds = [1, 2].map { i in
                constantInput(node, inputs, at: i)?.values.flatMap { $0.count == 1 ? $0.asDoubles[0] : nil }
            }
        }
        func text(_ v: Double?) -> String {
            guard let v else { return "…" }
            return v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
        }
        if bounds.allSatisfy({ $0 == nil }) { return "clip" }
        return "clip(\(text(bounds[0])), \(text(bounds[1])))"
    }

    mutating func importBatchNorm(_ node: ONNXNodeContext, _ inputs: [TensorValue?]) throws(ONNXError) {
        let x = try dynamicInput(node, inputs)
        if node.opset >= 14, (try node.int("training_mode") ?? 0) != 0 {
            // Batch statistics: every output depends on the whole map.
            try importStatistics(node, x, axes: Set(0..<x.rank).subtracting([1]))
            return
        }
        try produce(node, .batchNorm, inputs: [x], shape: x.shape, spatialAxes: x.spatialAxes)
    }

    // MARK: - Normalizations

    mutating func importNormalization(_ node: ONNXNodeContext, _ inputs: [TensorValue?]) throws(ONNXError) {
        let x = try dynamicInput(node, inputs)
        let rank = x.rank
        let axes: Set<Int>
        switch node.op {
        case "InstanceNormalization": axes = Set(2..<max(rank, 2))
        case "GroupNormalization": axes = Set(1..<rank)
        case "LayerNormalization":
            axes = Set(try normalizedAxis(try node.int("axis") ?? -1, rank: rank, node)..<rank)
        case "MeanVarianceNormalization":
            let list = try node.ints("axes") ?? [0, 2, 3]
            axes = Set(try list.map { (a) throws(ONNXError) -> Int in try normalizedAxis(a, rank: rank, node) })
        case "Softmax", "LogSoftmax", "Hardmax":
            if node.opset < 13 {
                axes = Set(try normalizedAxis(try node.int("axis") ?? 1, rank: rank, node)..<rank)
            } else {
                axes = [try normalizedAxis(try node.int("axis") ?? -1, rank: rank, node)]
            }
        default:
            axes = [try normalizedAxis(try node.int("axis") ?? -1, rank: rank, node)]
        }
        try importStatistics(node, x, axes: axes)
    }

    /// An operator whose output at a position depends on that position and on statistics over
    /// `axes`: pointwise when no spatial axis is among them; otherwise the statistics are a
    /// global (or per-axis adaptive) pooling branch multiplied back, like a squeeze-and-excitation gate.
    private mutating func importStatistics(_ node: ONNXNodeContext, _ x: DynamicTensor, axes: Set<Int>) throws(ONNXError) {
        let involved = x.spatialAxes.map { $0.map(axes.contains) ?? false }
        guard involved.contains(true) else {
            try produce(node, .pointwise(node.op.lowercased()), inputs: [x], shape: x.shape, spatialAxes: x.spatialAxes)
            return
        }
        let present = x.spatialAxes.map { $0 != nil }
        let statistics: Layer = involved == present
            ? .globalPooling(.average)
            : .adaptivePooling(AdaptivePooling(kind: .average, outputSize: involved.map { $0 ? 1 : nil }))
        let stats = emit("\(node.tensor)::stats", statistics, inputs: [x.node])
        let statsTensor = DynamicTensor(node: stats, shape: x.shape, spatialAxes: x.spatialAxes)
        try produce(node, .multiply, inputs: [x, statsTensor], shape: x.shape, spatialAxes: x.spatialAxes)
    }

    // MARK: - Reductions

    mutating func importReduction(_ node: ONNXNodeContext, _ inputs: [TensorValue?]) throws(ONNXError) {
        let x = try dynamicInput(node, inputs)
        let keepDims = (try node.int("keepdims") ?? 1) != 0
        let axesAsInput = node.opset >= 18 || (node.op == "ReduceSum" && node.opset >= 13)
        var list = axesAsInput ? try constantInts(node, inputs, at: 1, "axes") : try node.ints("axes")
        if list?.isEmpty ?? true {
            if axesAsInput, (try node.int("noop_with_empty_axes") ?? 0) != 0 {
                try produce(node, .pointwise("identity"), inputs: [x], shape: x.shape, spatialAxes: x.spatialAxes)
                return
            }
            list = Array(0..<x.rank)
        }
        let axes = Set(try (list ?? []).map { (a) throws(ONNXError) -> Int in try normalizedAxis(a, rank: x.rank, node) })
        var shape: [Int] = [], map: [Int?] = []
        for t in 0..<x.rank {
            if axes.contains(t) {
                map.append(keepDims ? shape.count : nil)
                if keepDims { shape.append(1) }
            } else {
                map.append(shape.count)
                shape.append(x.shape[t])
            }
        }
        let reduced = x.spatialAxes.map { $0.map(axes.contains) ?? false }
        let layout = x.spatialAxes.map { $0.flatMap { map[$0] } }
        let kind: PoolKind
        switch node.op {
        case "ReduceMax", "ReduceMin": kind = .max
        case "ReduceL1": kind = .lp(1)
        case "ReduceL2": kind = .lp(2)
        default: kind = .average
        }
        let layer: Layer
        if !reduced.contains(true) {
            layer = .pointwise(node.op.lowercased())
        } else if reduced == x.spatialAxes.map({ $0 != nil }) {
            layer = .globalPooling(kind)
        } else {
            layer = .adaptivePooling(AdaptivePooling(kind: kind, outputSize: reduced.map { $0 ? 1 : nil }))
        }
        try produce(node, layer, inputs: [x], shape: shape, spatialAxes: layout)
    }

    // MARK: - Concat, Split, Gather

    mutating func importConcat(_ node: ONNXNodeContext, _ inputs: [TensorValue?]) throws(ONNXError) {
        let present = inputs.compactMap { $0 }
        var shapes: [[Int]] = []
        for (i, value) in present.enumerated() {
            guard let s = value.shape else { throw node.error("the shape of input \(i) is unknown") }
            shapes.append(s)
        }
        let axis = try concatAxis(node, shapes: shapes)
        var shape = shapes[0]
        shape[axis] = shapes.reduce(0) { $0 + $1[axis] }
        let dynamic = present.compactMap(\.dynamic)
        let base = dynamic[0]
        if base.spatialAxes.contains(axis) {
            throw node.error("concatenates along spatial axis \(axis); only channel concatenation is supported")
        }
        try produce(node, dynamic.count == 1 ? .pointwise("concat") : .concat, inputs: dynamic, shape: shape,
                    spatialAxes: base.spatialAxes)
    }

    /// Checks Concat input shapes and returns the normalized axis.
    func concatAxis(_ node: ONNXNodeContext, shapes: [[Int]]) throws(ONNXError) -> Int {
        guard let first = shapes.first else { throw node.error("has no inputs") }
        guard let given = try node.int("axis") ?? (node.opset < 4 ? 1 : nil) else {
            throw node.error("attribute 'axis' is missing")
        }
        let axis = try normalizedAxis(given, rank: first.count, node)
        for (i, s) in shapes.enumerated() {
            guard s.count == first.count,
                  s.indices.allSatisfy({ $0 == axis || s[$0] == first[$0] }) else {
                throw node.error("input \(i) has shape \(s), incompatible with \(first) along axis \(axis)")
            }
        }
        guard shapes.reduce(0, { $0 + $1[axis] }) <= ONNXLimits.maxDimension else {
            throw node.error("the concatenated axis is larger than \(ONNXLimits.maxDimension)")
        }
        return axis
    }

    /// The sizes of a Split node's outputs along `axis` of size `n`.
    func splitSizes(_ node: ONNXNodeContext, _ inputs: [TensorValue?], n: Int) throws(ONNXError) -> [Int] {
        let count = node.outputs.count
        let given = node.opset < 13 ? try node.ints("split") : try constantInts(node, inputs, at: 1, "split")
        if let given {
            guard given.count == count, given.allSatisfy({ $0 >= 0 }), given.reduce(0, +) == n else {
                throw node.error("split \(given) does not divide axis size \(n) into \(count) outputs")
            }
            return given
        }
        if node.opset >= 18, let parts = try node.int("num_outputs") {
            guard parts == count, parts >= 1 else { throw node.error("num_outputs \(parts) but \(count) outputs") }
            let chunk = (n + parts - 1) / parts
            let sizes = (0..<parts).map { max(0, min(chunk, n - $0 * chunk)) }
            guard sizes.reduce(0, +) == n else { throw node.error("cannot split axis size \(n) into \(parts) outputs") }
            return sizes
        }
        guard count >= 1, n % count == 0 else { throw node.error("axis size \(n) is not divisible into \(count) outputs") }
        return Array(repeating: n / count, count: count)
    }

    mutating func importSplit(_ node: ONNXNodeContext, _ inputs: [TensorValue?]) throws(ONNXError) {
        let x = rebound(try dynamicInput(node, inputs))
        let axis = try normalizedAxis(try node.int("axis") ?? 0, rank: x.rank, node)
        let sizes = try splitSizes(node, inputs, n: x.shape[axis])
        let spatialAxis = x.spatialAxes.firstIndex(of: axis)
        var offset = 0
        for (output, size) in zip(node.outputs, sizes) {
            defer { offset += size }
            guard !output.isEmpty else { continue }
            var shape = x.shape
            shape[axis] = size
            let layer: Layer
            if let a = spatialAxis {
                var start = [Int](repeating: 0, count: spatialRank), end = [Int](repeating: Int(Int32.max), count: spatialRank)
                start[a] = offset
                end[a] = offset + size
                layer = .slice(Slice(start: start, end: end))
            } else {
                layer = .pointwise("split")
            }
            let name = emit(output, layer, inputs: [x.node])
            try setDynamic(output, DynamicTensor(node: name, shape: shape, spatialAxes: x.spatialAxes), node: node)
        }
    }

    mutating func importGather(_ node: ONNXNodeContext, _ inputs: [TensorValue?]) throws(ONNXError) {
        let x = try dynamicInput(node, inputs)
        guard let indexShape = constantInput(node, inputs, at: 1)?.shape else {
            throw node.error("the shape of the indices is unknown")
        }
        let axis = try normalizedAxis(try node.int("axis") ?? 0, rank: x.rank, node)
        if x.spatialAxes.contains(axis) {
            throw node.error("gathers along spatial axis \(axis); only non-spatial axes are supported")
        }
        let shape = Array(x.shape[..<axis]) + indexShape + Array(x.shape[(axis + 1)...])
        let layout = x.spatialAxes.map { $0.map { $0 < axis ? $0 : $0 - 1 + indexShape.count } }
        try produce(node, .pointwise("gather"), inputs: [x], shape: shape, spatialAxes: layout)
    }

    mutating func importShapeOf(_ node: ONNXNodeContext, _ inputs: [TensorValue?]) throws(ONNXError) {
        let x = try dynamicInput(node, inputs)
        let value: ConstantTensor
        if node.op == "Size" {
            value = .scalar(ConstantTensor.elementCount(x.shape) ?? 0)
        } else {
            let (s, e) = try shapeRange(node, rank: x.rank)
            value = .vector(Array(x.shape[s..<e]))
        }
        for output in node.outputs where !output.isEmpty { values[output] = .constant(value) }
    }

    /// The `start`/`end` attributes of Shape (opset 15), clamped to the rank.
    func shapeRange(_ node: ONNXNodeContext, rank: Int) throws(ONNXError) -> (Int, Int) {
        func clamp(_ v: Int) -> Int { min(max(v < 0 ? v + rank : v, 0), rank) }
        let s = clamp(try node.int("start") ?? 0), e = clamp(try node.int("end") ?? rank)
        return (s, max(s, e))
    }

    // MARK: - Reshape family

    mutating func importReshape(_ node: ONNXNodeContext, _ inputs: [TensorValue?]) throws(ONNXError) {
        let x = try dynamicInput(node, inputs)
        let (shape, map) = try reshapeRule(node, inputs, shape: x.shape)
        var layout: [Int?] = []
        var lost = false
        for axis in x.spatialAxes {
            guard let axis else { layout.append(nil); continue }
            if let j = map[axis] {
                layout.append(j)
            } else {
                if x.shape[axis] != 1 { lost = true }
                layout.append(nil)
            }
        }
        if lost {
            try produce(node, .flatten, inputs: [x], shape: shape, spatialAxes: layout.map { _ in nil })
            return
        }
        if !isIncreasing(layout) {
            // Size-1 axes may trade places freely; others may not.
            layout = layout.map { $0.flatMap { shape[$0] == 1 ? nil : $0 } }
            guard isIncreasing(layout) else {
                throw node.error("reorders the spatial axes (\(x.spatialAxes.map { $0.map(String.init) ?? "-" }) → "
                                 + "\(layout.map { $0.map(String.init) ?? "-" })); the geometry cannot follow a transposition of H and W")
            }
        }
        try produce(node, .pointwise(node.op.lowercased()), inputs: [x], shape: shape, spatialAxes: layout)
    }

    private func isIncreasing(_ axes: [Int?]) -> Bool {
        let present = axes.compactMap { $0 }
        return zip(present, present.dropFirst()).allSatisfy { $0 < $1 }
    }

    /// The output shape of Reshape, Flatten, Squeeze, Unsqueeze or Transpose, and for each input
    /// axis the output axis that carries it unchanged (`nil` if it is merged, split or removed).
    func reshapeRule(_ node: ONNXNodeContext, _ inputs: [TensorValue?], shape x: [Int]) throws(ONNXError) -> ([Int], [Int?]) {
        let rank = x.count
        switch node.op {
        case "Transpose":
            let perm = try node.ints("perm") ?? Array((0..<rank).reversed())
            guard perm.count == rank, Set(perm) == Set(0..<rank) else {
                throw node.error("perm \(perm) is not a permutation of \(rank) axes")
            }
            var map = [Int?](repeating: nil, count: rank)
            for (j, i) in perm.enumerated() { map[i] = j }
            return (perm.map { x[$0] }, map)
        case "Squeeze":
            let given = node.opset < 13 ? try node.ints("axes") : try constantInts(node, inputs, at: 1, "axes")
            let axes = try given.map { list throws(ONNXError) in
                Set(try list.map { (a) throws(ONNXError) -> Int in try normalizedAxis(a, rank: rank, node) })
            } ?? Set(x.indices.filter { x[$0] == 1 })
            if let bad = axes.first(where: { x[$0] != 1 }) { throw node.error("squeezes axis \(bad) of size \(x[bad])") }
            var map = [Int?](repeating: nil, count: rank), shape: [Int] = []
            for t in 0..<rank where !axes.contains(t) {
                map[t] = shape.count
                shape.append(x[t])
            }
            return (shape, map)
        case "Unsqueeze":
            let given = node.opset < 13 ? try node.ints("axes") : try constantInts(node, inputs, at: 1, "axes")
            guard let given else { throw node.error("axes are missing") }
            let outRank = rank + given.count
            guard outRank <= ONNXLimits.maxRank else {
                throw .limitExceeded(what: "rank of '\(node.tensor)'", count: outRank, limit: ONNXLimits.maxRank)
            }
            let axes = Set(try given.map { (a) throws(ONNXError) -> Int in try normalizedAxis(a, rank: outRank, node) })
            guard axes.count == given.count else { throw node.error("axes \(given) repeat an axis") }
            var map = [Int?](repeating: nil, count: rank), shape: [Int] = []
            var next = 0
            for j in 0..<outRank {
                if axes.contains(j) {
                    shape.append(1)
                } else {
                    map[next] = j
                    shape.append(x[next])
                    next += 1
                }
            }
            return (shape, map)
        case "Flatten":
            let given = try node.int("axis") ?? 1
            guard given >= -rank, given <= rank else { throw node.error("axis \(given) is out of range for rank \(rank)") }
            let axis = given < 0 ? given + rank : given
            let shape = [x[..<axis].reduce(1, *), x[axis...].reduce(1, *)]
            return (shape, prefixMap(x, shape))
        default:
            guard let target = try constantInts(node, inputs, at: 1, "shape") else { throw node.error("input 'shape' is missing") }
            let shape = try reshapeTarget(node, target, input: x)
            return (shape, prefixMap(x, shape))
        }
    }

    /// Resolves Reshape's `0` (copy, unless allowzero) and `-1` (infer) entries.
    func reshapeTarget(_ node: ONNXNodeContext, _ target: [Int], input x: [Int]) throws(ONNXError) -> [Int] {
        guard target.count <= ONNXLimits.maxRank else {
            throw .limitExceeded(what: "rank of '\(node.tensor)'", count: target.count, limit: ONNXLimits.maxRank)
        }
        let allowZero = node.opset >= 14 ? (try node.int("allowzero") ?? 0) != 0 : false
        var shape: [Int] = []
        var inferred: Int?
        for (i, d) in target.enumerated() {
            if d == 0 && !allowZero {
                guard i < x.count else { throw node.error("shape[\(i)] = 0 copies a dimension the input does not have") }
                shape.append(x[i])
            } else if d == -1 {
                guard inferred == nil else { throw node.error("shape \(target) has more than one -1") }
                inferred = i
                shape.append(1)
            } else {
                guard d >= 0, d <= ONNXLimits.maxDimension else { throw .invalidDimension(tensor: node.tensor, field: "shape[\(i)]", value: d) }
                shape.append(d)
            }
        }
        guard let total = ConstantTensor.elementCount(x), let known = ConstantTensor.elementCount(shape) else {
            throw .invalidDimension(tensor: node.tensor, field: "element count", value: Int.max)
        }
        if let i = inferred {
            guard known > 0, total % known == 0 else { throw node.error("cannot reshape \(x) to \(target)") }
            shape[i] = total / known
        }
        guard ConstantTensor.elementCount(shape) == total else { throw node.error("cannot reshape \(x) to \(target)") }
        return shape
    }

    // MARK: - Expand

    mutating func importExpand(_ node: ONNXNodeContext, _ inputs: [TensorValue?]) throws(ONNXError) {
        let x = rebound(try dynamicInput(node, inputs))
        guard let target = try constantInts(node, inputs, at: 1, "shape") else { throw node.error("input 'shape' is missing") }
        guard target.count <= ONNXLimits.maxRank, target.allSatisfy({ $0 >= 0 && $0 <= ONNXLimits.maxDimension }),
              let shape = broadcastShape([x.shape, target]) else {
            throw node.error("cannot expand \(x.shape) to \(target)")
        }
        try checkShape(shape, tensor: node.tensor)
        let layout = shifted(x.spatialAxes, by: shape.count - x.rank)
        let grows = zip(layout, x.spatialAxes).contains { new, old in
            guard let new, let old else { return false }
            return shape[new] != x.shape[old]
        }
        let layer: Layer = grows
            ? .resize(Resize(mode: .nearest(.floor), coordinateTransform: .asymmetric,
                             target: .sizes(layout.map { $0.map { shape[$0] } ?? 1 })))
            : .pointwise("expand")
        try produce(node, layer, inputs: [x], shape: shape, spatialAxes: layout)
    }

    // MARK: - Gemm, MatMul

    mutating func importMatMul(_ node: ONNXNodeContext, _ inputs: [TensorValue?]) throws(ONNXError) {
        guard inputs.count >= 2, let a = inputs[0], let b = inputs[1] else { throw node.error("needs two inputs") }
        guard let aShape = a.shape, let bShape = b.shape else { throw node.error("the shape of a constant operand is unknown") }
        if a.dynamic != nil, b.dynamic != nil {
            throw node.error("multiplies two tensors that both depend on the input (attention); use --assume-pointwise \(node.op) to proceed")
        }
        let gemm = node.op == "Gemm"
        let transA = gemm ? (try node.int("transA") ?? 0) != 0 : false
        let transB = gemm ? (try node.int("transB") ?? 0) != 0 : false
        if gemm {
            guard aShape.count == 2, bShape.count == 2 else { throw node.error("Gemm operands must be 2-D, got \(aShape) and \(bShape)") }
        } else {
            guard aShape.count >= 1, bShape.count >= 1 else { throw node.error("MatMul operands must have rank ≥ 1") }
        }
        // Promote 1-D MatMul operands as NumPy does.
        let a2 = aShape.count == 1 ? [1] + aShape : aShape
        let b2 = bShape.count == 1 ? bShape + [1] : bShape
        let (m, kA) = transA ? (a2[a2.count - 1], a2[a2.count - 2]) : (a2[a2.count - 2], a2[a2.count - 1])
        let (kB, n) = transB ? (b2[b2.count - 1], b2[b2.count - 2]) : (b2[b2.count - 2], b2[b2.count - 1])
        guard kA == kB else { throw node.error("inner dimensions differ: \(aShape) × \(bShape)") }
        guard let batch = broadcastShape([Array(a2.dropLast(2)), Array(b2.dropLast(2))]) else {
            throw node.error("batch dimensions of \(aShape) and \(bShape) do not broadcast")
        }
        var shape = batch + [m, n]
        if gemm, inputs.count > 2, let c = inputs[2]?.shape, broadcastShape([c, shape]) != shape {
            throw node.error("bias of shape \(c) does not broadcast to \(shape)")
        }
        let x = a.dynamic ?? b.dynamic!
        let fromLeft = a.dynamic != nil
        let rank = fromLeft ? aShape.count : bShape.count
        // The axis summed over, and where the remaining axes of the computed operand end up.
        let contracted = fromLeft ? (transA ? rank - 2 : rank - 1) : (transB ? rank - 1 : rank - 2)
        if aShape.count == 1 { shape.remove(at: shape.count - 2) }
        if bShape.count == 1 { shape.removeLast() }
        let outFeatures = fromLeft ? n : m
        let bias = gemm && inputs.count > 2 && inputs[2] != nil
        if x.isGlobal || x.spatialAxes.contains(contracted) {
            try produce(node, .linear(Linear(outFeatures: outFeatures, bias: bias)), inputs: [x], shape: shape,
                        spatialAxes: x.spatialAxes.map { _ in nil })
            return
        }
        // A product over a non-spatial axis mixes channels at each position: a 1×1 convolution.
        let offset = shape.count - rank
        let layout = shifted(x.spatialAxes, by: offset)
        if zip(layout, x.spatialAxes).contains(where: { new, old in
            guard let new, let old else { return false }
            return new >= shape.count || shape[new] != x.shape[old]
        }) {
            throw node.error("moves a spatial axis of \(x.shape) (result \(shape)); not supported")
        }
        let window = SlidingWindow(kernel: Array(repeating: 1, count: spatialRank))
        try produce(node, .convolution(Convolution(window: window, outChannels: outFeatures, bias: bias)),
                    inputs: [x], shape: shape, spatialAxes: layout)
    }
}

/// For each axis of shape `a`, the axis of `b` that holds it unchanged when `a` is reshaped to
/// `b` in row-major order: same size and same product of the dimensions before it.
func prefixMap(_ a: [Int], _ b: [Int]) -> [Int?] {
    func prefixes(_ s: [Int]) -> [Int] {
        var p = [1]
        for d in s { p.append(p.last! &* d) }
        return p
    }
    let pa = prefixes(a), pb = prefixes(b)
    var map = [Int?](repeating: nil, count: a.count)
    var i = 0, j = 0
    while i < a.count, j < b.count {
        if a[i] == b[j], pa[i] == pb[j] {
            map[i] = j
            i += 1
            j += 1
        } else if pa[i + 1] <= pb[j + 1] {
            i += 1
        } else {
            j += 1
        }
    }
    return map
}
