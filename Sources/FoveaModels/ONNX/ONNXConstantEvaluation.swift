import Foundation

/// Evaluation of nodes whose inputs are all constant: the shape arithmetic of exporters
/// (`Shape → Gather → Unsqueeze → Concat → Reshape`), Constant nodes and casts. Values are
/// computed for small tensors only; otherwise just the shape.
extension ONNXImporter {
    mutating func evaluateConstant(_ node: ONNXNodeContext, inputs: [ConstantTensor?]) throws(ONNXError) {
        let results = try constantResults(node, inputs)
        for (i, output) in node.outputs.enumerated() where !output.isEmpty {
            var value = i < results.count ? results[i] : .unknown("output \(i) of \(node.op) is not evaluated")
            if let shape = value.shape { try checkShape(shape, tensor: output) }
            if let values = value.values, let shape = value.shape, ConstantTensor.elementCount(shape) != values.count {
                value = ConstantTensor(shape: shape, missingReason: "inconsistent element count")
            }
            values[output] = .constant(value)
        }
    }

    private func constantResults(_ node: ONNXNodeContext, _ inputs: [ConstantTensor?]) throws(ONNXError) -> [ConstantTensor] {
        func input(_ i: Int) -> ConstantTensor? { i < inputs.count ? inputs[i] : nil }
        func first() throws(ONNXError) -> ConstantTensor {
            guard let x = input(0) else { throw node.error("input 0 is missing") }
            return x
        }
        let wrapped = inputs.map { $0.map(TensorValue.constant) }
        switch node.op {
        case "Constant":
            return [try constantAttribute(node)]
        case "Identity", "Dropout":
            return [try first()]
        case "Cast", "CastLike":
            let x = try first()
            let to = node.op == "Cast" ? try node.int("to") : nil
            return [cast(x, toFloat: to.map(ONNXDataType.isFloatingPoint) ?? isFloat(input(1)))]
        case "Shape":
            guard let shape = try first().shape else { return [.unknown("the input's shape is unknown")] }
            let (s, e) = try shapeRange(node, rank: shape.count)
            return [.vector(Array(shape[s..<e]))]
        case "Size":
            guard let shape = try first().shape, let n = ConstantTensor.elementCount(shape) else { return [.unknown("the input's shape is unknown")] }
            return [.scalar(n)]
        case "ConstantOfShape":
            guard let dims = try constantInts(node, wrapped, at: 0, "shape") else { throw node.error("input 'shape' is missing") }
            for (i, d) in dims.enumerated() where d < 0 || d > ONNXLimits.maxDimension {
                throw .invalidDimension(tensor: node.tensor, field: "shape[\(i)]", value: d)
            }
            guard dims.count <= ONNXLimits.maxRank, let count = ConstantTensor.elementCount(dims) else {
                throw .invalidDimension(tensor: node.tensor, field: "element count", value: Int.max)
            }
            let fill = try node.tensorAttribute("value").map { (t) throws(ONNXError) in try ConstantTensor(t, name: node.tensor) }
            guard count <= ONNXLimits.maxConstantElements else { return [ConstantTensor(shape: dims, missingReason: "too large")] }
            switch fill?.values {
            case .floats(let v)?: return [ConstantTensor(shape: dims, values: .floats(Array(repeating: v.first ?? 0, count: count)))]
            case .ints(let v)?: return [ConstantTensor(shape: dims, values: .ints(Array(repeating: v.first ?? 0, count: count)))]
            case nil: return [ConstantTensor(shape: dims, values: fill == nil ? .floats(Array(repeating: 0, count: count)) : nil)]
            }
        case "Unsqueeze", "Squeeze", "Reshape", "Flatten", "Transpose":
            let x = try first()
            guard let shape = x.shape else { return [.unknown("the input's shape is unknown")] }
            let (out, _) = try reshapeRule(node, wrapped, shape: shape)
            guard node.op == "Transpose", let values = x.values else { return [ConstantTensor(shape: out, values: x.values)] }
            let perm = try node.ints("perm") ?? Array((0..<shape.count).reversed())
            return [ConstantTensor(shape: out, values: gathered(values, outShape: out) { index in
                var source = [Int](repeating: 0, count: shape.count)
                for (j, i) in perm.enumerated() { source[i] = index[j] }
                return linear(source, shape)
            })]
        case "Gather":
            return [try gather(node, try first(), input(1))]
        case "Concat":
            let present = inputs.compactMap { $0 }
            let shapes = present.compactMap(\.shape)
            guard shapes.count == present.count else { return [.unknown("an input's shape is unknown")] }
            let axis = try concatAxis(node, shapes: shapes)
            var out = shapes[0]
            out[axis] = shapes.reduce(0) { $0 + $1[axis] }
            let parts = present.compactMap(\.values)
            guard parts.count == present.count else { return [ConstantTensor(shape: out, missingReason: "an input's values are unknown")] }
            let useFloat = parts.contains { if case .floats = $0 { return true } else { return false } }
            let flat: [ConstantValues] = parts.map { useFloat ? .floats($0.asDoubles) : $0 }
            return [ConstantTensor(shape: out, values: combined(flat, outShape: out) { index in
                var offset = index[axis]
                for (k, s) in shapes.enumerated() {
                    if offset < s[axis] {
                        var source = index
                        source[axis] = offset
                        return (k, linear(source, s))
                    }
                    offset -= s[axis]
                }
                return (0, 0)
            })]
        case "Slice":
            let x = try first()
            guard let shape = x.shape else { return [.unknown("the input's shape is unknown")] }
            let p = try sliceParameters(node, wrapped, rank: shape.count)
            var out = shape
            var bounds: [(axis: Int, start: Int, end: Int, step: Int)] = []
            for i in p.axes.indices {
                let t = p.axes[i], n = shape[t]
                let s = min(max(p.starts[i], -(n + 1)), n + 1), e = min(max(p.ends[i], -(n + 1)), n + 1)
                out[t] = sliceLength(n: n, start: s, end: e, step: p.steps[i])
                bounds.append((t, s, e, p.steps[i]))
            }
            // Index lists are built only for a tensor with known values, whose every axis is then
            // small (a shape-only constant may declare axes of up to 2^31 − 1).
            guard let values = x.values else { return [ConstantTensor(shape: out, values: nil)] }
            if ConstantTensor.elementCount(out) == 0 { return [ConstantTensor(shape: out, values: gathered(values, outShape: out) { _ in 0 })] }
            guard let count = ConstantTensor.elementCount(shape), count <= ONNXLimits.maxConstantElements else {
                return [ConstantTensor(shape: out, values: nil)]
            }
            var picks = shape.map { Array(0..<$0) }
            for b in bounds { picks[b.axis] = sliceIndices(n: shape[b.axis], start: b.start, end: b.end, step: b.step) }
            return [ConstantTensor(shape: out, values: gathered(values, outShape: out) { index in
                linear(index.enumerated().map { picks[$0.offset][$0.element] }, shape)
            })]
        case "Expand":
            let x = try first()
            guard let target = try constantInts(node, wrapped, at: 1, "shape") else { throw node.error("input 'shape' is missing") }
            guard let shape = x.shape else { return [.unknown("the input's shape is unknown")] }
            guard target.count <= ONNXLimits.maxRank, target.allSatisfy({ $0 >= 0 && $0 <= ONNXLimits.maxDimension }),
                  let out = broadcastShape([shape, target]) else { throw node.error("cannot expand \(shape) to \(target)") }
            guard let values = x.values else { return [ConstantTensor(shape: out, values: nil)] }
            return [ConstantTensor(shape: out, values: gathered(values, outShape: out) { linear(broadcastSource($0, shape), shape) })]
        case "Range":
            return [try range(node, wrapped)]
        case "Split":
            let x = try first()
            guard let shape = x.shape else { return node.outputs.map { _ in .unknown("the input's shape is unknown") } }
            let axis = try normalizedAxis(try node.int("axis") ?? 0, rank: shape.count, node)
            var offset = 0
            var results: [ConstantTensor] = []
            for size in try splitSizes(node, wrapped, n: shape[axis]) {
                var out = shape
                out[axis] = size
                let start = offset
                results.append(ConstantTensor(shape: out, values: x.values.flatMap { v in
                    gathered(v, outShape: out) { index in
                        var source = index
                        source[axis] += start
                        return linear(source, shape)
                    }
                }))
                offset += size
            }
            return results
        default:
            if let result = elementwise(node, inputs) { return [result] }
            return node.outputs.map { _ in .unknown("\(node.op) on constants is not evaluated") }
        }
    }

