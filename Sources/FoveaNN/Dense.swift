import FoveaGeometry
import FoveaKernels
import FoveaTensor

/// A fully connected layer `y = x · Wᵀ + b` on input `[N, inFeatures]`, with weight
/// `[outFeatures, inFeatures]` (PyTorch `Linear` layout) and an optional bias `[outFeatures]`.
public struct Dense: Module {
    public let name: String
    public let weight: Tensor
    public let bias: Tensor?

    /// - Throws: `LayerError` for a weight that is not a non-empty matrix or a bias not shaped
    ///   `[outFeatures]`.
    public init(weight: Tensor, bias: Tensor? = nil, name: String = "dense") throws {
        guard weight.rank == 2, weight.shape.allSatisfy({ $0 > 0 }) else {
            throw LayerError.shapeMismatch(layer: name, tensor: "weight", expected: "[outFeatures, inFeatures] with sizes ≥ 1",
                                           actual: weight.shape)
        }
        if let bias, bias.shape != [weight.shape[0]] {
            throw LayerError.shapeMismatch(layer: name, tensor: "bias", expected: "[\(weight.shape[0])]", actual: bias.shape)
        }
        self.name = name
        self.weight = weight
        self.bias = bias
    }

    public var inFeatures: Int { weight.shape[1] }
    public var outFeatures: Int { weight.shape[0] }

    public var geometry: Layer { .linear(Linear(outFeatures: outFeatures, bias: bias != nil)) }

    public var parameters: [Tensor] { bias.map { [weight, $0] } ?? [weight] }

    public func withParameters(_ parameters: [Tensor]) throws -> Dense {
        guard parameters.count == self.parameters.count else {
            throw LayerError.invalidParameter(layer: name, parameter: "parameters",
                                              detail: "expected \(self.parameters.count) tensors, got \(parameters.count)")
        }
        guard parameters[0].shape == weight.shape else {
            throw LayerError.shapeMismatch(layer: name, tensor: "weight", expected: "\(weight.shape)", actual: parameters[0].shape)
        }
        return try Dense(weight: parameters[0], bias: bias == nil ? nil : parameters[1], name: name)
    }

    public func outputShape(forInput shape: [Int]) throws -> [Int] {
        guard shape.count == 2, shape[0] > 0, shape[1] == inFeatures else {
            throw LayerError.shapeMismatch(layer: name, tensor: "input", expected: "[N, \(inFeatures)] with N ≥ 1", actual: shape)
        }
        return [shape[0], outFeatures]
    }

    public func forward(_ input: Tensor) throws -> ForwardPass {
        let shape = try outputShape(forInput: input.shape)
        let output = DenseKernels.forward(batch: shape[0], inFeatures: inFeatures, outFeatures: outFeatures,
                                          input: input.scalars, weight: weight.scalars, bias: bias?.scalars)
        return ForwardPass(input: input, output: makeTensor(shape, output))
    }

    public func backward(_ pass: ForwardPass, gradOutput: Tensor) throws -> Gradients {
        try checkGradOutput(gradOutput, pass)
        let dx = DenseKernels.backwardInput(batch: pass.input.shape[0], inFeatures: inFeatures, outFeatures: outFeatures,
                                            gradOutput: gradOutput.scalars, weight: weight.scalars)
        return Gradients(input: makeTensor(pass.input.shape, dx), parameters: try parameterGradients(pass, gradOutput: gradOutput))
    }

    public func parameterGradients(_ pass: ForwardPass, gradOutput: Tensor) throws -> [Tensor] {
        try checkGradOutput(gradOutput, pass)
        let batch = pass.input.shape[0]
        let dw = DenseKernels.backwardWeight(batch: batch, inFeatures: inFeatures, outFeatures: outFeatures,
                                             input: pass.input.scalars, gradOutput: gradOutput.scalars)
        var parameters = [makeTensor(weight.shape, dw)]
        if bias != nil {
            parameters.append(makeTensor([outFeatures],
                                         DenseKernels.backwardBias(batch: batch, outFeatures: outFeatures, gradOutput: gradOutput.scalars)))
        }
        return parameters
    }
}
