import ArgumentParser
import Foundation
import FoveaModels
import FoveaNN

/// `fovea eval`: accuracy and loss of a checkpoint on a data set.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a checkpoint: accuracy and loss.",
        discussion: """
            Without data options the run's own test split is evaluated (the same data set, seed and \
            --test-fraction as in training); with data options, every image of that data set.
            """)

    @Option(help: "Checkpoint directory (written by fovea train).")
    var checkpoint: String

    @OptionGroup var data: DataOptions

    @Option(help: "Result format: text or json.")
    var format = OutputFormat.text

    func run() throws {
        let loaded = try CheckpointModel(directory: checkpoint)
        let images: LabeledImages
        let description: String
        if let reference = try data.reference() {
            images = try Datasets.load(reference)
            description = "\(reference.shortName) (all images)"
        } else {
            let training = loaded.run.training
            var split = training.generator(.split)
            images = try Datasets.load(loaded.run.dataset).stratifiedSplit(testFraction: training.testFraction, generator: &split).test
            description = "\(loaded.run.dataset.shortName) (test split, seed \(training.seed))"
        }
        try loaded.checkImages(images.imageShape, source: images.source)
        let evaluation = try loaded.model.evaluate(images)
        switch format {
        case .text:
            print("accuracy \(String(format: "%.2f%%", 100 * evaluation.accuracy)) (\(evaluation.correct)/\(evaluation.count)), "
                  + "loss \(String(format: "%.4f", evaluation.loss)) on \(description); \(loaded.model.name) after epoch "
                  + "\(loaded.epoch) from \(checkpoint)")
            var perClass: [String] = []
            for label in Set(images.labels).sorted() {
                let members = images.labels.indices.filter { images.labels[$0] == label }
                let right = members.filter { evaluation.predictions[$0] == label }.count
                perClass.append("\(label): \(right)/\(members.count)")
            }
            print("per class: " + perClass.joined(separator: "  "))
        case .json:
            print("{\"accuracy\": \(jsonNumber(evaluation.accuracy)), \"loss\": \(jsonNumber(evaluation.loss)), "
                  + "\"correct\": \(evaluation.correct), \"images\": \(evaluation.count), \"epoch\": \(loaded.epoch), "
                  + "\"checkpoint\": \(jsonString(checkpoint))}")
        }
    }
}

/// A trained model read back from a checkpoint directory's `model.safetensors`.
struct CheckpointModel {
    let run: RunDescription
    let model: TrainableModel
    let epoch: Int

    init(directory: String) throws {
        let url = URL(fileURLWithPath: directory)
        let (run, weights, epoch) = try Checkpoint.readModel(from: url)
        let network = try TrainingModels.network(named: run.model, spec: run.modelSpec)
        // The initial values are replaced by the checkpoint's.
        var generator = SplitMix64(seed: 0)
        let fresh = try TrainableModel(network: network, inputShape: run.inputShape, source: "the checkpoint", generator: &generator)
        self.run = run
        self.model = try fresh.loading(weights, source: url.appendingPathComponent(Checkpoint.modelFile).path)
        self.epoch = epoch
    }

    /// Throws unless images of `shape` (`[C, H, W]`) fit the model.
    func checkImages(_ shape: [Int], source: String) throws {
        guard shape == model.inputShape else {
            throw ModelError.inputMismatch(model: model.name, expected: model.inputShape, actual: shape, source: source)
        }
    }
}
