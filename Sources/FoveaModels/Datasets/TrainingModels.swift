import Foundation
import FoveaGeometry

/// The networks `fovea train` can name: zoo models and spec files (the descriptions `fovea rf`
/// analyses), with a default chosen by image size.
public enum TrainingModels {
    /// The default model for 1×8×8 images (the built-in digits).
    public static let leNetDigitsName = "lenet_digits"

    /// `lenet_digits` for 1×8×8 images, `lenet5` for 1×28×28 (MNIST), nil otherwise.
    public static func defaultModel(forImages shape: [Int]) -> String? {
        switch shape {
        case [1, 8, 8]: leNetDigitsName
        case [1, 28, 28]: "lenet5"
        default: nil
        }
    }

    /// The zoo's `lenet_digits`.
    public static func leNetDigits() throws -> Network {
        try Zoo.network(named: leNetDigitsName)
    }

    /// Resolves a `--model` argument: a zoo name, or a `.yaml`/`.yml`/`.json` spec file.
    /// - Returns: the network, its short name (for run directories), and the spec text for a
    ///   spec file (stored in checkpoints so that they stand alone).
    public static func resolve(_ argument: String) throws -> (network: Network, name: String, specText: String?) {
        let source = try ModelSource(argument)
        guard source.spec != nil else { return (source.network, source.name, nil) }
        guard let data = FileManager.default.contents(atPath: argument), let text = String(data: data, encoding: .utf8) else {
            throw SpecError(file: argument, line: nil, field: nil, message: "cannot read the file")
        }
        return (source.network, URL(fileURLWithPath: argument).deletingPathExtension().lastPathComponent, text)
    }

    /// The network of a checkpoint's model: the stored spec text when there is one, else the zoo model.
    public static func network(named name: String, spec: String?) throws -> Network {
        guard let spec else { return try Zoo.network(named: name) }
        let stem = URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent
        return try SpecFile(text: spec, file: name, defaultName: stem).network
    }
}
