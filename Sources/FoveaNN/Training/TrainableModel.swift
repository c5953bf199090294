import FoveaGeometry
import FoveaTensor

/// A `FoveaGeometry.Network` made trainable: every node becomes a layer with explicit forward
/// and backward passes, executed in the network's topological order; the backward pass runs in
/// reverse order and sums the gradients of tensors read by several nodes.
///
/// Supported nodes: 2-D convolution, max and average pooling (also global), `relu` and `identity`, flatten,
/// linear (a linear node on an `N×C×H×W` tensor flattens it first, as the geometry view does),
/// `add` (equal shapes) and `concat` (along channels). Parameters are named like a PyTorch
/// `state_dict`: the node name plus `.weight` or `.bias`.
public struct TrainableModel: Sendable {
    /// The network's name.
    public let name: String
    /// The shape of one input image, `[C, H, W]`.
    public let inputShape: [Int]
    /// The number of outputs (classes).
    public let classes: Int
    /// The parameter names, in the order of `parameters`.
    public let parameterNames: [String]
    let steps: [Step]

    /// One node of the executed graph.
    struct Step: Sendable {
        let name: String
        var operation: Operation
        /// Tensor slots read: 0 is the network input, `k + 1` the output of step `k`.
        let inputs: [Int]
        /// A linear layer on an image tensor: flatten its input first.
        let flattensInput: Bool
        /// The step's slice of the model's parameter list.
        let parameterRange: Range<Int>
    }

    enum Operation: Sendable {
        case module(any Module)
        case identity
        case add
        /// Concatenation along axis 1 (channels, or features).
        case concat
    }

    /// Builds the model for images of `inputShape` (`[C, H, W]`, which must be the network's
    /// input channels, when given, and input size) and initialises every
    /// parameter as PyTorch does by default (see `DefaultInitialization`), drawing from `generator`
    /// in node order, weight before bias.
    /// - Throws: `ModelError` naming the node for an unsupported layer, a missing channel count,
    ///   a layer that cannot run on its input, or an output that is not `[N, classes]`.
    /// `source` names the images in the error for a shape mismatch.
    public init(network: Network, inputShape: [Int], source: String = "the data",
                generator: inout SplitMix64) throws(ModelError) {
        let model = network.name
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 >= 1 }) else {
            throw .invalidOutput(model: model, detail: "images must be C×H×W with every size ≥ 1, got \(inputShape)")
        }
        guard network.spatialRank == 2 else {
            throw .invalidOutput(model: model, detail: "has \(network.spatialRank) spatial axes; training takes 2-D images")
        }
        let declared = [network.inputChannels ?? inputShape[0]] + network.inputSize
        guard declared == inputShape else {
            throw .inputMismatch(model: model, expected: declared, actual: inputShape, source: source)
        }
        guard network.outputs.count == 1, let output = network.outputs.first else {
            throw .invalidOutput(model: model, detail: "has \(network.outputs.count) outputs; a classifier has exactly one")
        }
        try Self.checkEveryNodeReaches(output, in: network)

        var shapes: [[Int]] = [[1] + inputShape]
        var slots = [Network.inputName: 0]
        var steps: [Step] = []
        var names: [String] = []
        for node in network.nodes {
            let inputs = node.inputs.compactMap { slots[$0] }
            let shape = shapes[inputs[0]]
            let built = try Self.operation(for: node, model: model, inputShapes: inputs.map { shapes[$0] },
                                           generator: &generator)
            let effectiveInput = built.flattensInput ? [shape[0], shape.dropFirst().reduce(1, *)] : shape
            let outputShape: [Int]
            switch built.operation {
            case .module(let module):
                do {
                    outputShape = try module.outputShape(forInput: effectiveInput)
                } catch {
                    throw .invalidNode(model: model, node: node.name, detail: Self.detail(of: error))
                }
                let parameterCount = module.parameters.count
                names += ["weight", "bias"].prefix(parameterCount).map { "\(node.name).\($0)" }
            case .identity, .add:
                outputShape = shape
            case .concat:
                outputShape = [shape[0], inputs.reduce(0) { $0 + shapes[$1][1] }] + shape.dropFirst(2)
            }
            let first = steps.last?.parameterRange.upperBound ?? 0
            steps.append(Step(name: node.name, operation: built.operation, inputs: inputs,
                              flattensInput: built.flattensInput, parameterRange: first..<names.count))
            slots[node.name] = shapes.count
            shapes.append(outputShape)
        }
        guard let last = shapes.last, last.count == 2 else {
            throw .invalidOutput(model: model, detail: "the output '\(output)' has shape \(shapes.last ?? []) for one image; a classifier ends in [N, classes] (add a linear layer)")
        }
        self.name = model
        self.inputShape = inputShape
        self.classes = last[1]
        self.parameterNames = names
        self.steps = steps
    }

    /// The trainable parameters in the order of `parameterNames`.
    public var parameters: [Tensor] {
        steps.flatMap { step -> [Tensor] in
            if case .module(let module) = step.operation { return module.parameters }
            return []
        }
    }

    /// The parameters with their names, as in a PyTorch `state_dict`.
    public var namedParameters: [NamedTensor] {
        zip(parameterNames, parameters).map { NamedTensor($0, $1) }
    }

    /// The number of parameter values.
    public var parameterCount: Int {
        parameters.reduce(0) { $0 + $1.count }
    }

    /// A copy with new parameter values, in the order and shapes of `parameters`.
    /// - Throws: `ModelError.parameterMismatch` for a wrong count or shape.
    public func withParameters(_ values: [Tensor]) throws(ModelError) -> TrainableModel {
        let current = parameters
        guard values.count == current.count else {
            throw .parameterMismatch(model: name, detail: "expected \(current.count) parameter tensors, got \(values.count)")
        }
        for (index, (value, old)) in zip(values, current).enumerated() where value.shape != old.shape {
            throw .parameterMismatch(model: name, detail: "'\(parameterNames[index])' has shape \(value.shape), the model expects \(old.shape)")
        }
        var steps = self.steps
        for k in steps.indices {
            guard case .module(let module) = steps[k].operation, !steps[k].parameterRange.isEmpty else { continue }
            do {
                steps[k].operation = .module(try module.withParameters(Array(values[steps[k].parameterRange])))
            } catch {
                throw .parameterMismatch(model: name, detail: "\(error)")
            }
        }
        return TrainableModel(copying: self, steps: steps)
    }

    private init(copying model: TrainableModel, steps: [Step]) {
        self.name = model.name
        self.inputShape = model.inputShape
        self.classes = model.classes
        self.parameterNames = model.parameterNames
        self.steps = steps
    }

    /// Throws unless every node contributes to `output` (a node that does not would hold
    /// parameters that never receive a gradient).
    private static func checkEveryNodeReaches(_ output: String, in network: Network) throws(ModelError) {
        var needed: Set<String> = [output]
        for node in network.nodes.reversed() where needed.contains(node.name) {
            needed.formUnion(node.inputs)
        }
        if let unused = network.nodes.first(where: { !needed.contains($0.name) }) {
            throw .invalidNode(model: network.name, node: unused.name, detail: "does not contribute to the output '\(output)'")
        }
    }
}
