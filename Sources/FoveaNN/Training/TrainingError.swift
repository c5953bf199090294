/// A training setting, data set or run that cannot work.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// A hyperparameter outside its range.
    case invalidSetting(name: String, value: String, requirement: String)
    /// A data set without images, of the wrong rank, or a split that leaves one side empty.
    case invalidData(source: String, detail: String)
    /// Images and labels that do not pair up.
    case mismatchedLabels(source: String, images: Int, labels: Int)
    /// A label outside the model's classes.
    case labelOutOfRange(source: String, index: Int, label: Int, classes: Int)
    /// The loss (or a parameter) became NaN or infinite.
    case diverged(epoch: Int, batch: Int, loss: Double, lastGoodEpoch: Int)

    public var description: String {
        switch self {
        case let .invalidSetting(name, value, requirement):
            return "\(name) \(value): \(requirement)"
        case let .invalidData(source, detail):
            return "\(source): \(detail)"
        case let .mismatchedLabels(source, images, labels):
            return "\(source): \(images) images but \(labels) labels"
        case let .labelOutOfRange(source, index, label, classes):
            return "\(source): label \(label) at index \(index) is outside the model's classes 0..<\(classes)"
        case let .diverged(epoch, batch, loss, lastGoodEpoch):
            let kept = lastGoodEpoch > 0 ? "the checkpoint of epoch \(lastGoodEpoch) is kept" : "no checkpoint was written"
            return "training diverged: loss \(loss) in epoch \(epoch), batch \(batch); \(kept); try a smaller --lr"
        }
    }
}
