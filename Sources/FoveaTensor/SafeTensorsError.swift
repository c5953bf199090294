/// Errors raised while reading a `.safetensors` file; each names the file (or a caller-chosen
/// source name) and, where there is one, the tensor.
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(file: String, reason: String)
    /// The 8-byte header length is missing, or declares more bytes than the file holds.
    case headerLength(file: String, declared: UInt64?, available: Int)
    /// The header is not a JSON object of the expected form.
    case invalidHeader(file: String, problem: String)
    /// A tensor's dtype is not one this reader converts to `Float` (F32, F64).
    case unsupportedDType(file: String, tensor: String, dtype: String)
    /// A tensor's shape is not a list of non-negative integers, or has too many elements.
    case invalidShape(file: String, tensor: String, problem: String)
    /// A tensor's data offsets are malformed, outside the data section, of the wrong length,
    /// overlapping another tensor's, or leave part of the data section unused.
    case invalidOffsets(file: String, tensor: String, problem: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read: \(reason)"
        case let .headerLength(file, declared?, available):
            return "\(file): the header length \(declared) exceeds the \(available) bytes that follow it"
        case let .headerLength(file, nil, available):
            return "\(file): not a safetensors file: \(available) bytes, fewer than the 8-byte header length"
        case let .invalidHeader(file, problem):
            return "\(file): invalid safetensors header: \(problem)"
        case let .unsupportedDType(file, tensor, dtype):
            return "\(file): tensor '\(tensor)': unsupported dtype '\(dtype)' (expected F32 or F64)"
        case let .invalidShape(file, tensor, problem):
            return "\(file): tensor '\(tensor)': invalid shape: \(problem)"
        case let .invalidOffsets(file, tensor, problem):
            return "\(file): tensor '\(tensor)': invalid data_offsets: \(problem)"
        }
    }
}
