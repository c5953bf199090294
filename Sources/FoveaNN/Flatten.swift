import FoveaGeometry
import FoveaTensor

/// Reshapes `[N, d1, d2, …]` to `[N, d1·d2·…]`; the gradient is reshaped back.
public struct Flatten: Module {
    public let name: String

    public init(name: String = "flatten") {
        self.name = name
    }

    public var geometry: Layer { .flatten }

    public func outputShape(forInput shape: [Int]) throws -> [Int] {
        guard shape.count >= 1 else {
            throw LayerError.shapeMismatch(layer: name, tensor: "input", expected: "[N, …] of rank ≥ 1", actual: shape)
        }
        return [shape[0], shape.dropFirst().reduce(1, *)]
    }

    public func forward(_ input: Tensor) throws -> ForwardPass {
        ForwardPass(input: input, output: try input.reshaped(to: try outputShape(forInput: input.shape)))
    }

    public func backward(_ pass: ForwardPass, gradOutput: Tensor) throws -> Gradients {
        try checkGradOutput(gradOutput, pass)
        return Gradients(input: try gradOutput.reshaped(to: pass.input.shape))
    }
}
