import Foundation
import FoveaTensor

/// A model's loss and accuracy on a labelled data set.
public struct Evaluation: Sendable, Equatable {
    /// Mean softmax cross-entropy over the images.
    public let loss: Double
    /// The share of images whose highest logit is their label.
    public let accuracy: Double
    public let correct: Int
    public let count: Int
    /// The predicted class of each image.
    public let predictions: [Int]
}

extension TrainableModel {
    /// Loss, accuracy and predictions on `data`, run in batches of `batchSize` images.
    /// - Throws: `TrainingError.labelOutOfRange` for a label the model has no class for, and
    ///   `ModelError.inputMismatch` for images of another shape.
    public func evaluate(_ data: LabeledImages, batchSize: Int = 256) throws -> Evaluation {
        try data.checkLabels(classes: classes)
        var total = 0.0
        var predictions: [Int] = []
        predictions.reserveCapacity(data.count)
        for start in stride(from: 0, to: data.count, by: max(batchSize, 1)) {
            let indices = start..<min(start + max(batchSize, 1), data.count)
            let (images, labels) = data.batch(indices)
            let logits = try self.logits(images)
            total += try SoftmaxCrossEntropyLoss().evaluate(logits: logits, labels: labels).value * Double(labels.count)
            predictions += Self.argmax(logits)
        }
        let correct = zip(predictions, data.labels).filter { $0 == $1 }.count
        return Evaluation(loss: total / Double(data.count), accuracy: Double(correct) / Double(data.count),
                          correct: correct, count: data.count, predictions: predictions)
    }

    /// The class probabilities `softmax(logits)`, `[N, classes]`, of a batch of images `[N, C, H, W]`,
    /// run in batches of `batchSize` images.
    public func probabilities(_ images: Tensor, batchSize: Int = 256) throws -> Tensor {
        guard images.rank == 4, images.shape[0] >= 1 else {
            throw ModelError.inputMismatch(model: name, expected: inputShape, actual: images.shape, source: "the input")
        }
        let data = try LabeledImages(images: images, labels: Array(repeating: 0, count: images.shape[0]), source: "input")
        var result: [Float] = []
        result.reserveCapacity(data.count * classes)
        for start in stride(from: 0, to: data.count, by: max(batchSize, 1)) {
            let logits = try self.logits(data.batch(start..<min(start + max(batchSize, 1), data.count)).images)
            for row in 0..<logits.shape[0] {
                let values = logits.scalars[(row * classes)..<((row + 1) * classes)].map(Double.init)
                let largest = values.max() ?? 0
                let exps = values.map { exp($0 - largest) }
                let sum = exps.reduce(0, +)
                result += exps.map { Float($0 / sum) }
            }
        }
        return try Tensor(shape: [data.count, classes], scalars: result)
    }

    /// The index of each row's largest logit (the first on ties).
    static func argmax(_ logits: Tensor) -> [Int] {
        let classes = logits.shape[1]
        return (0..<logits.shape[0]).map { row in
            var best = 0
            for k in 1..<classes where logits.scalars[row * classes + k] > logits.scalars[row * classes + best] { best = k }
            return best
        }
    }
}
