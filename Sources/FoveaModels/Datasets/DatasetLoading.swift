import Foundation
import FoveaNN

/// Loading a data set from its reference: `digits`, `idx` (images, labels) or `npy` (X, y).
public enum Datasets {
    public static func load(_ reference: DatasetReference) throws -> LabeledImages {
        switch (reference.kind, reference.paths.count) {
        case ("digits", 0): return try Digits.load()
        case ("idx", 2): return try IDX.load(images: URL(fileURLWithPath: reference.paths[0]), labels: URL(fileURLWithPath: reference.paths[1]))
        case ("npy", 2): return try NpyPairs.load(x: URL(fileURLWithPath: reference.paths[0]), y: URL(fileURLWithPath: reference.paths[1]))
        default:
            throw DatasetError.mismatch(detail: "unknown data set '\(reference.kind)' with \(reference.paths.count) files")
        }
    }
}
