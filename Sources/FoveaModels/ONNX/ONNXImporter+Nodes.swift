import FoveaGeometry

/// Operators with one computed input whose output depends element by element on it.
let onnxUnaryPointwise: Set<String> = [
    "Relu", "LeakyRelu", "PRelu", "Elu", "Selu", "Celu", "Gelu", "Sigmoid", "HardSigmoid", "HardSwish",
    "Tanh", "Softplus", "Softsign", "Mish", "Swish", "ThresholdedRelu", "Shrink", "Clip", "Exp", "Log",
    "Abs", "Neg", "Sqrt", "Reciprocal", "Floor", "Ceil", "Round", "Sign", "Erf", "Sin", "Cos", "Tan",
    "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Not", "IsNaN", "IsInf",
    "Cast", "CastLike", "Identity", "Dropout", "QuantizeLinear", "DequantizeLinear", "BitwiseNot", "LRN",
]

/// Element-wise operators of several inputs that merge like a sum (the geometry of a union).
let onnxAdditiveMerge: Set<String> = [
    "Add", "Sub", "Sum", "Mean", "Max", "Min", "And", "Or", "Xor", "Equal", "Less", "LessOrEqual",
    "Greater", "GreaterOrEqual", "Mod", "BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor",
]

/// Element-wise operators of several inputs that merge like a product (gates).
let onnxMultiplicativeMerge: Set<String> = ["Mul", "Div", "Pow", "Where"]

/// Operators whose bodies are subgraphs.
let onnxControlFlow: Set<String> = ["If", "Loop", "Scan", "SequenceMap"]

extension ONNXImporter {
    mutating func importNode(_ node: ONNXNodeContext) throws(ONNXError) {
        let op = node.op
        guard !onnxControlFlow.contains(op), !node.hasGraphAttribute else {
            throw .subgraph(op: op, node: node.name)
        }
        guard node.outputs.contains(where: { !$0.isEmpty }) else { return }
        let inputs = node.inputs.map { $0.isEmpty ? nil : values[$0] }
        let isDefaultDomain = node.proto.domain.isEmpty || node.proto.domain == "ai.onnx"
        let dynamicCount = inputs.reduce(0) { $0 + ($1?.dynamic == nil ? 0 : 1) }

        if options.assumePointwise.contains(op)
            || (!isDefaultDomain && options.assumePointwise.contains("\(node.proto.domain).\(op)")) {
            if dynamicCount > 0 {
                try assumePointwise(node, inputs: inputs)
            } else {
                setUnknownConstants(node, reason: "\(op) is only assumed element-wise")
            }
            return
        }
        guard isDefaultDomain else {
            if dynamicCount == 0 {
                setUnknownConstants(node, reason: "operator \(node.proto.domain).\(op) is not evaluated")
                return
            }
            throw .unsupportedOperator(op: "\(node.proto.domain).\(op)", node: node.name, tensor: node.tensor)
        }
        if dynamicCount == 0 {
            try evaluateConstant(node, inputs: inputs.map { $0?.constant })
            return
        }
        try importDynamic(node, inputs: inputs)
    }

    private mutating func importDynamic(_ node: ONNXNodeContext, inputs: [TensorValue?]) throws(ONNXError) {
        let op = node.op
        switch op {
        case "Conv": try importConvolution(node, inputs)
        case "ConvTranspose": try importTransposedConvolution(node, inputs)
        case "MaxPool", "AveragePool", "LpPool": try importPooling(node, inputs)
        case "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool": try importGlobalPooling(node, inputs)
        case "Pad": try importPad(node, inputs)
        case "Resize", "Upsample": try importResize(node, inputs)
        case "Slice": try importSlice(node, inputs)
        case "BatchNormalization": try importBatchNorm(node, inputs)
        case "InstanceNormalization", "GroupNormalization", "LayerNormalization", "MeanVarianceNormalization",
             "Softmax", "LogSoftmax", "Hardmax", "LpNormalization":
            try importNormalization(node, inputs)
        case "Concat": try importConcat(node, inputs)
        case "Split": try importSplit(node, inputs)
        case "Flatten", "Reshape", "Squeeze", "Unsqueeze", "Transpose": try importReshape(node, inputs)
        case "Expand": try importExpand(node, inputs)
        case "Gemm", "MatMul": try importMatMul(node, inputs)
        case "Gather": try importGather(node, inputs)
        case "Shape", "Size": try importShapeOf(node, inputs)
        case "ReduceMean", "ReduceMax", "ReduceMin", "ReduceSum", "ReduceProd", "ReduceL1", "ReduceL2",
             "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare":
            try importReduction(node, inputs)
        default:
            if onnxUnaryPointwise.contains(op) || onnxAdditiveMerge.contains(op) || onnxMultiplicativeMerge.contains(op) {
                try importElementwise(node, inputs)
            } else {
                throw .unsupportedOperator(op: op, node: node.name, tensor: node.tensor)
            }
        }
    }

