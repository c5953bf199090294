import FoveaGeometry
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
        var output = input
        for i in output.scalars.indices where !(output.scalars[i] > 0) && !output.scalars[i].isNaN {
            output.scalars[i] = 0
        }
        return ForwardPass(input: input, output: output)
    }

    public func backward(_ pass: ForwardPass, gradOutput: Tensor) throws -> Gradients {
        try checkGradOutput(gradOutput, pass)
        var grad = gradOutput
        for i in grad.scalars.indices where !(pass.input.scalars[i] > 0) { grad.scalars[i] = 0 }
        return Gradients(input: grad)
    }
}
