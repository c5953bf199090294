/// A property of a tensor's receptive field worth reporting.
public enum GeometryFlag: String, Sendable, CaseIterable {
    /// The tensor is, or depends on, a merge whose paths disagree on stride or centre.
    case misaligned
    /// The tensor is, or depends on, a merge with a global (or broadcast) input, such as a
    /// squeeze-and-excitation gate; its receptive field is that of the local inputs.
    case globalContext = "global context"
    /// The receptive field is larger than the input on some axis.
    case rfExceedsInput = "rf exceeds input"
    /// Some axis has no affine form; its units are given by an exact per-unit table.
    case nonAffine = "non-affine"
    /// Every unit depends on every position of a feature map reduced by a global pool, flatten,
    /// linear layer or adaptive pooling to size 1, and reads every input pixel.
    case global
    /// Like `global`, every unit depends on every position of the reduced feature map, but some
    /// input pixels at the border are read by no path (only through padding, or skipped by a
    /// stride); `r` is then the width of the pixels actually read, less than the input.
    case partiallyGlobal = "partially global"
}

/// Size, channels and receptive field of one tensor: the network input or a node's output.
public struct TensorGeometry: Sendable, Hashable {
    /// The node name, or `Network.inputName` for the input.
    public let name: String
    /// The layer producing the tensor; nil for the input.
    public let layer: Layer?
    /// The names of the tensors the layer reads.
    public let inputs: [String]
    /// Channels, when known; after `flatten` the number of features `C·Π sizes`.
    public let channels: Int?
    /// Weights and biases of this node's layer (batch norm: `2·C`), when known; 0 for layers
    /// without parameters.
    public let parameterCount: Int?
    /// Units per spatial axis; 1 on every axis after `flatten` and `linear`.
    public let outputSize: [Int]
    /// Receptive field per spatial axis.
    public let axes: [AxisGeometry]
    public let flags: Set<GeometryFlag>

    /// False iff the tensor is flagged misaligned.
    public var isAligned: Bool { !flags.contains(.misaligned) }

    init(name: String, layer: Layer?, inputs: [String], state: TensorState, parameterCount: Int?,
         networkInputSize: [Int]) {
        self.name = name
        self.layer = layer
        self.inputs = inputs
        self.channels = state.channels
        self.parameterCount = parameterCount
        self.outputSize = state.size
        self.axes = state.maps.indices.map {
            AxisGeometry(map: state.maps[$0], reach: state.reaches[$0], inputSize: networkInputSize[$0],
                         outputSize: state.size[$0])
        }
        var flags = state.flags
        if axes.contains(where: { !$0.isAffine }) { flags.insert(.nonAffine) }
        if axes.contains(where: { $0.receptiveField > $0.inputSize }) { flags.insert(.rfExceedsInput) }
        self.flags = flags
    }
}

/// What the analysis carries from a tensor to the layers that read it.
struct TensorState {
    var size: [Int]
    var maps: [AxisMap]
    /// The input pixels each unit actually reads, per axis.
    var reaches: [ReachTable]
    var channels: Int?
    /// Only `misaligned`, `globalContext`, `global` and `partiallyGlobal`, which propagate downstream.
    var flags: Set<GeometryFlag>

    /// Whether the tensor is a global reduction, or follows one through single-input layers.
    var isReduced: Bool { !flags.isDisjoint(with: [.global, .partiallyGlobal]) }

    /// Flags a global reduction: `global` when its units read every input pixel on every axis,
    /// `partiallyGlobal` otherwise.
    mutating func flagReduction(networkInputSize: [Int]) {
        var whole = true
        for axis in maps.indices {
            let reached = try? reaches[axis].whole(map: maps[axis])
            whole = whole && reached == Span(lo: 0, hi: networkInputSize[axis] - 1)
        }
        flags.subtract([.global, .partiallyGlobal])
        flags.insert(whole ? .global : .partiallyGlobal)
    }
}
