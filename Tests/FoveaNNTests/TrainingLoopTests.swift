import Foundation
import FoveaTensor
import Testing
@testable import FoveaNN

/// Three classes of 1×6×6 images: class k has a bright horizontal bar on rows 2k and 2k+1, plus noise.
func barImages(count: Int, seed: UInt64) throws -> LabeledImages {
    var generator = SplitMix64(seed: seed)
    var scalars: [Float] = []
    var labels: [Int] = []
    for n in 0..<count {
        let label = n % 3
        for y in 0..<6 {
            for _ in 0..<6 {
                scalars.append((y / 2 == label ? 1 : 0) + 0.3 * (generator.nextUnitFloat() - 0.5))
            }
        }
        labels.append(label)
    }
    return try LabeledImages(images: try Tensor(shape: [count, 1, 6, 6], scalars: scalars), labels: labels, source: "bars")
}

@Suite struct TrainingLoopTests {
    func setup(optimizer: OptimizerSettings, epochs: Int = 4, batchSize: Int = 8, seed: UInt64 = 21,
               schedule: LearningRateSchedule = .constant, augmentation: Augmentation = .none) throws -> (Trainer, TrainableModel) {
        let configuration = TrainingConfiguration(epochs: epochs, batchSize: batchSize, seed: seed, optimizer: optimizer,
                                                  schedule: schedule, augmentation: augmentation)
        var split = configuration.generator(.split)
        let (train, test) = try barImages(count: 60, seed: 5).stratifiedSplit(testFraction: 0.2, generator: &split)
        var initialization = configuration.generator(.initialization)
        let model = try TrainableModel(network: try TrainingNetworks.tiny(), inputShape: [1, 6, 6], generator: &initialization)
        return (try Trainer(configuration: configuration, train: train, test: test), model)
    }

    @Test func tinyNetLossFallsAndLearns() throws {
        let (trainer, model) = try setup(optimizer: OptimizerSettings(kind: .sgd, learningRate: 0.1, momentum: 0.9))
        var state = try trainer.start(model: model)
        var losses: [Double] = []
        var progressReports = 0
        for _ in 0..<4 {
            losses.append(try trainer.runEpoch(&state) { _ in progressReports += 1 }.trainLoss)
        }
        #expect(losses[3] < losses[0] * 0.5, "\(losses)")
        #expect(state.metrics.last!.testAccuracy == 1, "\(state.metrics)")
        #expect(progressReports == 4 * 6)  // 48 training images in batches of 8
        #expect(state.epochsCompleted == 4 && state.optimizer.step == 24)
    }

    /// One SGD step of the trainer is `w − lr·∂E/∂w` with `∂E/∂w` from the model's backward pass
    /// over the same (shuffled) batch.
    @Test func oneSGDStepIsTheGradientStep() throws {
        let lr = 0.05
        let (trainer, model) = try setup(optimizer: OptimizerSettings(kind: .sgd, learningRate: lr), batchSize: 1000)
        var order = Array(0..<trainer.train.count)
        var shuffler = trainer.configuration.generator(.shuffle)
        shuffler.shuffle(&order)
        let (images, labels) = trainer.train.batch(order)
        let trace = try model.forward(images)
        let gradient = try model.backward(trace, gradOutput: try SoftmaxCrossEntropyLoss().evaluate(logits: trace.output, labels: labels).gradient)
        var state = try trainer.start(model: model)
        _ = try trainer.runEpoch(&state)
        for (index, (after, before)) in zip(state.model.parameters, model.parameters).enumerated() {
            let expected = zip(before.scalars, gradient[index].scalars).map { $0 - Float(lr) * $1 }
            #expect(after.scalars == expected, "\(model.parameterNames[index])")
        }
    }

