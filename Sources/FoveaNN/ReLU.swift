import FoveaGeometry
import FoveaKernels
import FoveaTensor

/// The rectifier `max(x, 0)` element-wise (NaN propagates); its gradient passes where `x > 0`.
public struct ReLU: Module {
    public let name: String

    public init(name: String = "relu") {
        self.name = name
    }

    public var geometry: Layer { .pointwise("relu") }

    public func outputShape(forInput shape: [Int]) throws -> [Int] { shape }

    public func forward(_ input: Tensor) throws -> ForwardPass {
        ForwardPass(input: input, output: makeTensor(input.shape, ReLUKernels.forward(input.scalars)))
    }

    public func backward(_ pass: ForwardPass, gradOutput: Tensor) throws -> Gradients {
        try checkGradOutput(gradOutput, pass)
        return Gradients(input: makeTensor(gradOutput.shape,
                                           ReLUKernels.backward(input: pass.input.scalars, gradOutput: gradOutput.scalars)))
    }
}
