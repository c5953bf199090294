import Foundation
import FoveaTensor

/// An optimizer and its state, with the update formulas of PyTorch's single-tensor
/// implementations in float32 (scalars such as `1 − β₁` or `lr/(1 − β₁ᵗ)` are formed in `Double`
/// and rounded once, as PyTorch passes Python floats to its kernels):
///
/// - SGD: `g ← g + λ·p`; with momentum `b ← g` at the first step, then `b ← μ·b + (1 − τ)·g`;
///   `g ← g + μ·b` (Nesterov) or `g ← b`; `p ← p − lr·g`.
/// - Adam: `t ← t + 1`; `g ← g + λ·p` (Adam) or `p ← p·(1 − lr·λ)` (AdamW);
///   `m ← lerp(m, g, 1 − β₁)`; `v ← β₂·v + (1 − β₂)·g²`;
///   `p ← p − (lr/(1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε)`.
public struct Optimizer: Sendable, Equatable {
    public let settings: OptimizerSettings
    /// Steps taken (Adam's `t`).
    public private(set) var step: Int
    /// SGD momentum buffers, nil until the first step (and always without momentum).
    public private(set) var momentumBuffers: [Tensor?]
    /// Adam first and second moments `m`, `v`.
    public private(set) var firstMoments: [Tensor]
    public private(set) var secondMoments: [Tensor]

    /// A fresh optimizer for parameters of the given shapes.
    public init(settings: OptimizerSettings, parameterShapes: [[Int]]) throws {
        try settings.validate()
        self.settings = settings
        self.step = 0
        self.momentumBuffers = Array(repeating: nil, count: parameterShapes.count)
        if settings.kind == .sgd {
            self.firstMoments = []
            self.secondMoments = []
        } else {
            self.firstMoments = try parameterShapes.map { try Tensor(shape: $0, repeating: 0) }
            self.secondMoments = self.firstMoments
        }
    }

    /// Applies one update to `parameters` given their gradients, at `learningRate`.
    public mutating func update(_ parameters: inout [Tensor], gradients: [Tensor], learningRate: Double) {
        precondition(parameters.count == gradients.count, "one gradient per parameter")
        step += 1
        for i in parameters.indices {
            precondition(parameters[i].shape == gradients[i].shape, "gradient shaped like its parameter")
            switch settings.kind {
            case .sgd: sgdUpdate(&parameters[i], gradients[i], index: i, learningRate: learningRate)
            case .adam, .adamw: adamUpdate(&parameters[i], gradients[i], index: i, learningRate: learningRate)
            }
        }
    }

    /// The state under PyTorch's per-parameter state keys: `<name>.momentum_buffer` (SGD, once
    /// set), `<name>.exp_avg` and `<name>.exp_avg_sq` (Adam, AdamW).
    public func stateTensors(parameterNames: [String]) -> [NamedTensor] {
        var tensors: [NamedTensor] = []
        for (index, name) in parameterNames.enumerated() {
            if let buffer = momentumBuffers[index] { tensors.append(NamedTensor("\(name).momentum_buffer", buffer)) }
            if settings.kind != .sgd {
                tensors.append(NamedTensor("\(name).exp_avg", firstMoments[index]))
                tensors.append(NamedTensor("\(name).exp_avg_sq", secondMoments[index]))
            }
        }
        return tensors
    }