    private func isFloat(_ t: ConstantTensor?) -> Bool {
        if case .floats? = t?.values { return true }
        return false
    }

    private func cast(_ x: ConstantTensor, toFloat: Bool) -> ConstantTensor {
        guard let v = x.values else { return ConstantTensor(shape: x.shape, values: nil) }
        if toFloat { return ConstantTensor(shape: x.shape, values: .floats(v.asDoubles)) }
        return ConstantTensor(shape: x.shape, values: v.asInts.map(ConstantValues.ints), missingReason: "not integers")
    }

    /// The value of a Constant node, from whichever `value*` attribute it has.
    private func constantAttribute(_ node: ONNXNodeContext) throws(ONNXError) -> ConstantTensor {
        if let t = try node.tensorAttribute("value") { return try ConstantTensor(t, name: node.tensor) }
        if let f = try node.float("value_float") { return ConstantTensor(shape: [], values: .floats([f])) }
        if let f = try node.floats("value_floats") { return ConstantTensor(shape: [f.count], values: .floats(f)) }
        if let i = try node.int("value_int") { return .scalar(i) }
        if let i = try node.ints("value_ints") { return .vector(i) }
        return .unknown("Constant without a numeric value")
    }

    private func gather(_ node: ONNXNodeContext, _ data: ConstantTensor, _ indices: ConstantTensor?) throws(ONNXError) -> ConstantTensor {
        guard let shape = data.shape, let indexShape = indices?.shape else { return .unknown("a shape is unknown") }
        let axis = try normalizedAxis(try node.int("axis") ?? 0, rank: shape.count, node)
        let out = Array(shape[..<axis]) + indexShape + Array(shape[(axis + 1)...])
        guard let values = data.values, let index = indices?.values?.asInts else { return ConstantTensor(shape: out, values: nil) }
        let n = shape[axis]
        if let bad = index.first(where: { $0 < -n || $0 >= n }) {
            throw node.error("index \(bad) is out of range for axis \(axis) of size \(n)")
        }
        return ConstantTensor(shape: out, values: gathered(values, outShape: out) { o in
            let k = linear(Array(o[axis..<(axis + indexShape.count)]), indexShape)
            let i = index[k] < 0 ? index[k] + n : index[k]
            return linear(Array(o[..<axis]) + [i] + Array(o[(axis + indexShape.count)...]), shape)
        })
    }

