/// A named layer and the names of the tensors it reads.
public struct Node: Sendable, Hashable {
    /// Unique name; for built-in models the PyTorch module path (`layer3.5.conv2`).
    public var name: String
    public var layer: Layer
    /// Names of input nodes, or `Network.inputName` for the network input.
    public var inputs: [String]
    /// Output channels when the layer alone does not determine them (an imported channel slice,
    /// split or pad, a reshape); `nil` lets the analysis propagate them.
    public var channels: Int?

    public init(_ name: String, _ layer: Layer, inputs: [String], channels: Int? = nil) {
        self.name = name
        self.layer = layer
        self.inputs = inputs
        self.channels = channels
    }
}

/// A network as a directed acyclic graph of layers over one spatial input.
///
/// The same description serves geometry (receptive fields, output sizes) and, when channel
/// counts are given, building a trainable model. Nodes are kept in a topological order.
public struct Network: Sendable, Hashable {
    /// The name of the network's input tensor, usable in `Node.inputs`.
    public static let inputName = "input"

    public var name: String
    /// Input channels, when known.
    public var inputChannels: Int?
    /// The default spatial input size, one entry per spatial axis (`[H, W]` for images).
    public var inputSize: [Int]
    /// The layers in topological order.
    public private(set) var nodes: [Node]
    /// The nodes whose outputs are the network's outputs; by default the last node.
    public var outputs: [String]

    /// Creates a network, checking names and inputs and ordering the nodes topologically
    /// (stable: the given order is kept where it is already valid).
    /// - Throws: `NetworkError` for a duplicate name, a missing input, a cycle, or a layer with
    ///   the wrong number of inputs.
    public init(name: String, inputChannels: Int? = nil, inputSize: [Int], nodes: [Node],
                outputs: [String]? = nil) throws {
        self.name = name
        self.inputChannels = inputChannels
        self.inputSize = inputSize
        self.nodes = try Network.topologicallySorted(nodes)
        self.outputs = outputs ?? self.nodes.last.map { [$0.name] } ?? []
        let known = Set(self.nodes.map(\.name))
        for output in self.outputs where !known.contains(output) {
            throw NetworkError.unknownNode(output)
        }
    }

    /// The number of spatial axes.
    public var spatialRank: Int { inputSize.count }

    /// The node with the given name.
    public func node(named name: String) -> Node? {
        nodes.first { $0.name == name }
    }

    /// Resolves a user-facing endpoint name to a node name: an exact node name, or a container
    /// prefix (`layer3` is the output of the last node whose name starts with `layer3.`).
    public func resolve(endpoint: String) -> String? {
        if endpoint == Network.inputName || node(named: endpoint) != nil { return endpoint }
        return nodes.last { $0.name.hasPrefix(endpoint + ".") }?.name
    }

    private static func topologicallySorted(_ nodes: [Node]) throws -> [Node] {
        var index: [String: Int] = [:]
        for (i, node) in nodes.enumerated() {
            guard node.name != inputName else { throw NetworkError.reservedName(node.name) }
            guard index.updateValue(i, forKey: node.name) == nil else {
                throw NetworkError.duplicateName(node.name)
            }
        }
        for node in nodes {
            let arity = node.layer.inputArity
            guard arity.contains(node.inputs.count) else {
                throw NetworkError.wrongInputCount(node: node.name, expected: arity, got: node.inputs.count)
            }
            for input in node.inputs where input != inputName && index[input] == nil {
                throw NetworkError.missingInput(node: node.name, input: input)
            }
        }
        // Kahn's algorithm, always taking the earliest ready node to keep the given order.
        var pending = nodes.map { $0.inputs.filter { $0 != inputName }.count }
        var consumers = [[Int]](repeating: [], count: nodes.count)
        for (i, node) in nodes.enumerated() {
            for input in node.inputs where input != inputName { consumers[index[input]!].append(i) }
        }
        var ready = Set(pending.indices.filter { pending[$0] == 0 })
        var order: [Node] = []
        order.reserveCapacity(nodes.count)
        while let next = ready.min() {
            ready.remove(next)
            order.append(nodes[next])
            for c in consumers[next] {
                pending[c] -= 1
                if pending[c] == 0 { ready.insert(c) }
            }
        }
        if order.count < nodes.count {
            let stuck = nodes.indices.first { pending[$0] > 0 }!
            throw NetworkError.cycle(node: nodes[stuck].name)
        }
        return order
    }
}

extension Layer {
    /// How many inputs the layer takes.
    public var inputArity: ClosedRange<Int> {
        switch self {
        case .add, .multiply, .concat: return 2...Int.max
        default: return 1...1
        }
    }
}

/// Errors in the structure of a network.
public enum NetworkError: Error, Equatable, CustomStringConvertible {
    case duplicateName(String)
    case reservedName(String)
    case missingInput(node: String, input: String)
    case cycle(node: String)
    case wrongInputCount(node: String, expected: ClosedRange<Int>, got: Int)
    case unknownNode(String)

    public var description: String {
        switch self {
        case .duplicateName(let n): return "node '\(n)': duplicate name"
        case .reservedName(let n): return "node '\(n)': the name is reserved for the network input"
        case .missingInput(let n, let i): return "node '\(n)': input '\(i)' does not exist"
        case .cycle(let n): return "node '\(n)': part of a cycle"
        case .wrongInputCount(let n, let e, let g):
            let want = e.upperBound == Int.max ? "at least \(e.lowerBound)" : "\(e.lowerBound)"
            return "node '\(n)': takes \(want) input(s), got \(g)"
        case .unknownNode(let n): return "output '\(n)' is not a node"
        }
    }
}
