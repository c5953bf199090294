import FoveaTensor

/// How training images are varied before each step; test images are never changed.
///
/// The random draws depend only on the run's seed, the epoch and the image's index in the
/// training set (`generator(seed:epoch:sample:)`), so no generator state has to be saved and a
/// resumed run draws what an uninterrupted one would.
public enum Augmentation: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The images as they are.
    case none
    /// Each image moved by `(dy, dx)`, both drawn uniformly from `−maxPixels...maxPixels`, with
    /// zeros filling the pixels that move in.
    case shift(maxPixels: Int)

    /// The largest accepted `shift` distance.
    public static let maximumShift = 64

    /// Parses `none` or `shift:K` (`shift` alone is `shift:1`).
    /// - Throws: `TrainingError.invalidSetting` naming `--augment`.
    public init(parsing text: String) throws(TrainingError) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let invalid = TrainingError.invalidSetting(name: "--augment", value: text,
                                                   requirement: "must be none or shift:K with K from 1 to \(Self.maximumShift)")
        switch (parts.first, parts.count) {
        case ("none", 1):
            self = .none
        case ("shift", 1):
            self = .shift(maxPixels: 1)
        case ("shift", 2):
            guard let pixels = Int(parts[1]) else { throw invalid }
            self = .shift(maxPixels: pixels)
        default:
            throw invalid
        }
        try validate()
    }

    /// `none` or `shift:K`, the form `init(parsing:)` reads.
    public var description: String {
        switch self {
        case .none: return "none"
        case let .shift(maxPixels): return "shift:\(maxPixels)"
        }
    }

    /// Throws for a shift outside `1...maximumShift`.
    public func validate() throws(TrainingError) {
        if case let .shift(maxPixels) = self, !(1...Self.maximumShift).contains(maxPixels) {
            throw .invalidSetting(name: "--augment", value: description,
                                  requirement: "the shift must be from 1 to \(Self.maximumShift) pixels")
        }
    }

    /// The generator of one training image's draws in one epoch: a SplitMix64 stream keyed by the
    /// run's seed, the epoch (1-based) and the image's index in the training set.
    public static func generator(seed: UInt64, epoch: Int, sample: Int) -> SplitMix64 {
        let run = SplitMix64(seed: seed, stream: TrainingConfiguration.Stream.augmentation.rawValue).state
        let epochKey = SplitMix64(seed: run, stream: UInt64(truncatingIfNeeded: epoch)).state
        return SplitMix64(seed: epochKey, stream: UInt64(truncatingIfNeeded: sample))
    }

    /// The offset `(dy, dx)` drawn for training image `sample` in `epoch`; `(0, 0)` for `none`.
    public func offset(seed: UInt64, epoch: Int, sample: Int) -> (dy: Int, dx: Int) {
        guard case let .shift(maxPixels) = self else { return (0, 0) }
        var generator = Self.generator(seed: seed, epoch: epoch, sample: sample)
        let dy = generator.nextInt(below: 2 * maxPixels + 1) - maxPixels
        let dx = generator.nextInt(below: 2 * maxPixels + 1) - maxPixels
        return (dy, dx)
    }

    /// `batch` (`[N, C, H, W]`, image `n` being training image `samples[n]`) with each image
    /// varied as drawn for `epoch`; `batch` itself when there is nothing to do.
    public func apply<S: Collection<Int>>(to batch: Tensor, samples: S, seed: UInt64, epoch: Int) -> Tensor {
        guard self != .none else { return batch }
        precondition(batch.rank == 4 && batch.shape[0] == samples.count, "one sample index per image")
        let imageShape = Array(batch.shape.dropFirst())
        let size = imageShape.reduce(1, *)
        var scalars: [Float] = []
        scalars.reserveCapacity(batch.count)
        for (n, sample) in samples.enumerated() {
            let (dy, dx) = offset(seed: seed, epoch: epoch, sample: sample)
            scalars += Self.shifted(Array(batch.scalars[(n * size)..<((n + 1) * size)]), shape: imageShape, dy: dy, dx: dx)
        }
        return makeTensor(batch.shape, scalars)
    }

    /// One image (`[C, H, W]`, row-major) moved down by `dy` and right by `dx` pixels (negative:
    /// up, left): output pixel `(c, y, x)` is input pixel `(c, y − dy, x − dx)`, or 0 outside the image.
    public static func shifted(_ image: [Float], shape: [Int], dy: Int, dx: Int) -> [Float] {
        precondition(shape.count == 3 && image.count == shape.reduce(1, *), "a C×H×W image")
        let (channels, height, width) = (shape[0], shape[1], shape[2])
        var output = [Float](repeating: 0, count: image.count)
        let xs = max(0, dx)..<max(max(0, dx), min(width, width + dx))
        let ys = max(0, dy)..<max(max(0, dy), min(height, height + dy))
        for c in 0..<channels {
            for y in ys {
                let row = (c * height + y) * width
                let source = (c * height + y - dy) * width
                for x in xs { output[row + x] = image[source + x - dx] }
            }
        }
        return output
    }

    // Stored as its text form (`"shift:1"`) in run descriptions.
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try Augmentation(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