    // MARK: - Emitting layers

    /// Appends a geometry node named after `tensor` (made unique if needed) and returns its name.
    /// `output` is the tensor it computes; its channel count is recorded for layers that do not
    /// set channels themselves (a channel slice, split or pad, a channels-last reshape).
    mutating func emit(_ tensor: String, _ layer: Layer, inputs: [String], output: (shape: [Int], parts: [[AxisPart]])) -> String {
        var name = tensor
        var suffix = 2
        while usedNames.contains(name) {
            name = "\(tensor)#\(suffix)"
            suffix += 1
        }
        usedNames.insert(name)
        let channels: Int?
        switch layer {
        case .convolution, .transposedConvolution, .linear: channels = nil
        default: channels = Self.channels(shape: output.shape, parts: output.parts)
        }
        nodes.append(Node(name, layer, inputs: inputs, channels: channels))
        return name
    }

    /// The channel count in the geometry's sense: elements per batch item and spatial position
    /// (`C` of `[N, C, H, W]`, `[N, H, W, C]` or `[N, H·W, C]`, `C·H·W` once flattened).
    static func channels(shape: [Int], parts: [[AxisPart]]) -> Int? {
        guard let batch = shape.first, batch > 0, parts.first?.allSatisfy({ $0.spatial == nil }) ?? false,
              let total = ConstantTensor.elementCount(shape) else { return nil }
        var positions = 1
        for part in parts.joined() where part.spatial != nil {
            let (product, overflow) = positions.multipliedReportingOverflow(by: part.size)
            guard !overflow else { return nil }
            positions = product
        }
        guard positions > 0 else { return nil }
        return total / batch / positions
    }

    /// Records a computed tensor after checking its shape and layout.
    mutating func setDynamic(_ tensor: String, _ value: DynamicTensor, node: ONNXNodeContext) throws(ONNXError) {
        try checkShape(value.shape, tensor: tensor)
        guard value.parts.count == value.rank,
              zip(value.parts, value.shape).allSatisfy({ ConstantTensor.elementCount($0.map(\.size)) == $1 }) else {
            throw node.error("internal error: layout \(value.parts) does not match shape \(value.shape)")
        }
        for (t, axis) in value.parts.enumerated() where axis.contains(where: { $0.spatial != nil && $0.size < 1 }) {
            throw .invalidDimension(tensor: tensor, field: "spatial size (axis \(t))", value: value.shape[t])
        }
        values[tensor] = .dynamic(value)
    }

    /// Emits `layer` reading `inputs` for the node's first output and records it with `parts`;
    /// every other output of the node is recorded as the same tensor.
    mutating func produce(_ node: ONNXNodeContext, _ layer: Layer, inputs: [DynamicTensor], shape: [Int],
                          parts: [[AxisPart]]) throws(ONNXError) {
        let name = emit(node.tensor, layer, inputs: inputs.map(\.node), output: (shape, parts))
        let value = DynamicTensor(node: name, shape: shape, parts: parts, spatialRank: spatialRank)
        for output in node.outputs where !output.isEmpty {
            try setDynamic(output, value, node: node)
        }
    }

    /// `produce` with the layout of `x` carried over to `shape`.
    mutating func produce(_ node: ONNXNodeContext, _ layer: Layer, inputs: [DynamicTensor], shape: [Int],
                          like x: DynamicTensor) throws(ONNXError) {
        guard let parts = x.parts(resizedTo: shape) else {
            throw node.error("changes the size of an axis that merges a spatial axis with others (\(x.shape) → \(shape))")
        }
        try produce(node, layer, inputs: inputs, shape: shape, parts: parts)
    }

    func checkShape(_ shape: [Int], tensor: String) throws(ONNXError) {
        guard shape.count <= ONNXLimits.maxRank else {
            throw .limitExceeded(what: "rank of '\(tensor)'", count: shape.count, limit: ONNXLimits.maxRank)
        }
        for (i, d) in shape.enumerated() where d < 0 || d > ONNXLimits.maxDimension {
            throw .invalidDimension(tensor: tensor, field: "shape[\(i)]", value: d)
        }
        guard ConstantTensor.elementCount(shape) != nil else {
            throw .invalidDimension(tensor: tensor, field: "element count", value: Int.max)
        }
    }

