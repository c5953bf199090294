/// Why a network cannot become a trainable model, or why data does not fit one.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    /// A node whose layer has no trainable implementation.
    case unsupportedLayer(model: String, node: String, layer: String)
    /// A node that lacks a size a trainable model needs (output channels, output features).
    case missingSize(model: String, node: String, size: String)
    /// A layer that cannot run on the tensor it receives.
    case invalidNode(model: String, node: String, detail: String)
    /// The network does not end in one `[N, classes]` output.
    case invalidOutput(model: String, detail: String)
    /// Images of a shape the model does not take.
    case inputMismatch(model: String, expected: [Int], actual: [Int], source: String)
    /// A parameter list or file that does not match the model's parameters.
    case parameterMismatch(model: String, detail: String)

    public var description: String {
        switch self {
        case let .unsupportedLayer(model, node, layer):
            return "model \(model): node '\(node)': \(layer) has no trainable implementation (supported: convolution, max/average pooling, global max/average pooling, relu, identity, flatten, linear, add, concat)"
        case let .missingSize(model, node, size):
            return "model \(model): node '\(node)': the \(size) must be given to train the model"
        case let .invalidNode(model, node, detail):
            return "model \(model): node '\(node)': \(detail)"
        case let .invalidOutput(model, detail):
            return "model \(model): \(detail)"
        case let .inputMismatch(model, expected, actual, source):
            return "model \(model) takes \(ModelError.image(expected)) images but \(source) has \(ModelError.image(actual))"
        case let .parameterMismatch(model, detail):
            return "model \(model): \(detail)"
        }
    }

    /// `C×H×W`.
    static func image(_ shape: [Int]) -> String {
        shape.map(String.init).joined(separator: "×")
    }
}
