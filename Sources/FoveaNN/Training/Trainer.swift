import FoveaTensor

/// The measurements of one epoch.
public struct EpochMetrics: Codable, Sendable, Equatable {
    /// 1-based.
    public var epoch: Int
    public var learningRate: Double
    /// Mean training loss over the epoch's (augmented) images, each batch's loss taken before its update.
    public var trainLoss: Double
    /// Training accuracy over the epoch, from the same forward passes.
    public var trainAccuracy: Double
    public var testLoss: Double
    public var testAccuracy: Double
    /// Wall time of the epoch, training and testing.
    public var seconds: Double
    /// Training images per second.
    public var imagesPerSecond: Double
}

/// Where a run stands: everything a resumed run needs to continue exactly.
public struct TrainingState: Sendable {
    public var model: TrainableModel
    public var optimizer: Optimizer
    /// The shuffling stream, as it stands after the completed epochs.
    public var shuffler: SplitMix64
    public var epochsCompleted: Int
    /// One entry per completed epoch.
    public var metrics: [EpochMetrics]

    public init(model: TrainableModel, optimizer: Optimizer, shuffler: SplitMix64, epochsCompleted: Int,
                metrics: [EpochMetrics]) {
        self.model = model
        self.optimizer = optimizer
        self.shuffler = shuffler
        self.epochsCompleted = epochsCompleted
        self.metrics = metrics
    }
}

/// How far the current epoch has come, reported after every batch.
public struct BatchProgress: Sendable {
    /// 1-based epoch and batch.
    public let epoch: Int
    public let batch: Int
    public let batches: Int
    public let imagesDone: Int
    public let images: Int
    /// Mean loss and accuracy of the epoch so far.
    public let loss: Double
    public let accuracy: Double
    /// Seconds since the epoch started.
    public let seconds: Double
}

/// Mini-batch training with softmax cross-entropy: each epoch shuffles the training images,
/// varies them as `configuration.augmentation` says, steps the optimizer once per batch (the
/// last batch may be smaller), then evaluates the (never varied) test set.
public struct Trainer: Sendable {
    public let configuration: TrainingConfiguration
    public let train: LabeledImages
    public let test: LabeledImages

    /// - Throws: `TrainingError` for an invalid configuration.
    public init(configuration: TrainingConfiguration, train: LabeledImages, test: LabeledImages) throws(TrainingError) {
        try configuration.validate()
        self.configuration = configuration
        self.train = train
        self.test = test
    }

    /// The state before the first epoch: `model` as given, a fresh optimizer, the shuffle stream.
    /// - Throws: `TrainingError.labelOutOfRange` for a label the model has no class for, and
    ///   `ModelError.inputMismatch` for images of another shape than the model takes.
    public func start(model: TrainableModel) throws -> TrainingState {
        try check(model)
        let optimizer = try Optimizer(settings: configuration.optimizer, parameterShapes: model.parameters.map(\.shape))
        return TrainingState(model: model, optimizer: optimizer, shuffler: configuration.generator(.shuffle),
                             epochsCompleted: 0, metrics: [])
    }

    /// Throws unless both data sets fit `model`.
    public func check(_ model: TrainableModel) throws {
        for data in [train, test] {
            guard data.imageShape == model.inputShape else {
                throw ModelError.inputMismatch(model: model.name, expected: model.inputShape, actual: data.imageShape,
                                               source: data.source)
            }
            try data.checkLabels(classes: model.classes)
        }
    }

    /// Trains one epoch and evaluates the test set; `state` changes only if the epoch succeeds.
    /// - Throws: `TrainingError.diverged` when a batch loss, a parameter or the test loss is not finite.
    public func runEpoch(_ state: inout TrainingState, progress: (BatchProgress) -> Void = { _ in }) throws -> EpochMetrics {
        let clock = ContinuousClock()
        let started = clock.now
        let epoch = state.epochsCompleted + 1
        let learningRate = configuration.schedule.rate(base: configuration.optimizer.learningRate,
                                                       epoch: epoch - 1, totalEpochs: configuration.epochs)
        var model = state.model
        var optimizer = state.optimizer
        var shuffler = state.shuffler
        var order = Array(0..<train.count)
        shuffler.shuffle(&order)
        let batchSize = configuration.batchSize
        let batches = (train.count + batchSize - 1) / batchSize
        var lossSum = 0.0
        var correct = 0
        var done = 0
        for batch in 0..<batches {
            let indices = order[(batch * batchSize)..<min((batch + 1) * batchSize, train.count)]
            let (batchImages, labels) = train.batch(indices)
            let images = configuration.augmentation.apply(to: batchImages, samples: indices, seed: configuration.seed,
                                                          epoch: epoch)
            let trace = try model.forward(images)
            let loss = try SoftmaxCrossEntropyLoss().evaluate(logits: trace.output, labels: labels)
            guard loss.value.isFinite else {
                throw TrainingError.diverged(epoch: epoch, batch: batch + 1, loss: loss.value, lastGoodEpoch: state.epochsCompleted)
            }
            var parameters = model.parameters
            optimizer.update(&parameters, gradients: try model.backward(trace, gradOutput: loss.gradient),
                             learningRate: learningRate)
            model = try model.withParameters(parameters)
            lossSum += loss.value * Double(labels.count)
            correct += zip(TrainableModel.argmax(trace.output), labels).filter { $0 == $1 }.count
            done += labels.count
            progress(BatchProgress(epoch: epoch, batch: batch + 1, batches: batches, imagesDone: done, images: train.count,
                                   loss: lossSum / Double(done), accuracy: Double(correct) / Double(done),
                                   seconds: Self.seconds(clock.now - started)))
        }
        let trainingSeconds = Self.seconds(clock.now - started)
        let finite = model.parameters.allSatisfy { $0.scalars.allSatisfy(\.isFinite) }
        let evaluation = try model.evaluate(test)
        guard finite, evaluation.loss.isFinite else {
            throw TrainingError.diverged(epoch: epoch, batch: batches, loss: finite ? evaluation.loss : .nan,
                                         lastGoodEpoch: state.epochsCompleted)
        }
        let metrics = EpochMetrics(epoch: epoch, learningRate: learningRate, trainLoss: lossSum / Double(train.count),
                                   trainAccuracy: Double(correct) / Double(train.count), testLoss: evaluation.loss,
                                   testAccuracy: evaluation.accuracy, seconds: Self.seconds(clock.now - started),
                                   imagesPerSecond: Double(train.count) / max(trainingSeconds, 1e-9))
        state = TrainingState(model: model, optimizer: optimizer, shuffler: shuffler, epochsCompleted: epoch,
                              metrics: state.metrics + [metrics])
        return metrics
    }

    /// A duration in seconds.
    public static func seconds(_ duration: Duration) -> Double {
        let (whole, fraction) = duration.components
        return Double(whole) + Double(fraction) * 1e-18
    }
}