    /// Marks every output of a node whose inputs are all constant as a constant of unknown value.
    mutating func setUnknownConstants(_ node: ONNXNodeContext, reason: String) {
        for output in node.outputs where !output.isEmpty {
            values[output] = .constant(.unknown(reason))
        }
    }

    // MARK: - Inputs

    /// The single computed input of a node, which must be input `index`.
    func dynamicInput(_ node: ONNXNodeContext, _ inputs: [TensorValue?], at index: Int = 0) throws(ONNXError) -> DynamicTensor {
        for (i, value) in inputs.enumerated() where i != index && value?.dynamic != nil {
            throw node.error("input \(i) ('\(node.inputs[i])') depends on the graph input; only input \(index) may")
        }
        guard index < inputs.count, let d = inputs[index]?.dynamic else {
            throw node.error("input \(index) does not depend on the graph input")
        }
        return d
    }

    /// A constant input; `nil` when the input is absent (omitted or empty name).
    func constantInput(_ node: ONNXNodeContext, _ inputs: [TensorValue?], at index: Int) -> ConstantTensor? {
        guard index < inputs.count else { return nil }
        return inputs[index]?.constant
    }

    /// The integer values of a constant input; throws naming the purpose when they are unknown.
    func constantInts(_ node: ONNXNodeContext, _ inputs: [TensorValue?], at index: Int, _ purpose: String) throws(ONNXError) -> [Int]? {
        guard index < inputs.count, inputs[index] != nil else { return nil }
        guard let c = inputs[index]?.constant else {
            throw node.error("input \(index) (\(purpose)) depends on the graph input; it must be constant")
        }
        guard let v = c.values?.asInts else {
            throw node.error("the values of input '\(node.inputs[index])' (\(purpose)) are unknown: \(c.missingReason ?? "not integers")")
        }
        return v
    }

    /// The floating-point values of a constant input.
    func constantDoubles(_ node: ONNXNodeContext, _ inputs: [TensorValue?], at index: Int, _ purpose: String) throws(ONNXError) -> [Double]? {
        guard index < inputs.count, inputs[index] != nil else { return nil }
        guard let c = inputs[index]?.constant else {
            throw node.error("input \(index) (\(purpose)) depends on the graph input; it must be constant")
        }
        guard let v = c.values?.asDoubles else {
            throw node.error("the values of input '\(node.inputs[index])' (\(purpose)) are unknown: \(c.missingReason ?? "")")
        }
        return v
    }

    /// `axis` in `-rank..<rank` as a non-negative axis.
    func normalizedAxis(_ axis: Int, rank: Int, _ node: ONNXNodeContext, _ what: String = "axis") throws(ONNXError) -> Int {
        guard axis >= -rank, axis < rank else { throw node.error("\(what) \(axis) is out of range for rank \(rank)") }
        return axis < 0 ? axis + rank : axis
    }

    // MARK: - Assumed element-wise

    mutating func assumePointwise(_ node: ONNXNodeContext, inputs: [TensorValue?]) throws(ONNXError) {
        let dynamic = inputs.compactMap { $0?.dynamic }
        guard let shape = broadcastShape(dynamic.map(\.shape)) else {
            throw node.error("assumed element-wise, but the shapes of its computed inputs do not broadcast")
        }
        let base = dynamic.first { Array(shape.suffix($0.rank)) == $0.shape } ?? dynamic[0]
        let domain = node.proto.domain
        let op = domain.isEmpty || domain == "ai.onnx" ? node.op : "\(domain).\(node.op)"
        assumptions.append(ONNXModel.Assumption(op: op, node: node.name, tensor: node.tensor))
        let layer: Layer = dynamic.count == 1 ? .pointwise(node.op.lowercased()) : .add
        try produce(node, layer, inputs: dynamic, shape: shape, like: base)
    }
}

/// NumPy-style broadcast of shapes; `nil` if they are incompatible.
func broadcastShape(_ shapes: [[Int]]) -> [Int]? {
    let rank = shapes.map(\.count).max() ?? 0
    var result = [Int](repeating: 1, count: rank)
    for shape in shapes {
        let offset = rank - shape.count
        for (i, d) in shape.enumerated() {
            let r = result[offset + i]
            if d == r || d == 1 { continue }
            if r == 1 { result[offset + i] = d } else { return nil }
        }
    }
    return result
}
