/// A data file that cannot be read or does not hold what its format promises.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(file: String, reason: String)
    /// The file is damaged or not of the expected format.
    case malformed(file: String, problem: String)
    /// Two files that should pair up (images and labels) do not.
    case mismatch(detail: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason): return "\(file): cannot read: \(reason)"
        case let .malformed(file, problem): return "\(file): \(problem)"
        case let .mismatch(detail): return detail
        }
    }
}
