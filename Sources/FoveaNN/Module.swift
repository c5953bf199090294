import FoveaGeometry
import FoveaTensor

/// Which kernels a layer runs: the fast ones, or the plain nested-loop reference definitions.
public enum KernelImplementation: Sendable, Hashable {
    case fast
    case reference
}

/// What a layer's forward pass keeps for its backward pass.
public struct ForwardPass: Sendable {
    /// The layer's input.
    public let input: Tensor
    /// The layer's output.
    public let output: Tensor
    /// Max pooling: the flat index `y·W + x` of each output's maximum within its input plane
    /// (−1 for none). Empty for other layers.
    public let argmax: [Int]

    public init(input: Tensor, output: Tensor, argmax: [Int] = []) {
        self.input = input
        self.output = output
        self.argmax = argmax
    }
}

/// The gradients a backward pass returns.
public struct Gradients: Sendable {
    /// `∂E/∂input`, shaped like the input.
    public let input: Tensor
    /// `∂E/∂p` for every parameter, in the order of `Module.parameters`.
    public let parameters: [Tensor]

    public init(input: Tensor, parameters: [Tensor] = []) {
        self.input = input
        self.parameters = parameters
    }
}

/// A layer with an explicit forward pass and an explicit backward pass.
///
/// Each layer also describes itself as a `FoveaGeometry.Layer`, so one network description
/// serves both the gradient view and the geometry view.
public protocol Module: Sendable {
    /// The name used in error messages.
    var name: String { get }
    /// The layer as the geometry analysis sees it.
    var geometry: Layer { get }
    /// The trainable parameters in a fixed order (weight, then bias); empty if none.
    var parameters: [Tensor] { get }
    /// A copy with new parameter values of the same shapes, in the order of `parameters`.
    func withParameters(_ parameters: [Tensor]) throws -> Self
    /// The output shape for an input shape, after checking that the layer can run on it.
    func outputShape(forInput shape: [Int]) throws -> [Int]
    /// Computes the output and keeps what the backward pass needs.
    func forward(_ input: Tensor) throws -> ForwardPass
    /// Given `∂E/∂output`, returns `∂E/∂input` and `∂E/∂parameters`.
    func backward(_ pass: ForwardPass, gradOutput: Tensor) throws -> Gradients
    /// Given `∂E/∂output`, returns `∂E/∂parameters` alone, in the order of `parameters`: for a
    /// layer whose input gradient nobody needs (one reading the network's input).
    func parameterGradients(_ pass: ForwardPass, gradOutput: Tensor) throws -> [Tensor]
}

extension Module {
    public var parameters: [Tensor] { [] }

    public func parameterGradients(_ pass: ForwardPass, gradOutput: Tensor) throws -> [Tensor] {
        try backward(pass, gradOutput: gradOutput).parameters
    }

    public func withParameters(_ parameters: [Tensor]) throws -> Self {
        guard parameters.isEmpty else {
            throw LayerError.invalidParameter(layer: name, parameter: "parameters",
                                              detail: "the layer has none, got \(parameters.count)")
        }
        return self
    }

    /// Checks that `gradOutput` is shaped like the output of `pass`.
    func checkGradOutput(_ gradOutput: Tensor, _ pass: ForwardPass) throws {
        guard gradOutput.shape == pass.output.shape else {
            throw LayerError.shapeMismatch(layer: name, tensor: "gradient of the output",
                                           expected: "\(pass.output.shape)", actual: gradOutput.shape)
        }
    }
}

/// Builds a tensor from a shape and elements that are known to agree.
func makeTensor(_ shape: [Int], _ scalars: [Float]) -> Tensor {
    do {
        return try Tensor(shape: shape, scalars: scalars)
    } catch {
        preconditionFailure("kernel produced \(scalars.count) elements for shape \(shape)")
    }
}
