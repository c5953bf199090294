import FoveaTensor

/// A chain of layers applied one after the other.
public struct Sequential: Sendable {
    public var modules: [any Module]

    public init(_ modules: [any Module]) {
        self.modules = modules
    }

    /// Runs every layer; the result holds one forward pass per layer, the last output last.
    public func forward(_ input: Tensor) throws -> [ForwardPass] {
        var passes: [ForwardPass] = []
        passes.reserveCapacity(modules.count)
        var current = input
        for module in modules {
            let pass = try module.forward(current)
            passes.append(pass)
            current = pass.output
        }
        return passes
    }

    /// Back-propagates `gradOutput` (`∂E/∂` the last output) through every layer.
    /// - Returns: `∂E/∂input` and each layer's parameter gradients, in layer order.
    public func backward(_ passes: [ForwardPass], gradOutput: Tensor) throws -> (input: Tensor, parameters: [[Tensor]]) {
        guard passes.count == modules.count else {
            throw LayerError.invalidParameter(layer: "sequential", parameter: "passes",
                                              detail: "expected \(modules.count) forward passes, got \(passes.count)")
        }
        var gradient = gradOutput
        var parameters: [[Tensor]] = Array(repeating: [], count: modules.count)
        for index in modules.indices.reversed() {
            let gradients = try modules[index].backward(passes[index], gradOutput: gradient)
            parameters[index] = gradients.parameters
            gradient = gradients.input
        }
        return (gradient, parameters)
    }
}
