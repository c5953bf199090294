import FoveaGeometry

/// Why an ONNX file could not be turned into a geometry network. Every description is one line
/// naming the file, node, tensor or field and the numbers involved.
public enum ONNXError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The file is larger than the protobuf format allows.
    case fileTooLarge(path: String, bytes: Int, limit: Int)
    /// The bytes are not a valid protobuf encoding of an ONNX model.
    case malformed(String)
    /// A count (messages, nodes, tensor rank, elements) is above what the importer accepts.
    case limitExceeded(what: String, count: Int, limit: Int)
    /// The model has no graph, or a field of the model is unusable.
    case invalidModel(String)
    /// The default-domain opset is missing or older than the importer understands.
    case unsupportedOpset(Int)
    /// A problem with the graph input (missing, several, unusable shape, bad `inputSize`).
    case invalidInput(name: String, problem: String)
    /// A tensor's declared or computed dimension is negative, zero where that is not allowed, or absurdly large.
    case invalidDimension(tensor: String, field: String, value: Int)
    /// Two nodes write the same tensor, or a node writes an initializer or graph input.
    case duplicateTensor(tensor: String, node: String)
    /// A node reads a tensor that nothing produces.
    case danglingInput(node: String, tensor: String)
    /// Nodes depend on each other in a cycle.
    case cycle(node: String, tensor: String)
    /// A control-flow operator (If, Loop, Scan) or graph-valued attribute: subgraphs are not imported.
    case subgraph(op: String, node: String)
    /// An operator the geometry engine cannot reason about.
    case unsupportedOperator(op: String, node: String, tensor: String)
    /// A supported operator used in a way the importer cannot map (bad attribute, missing constant, …).
    case invalidNode(op: String, node: String, tensor: String, problem: String)
    /// The collected layers do not form a valid network.
    case network(NetworkError)
    /// No graph output depends on the graph input.
    case noSpatialOutput

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .fileTooLarge(let path, let bytes, let limit):
            return "\(path): \(bytes) bytes is more than the \(limit) bytes a protobuf model may have"
        case .malformed(let what):
            return "not a valid ONNX protobuf: \(what)"
        case .limitExceeded(let what, let count, let limit):
            return "\(what): \(count) is more than the limit of \(limit)"
        case .invalidModel(let what):
            return "invalid model: \(what)"
        case .unsupportedOpset(let version):
            return "default-domain opset \(version) is not supported (need 7 or later)"
        case .invalidInput(let name, let problem):
            return "graph input '\(name)': \(problem)"
        case .invalidDimension(let tensor, let field, let value):
            return "tensor '\(tensor)': \(field) = \(value) is not a valid dimension"
        case .duplicateTensor(let tensor, let node):
            return "node '\(node)': writes tensor '\(tensor)', which already has a producer"
        case .danglingInput(let node, let tensor):
            return "node '\(node)': input tensor '\(tensor)' is not produced by any node, initializer or graph input"
        case .cycle(let node, let tensor):
            return "node '\(node)': part of a cycle through tensor '\(tensor)'"
        case .subgraph(let op, let node):
            return "\(op) node '\(node)': control flow with subgraphs (If/Loop/Scan) is not supported"
        case .unsupportedOperator(let op, let node, let tensor):
            return "\(op) node '\(node)' (tensor '\(tensor)'): operator not supported; "
                + "use --assume-pointwise \(op) to treat it as element-wise at your own risk"
        case .invalidNode(let op, let node, let tensor, let problem):
            return "\(op) node '\(node)' (tensor '\(tensor)'): \(problem)"
        case .network(let error):
            return "network: \(error)"
        case .noSpatialOutput:
            return "no graph output depends on the graph input"
        }
    }
}
