import ArgumentParser
import Foundation
import FoveaModels
import FoveaNN
import FoveaTensor

/// `fovea predict`: the class and class probabilities of each image.
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict classes with a checkpoint: class and probabilities per image.",
        discussion: "Images come from --x X.npy (N×C×H×W or N×H×W) or from a data set (then the label is shown too).")

    @Option(help: "Checkpoint directory (written by fovea train).")
    var checkpoint: String

    @OptionGroup var data: DataOptions

    @Option(help: "Result format: text (one line per image) or json (one object).")
    var format = OutputFormat.text

    func run() throws {
        let loaded = try CheckpointModel(directory: checkpoint)
        let images: LabeledImages?
        let tensor: Tensor
        let source: String
        if let reference = try data.reference(requireLabels: false) {
            let dataset = try Datasets.load(reference)
            (images, tensor, source) = (dataset, dataset.images, dataset.source)
        } else if let x = data.x {
            (images, tensor, source) = (nil, try NpyPairs.images(URL(fileURLWithPath: x)), x)
        } else {
            throw ValidationError("give the images: --x X.npy, or --dataset, --images/--labels or --x/--y")
        }
        try loaded.checkImages(Array(tensor.shape.dropFirst()), source: source)
        let probabilities = try loaded.model.probabilities(tensor)
        let classes = loaded.model.classes
        var rows: [(predicted: Int, probabilities: [Float])] = []
        for n in 0..<tensor.shape[0] {
            let row = Array(probabilities.scalars[(n * classes)..<((n + 1) * classes)])
            var best = 0
            for k in row.indices where row[k] > row[best] { best = k }
            rows.append((best, row))
        }
        switch format {
        case .text:
            print(images == nil ? "image class probability" : "image class probability label")
            for (n, row) in rows.enumerated() {
                let label = images.map { " \($0.labels[n])" } ?? ""
                let probability = String(format: "%.4f", row.probabilities[row.predicted])
                print("\(n) \(row.predicted) \(probability)\(label)")
            }
        case .json:
            let entries = rows.enumerated().map { n, row in
                let values = row.probabilities.map { jsonNumber(Double($0)) }.joined(separator: ", ")
                let label = images.map { ", \"label\": \($0.labels[n])" } ?? ""
                return "{\"class\": \(row.predicted), \"probabilities\": [\(values)]\(label)}"
            }
            print("{\"checkpoint\": \(jsonString(checkpoint)), \"predictions\": [\(entries.joined(separator: ", "))]}")
        }
    }
}
