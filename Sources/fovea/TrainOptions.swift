import ArgumentParser
import Foundation
import FoveaModels
import FoveaNN

/// `text` or `json`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Where the images come from: the built-in digits, IDX files or `.npy` files.
struct DataOptions: ParsableArguments {
    @Option(help: "Built-in data set: digits (1,797 8×8 handwritten digits, UCI, CC BY 4.0).")
    var dataset: String?

    @Option(help: "MNIST-format IDX images file (N×H×W unsigned bytes, scaled to [0, 1]; gzip or not).")
    var images: String?

    @Option(help: "IDX labels file (N unsigned bytes; gzip or not).")
    var labels: String?

    @Option(help: "Images as .npy (N×C×H×W or N×H×W, float32/float64, used as they are).")
    var x: String?

    @Option(help: "Integer labels as .npy (N).")
    var y: String?

    func validate() throws {
        let groups = [dataset != nil, images != nil || labels != nil, x != nil || y != nil].filter { $0 }.count
        guard groups <= 1 else { throw ValidationError("give one of --dataset, --images/--labels and --x/--y") }
        if let dataset, dataset != Digits.name {
            throw ValidationError("--dataset: unknown data set '\(dataset)' (built in: \(Digits.name))")
        }
        if (images == nil) != (labels == nil) { throw ValidationError("--images and --labels go together") }
    }

    /// The data set named by the options, with absolute paths; nil when none is given.
    func reference(requireLabels: Bool = true) throws -> DatasetReference? {
        if dataset != nil { return DatasetReference(kind: Digits.name) }
        if let images, let labels { return DatasetReference(kind: "idx", paths: [absolute(images), absolute(labels)]) }
        if let x {
            guard let y else {
                if requireLabels { throw ValidationError("--x needs --y (the labels)") }
                return nil
            }
            return DatasetReference(kind: "npy", paths: [absolute(x), absolute(y)])
        }
        if y != nil { throw ValidationError("--y needs --x (the images)") }
        return nil
    }

    private func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}

extension DatasetReference {
    /// A short name for run directories and messages: `digits`, or the images file's name
    /// without extensions.
    var shortName: String {
        guard let first = paths.first else { return kind }
        let name = URL(fileURLWithPath: first).lastPathComponent
        return String(name.split(separator: ".").first ?? Substring(name))
    }
}

/// Formats a JSON number: integers as such, other values with up to 6 significant decimals.
func jsonNumber(_ value: Double) -> String {
    guard value.isFinite else { return "null" }
    return String(format: "%.6g", value)
}

/// Quotes a string for JSON.
func jsonString(_ text: String) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .withoutEscapingSlashes
    return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
}

/// Writes one line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
