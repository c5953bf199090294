/// Everything that determines a training run besides the model and the data.
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    /// Total epochs of the run.
    public var epochs: Int
    public var batchSize: Int
    /// Seeds initialisation, the train/test split and shuffling (each from its own stream).
    public var seed: UInt64
    /// The share of each class held out for testing.
    public var testFraction: Double
    public var optimizer: OptimizerSettings
    public var schedule: LearningRateSchedule
    /// How training images are varied (drawn from the seed, the epoch and the image's index).
    public var augmentation: Augmentation

    public init(epochs: Int, batchSize: Int, seed: UInt64, testFraction: Double = 0.2,
                optimizer: OptimizerSettings, schedule: LearningRateSchedule = .constant,
                augmentation: Augmentation = .none) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.seed = seed
        self.testFraction = testFraction
        self.optimizer = optimizer
        self.schedule = schedule
        self.augmentation = augmentation
    }

    /// Throws for a setting outside its range.
    public func validate() throws(TrainingError) {
        guard epochs >= 1 else { throw .invalidSetting(name: "--epochs", value: "\(epochs)", requirement: "must be at least 1") }
        guard batchSize >= 1 else {
            throw .invalidSetting(name: "--batch-size", value: "\(batchSize)", requirement: "must be at least 1")
        }
        guard testFraction > 0, testFraction < 1 else {
            throw .invalidSetting(name: "--test-fraction", value: "\(testFraction)", requirement: "must be between 0 and 1")
        }
        try optimizer.validate()
        try schedule.validate()
        try augmentation.validate()
    }

    /// The random streams of a run.
    public enum Stream: UInt64 {
        case initialization = 1
        case split = 2
        case shuffle = 3
        /// The root of the per-epoch, per-image streams of `Augmentation`.
        case augmentation = 4
    }

    /// The generator of one stream of this run.
    public func generator(_ stream: Stream) -> SplitMix64 {
        SplitMix64(seed: seed, stream: stream.rawValue)
    }

    enum CodingKeys: String, CodingKey {
        case epochs, batchSize, seed, testFraction, optimizer, schedule, augmentation
    }

    /// Decodes a configuration; one saved before augmentation existed has none.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(epochs: try container.decode(Int.self, forKey: .epochs),
                  batchSize: try container.decode(Int.self, forKey: .batchSize),
                  seed: try container.decode(UInt64.self, forKey: .seed),
                  testFraction: try container.decode(Double.self, forKey: .testFraction),
                  optimizer: try container.decode(OptimizerSettings.self, forKey: .optimizer),
                  schedule: try container.decode(LearningRateSchedule.self, forKey: .schedule),
                  augmentation: try container.decodeIfPresent(Augmentation.self, forKey: .augmentation) ?? .none)
    }
}
