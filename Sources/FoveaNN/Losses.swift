import Foundation
import FoveaTensor

/// A loss value and its gradient with respect to the loss's input.
public struct LossValue: Sendable {
    /// The loss, accumulated in `Double`.
    public let value: Double
    /// `∂E/∂output`, shaped like the output.
    public let gradient: Tensor

    public init(value: Double, gradient: Tensor) {
        self.value = value
        self.gradient = gradient
    }
}

/// Squared error `E = c · Σ (o − y)²`, with `c = 1/count` (`mean`), `1` (`sum`) or any scale.
/// Its gradient is `∂E/∂o = 2c(o − y)`.
public struct MSELoss: Sendable {
    /// How the squared errors are combined.
    public enum Reduction: Sendable, Hashable {
        /// `c = 1 / (number of elements)`.
        case mean
        /// `c = 1`.
        case sum
        /// `c` given explicitly.
        case scaled(Double)
    }

    public let reduction: Reduction

    public init(reduction: Reduction = .mean) {
        self.reduction = reduction
    }

    /// The loss of `output` against `target` and `∂E/∂output`.
    /// - Throws: `LayerError.shapeMismatch` if the shapes differ.
    public func evaluate(output: Tensor, target: Tensor) throws -> LossValue {
        guard output.shape == target.shape else {
            throw LayerError.shapeMismatch(layer: "mse loss", tensor: "target", expected: "\(output.shape) (the output's shape)",
                                           actual: target.shape)
        }
        let scale: Double = switch reduction {
        case .mean: output.count == 0 ? 0 : 1 / Double(output.count)
        case .sum: 1
        case .scaled(let c): c
        }
        var sum = 0.0
        var gradient = output
        for i in output.scalars.indices {
            let difference = Double(output.scalars[i]) - Double(target.scalars[i])
            sum += difference * difference
            gradient.scalars[i] = Float(2 * scale * difference)
        }
        return LossValue(value: scale * sum, gradient: gradient)
    }
}

/// Softmax cross-entropy over integer class labels, averaged over the batch:
/// `E = (1/N) Σ_n [logsumexp(z_n) − z_n[label_n]]`, computed stably by subtracting each row's
/// maximum; `∂E/∂z = (softmax(z) − onehot(label)) / N`.
public struct SoftmaxCrossEntropyLoss: Sendable {
    public init() {}

    /// The loss of `logits` `[N, classes]` against `labels` (N values in `0..<classes`).
    /// - Throws: `LayerError` for a shape or label count mismatch or a label out of range.
    public func evaluate(logits: Tensor, labels: [Int]) throws -> LossValue {
        let layer = "softmax cross-entropy"
        guard logits.rank == 2, logits.shape[0] > 0, logits.shape[1] > 0 else {
            throw LayerError.shapeMismatch(layer: layer, tensor: "logits", expected: "[N, classes] with N, classes ≥ 1",
                                           actual: logits.shape)
        }
        let (batch, classes) = (logits.shape[0], logits.shape[1])
        guard labels.count == batch else {
            throw LayerError.shapeMismatch(layer: layer, tensor: "labels", expected: "[\(batch)]", actual: [labels.count])
        }
        if let bad = labels.firstIndex(where: { !(0..<classes).contains($0) }) {
            throw LayerError.invalidParameter(layer: layer, parameter: "labels",
                                              detail: "label \(labels[bad]) at index \(bad) is outside 0..<\(classes)")
        }
        var total = 0.0
        var gradient = logits
        for n in 0..<batch {
            let row = n * classes
            var largest = -Double.infinity
            for k in 0..<classes { largest = max(largest, Double(logits.scalars[row + k])) }
            var sum = 0.0
            for k in 0..<classes { sum += exp(Double(logits.scalars[row + k]) - largest) }
            let logSum = largest + log(sum)
            total += logSum - Double(logits.scalars[row + labels[n]])
            for k in 0..<classes {
                let probability = exp(Double(logits.scalars[row + k]) - logSum)
                gradient.scalars[row + k] = Float((probability - (k == labels[n] ? 1 : 0)) / Double(batch))
            }
        }
        return LossValue(value: total / Double(batch), gradient: gradient)
    }
}
