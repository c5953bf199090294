import FoveaTensor

/// What a forward pass through a `TrainableModel` keeps for the backward pass.
public struct ModelTrace: Sendable {
    /// Every tensor: the input first, then each node's output in execution order.
    let values: [Tensor]
    /// Each node's layer record (nil for merges and identities).
    let passes: [ForwardPass?]

    /// The model's output, `[N, classes]`.
    public var output: Tensor { values[values.count - 1] }
}

extension TrainableModel {
    /// Runs every node on a batch `[N, C, H, W]` of images.
    /// - Throws: `ModelError.inputMismatch` for images of another shape.
    public func forward(_ input: Tensor) throws -> ModelTrace {
        guard input.rank == 4, input.shape[0] >= 1, Array(input.shape.dropFirst()) == inputShape else {
            throw ModelError.inputMismatch(model: name, expected: inputShape, actual: Array(input.shape.dropFirst()),
                                           source: "the batch \(input.shape)")
        }
        var values = [input]
        var passes: [ForwardPass?] = []
        values.reserveCapacity(steps.count + 1)
        passes.reserveCapacity(steps.count)
        for step in steps {
            let first = values[step.inputs[0]]
            switch step.operation {
            case .module(let module):
                let x = step.flattensInput ? try first.reshaped(to: [first.shape[0], first.count / first.shape[0]]) : first
                let pass = try module.forward(x)
                passes.append(pass)
                values.append(pass.output)
            case .identity:
                passes.append(nil)
                values.append(first)
            case .add:
                var sum = first
                for slot in step.inputs.dropFirst() {
                    let term = values[slot].scalars
                    for i in sum.scalars.indices { sum.scalars[i] += term[i] }
                }
                passes.append(nil)
                values.append(sum)
            case .concat:
                passes.append(nil)
                values.append(try Self.concatenate(step.inputs.map { values[$0] }))
            }
        }
        return ModelTrace(values: values, passes: passes)
    }

    /// The logits `[N, classes]` of a batch of images.
    public func logits(_ input: Tensor) throws -> Tensor {
        try forward(input).output
    }

    /// Back-propagates `gradOutput` (`∂E/∂output`) through the trace in reverse order.
    /// - Returns: `∂E/∂p` for every parameter, in the order of `parameters`.
    public func backward(_ trace: ModelTrace, gradOutput: Tensor) throws -> [Tensor] {
        guard gradOutput.shape == trace.output.shape else {
            throw ModelError.parameterMismatch(model: name, detail: "the output gradient has shape \(gradOutput.shape), the output \(trace.output.shape)")
        }
        var gradients = [Tensor?](repeating: nil, count: steps.count + 1)
        gradients[steps.count] = gradOutput
        var parameterGradients = [Tensor](repeating: Tensor(scalar: 0), count: parameterNames.count)
        func accumulate(_ gradient: Tensor, into slot: Int) {
            guard slot > 0 else { return }  // the gradient of the network input is not needed
            guard var sum = gradients[slot] else {
                gradients[slot] = gradient
                return
            }
            for i in sum.scalars.indices { sum.scalars[i] += gradient.scalars[i] }
            gradients[slot] = sum
        }
        for k in steps.indices.reversed() {
            guard let gradient = gradients[k + 1] else { continue }
            gradients[k + 1] = nil
            let step = steps[k]
            switch step.operation {
            case .module(let module):
                guard let pass = trace.passes[k] else { continue }
                guard step.inputs[0] > 0 else {
                    // A layer reading the network input: its input gradient is not needed.
                    for (offset, tensor) in try module.parameterGradients(pass, gradOutput: gradient).enumerated() {
                        parameterGradients[step.parameterRange.lowerBound + offset] = tensor
                    }
                    continue
                }
                let result = try module.backward(pass, gradOutput: gradient)
                for (offset, tensor) in result.parameters.enumerated() {
                    parameterGradients[step.parameterRange.lowerBound + offset] = tensor
                }
                let input = step.flattensInput ? try result.input.reshaped(to: trace.values[step.inputs[0]].shape) : result.input
                accumulate(input, into: step.inputs[0])
            case .identity, .add:
                for slot in step.inputs { accumulate(gradient, into: slot) }
            case .concat:
                var offset = 0
                for slot in step.inputs {
                    let channels = trace.values[slot].shape[1]
                    accumulate(try Self.channelSlice(gradient, from: offset, count: channels), into: slot)
                    offset += channels
                }
            }
        }
        return parameterGradients
    }

    /// Concatenates tensors `[N, C_i, …]` along axis 1.
    static func concatenate(_ tensors: [Tensor]) throws -> Tensor {
        let batch = tensors[0].shape[0]
        let inner = tensors[0].shape.dropFirst(2).reduce(1, *)
        let channels = tensors.reduce(0) { $0 + $1.shape[1] }
        var scalars: [Float] = []
        scalars.reserveCapacity(batch * channels * inner)
        for n in 0..<batch {
            for tensor in tensors {
                let block = tensor.shape[1] * inner
                scalars += tensor.scalars[(n * block)..<((n + 1) * block)]
            }
        }
        return try Tensor(shape: [batch, channels] + tensors[0].shape.dropFirst(2), scalars: scalars)
    }

    /// Channels `from..<from + count` of a tensor `[N, C, …]`.
    static func channelSlice(_ tensor: Tensor, from: Int, count: Int) throws -> Tensor {
        let batch = tensor.shape[0]
        let inner = tensor.shape.dropFirst(2).reduce(1, *)
        let block = tensor.shape[1] * inner
        var scalars: [Float] = []
        scalars.reserveCapacity(batch * count * inner)
        for n in 0..<batch {
            let start = n * block + from * inner
            scalars += tensor.scalars[start..<(start + count * inner)]
        }
        return try Tensor(shape: [batch, count] + tensor.shape.dropFirst(2), scalars: scalars)
    }
}
