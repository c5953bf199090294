/// A layer or loss configuration that cannot work, or a tensor of the wrong shape.
public enum LayerError: Error, Equatable, CustomStringConvertible {
    /// A hyperparameter or parameter tensor that is invalid, alone or for the given input.
    case invalidParameter(layer: String, parameter: String, detail: String)
    /// A tensor whose shape does not fit the layer.
    case shapeMismatch(layer: String, tensor: String, expected: String, actual: [Int])

    public var description: String {
        switch self {
        case let .invalidParameter(layer, parameter, detail):
            return "\(layer): \(parameter): \(detail)"
        case let .shapeMismatch(layer, tensor, expected, actual):
            return "\(layer): \(tensor) has shape \(actual), expected \(expected)"
        }
    }
}
