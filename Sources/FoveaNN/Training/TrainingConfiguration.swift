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

    public init(epochs: Int, batchSize: Int, seed: UInt64, testFraction: Double = 0.2,
                optimizer: OptimizerSettings, schedule: LearningRateSchedule = .constant) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.seed = seed
        self.testFraction = testFraction
        self.optimizer = optimizer
        self.schedule = schedule
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
    }

    /// The random streams of a run.
    public enum Stream: UInt64 {
        case initialization = 1
        case split = 2
        case shuffle = 3
    }

    /// The generator of one stream of this run.
    public func generator(_ stream: Stream) -> SplitMix64 {
        SplitMix64(seed: seed, stream: stream.rawValue)
    }
}
