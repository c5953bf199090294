/// Output sizes, channels and receptive fields of every tensor of a network at one input size.
public struct NetworkGeometry: Sendable {
    /// The analysed network.
    public let network: Network
    /// The analysed input size, one entry per spatial axis.
    public let inputSize: [Int]
    /// The input first, then every node in network order.
    public let tensors: [TensorGeometry]
    /// Every merge node (add, multiply, concat), aligned or not, in network order.
    public let merges: [MergeDiagnosis]
    private let positions: [String: Int]

    /// Analyses `network` at `inputSize` (default: `network.inputSize`).
    /// - Parameter poolPaddingRule: `.pytorch` rejects pooling padding above `kernel / 2`.
    /// - Throws: `GeometryError` naming the node for an invalid configuration at this input size.
    public init(_ network: Network, inputSize: [Int]? = nil,
                poolPaddingRule: PoolPaddingRule = .unrestricted) throws(GeometryError) {
        let size = inputSize ?? network.inputSize
        guard size.count == network.spatialRank, !size.isEmpty, size.allSatisfy({ $0 >= 1 }) else {
            throw .invalidInputSize(size: size, spatialRank: network.spatialRank)
        }
        self.network = network
        self.inputSize = size

        var positions = [Network.inputName: 0]
        positions.reserveCapacity(network.nodes.count + 1)
        var states = [TensorState(size: size, maps: Array(repeating: .affine(.identity), count: size.count),
                                  channels: network.inputChannels, flags: [])]
        states.reserveCapacity(network.nodes.count + 1)
        var tensors = [TensorGeometry(name: Network.inputName, layer: nil, inputs: [], state: states[0],
                                      parameterCount: nil, networkInputSize: size)]
        tensors.reserveCapacity(network.nodes.count + 1)
        var merges = [MergeDiagnosis]()

        for node in network.nodes {
            // Network guarantees that inputs exist and precede the node.
            let inputs = node.inputs.compactMap { name in positions[name].map { (name: name, state: states[$0]) } }
            var (state, parameters, diagnosis) = try LayerGeometry(node: node, networkInputSize: size,
                                                                   poolPaddingRule: poolPaddingRule).output(from: inputs)
            if let channels = node.channels { state.channels = channels }
            if let diagnosis { merges.append(diagnosis) }
            positions[node.name] = states.count
            states.append(state)
            tensors.append(TensorGeometry(name: node.name, layer: node.layer, inputs: node.inputs, state: state,
                                          parameterCount: parameters, networkInputSize: size))
        }
        self.tensors = tensors
        self.merges = merges
        self.positions = positions
    }

    /// The tensor with this node name, or the output of a container (`layer3` → the last node
    /// named `layer3.…`); `"input"` is the network input.
    public subscript(name: String) -> TensorGeometry? {
        guard let resolved = network.resolve(endpoint: name), let position = positions[resolved] else { return nil }
        return tensors[position]
    }

    /// The alignment diagnosis of a merge node.
    public func merge(named name: String) -> MergeDiagnosis? {
        merges.first { $0.node == name }
    }
}
