import ArgumentParser
import Foundation
import FoveaModels
import FoveaNN

/// `fovea train`: trains a classifier and checkpoints it after every epoch.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a CNN classifier (default: lenet_digits on the built-in digits).",
        discussion: """
            The model is a zoo name or a spec file (the description `fovea rf` analyses); by default \
            lenet_digits for 1×8×8 images and lenet5 for 1×28×28. Without data options the built-in digits \
            are used. A seeded, \
            stratified split holds out --test-fraction of each class for testing. After every epoch OUT \
            receives model.safetensors (PyTorch state_dict names), optimizer.safetensors (the state a \
            --resume continues from), metrics.csv and run.json, each replaced atomically. Progress goes to \
            stderr; the result to stdout (with --format json, one JSON object on the last line). On the \
            built-in digits the recipe is 60 epochs with training images shifted by up to one pixel \
            (--augment shift:1, measured in docs/training.md); other data is used as it is, for 30 epochs, \
            unless --augment and --epochs say otherwise.
            """)

    @Option(help: "Model: a zoo name (lenet_digits, lenet5, …) or a spec file (default: lenet_digits for 1×8×8 images, lenet5 for 1×28×28).")
    var model: String?

    @OptionGroup var data: DataOptions

    @Option(help: "Total epochs (default: 60 on the built-in digits, 30 on other data; with --resume, the checkpoint's).")
    var epochs: Int?

    @Option(name: .customLong("batch-size"), help: "Images per mini-batch (default: 16).")
    var batchSize: Int?

    @Option(help: "Optimizer: sgd, adam or adamw (default: adam).")
    var optimizer: OptimizerKind?

    @Option(help: "Learning rate (default: 0.002 for adam and adamw, 0.01 for sgd).")
    var lr: Double?

    @Option(help: "SGD momentum (default: 0).")
    var momentum: Double?

    @Flag(help: "SGD with Nesterov momentum.")
    var nesterov = false

    @Option(name: .customLong("weight-decay"), help: "Weight decay (default: 0; 0.01 for adamw).")
    var weightDecay: Double?

    @Option(help: "Learning-rate schedule: constant, step or cosine (default: cosine over the run's epochs).")
    var schedule: ScheduleKind?

    @Option(name: .customLong("step-size"), help: "Step schedule: epochs between decays (default: 5).")
    var stepSize: Int?

    @Option(help: "Step schedule: decay factor (default: 0.1).")
    var gamma: Double?

    @Option(name: .customLong("min-lr"), help: "Cosine schedule: final learning rate (default: 0).")
    var minLR: Double?

    @Option(help: "Augmentation of training images: none or shift:K (each moved by up to K pixels each way, zero fill, drawn per epoch; default: shift:1 on the built-in digits, none on other data).")
    var augment: String?

    @Option(name: .customLong("test-fraction"), help: "Share of each class held out for testing (default: 0.2).")
    var testFraction: Double?

    @Option(help: "Seed of initialisation, split and shuffling (default: 0).")
    var seed: UInt64?

    @Option(help: "Checkpoint directory (default: runs/<model>-<dataset>).")
    var out: String?

    @Flag(help: "Continue the run checkpointed in --out from its last complete epoch.")
    var resume = false

    @Option(help: "Also write the per-epoch metrics to this CSV file.")
    var log: String?

    @Option(help: "Result format: text or json.")
    var format = OutputFormat.text

    func run() throws {
        let clock = ContinuousClock()
        let started = clock.now
        var run: RunDescription
        let directory: URL
        let data: LabeledImages
        if resume {
            (run, directory) = try resumedRun()
            data = try Datasets.load(run.dataset)
        } else {
            let reference = try self.data.reference() ?? DatasetReference(kind: Digits.name)
            data = try Datasets.load(reference)
            (run, directory) = try newRun(reference, imageShape: data.imageShape)
        }
        let network = try TrainingModels.network(named: run.model, spec: run.modelSpec)
        let configuration = run.training
        var initialization = configuration.generator(.initialization)
        let model = try TrainableModel(network: network, inputShape: run.inputShape, source: run.dataset.shortName,
                                       generator: &initialization)
        try data.checkLabels(classes: model.classes)
        var split = configuration.generator(.split)
        let (train, test) = try data.stratifiedSplit(testFraction: configuration.testFraction, generator: &split)
        let trainer = try Trainer(configuration: configuration, train: train, test: test)
        try trainer.check(model)
        var state = resume ? try Checkpoint.readState(from: directory, model: model, configuration: configuration)
                           : try trainer.start(model: model)
        let logURL = log.map { URL(fileURLWithPath: $0) }
        if let logURL {
            var isDirectory: ObjCBool = false
            let folder = logURL.deletingLastPathComponent().path
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CommandError(description: "--log: the directory \(folder) does not exist")
            }
        }
        if !resume { try prepare(directory) }

        var progress = TrainProgress(totalEpochs: configuration.epochs, startEpoch: state.epochsCompleted)
        progress.announce(model: model, run: run, train: train.count, test: test.count, directory: directory.path)
        while state.epochsCompleted < configuration.epochs {
            let metrics = try trainer.runEpoch(&state) { progress.batch($0) }
            do {
                try Checkpoint.write(state, run: run, to: directory, log: logURL)
            } catch {
                throw CommandError(description: "cannot write the checkpoint: \(error)")
            }
            progress.epoch(metrics)
        }
        let seconds = Trainer.seconds(clock.now - started)
        let last = state.metrics.last
        switch format {
        case .text:
            let accuracy = String(format: "%.2f%%", 100 * (last?.testAccuracy ?? 0))
            print("test accuracy \(accuracy) (\(test.count) images), train loss \(String(format: "%.4f", last?.trainLoss ?? .nan)), "
                  + "\(state.epochsCompleted) epochs, \(String(format: "%.1f", seconds)) s, checkpoint \(directory.path)")
        case .json:
            print("{\"test_accuracy\": \(jsonNumber(last?.testAccuracy ?? .nan)), \"train_loss\": \(jsonNumber(last?.trainLoss ?? .nan)), "
                  + "\"epochs\": \(state.epochsCompleted), \"seconds\": \(jsonNumber(seconds)), \"checkpoint\": \(jsonString(directory.path))}")
        }
    }

    /// The description of a fresh run from the options, and its directory.
    private func newRun(_ reference: DatasetReference, imageShape: [Int]) throws -> (RunDescription, URL) {
        guard let argument = model ?? TrainingModels.defaultModel(forImages: imageShape) else {
            let shape = imageShape.map(String.init).joined(separator: "×")
            throw ValidationError("--model: no default model for \(shape) images; name a zoo model or a spec file")
        }
        let (_, name, spec) = try TrainingModels.resolve(argument)
        let kind = optimizer ?? .adam
        let settings = OptimizerSettings(kind: kind, learningRate: lr ?? (kind == .sgd ? 0.01 : 0.002), momentum: momentum ?? 0,
                                         nesterov: nesterov, weightDecay: weightDecay)
        let digits = reference.kind == Digits.name
        let configuration = TrainingConfiguration(epochs: epochs ?? (digits ? 60 : 30), batchSize: batchSize ?? 16, seed: seed ?? 0,
                                                  testFraction: testFraction ?? 0.2, optimizer: settings,
                                                  schedule: try (schedule ?? .cosine).schedule(self),
                                                  augmentation: try augmentation(for: reference))
        try configuration.validate()
        let directory = URL(fileURLWithPath: out ?? "runs/\(name)-\(reference.shortName)")
        let model = spec == nil ? name : argument
        return (RunDescription(model: model, modelSpec: spec, inputShape: imageShape, dataset: reference, training: configuration),
                directory)
    }

    /// `--augment`, or the default for `reference`: `shift:1` on the built-in digits (with 60
    /// epochs it raises the worst of seeds 0–7 from 97.5% to 98.1%; docs/training.md), none on
    /// other data, whose images Fovea knows nothing about.
    private func augmentation(for reference: DatasetReference) throws(TrainingError) -> Augmentation {
        if let augment { return try Augmentation(parsing: augment) }
        return reference.kind == Digits.name ? .shift(maxPixels: 1) : .none
    }

    /// The description stored in `--out`, with a new total of epochs if given; other options
    /// must agree with it.
    private func resumedRun() throws -> (RunDescription, URL) {
        guard let out else { throw ValidationError("--resume needs --out, the directory of the run to continue") }
        let directory = URL(fileURLWithPath: out)
        var run = try Checkpoint.readRun(from: directory)
        let stored = run.training
        var conflicts: [String] = []
        func compare<T: Equatable>(_ option: String, _ given: T?, _ saved: T) {
            if let given, given != saved { conflicts.append("\(option) \(given) (the run has \(saved))") }
        }
        compare("--model", model, run.model)
        compare("--batch-size", batchSize, stored.batchSize)
        compare("--optimizer", optimizer?.rawValue, stored.optimizer.kind.rawValue)
        compare("--lr", lr, stored.optimizer.learningRate)
        compare("--momentum", momentum, stored.optimizer.momentum)
        compare("--weight-decay", weightDecay, stored.optimizer.weightDecay)
        compare("--seed", seed, stored.seed)
        compare("--test-fraction", testFraction, stored.testFraction)
        compare("--augment", try augment.map { text throws(TrainingError) in try Augmentation(parsing: text).description },
                stored.augmentation.description)
        if nesterov && !stored.optimizer.nesterov { conflicts.append("--nesterov (the run has none)") }
        if let given = try data.reference(), given != run.dataset { conflicts.append("the data options (the run used \(run.dataset.shortName))") }
        if schedule != nil || stepSize != nil || gamma != nil || minLR != nil { conflicts.append("the schedule options") }
        if let first = conflicts.first {
            throw CommandError(description: "--resume: \(first); a resumed run keeps its settings (only --epochs may change)")
        }
        if let epochs {
            run.training.epochs = epochs
            try run.training.validate()
        }
        return (run, directory)
    }

    /// Creates the run directory if needed (after every input has been checked).
    private func prepare(_ directory: URL) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw CommandError(description: "--out: \(directory.path) exists and is not a directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw CommandError(description: "--out: cannot create directory \(directory.path)")
        }
    }
}

extension OptimizerKind: ExpressibleByArgument {}

/// `constant`, `step` or `cosine`.
enum ScheduleKind: String, ExpressibleByArgument, CaseIterable {
    case constant, step, cosine

    func schedule(_ options: Train) throws -> LearningRateSchedule {
        switch self {
        case .constant:
            if options.stepSize != nil || options.gamma != nil || options.minLR != nil {
                throw ValidationError("--step-size, --gamma and --min-lr need --schedule step or cosine")
            }
            return .constant
        case .step:
            guard options.minLR == nil else { throw ValidationError("--min-lr applies to --schedule cosine") }
            return .step(every: options.stepSize ?? 5, gamma: options.gamma ?? 0.1)
        case .cosine:
            guard options.stepSize == nil, options.gamma == nil else {
                throw ValidationError("--step-size and --gamma apply to --schedule step")
            }
            return .cosine(minimum: options.minLR ?? 0)
        }
    }
}