    /// An optimizer continuing from saved state (`stateTensors`) after `step` steps.
    /// - Throws: `CheckpointError.invalid` naming `source` for a missing or misshapen state tensor.
    public init(settings: OptimizerSettings, parameterNames: [String], parameterShapes: [[Int]], step: Int,
                state: [String: Tensor], source: String) throws {
        try self.init(settings: settings, parameterShapes: parameterShapes)
        guard step >= 0 else {
            throw CheckpointError.invalid(file: source, detail: "optimizer step \(step) is negative")
        }
        self.step = step
        func load(_ key: String, _ shape: [Int], required: Bool) throws -> Tensor? {
            guard let tensor = state[key] else {
                if required { throw CheckpointError.invalid(file: source, detail: "the optimizer state lacks '\(key)'") }
                return nil
            }
            guard tensor.shape == shape else {
                throw CheckpointError.invalid(file: source, detail: "'\(key)' has shape \(tensor.shape), the model expects \(shape)")
            }
            return tensor
        }
        for (index, name) in parameterNames.enumerated() {
            let shape = parameterShapes[index]
            switch settings.kind {
            case .sgd:
                momentumBuffers[index] = try load("\(name).momentum_buffer", shape,
                                                  required: settings.momentum != 0 && step > 0)
            case .adam, .adamw:
                firstMoments[index] = try load("\(name).exp_avg", shape, required: true) ?? firstMoments[index]
                secondMoments[index] = try load("\(name).exp_avg_sq", shape, required: true) ?? secondMoments[index]
            }
        }
    }

    private mutating func sgdUpdate(_ parameter: inout Tensor, _ gradient: Tensor, index: Int, learningRate: Double) {
        let decay = Float(settings.weightDecay)
        let momentum = Float(settings.momentum)
        let keep = Float(1 - settings.dampening)
        let rate = Float(-learningRate)
        var g = gradient.scalars
        let p = parameter.scalars
        if settings.weightDecay != 0 {
            for k in g.indices { g[k] = g[k] + decay * p[k] }
        }
        if settings.momentum != 0 {
            var buffer: [Float]
            if let previous = momentumBuffers[index] {
                buffer = previous.scalars
                for k in buffer.indices { buffer[k] = buffer[k] * momentum + keep * g[k] }
            } else {
                buffer = g
            }
            momentumBuffers[index] = makeTensor(parameter.shape, buffer)
            if settings.nesterov {
                for k in g.indices { g[k] = g[k] + momentum * buffer[k] }
            } else {
                g = buffer
            }
        }
        for k in parameter.scalars.indices { parameter.scalars[k] = parameter.scalars[k] + rate * g[k] }
    }

    private mutating func adamUpdate(_ parameter: inout Tensor, _ gradient: Tensor, index: Int, learningRate: Double) {
        var g = gradient.scalars
        if settings.weightDecay != 0 {
            if settings.kind == .adamw {
                let shrink = Float(1 - learningRate * settings.weightDecay)
                for k in parameter.scalars.indices { parameter.scalars[k] = parameter.scalars[k] * shrink }
            } else {
                let decay = Float(settings.weightDecay)
                for k in g.indices { g[k] = g[k] + decay * parameter.scalars[k] }
            }
        }
        let weight = Float(1 - settings.beta1)
        let beta2 = Float(settings.beta2)
        let oneMinusBeta2 = Float(1 - settings.beta2)
        var m = firstMoments[index].scalars
        var v = secondMoments[index].scalars
        for k in m.indices {
            // torch.lerp: start + w·(end − start) for w < 0.5, else end − (end − start)·(1 − w).
            m[k] = weight < 0.5 ? m[k] + weight * (g[k] - m[k]) : g[k] - (g[k] - m[k]) * (1 - weight)
            v[k] = v[k] * beta2 + oneMinusBeta2 * g[k] * g[k]
        }
        let t = Double(step)
        let correction1 = 1 - pow(settings.beta1, t)
        let correction2Root = (1 - pow(settings.beta2, t)).squareRoot()
        let stepSize = Float(-(learningRate / correction1))
        let root = Float(correction2Root)
        let epsilon = Float(settings.epsilon)
        for k in parameter.scalars.indices {
            let denominator = v[k].squareRoot() / root + epsilon
            parameter.scalars[k] = parameter.scalars[k] + stepSize * m[k] / denominator
        }
        firstMoments[index] = makeTensor(parameter.shape, m)
        secondMoments[index] = makeTensor(parameter.shape, v)
    }
}