    private func range(_ node: ONNXNodeContext, _ inputs: [TensorValue?]) throws(ONNXError) -> ConstantTensor {
        guard let s = try constantDoubles(node, inputs, at: 0, "start"), let l = try constantDoubles(node, inputs, at: 1, "limit"),
              let d = try constantDoubles(node, inputs, at: 2, "delta"), s.count == 1, l.count == 1, d.count == 1 else {
            throw node.error("start, limit and delta must be scalars")
        }
        guard d[0] != 0, d[0].isFinite, s[0].isFinite, l[0].isFinite else { throw node.error("delta is 0 or a value is not finite") }
        let count = max(0, ((l[0] - s[0]) / d[0]).rounded(.up))
        guard count <= Double(ONNXLimits.maxDimension) else {
            throw .invalidDimension(tensor: node.tensor, field: "Range length", value: Int(min(count, 9e18)))
        }
        let n = Int(count)
        guard n <= ONNXLimits.maxConstantElements else { return ConstantTensor(shape: [n], missingReason: "too large") }
        let floats = inputs.contains { if case .floats? = $0?.constant?.values { return true } else { return false } }
        let values = (0..<n).map { s[0] + Double($0) * d[0] }
        if floats { return ConstantTensor(shape: [n], values: .floats(values)) }
        return ConstantTensor(shape: [n], values: ConstantValues.floats(values).asInts.map(ConstantValues.ints),
                              missingReason: "values out of the integer range")
    }

