import Foundation

/// How the learning rate changes from epoch to epoch (0-based epoch `e`, base rate `η`).
public enum LearningRateSchedule: Codable, Sendable, Equatable {
    /// `η` throughout.
    case constant
    /// `η·γ^⌊e/every⌋` (PyTorch `StepLR` stepped once per epoch).
    case step(every: Int, gamma: Double)
    /// `η_min + (η − η_min)·(1 + cos(π·e/T))/2` over the `T` epochs of the run (the closed form of
    /// PyTorch `CosineAnnealingLR` with `T_max = T`).
    case cosine(minimum: Double)

    /// The learning rate of epoch `epoch` (0-based) of a run of `totalEpochs` epochs.
    public func rate(base: Double, epoch: Int, totalEpochs: Int) -> Double {
        switch self {
        case .constant:
            return base
        case let .step(every, gamma):
            return base * Foundation.pow(gamma, Double(epoch / max(every, 1)))
        case let .cosine(minimum):
            let progress = Double(epoch) / Double(max(totalEpochs, 1))
            return minimum + (base - minimum) * (1 + cos(Double.pi * progress)) / 2
        }
    }

    /// Throws for a step size below 1 or a negative or non-finite factor or floor.
    public func validate() throws(TrainingError) {
        switch self {
        case .constant:
            break
        case let .step(every, gamma):
            guard every >= 1 else { throw .invalidSetting(name: "--step-size", value: "\(every)", requirement: "must be at least 1") }
            guard gamma.isFinite, gamma > 0 else {
                throw .invalidSetting(name: "--gamma", value: "\(gamma)", requirement: "must be a positive number")
            }
        case let .cosine(minimum):
            guard minimum.isFinite, minimum >= 0 else {
                throw .invalidSetting(name: "--min-lr", value: "\(minimum)", requirement: "must be ≥ 0")
            }
        }
    }
}