    /// Training 2 epochs, saving, loading and training 2 more gives bit-identical parameters,
    /// optimizer state, generator and metrics to 4 uninterrupted epochs.
    @Test(arguments: [OptimizerKind.sgd, .adam, .adamw])
    func resumeFromCheckpointIsExact(kind: OptimizerKind) throws {
        let settings = OptimizerSettings(kind: kind, learningRate: kind == .sgd ? 0.1 : 0.01, momentum: kind == .sgd ? 0.9 : 0)
        let (trainer, model) = try setup(optimizer: settings, schedule: .cosine(minimum: 0.001))
        let run = RunDescription(model: "tiny", inputShape: [1, 6, 6], dataset: DatasetReference(kind: "bars"),
                                 training: trainer.configuration)
        var straight = try trainer.start(model: model)
        for _ in 0..<4 { _ = try trainer.runEpoch(&straight) }

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var first = try trainer.start(model: model)
        for _ in 0..<2 { _ = try trainer.runEpoch(&first) }
        try Checkpoint.write(first, run: run, to: directory)
        #expect(try Checkpoint.readRun(from: directory) == run)
        var resumed = try Checkpoint.readState(from: directory, model: model, configuration: trainer.configuration)
        #expect(resumed.epochsCompleted == 2 && resumed.shuffler == first.shuffler && resumed.optimizer == first.optimizer)
        for _ in 0..<2 { _ = try trainer.runEpoch(&resumed) }

        #expect(resumed.model.parameters.map { $0.scalars.map(\.bitPattern) } == straight.model.parameters.map { $0.scalars.map(\.bitPattern) })
        #expect(resumed.optimizer == straight.optimizer)
        #expect(resumed.shuffler == straight.shuffler)
        func withoutTiming(_ m: [EpochMetrics]) -> [[Double]] {
            m.map { [Double($0.epoch), $0.learningRate, $0.trainLoss, $0.trainAccuracy, $0.testLoss, $0.testAccuracy] }
        }
        #expect(withoutTiming(resumed.metrics) == withoutTiming(straight.metrics))
    }