    /// Element-wise arithmetic with broadcasting; `nil` when the operator is not element-wise.
    private func elementwise(_ node: ONNXNodeContext, _ inputs: [ConstantTensor?]) -> ConstantTensor? {
        let op = node.op
        let known = onnxUnaryPointwise.contains(op) || onnxAdditiveMerge.contains(op) || onnxMultiplicativeMerge.contains(op)
        guard known else { return nil }
        let operands = inputs.compactMap { $0 }
        let unary: Set<String> = ["Neg", "Abs", "Floor", "Ceil", "Round", "Sqrt", "Reciprocal", "Sign", "Relu", "Not", "Clip"]
        if onnxUnaryPointwise.contains(op), !unary.contains(op), let first = inputs.first ?? nil {
            // Other unary operators (quantization, activations) keep the shape; values are not computed.
            return ConstantTensor(shape: first.shape, missingReason: "\(op) on constants is not evaluated")
        }
        let shapes = operands.compactMap(\.shape)
        guard shapes.count == operands.count, let out = broadcastShape(shapes) else { return .unknown("operand shapes unknown") }
        // Sum-like operators take any number of operands; the other merges are binary (Where: ternary).
        let variadic: Set<String> = ["Add", "Sum", "Max", "Min", "Mean"]
        let arity = op == "Where" ? 3 : unary.contains(op) ? 1 : variadic.contains(op) ? operands.count : 2
        guard operands.count >= arity, arity >= 1, let count = ConstantTensor.elementCount(out),
              count <= ONNXLimits.maxConstantElements else { return ConstantTensor(shape: out, values: nil) }
        let used = operands.prefix(op == "Clip" ? operands.count : arity)
        let vals = used.compactMap(\.values)
        guard vals.count == used.count else { return ConstantTensor(shape: out, values: nil) }
        let allInts = vals.allSatisfy { if case .ints = $0 { return true } else { return false } }
        let columns: [[Double]] = vals.map(\.asDoubles)
        let intColumns: [[Int]] = allInts ? vals.map { $0.asInts ?? [] } : []
        func at(_ k: Int, _ o: [Int]) -> Int { linear(broadcastSource(o, shapes[k]), shapes[k]) }
        var doubles: [Double] = [], ints: [Int] = []
        var integral = allInts
        for flat in 0..<count {
            let o = unravel(flat, out)
            if allInts, let r = intResult(op, (0..<vals.count).map { intColumns[$0][at($0, o)] }) {
                ints.append(r)
                continue
            }
            integral = false
            guard let r = floatResult(node, (0..<vals.count).map { columns[$0][at($0, o)] }) else {
                return ConstantTensor(shape: out, values: nil)
            }
            doubles.append(r)
        }
        if integral { return ConstantTensor(shape: out, values: .ints(ints)) }
        let all = doubles.isEmpty ? ints.map(Double.init) : (ints.isEmpty ? doubles : nil)
        guard let all else { return ConstantTensor(shape: out, values: nil) }
        let comparisons: Set<String> = ["Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual", "And", "Or", "Xor", "Not"]
        return ConstantTensor(shape: out, values: comparisons.contains(op) ? .ints(all.map { Int($0) }) : .floats(all))
    }

    /// Integer arithmetic without traps; `nil` where the result is not an exact integer.
    private func intResult(_ op: String, _ v: [Int]) -> Int? {
        switch op {
        case "Add", "Sum": return v.reduce(0, &+)
        case "Sub": return v[0] &- v[1]
        case "Mul": return v[0] &* v[1]
        case "Div":
            guard v[1] != 0 else { return nil }
            let (q, overflow) = v[0].dividedReportingOverflow(by: v[1])
            return overflow ? nil : q
        case "Mod":
            guard v[1] != 0 else { return nil }
            let (r, overflow) = v[0].remainderReportingOverflow(dividingBy: v[1])
            return overflow ? nil : (r != 0 && (r < 0) != (v[1] < 0) ? r + v[1] : r)
        case "Max": return v.max()
        case "Min": return v.min()
        case "Neg": return 0 &- v[0]
        case "Abs": return v[0] == Int.min ? nil : abs(v[0])
        case "Floor", "Ceil", "Round", "Identity", "Cast": return v[0]
        case "Sign": return v[0].signum()
        case "Relu": return max(v[0], 0)
        case "Clip": return min(max(v[0], v.count > 1 ? v[1] : Int.min), v.count > 2 ? v[2] : Int.max)
        case "Equal": return v[0] == v[1] ? 1 : 0
        case "Less": return v[0] < v[1] ? 1 : 0
        case "LessOrEqual": return v[0] <= v[1] ? 1 : 0
        case "Greater": return v[0] > v[1] ? 1 : 0
        case "GreaterOrEqual": return v[0] >= v[1] ? 1 : 0
        case "And": return v[0] != 0 && v[1] != 0 ? 1 : 0
        case "Or": return v[0] != 0 || v[1] != 0 ? 1 : 0
        case "Xor": return (v[0] != 0) != (v[1] != 0) ? 1 : 0
        case "Not": return v[0] == 0 ? 1 : 0
        case "Where": return v[0] != 0 ? v[1] : v[2]
        default: return nil
        }
    }

