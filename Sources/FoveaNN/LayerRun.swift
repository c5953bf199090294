import FoveaTensor

/// Where the upstream gradient of a single-layer run comes from.
public enum Upstream: Sendable {
    /// Squared error of the output against `target`; the loss is reported.
    case mse(target: Tensor, reduction: MSELoss.Reduction)
    /// A given `∂E/∂output`: the backward pass computes the vector–Jacobian product.
    case gradient(Tensor)
}

/// The result of one forward and backward pass through a layer.
public struct LayerRun: Sendable {
    public let pass: ForwardPass
    /// The loss, when the upstream gradient came from a target.
    public let loss: Double?
    public let gradients: Gradients
}

extension Module {
    /// Runs the forward pass, takes the upstream gradient from `upstream`, and runs the backward pass.
    public func run(_ input: Tensor, upstream: Upstream) throws -> LayerRun {
        let pass = try forward(input)
        switch upstream {
        case let .mse(target, reduction):
            let loss = try MSELoss(reduction: reduction).evaluate(output: pass.output, target: target)
            return LayerRun(pass: pass, loss: loss.value, gradients: try backward(pass, gradOutput: loss.gradient))
        case let .gradient(gradOutput):
            return LayerRun(pass: pass, loss: nil, gradients: try backward(pass, gradOutput: gradOutput))
        }
    }
}
