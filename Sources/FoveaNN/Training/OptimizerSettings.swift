/// The update rule.
public enum OptimizerKind: String, Codable, Sendable, CaseIterable {
    /// `torch.optim.SGD`: momentum, dampening, Nesterov, L2 weight decay.
    case sgd
    /// `torch.optim.Adam`: L2 weight decay added to the gradient.
    case adam
    /// `torch.optim.AdamW`: decoupled weight decay.
    case adamw
}

/// Hyperparameters of an optimizer, with PyTorch's defaults.
public struct OptimizerSettings: Codable, Sendable, Equatable {
    public var kind: OptimizerKind
    /// The base learning rate (a schedule scales it per epoch).
    public var learningRate: Double
    /// SGD momentum `μ` (0: none).
    public var momentum: Double
    /// SGD dampening `τ`.
    public var dampening: Double
    /// SGD Nesterov momentum.
    public var nesterov: Bool
    /// L2 penalty (SGD, Adam) or decoupled decay (AdamW).
    public var weightDecay: Double
    /// Adam `β₁`, `β₂`, `ε`.
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double

    /// Settings with PyTorch's defaults for `kind` (learning rate 1e-3; AdamW weight decay 1e-2).
    public init(kind: OptimizerKind, learningRate: Double = 1e-3, momentum: Double = 0, dampening: Double = 0,
                nesterov: Bool = false, weightDecay: Double? = nil, beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Double = 1e-8) {
        self.kind = kind
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay ?? (kind == .adamw ? 1e-2 : 0)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    /// Throws for a value PyTorch would reject (or that cannot train).
    public func validate() throws(TrainingError) {
        func require(_ ok: Bool, _ name: String, _ value: Double, _ requirement: String) throws(TrainingError) {
            guard ok else { throw .invalidSetting(name: name, value: "\(value)", requirement: requirement) }
        }
        try require(learningRate.isFinite && learningRate > 0, "--lr", learningRate, "must be a positive number")
        try require(weightDecay.isFinite && weightDecay >= 0, "--weight-decay", weightDecay, "must be ≥ 0")
        switch kind {
        case .sgd:
            try require(momentum.isFinite && momentum >= 0, "--momentum", momentum, "must be ≥ 0")
            try require(dampening.isFinite && dampening >= 0 && dampening <= 1, "--dampening", dampening, "must be in [0, 1]")
            if nesterov {
                try require(momentum > 0 && dampening == 0, "--momentum", momentum,
                            "Nesterov momentum needs a momentum > 0 and zero dampening")
            }
        case .adam, .adamw:
            try require(beta1 >= 0 && beta1 < 1, "--beta1", beta1, "must be in [0, 1)")
            try require(beta2 >= 0 && beta2 < 1, "--beta2", beta2, "must be in [0, 1)")
            try require(epsilon.isFinite && epsilon >= 0, "--eps", epsilon, "must be ≥ 0")
        }
    }
}
