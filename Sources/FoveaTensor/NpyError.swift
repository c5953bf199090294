/// Errors raised while reading or writing NumPy `.npy` files.
///
/// Every case carries the file (or a caller-chosen source name) and one line that says what is
/// wrong with it.
public enum NpyError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(file: String, reason: String)
    /// The file is not a `.npy` file or its header is malformed.
    case malformedHeader(file: String, problem: String)
    /// The header declares a data type this reader does not accept.
    case unsupportedDType(file: String, dtype: String, expected: String)
    /// The header declares a shape that is negative, absurdly large, or of the wrong rank.
    case invalidShape(file: String, problem: String)
    /// The data section does not hold exactly the bytes the header declares.
    case sizeMismatch(file: String, expectedBytes: Int, actualBytes: Int)
    /// An integer label does not fit in `Int`.
    case valueOutOfRange(file: String, problem: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read: \(reason)"
        case let .malformedHeader(file, problem):
            return "\(file): not a valid .npy file: \(problem)"
        case let .unsupportedDType(file, dtype, expected):
            return "\(file): unsupported dtype '\(dtype)' (expected \(expected))"
        case let .invalidShape(file, problem):
            return "\(file): invalid shape: \(problem)"
        case let .sizeMismatch(file, expected, actual):
            return "\(file): the header declares \(expected) data bytes but the file holds \(actual)"
        case let .valueOutOfRange(file, problem):
            return "\(file): \(problem)"
        }
    }
}
