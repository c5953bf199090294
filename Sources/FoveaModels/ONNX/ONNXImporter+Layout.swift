import FoveaGeometry

/// Operators that move, merge, split or reduce axes, and element-wise operators.
extension ONNXImporter {
    // MARK: - Element-wise

    mutating func importElementwise(_ node: ONNXNodeContext, _ inputs: [TensorValue?]) throws(ONNXError) {
        let dynamic = inputs.compactMap { $0?.dynamic }
        // Unary operators keep their input's shape; their constant operands (Clip bounds, per-axis
        // quantization scales) do not broadcast against it.
        if onnxUnaryPointwise.contains(node.op), dynamic.count == 1, let x = inputs.first??.dynamic {
            try produce(node, .pointwise(try pointwiseName(node, inputs)), inputs: [x], shape: x.shape, parts: x.parts)
            return
        }
        let shapes = inputs.compactMap { $0?.shape }
        guard let shape = broadcastShape(shapes) else {
            throw node.error("input shapes \(shapes) do not broadcast")
        }
        // The layout follows a computed input that broadcasting leaves unchanged.
        let base = dynamic.first { Array(shape.suffix($0.rank)) == $0.shape } ?? dynamic[0]
        let layer: Layer
        if dynamic.count == 1 {
            layer = .pointwise(try pointwiseName(node, inputs))
        } else {
            layer = onnxMultiplicativeMerge.contains(node.op) || node.op == "PRelu" ? .multiply : .add
        }
        try produce(node, layer, inputs: dynamic, shape: shape, like: base)
    }