    @Test func checkpointFilesAreCompleteAndReadable() throws {
        let (trainer, model) = try setup(optimizer: OptimizerSettings(kind: .adam))
        var state = try trainer.start(model: model)
        _ = try trainer.runEpoch(&state)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-ckpt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("log.csv")
        let run = RunDescription(model: "tiny", inputShape: [1, 6, 6], dataset: DatasetReference(kind: "bars"),
                                 training: trainer.configuration)
        try Checkpoint.write(state, run: run, to: directory, log: log)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
                    == ["log.csv", "metrics.csv", "model.safetensors", "optimizer.safetensors", "run.json"])
        let (readRun, weights, epoch) = try Checkpoint.readModel(from: directory)
        #expect(readRun == run && epoch == 1)
        #expect(weights.tensors == state.model.namedParameters)
        #expect(weights.metadata["format"] == "pt")
        let csv = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 2 && csv[0].hasPrefix("epoch,learning_rate,train_loss") && csv[1].hasPrefix("1,0.001,"))
        #expect(try model.loading(weights, source: "m").parameters == state.model.parameters)

        // Wrong shape, missing and foreign tensors name the file and the tensor.
        var wrong = weights
        wrong.tensors[0].tensor = try Tensor(shape: [4, 1, 2, 2], repeating: 0)
        #expect(throws: CheckpointError.invalid(file: "m", detail: "'conv1.weight' has shape [4, 1, 2, 2], model tiny expects [4, 1, 3, 3]")) {
            try model.loading(wrong, source: "m")
        }
        var missing = weights
        missing.tensors.removeLast()
        #expect(throws: CheckpointError.invalid(file: "m", detail: "lacks 'fc.bias' of model tiny")) { try model.loading(missing, source: "m") }
        var extra = weights
        extra.tensors.append(NamedTensor("bn.running_mean", Tensor(scalar: 0)))
        #expect(throws: CheckpointError.self) { try model.loading(extra, source: "m") }

        // A damaged file is a typed error; a missing one too.
        try Data([1, 2, 3]).write(to: directory.appendingPathComponent(Checkpoint.modelFile))
        #expect(throws: SafeTensorsError.self) { try Checkpoint.readModel(from: directory) }
        try FileManager.default.removeItem(at: directory.appendingPathComponent(Checkpoint.stateFile))
        #expect(throws: CheckpointError.self) { try Checkpoint.readRun(from: directory) }
    }

    /// A NaN/Inf loss stops training with `diverged`; the state stays at the last good epoch.
    @Test func divergenceStopsAndKeepsTheLastGoodState() throws {
        let (trainer, model) = try setup(optimizer: OptimizerSettings(kind: .sgd, learningRate: 1e30))
        var state = try trainer.start(model: model)
        let before = state.model.parameters
        do {
            for _ in 0..<3 { _ = try trainer.runEpoch(&state) }
            Issue.record("training with lr 1e30 did not diverge")
        } catch let error as TrainingError {
            guard case let .diverged(epoch, _, loss, lastGood) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(!loss.isFinite)
            #expect(lastGood == epoch - 1 && state.epochsCompleted == lastGood)
            #expect(error.description.contains("training diverged"))
        }
        if state.epochsCompleted == 0 { #expect(state.model.parameters == before) }
    }

    @Test func stratifiedSplitHoldsOutEachClassProportionally() throws {
        var labels: [Int] = []
        for (label, count) in [(0, 10), (1, 7), (2, 3), (3, 1)] { labels += Array(repeating: label, count: count) }
        let images = try Tensor(shape: [labels.count, 1, 1, 1], scalars: (0..<labels.count).map(Float.init))
        let data = try LabeledImages(images: images, labels: labels, source: "counts")
        var g1 = SplitMix64(seed: 3), g2 = SplitMix64(seed: 3), g3 = SplitMix64(seed: 4)
        let (train, test) = try data.stratifiedSplit(testFraction: 0.3, generator: &g1)
        // round(10·0.3) = 3, round(7·0.3) = 2, round(3·0.3) = 1, round(1·0.3) = 0.
        #expect([0, 1, 2, 3].map { c in test.labels.filter { $0 == c }.count } == [3, 2, 1, 0])
        #expect(train.count + test.count == labels.count)
        let ids = (train.images.scalars + test.images.scalars).map(Int.init).sorted()
        #expect(ids == Array(0..<labels.count))
        #expect(train.images.scalars == train.images.scalars.sorted())  // original order kept
        #expect(try data.stratifiedSplit(testFraction: 0.3, generator: &g2).test.images == test.images)
        #expect(try data.stratifiedSplit(testFraction: 0.3, generator: &g3).test.images != test.images)
        var g = SplitMix64(seed: 1)
        #expect(throws: TrainingError.self) {
            try LabeledImages(images: try Tensor(shape: [1, 1, 1, 1], scalars: [0]), labels: [0], source: "one")
                .stratifiedSplit(testFraction: 0.2, generator: &g)
        }
    }

    @Test func badDataIsRejectedWithOneLine() throws {
        let cases: [(String, () throws -> Void)] = [
            ("empty", { _ = try LabeledImages(images: try Tensor(shape: [0, 1, 2, 2], scalars: []), labels: [], source: "e") }),
            ("rank", { _ = try LabeledImages(images: try Tensor(shape: [2, 4], repeating: 0), labels: [0, 1], source: "r") }),
            ("count", { _ = try LabeledImages(images: try Tensor(shape: [2, 1, 2, 2], repeating: 0), labels: [0], source: "c") }),
            ("negative", { _ = try LabeledImages(images: try Tensor(shape: [1, 1, 2, 2], repeating: 0), labels: [-1], source: "n") }),
            ("range", { try barImages(count: 3, seed: 1).checkLabels(classes: 2) }),
        ]
        for (label, body) in cases {
            do {
                try body()
                Issue.record("\(label): accepted")
            } catch let error as TrainingError {
                #expect(!error.description.contains("\n"), "\(label)")
            }
        }
        #expect(TrainingError.labelOutOfRange(source: "y.npy", index: 2, label: 2, classes: 2).description
                    == "y.npy: label 2 at index 2 is outside the model's classes 0..<2")
        // A model of other image size or fewer classes than the labels is refused before training.
        let (trainer, _) = try setup(optimizer: OptimizerSettings(kind: .sgd))
        var generator = SplitMix64(seed: 0)
        let twoClasses = try TrainableModel(network: try TrainingNetworks.tiny(classes: 2), inputShape: [1, 6, 6], generator: &generator)
        #expect(throws: TrainingError.self) { try trainer.start(model: twoClasses) }
    }
}
