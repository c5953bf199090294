/// Where a run's images come from, as given on the command line.
public struct DatasetReference: Codable, Sendable, Equatable {
    /// `digits` (built in), `idx` (images and labels files) or `npy` (X and y files).
    public var kind: String
    /// The files, in the order the kind defines; empty for built-in data.
    public var paths: [String]

    public init(kind: String, paths: [String] = []) {
        self.kind = kind
        self.paths = paths
    }
}

/// What a run trains: the model and data references a later `eval`, `predict` or resume
/// resolves again, and the training configuration.
public struct RunDescription: Codable, Sendable, Equatable {
    /// A built-in model name, or the spec file as given.
    public var model: String
    /// The spec file's text for a model that is not built in, so the checkpoint stands alone.
    public var modelSpec: String?
    /// The shape of one input image, `[C, H, W]`.
    public var inputShape: [Int]
    public var dataset: DatasetReference
    public var training: TrainingConfiguration

    public init(model: String, modelSpec: String? = nil, inputShape: [Int], dataset: DatasetReference,
                training: TrainingConfiguration) {
        self.model = model
        self.modelSpec = modelSpec
        self.inputShape = inputShape
        self.dataset = dataset
        self.training = training
    }
}
