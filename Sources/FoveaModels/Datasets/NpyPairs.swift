import Foundation
import FoveaNN
import FoveaTensor

/// Images and labels as NumPy files: `X.npy` float32/float64 `N×C×H×W` (or `N×H×W`, one
/// channel), used as they are, and `y.npy` integer labels of shape `N`.
public enum NpyPairs {
    /// Reads `x` and `y` as a data set.
    public static func load(x: URL, y: URL) throws -> LabeledImages {
        let images = try images(x)
        let labels = try Npy.readLabels(from: y)
        guard labels.shape.count == 1 else {
            throw DatasetError.malformed(file: y.path, problem: "labels have shape \(labels.shape), expected (N,)")
        }
        guard labels.labels.count == images.shape[0] else {
            throw DatasetError.mismatch(detail: "\(x.path) holds \(images.shape[0]) images but \(y.path) holds \(labels.labels.count) labels")
        }
        return try LabeledImages(images: images, labels: labels.labels, source: y.path)
    }

    /// Reads `x` as images `[N, C, H, W]` (an `N×H×W` file gets one channel).
    public static func images(_ x: URL) throws -> Tensor {
        let tensor = try Npy.readTensor(from: x)
        switch tensor.rank {
        case 4: return tensor
        case 3: return try tensor.reshaped(to: [tensor.shape[0], 1, tensor.shape[1], tensor.shape[2]])
        default:
            throw DatasetError.malformed(file: x.path, problem: "images have shape \(tensor.shape), expected N×C×H×W or N×H×W")
        }
    }
}