    private func floatResult(_ node: ONNXNodeContext, _ v: [Double]) -> Double? {
        switch node.op {
        case "Add", "Sum": return v.reduce(0, +)
        case "Sub": return v[0] - v[1]
        case "Mul": return v[0] * v[1]
        case "Div": return v[0] / v[1]
        case "Pow": return Foundation.pow(v[0], v[1])
        case "Max": return v.max()
        case "Min": return v.min()
        case "Mean": return v.reduce(0, +) / Double(v.count)
        case "Neg": return -v[0]
        case "Abs": return Swift.abs(v[0])
        case "Floor": return v[0].rounded(.down)
        case "Ceil": return v[0].rounded(.up)
        case "Round": return v[0].rounded(.toNearestOrEven)
        case "Sqrt": return v[0].squareRoot()
        case "Reciprocal": return 1 / v[0]
        case "Sign": return v[0] > 0 ? 1 : v[0] < 0 ? -1 : 0
        case "Relu": return Swift.max(v[0], 0)
        case "Clip": return Swift.min(Swift.max(v[0], v.count > 1 ? v[1] : -.infinity), v.count > 2 ? v[2] : .infinity)
        case "Identity", "Cast", "CastLike", "Dropout": return v[0]
        case "Equal": return v[0] == v[1] ? 1 : 0
        case "Less": return v[0] < v[1] ? 1 : 0
        case "LessOrEqual": return v[0] <= v[1] ? 1 : 0
        case "Greater": return v[0] > v[1] ? 1 : 0
        case "GreaterOrEqual": return v[0] >= v[1] ? 1 : 0
        case "Where": return v[0] != 0 ? v[1] : v[2]
        default: return nil
        }
    }
}

// MARK: - Index arithmetic on small row-major tensors

/// The row-major offset of a multi-index.
func linear(_ index: [Int], _ shape: [Int]) -> Int {
    var offset = 0
    for (i, d) in zip(index, shape) { offset = offset &* d &+ i }
    return offset
}

/// The multi-index of a row-major offset.
func unravel(_ offset: Int, _ shape: [Int]) -> [Int] {
    var rest = offset
    var index = [Int](repeating: 0, count: shape.count)
    for a in shape.indices.reversed() where shape[a] > 0 {
        index[a] = rest % shape[a]
        rest /= shape[a]
    }
    return index
}

/// The index into an operand of shape `shape` that broadcasts to output index `o`.
func broadcastSource(_ o: [Int], _ shape: [Int]) -> [Int] {
    let offset = o.count - shape.count
    return shape.indices.map { shape[$0] == 1 ? 0 : o[offset + $0] }
}

/// Values of an output of shape `outShape` picked from `values` by `source`; `nil` if too large.
func gathered(_ values: ConstantValues, outShape: [Int], _ source: ([Int]) -> Int) -> ConstantValues? {
    guard let count = ConstantTensor.elementCount(outShape), count <= ONNXLimits.maxConstantElements else { return nil }
    let picks = (0..<count).map { source(unravel($0, outShape)) }
    switch values {
    case .ints(let v):
        guard picks.allSatisfy({ $0 >= 0 && $0 < v.count }) else { return nil }
        return .ints(picks.map { v[$0] })
    case .floats(let v):
        guard picks.allSatisfy({ $0 >= 0 && $0 < v.count }) else { return nil }
        return .floats(picks.map { v[$0] })
    }
}

/// Values picked from several same-typed operands by `(operand, offset)`.
func combined(_ parts: [ConstantValues], outShape: [Int], _ source: ([Int]) -> (Int, Int)) -> ConstantValues? {
    guard let count = ConstantTensor.elementCount(outShape), count <= ONNXLimits.maxConstantElements else { return nil }
    var ints: [Int] = [], floats: [Double] = []
    for flat in 0..<count {
        let (k, i) = source(unravel(flat, outShape))
        switch parts[k] {
        case .ints(let v):
            guard i < v.count else { return nil }
            ints.append(v[i])
        case .floats(let v):
            guard i < v.count else { return nil }
            floats.append(v[i])
        }
    }
    if floats.isEmpty { return .ints(ints) }
    return ints.isEmpty ? .floats(floats) : nil
}
