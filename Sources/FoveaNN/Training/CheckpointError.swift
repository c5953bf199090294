/// A checkpoint directory or file that cannot be used.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    /// The directory lacks a checkpoint file.
    case missing(file: String)
    /// A checkpoint file whose contents do not fit the run or the model.
    case invalid(file: String, detail: String)

    public var description: String {
        switch self {
        case .missing(let file): return "\(file): no such checkpoint file"
        case let .invalid(file, detail): return "\(file): \(detail)"
        }
    }
}