    /// The name of a pointwise layer: the operator in lower case; a Clip to [0, 6] or [0, ∞) is
    /// `relu6` or `relu` (names the geometry knows to be parameter-free).
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
        switch (bounds[0], bounds[1]) {
        case (0?, 6?): return "relu6"
        case (0?, nil): return "relu"
        default: return "clip"
        }
    }

    mutating func importBatchNorm(_ node: ONNXNodeContext, _ inputs: [TensorValue?]) throws(ONNXError) {
        let x = try dynamicInput(node, inputs)
        if node.opset >= 14, (try node.int("training_mode") ?? 0) != 0 {
            // Batch statistics: every output depends on the whole map.
            try importStatistics(node, x, axes: Set(0..<x.rank).subtracting([1]))
            return
        }
        try produce(node, .batchNorm, inputs: [x], shape: x.shape, parts: x.parts)
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
        let involved = x.spatialAxes(in: axes)
        guard !involved.isEmpty else {
            try produce(node, .pointwise(node.op.lowercased()), inputs: [x], shape: x.shape, parts: x.parts)
            return
        }
        let stats = emit("\(node.tensor)::stats", pooling(.average, over: involved, of: x), inputs: [x.node],
                         output: (x.shape, x.parts))
        var statsTensor = x
        statsTensor.node = stats
        try produce(node, .multiply, inputs: [x, statsTensor], shape: x.shape, parts: x.parts)
    }

    /// Pooling over the spatial axes `axes`: global when they are all the axes `x` has left.
    private func pooling(_ kind: PoolKind, over axes: Set<Int>, of x: DynamicTensor) -> Layer {
        axes == x.presentSpatialAxes
            ? .globalPooling(kind)
            : .adaptivePooling(AdaptivePooling(kind: kind, outputSize: (0..<spatialRank).map { axes.contains($0) ? 1 : nil }))
    }

    // MARK: - Reductions

    mutating func importReduction(_ node: ONNXNodeContext, _ inputs: [TensorValue?]) throws(ONNXError) {
        let x = try dynamicInput(node, inputs)
        let keepDims = (try node.int("keepdims") ?? 1) != 0
        let axesAsInput = node.opset >= 18 || (node.op == "ReduceSum" && node.opset >= 13)
        var list = axesAsInput ? try constantInts(node, inputs, at: 1, "axes") : try node.ints("axes")
        if list?.isEmpty ?? true {
            if axesAsInput, (try node.int("noop_with_empty_axes") ?? 0) != 0 {
                try produce(node, .pointwise("identity"), inputs: [x], shape: x.shape, parts: x.parts)
                return
            }
            list = Array(0..<x.rank)
        }
        let axes = Set(try (list ?? []).map { (a) throws(ONNXError) -> Int in try normalizedAxis(a, rank: x.rank, node) })
        var shape: [Int] = [], parts: [[AxisPart]] = []
        for t in 0..<x.rank {
            if !axes.contains(t) {
                shape.append(x.shape[t])
                parts.append(x.parts[t])
            } else if keepDims {
                shape.append(1)
                if case .spatial(let a) = x.kind(t) { parts.append([AxisPart(size: 1, spatial: a)]) } else { parts.append([]) }
            }
        }
        let reduced = x.spatialAxes(in: axes)
        let kind: PoolKind
        switch node.op {
        case "ReduceMax", "ReduceMin": kind = .max
        case "ReduceL1": kind = .lp(1)
        case "ReduceL2": kind = .lp(2)
        default: kind = .average
        }
        let layer = reduced.isEmpty ? .pointwise(node.op.lowercased()) : pooling(kind, over: reduced, of: x)
        try produce(node, layer, inputs: [x], shape: shape, parts: parts)
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
        guard base.kind(axis) == .plain else {
            throw node.error("concatenates \(describe(base)) along axis \(axis), which holds a spatial axis; "
                             + "only channel concatenation is supported")
        }
        try produce(node, dynamic.count == 1 ? .pointwise("concat") : .concat, inputs: dynamic, shape: shape, like: base)
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
            // Each size is bounded before summing, so the sum cannot overflow.
            guard given.count == count, given.allSatisfy({ $0 >= 0 && $0 <= ONNXLimits.maxDimension }),
                  given.reduce(0, +) == n else {
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
        let spatialAxis: Int?
        switch x.kind(axis) {
        case .spatial(let a): spatialAxis = a
        case .plain: spatialAxis = nil
        case .folded: throw node.error("splits axis \(axis) of \(describe(x)), which merges a spatial axis with others")
        }
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
            guard let parts = x.parts(resizedTo: shape) else { throw node.error("internal error: split layout") }
            let name = emit(output, layer, inputs: [x.node], output: (shape, parts))
            try setDynamic(output, DynamicTensor(node: name, shape: shape, parts: parts, spatialRank: spatialRank), node: node)
        }
    }

    mutating func importGather(_ node: ONNXNodeContext, _ inputs: [TensorValue?]) throws(ONNXError) {
        let x = try dynamicInput(node, inputs)
        guard let indexShape = constantInput(node, inputs, at: 1)?.shape else {
            throw node.error("the shape of the indices is unknown")
        }
        let axis = try normalizedAxis(try node.int("axis") ?? 0, rank: x.rank, node)
        guard x.kind(axis) == .plain else {
            throw node.error("gathers along axis \(axis) of \(describe(x)), which holds a spatial axis")
        }
        let shape = Array(x.shape[..<axis]) + indexShape + Array(x.shape[(axis + 1)...])
        let parts = Array(x.parts[..<axis]) + DynamicTensor.plainParts(indexShape) + Array(x.parts[(axis + 1)...])
        try produce(node, .pointwise("gather"), inputs: [x], shape: shape, parts: parts)
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
        let (shape, rule) = try reshapeRule(node, inputs, shape: x.shape)
        let moved: [[AxisPart]]?
        switch rule {
        case .permutation(let perm): moved = perm.map { x.parts[$0] }
        case .kept(let source): moved = source.map { $0.map { x.parts[$0] } ?? [] }
        case .regrouped: moved = regroup(x.parts, into: shape)
        }
        guard let moved else {
            // A spatial axis was split or interleaved with others: only the whole input explains the result.
            try produce(node, .flatten, inputs: [x], shape: shape, parts: DynamicTensor.plainParts(shape))
            return
        }
        let parts = droppingDisorderedUnitParts(moved)
        guard spatialOrderKept(parts) else {
            throw node.error("reorders the spatial axes (\(describe(x)) → \(describe(DynamicTensor(node: "", shape: shape, parts: parts, spatialRank: spatialRank)))); "
                             + "the geometry cannot follow a transposition of spatial axes")
        }
        try produce(node, .pointwise(node.op.lowercased()), inputs: [x], shape: shape, parts: parts)
    }

    /// How a reshaping operator moves axes.
    enum ReshapeRule {
        /// Output axis `j` is input axis `perm[j]` (Transpose).
        case permutation([Int])
        /// Output axis `j` is input axis `source[j]`, or a new size-1 axis (Squeeze, Unsqueeze).
        case kept([Int?])
        /// A row-major reshape (Reshape, Flatten).
        case regrouped
    }

    /// The output shape of Reshape, Flatten, Squeeze, Unsqueeze or Transpose and how it moves axes.
    func reshapeRule(_ node: ONNXNodeContext, _ inputs: [TensorValue?], shape x: [Int]) throws(ONNXError) -> ([Int], ReshapeRule) {
        let rank = x.count
        switch node.op {
        case "Transpose":
            let perm = try node.ints("perm") ?? Array((0..<rank).reversed())
            guard perm.count == rank, Set(perm) == Set(0..<rank) else {
                throw node.error("perm \(perm) is not a permutation of \(rank) axes")
            }
            return (perm.map { x[$0] }, .permutation(perm))
        case "Squeeze":
            let given = node.opset < 13 ? try node.ints("axes") : try constantInts(node, inputs, at: 1, "axes")
            let axes = try given.map { list throws(ONNXError) in
                Set(try list.map { (a) throws(ONNXError) -> Int in try normalizedAxis(a, rank: rank, node) })
            } ?? Set(x.indices.filter { x[$0] == 1 })
            if let bad = axes.first(where: { x[$0] != 1 }) { throw node.error("squeezes axis \(bad) of size \(x[bad])") }
            let kept = (0..<rank).filter { !axes.contains($0) }
            return (kept.map { x[$0] }, .kept(kept))
        case "Unsqueeze":
            let given = node.opset < 13 ? try node.ints("axes") : try constantInts(node, inputs, at: 1, "axes")
            guard let given else { throw node.error("axes are missing") }
            let outRank = rank + given.count
            guard outRank <= ONNXLimits.maxRank else {
                throw .limitExceeded(what: "rank of '\(node.tensor)'", count: outRank, limit: ONNXLimits.maxRank)
            }
            let axes = Set(try given.map { (a) throws(ONNXError) -> Int in try normalizedAxis(a, rank: outRank, node) })
            guard axes.count == given.count else { throw node.error("axes \(given) repeat an axis") }
            var source: [Int?] = [], next = 0
            for j in 0..<outRank {
                if axes.contains(j) {
                    source.append(nil)
                } else {
                    source.append(next)
                    next += 1
                }
            }
            return (source.map { $0.map { x[$0] } ?? 1 }, .kept(source))
        case "Flatten":
            let given = try node.int("axis") ?? 1
            guard given >= -rank, given <= rank else { throw node.error("axis \(given) is out of range for rank \(rank)") }
            let axis = given < 0 ? given + rank : given
            guard let outer = ConstantTensor.elementCount(Array(x[..<axis])), let inner = ConstantTensor.elementCount(Array(x[axis...])) else {
                throw .invalidDimension(tensor: node.tensor, field: "element count", value: Int.max)
            }
            return ([outer, inner], .regrouped)
        default:
            guard let target = try constantInts(node, inputs, at: 1, "shape") else { throw node.error("input 'shape' is missing") }
            return (try reshapeTarget(node, target, input: x), .regrouped)
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
        let offset = shape.count - x.rank
        let grows = x.spatialAxes.contains { $0.map { shape[$0 + offset] != x.shape[$0] } ?? false }
        let layer: Layer = grows
            ? .resize(Resize(mode: .nearest(.floor), coordinateTransform: .asymmetric,
                             target: .sizes(x.spatialAxes.map { $0.map { shape[$0 + offset] } ?? 1 })))
            : .pointwise("expand")
        try produce(node, layer, inputs: [x], shape: shape, like: x)
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
        guard let x = a.dynamic ?? b.dynamic else { throw node.error("only the bias depends on the input") }
        let fromLeft = a.dynamic != nil
        let rank = fromLeft ? aShape.count : bShape.count
        // The axis summed over, and where the remaining axes of the computed operand end up.
        let contracted = rank == 1 ? 0 : fromLeft ? (transA ? rank - 2 : rank - 1) : (transB ? rank - 1 : rank - 2)
        if aShape.count == 1 { shape.remove(at: shape.count - 2) }
        if bShape.count == 1 { shape.removeLast() }
        let outFeatures = fromLeft ? n : m
        let bias = gemm && inputs.count > 2 && inputs[2] != nil
        if x.isGlobal || x.kind(contracted) != .plain {
            try produce(node, .linear(Linear(outFeatures: outFeatures, bias: bias)), inputs: [x], shape: shape,
                        parts: DynamicTensor.plainParts(shape))
            return
        }
        // A product over a non-spatial axis mixes channels at each position: a 1×1 convolution.
        // The computed operand keeps its batch axes and its free matrix axis.
        let free = fromLeft ? (transA ? rank - 1 : rank - 2) : (transB ? rank - 2 : rank - 1)
        let otherRank = fromLeft ? bShape.count : aShape.count
        var parts = Array(x.parts[..<max(rank - 2, 0)])
        if rank >= 2 {
            let matrix = fromLeft ? [x.parts[free], [AxisPart(size: n, spatial: nil)]]
                                  : [[AxisPart(size: m, spatial: nil)], x.parts[free]]
            parts += otherRank == 1 ? [matrix[fromLeft ? 0 : 1]] : matrix
        } else {
            parts += otherRank == 1 ? [] : [[AxisPart(size: fromLeft ? n : m, spatial: nil)]]
        }
        let offset = shape.count - parts.count
        guard offset >= 0 else { throw node.error("internal error: MatMul layout") }
        parts = DynamicTensor.plainParts(Array(shape[..<offset])) + parts
        for t in parts.indices where parts[t].reduce(1, { $0 * $1.size }) != shape[t] {
            guard parts[t].allSatisfy({ $0.spatial == nil }) else {
                throw node.error("broadcasts a spatial axis of \(x.shape) (result \(shape)); not supported")
            }
            parts[t] = [AxisPart(size: shape[t], spatial: nil)]
        }
        let window = SlidingWindow(kernel: Array(repeating: 1, count: spatialRank))
        try produce(node, .convolution(Convolution(window: window, outChannels: outFeatures, bias: bias)),
                    inputs: [x], shape: shape, parts: parts)
    }
}
