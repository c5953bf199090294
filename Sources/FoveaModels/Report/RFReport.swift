import FoveaGeometry

/// What `fovea rf` prints: the geometry of every node (or one) of an analysed network, its
/// merge diagnoses, optionally one unit's input interval and an empirical verification, in
/// table, JSON, CSV or markdown form.
public struct RFReport: Sendable {
    /// One node's line of the report.
    public struct Row: Sendable {
        public let name: String
        /// The layer; nil for the network input.
        public let layer: Layer?
        /// The tensors the layer reads.
        public let inputs: [String]
        public let channels: Int?
        public let parameterCount: Int?
        public let outputSize: [Int]
        public let axes: [AxisGeometry]
        /// In `GeometryFlag.allCases` order.
        public let flags: [GeometryFlag]
        public let isAligned: Bool

        init(_ tensor: TensorGeometry) {
            name = tensor.name
            layer = tensor.layer
            inputs = tensor.inputs
            channels = tensor.channels
            parameterCount = tensor.parameterCount
            outputSize = tensor.outputSize
            axes = tensor.axes
            flags = GeometryFlag.allCases.filter { tensor.flags.contains($0) }
            isAligned = tensor.isAligned
        }

        /// `conv`, `relu`, …; `input` for the network input.
        public var operation: String { layer?.operationName ?? "input" }
        /// The operation with its geometry hyperparameters.
        public var summary: String { layer?.summary ?? "input" }
    }

    /// The model name shown in the report.
    public let model: String
    public let inputSize: [Int]
    public let inputChannels: Int?
    /// The network input first (omitted with a selected node), then the nodes in network order.
    public let rows: [Row]
    /// The merge diagnoses (all merges; only the selected node's with a selection).
    public let merges: [MergeDiagnosis]
    /// The selected node, when the report is about one node.
    public let selectedNode: String?
    /// The name the node was selected by (a container prefix such as `layer4`, or the node name).
    public let requestedNode: String?
    /// The interval of one unit of the unit node, when requested.
    public let unit: UnitInterval?
    /// Empirical verification results, when requested.
    public var verification: RFVerification?
    /// For an ONNX model: the operators assumed element-wise and their nodes (nil for other models).
    public var assumptions: [PointwiseAssumption]? = nil

    /// Builds the report of `geometry`.
    /// - Parameters:
    ///   - at: a node name or container prefix: report only that node.
    ///   - unit: one index per axis of a unit of the `at` node (default: the final spatial node).
    /// - Throws: `ReportError` for an unknown node or a unit outside the node's grid.
    public init(geometry: NetworkGeometry, model: String, at: String? = nil, unit: [Int]? = nil) throws(ReportError) {
        self.model = model
        inputSize = geometry.inputSize
        inputChannels = geometry.network.inputChannels
        var selected: TensorGeometry?
        if let at {
            guard let tensor = geometry[at] else {
                throw .unknownNode(at, suggestions: RFReport.similarNames(to: at, in: geometry.network))
            }
            selected = tensor
            rows = [Row(tensor)]
            merges = geometry.merges.filter { $0.node == tensor.name }
        } else {
            rows = geometry.tensors.map(Row.init)
            merges = geometry.merges
        }
        selectedNode = selected?.name
        requestedNode = at
        if let unit {
            let tensor = selected ?? geometry[RFReport.finalSpatialNode(of: geometry)] ?? geometry.tensors[0]
            self.unit = try UnitInterval(tensor: tensor, unit: unit)
        } else {
            self.unit = nil
        }
        verification = nil
    }

    /// The last node that does not follow a global reduction (for a classifier, the output of its
    /// last spatial stage); the last node if every node is (partially) global.
    public static func finalSpatialNode(of geometry: NetworkGeometry) -> String {
        let last = geometry.tensors.last {
            $0.flags.isDisjoint(with: [.global, .partiallyGlobal]) && $0.name != Network.inputName
        }
        return (last ?? geometry.tensors[geometry.tensors.count - 1]).name
    }

    /// Node names that start with, or contain, the requested name (up to five).
    static func similarNames(to name: String, in network: Network) -> [String] {
        let lower = name.lowercased()
        let prefixed = network.nodes.map(\.name).filter { $0.lowercased().hasPrefix(lower) }
        let containing = network.nodes.map(\.name).filter { $0.lowercased().contains(lower) && !$0.lowercased().hasPrefix(lower) }
        return Array((prefixed + containing).prefix(5))
    }
}

/// The input interval of one unit and the pixels it actually reads, per axis.
public struct UnitInterval: Sendable {
    public struct Axis: Sendable {
        /// The unclipped interval; nil when the unit sees nothing on this axis.
        public let interval: ClosedRange<Int>?
        public let centre: Double?
        /// Positions of the interval in padding (outside the input).
        public let paddedCount: Int
        /// The hull of the input pixels the unit actually reads (its exact reach); nil when none.
        public let reached: ClosedRange<Int>?
        /// Pixels of the interval inside the input that the unit does not read: they lie in the
        /// interval only through the padding of some layer.
        public let unreachedCount: Int
        /// `paddedCount` over the interval's length (0 for a unit that sees nothing).
        public var paddedFraction: Double {
            guard let interval else { return 0 }
            return Double(paddedCount) / (Double(interval.upperBound) - Double(interval.lowerBound) + 1)
        }
    }

    public let node: String
    public let index: [Int]
    public let outputSize: [Int]
    public let axes: [Axis]

    init(tensor: TensorGeometry, unit: [Int]) throws(ReportError) {
        guard unit.count == tensor.outputSize.count,
              unit.indices.allSatisfy({ unit[$0] >= 0 && unit[$0] < tensor.outputSize[$0] }) else {
            throw .unitOutOfRange(unit: unit, node: tensor.name, size: tensor.outputSize)
        }
        node = tensor.name
        index = unit
        outputSize = tensor.outputSize
        axes = unit.indices.map { axis in
            let geometry = tensor.axes[axis]
            return Axis(interval: geometry.interval(ofUnit: unit[axis]), centre: geometry.centre(ofUnit: unit[axis]),
                        paddedCount: geometry.paddedCount(ofUnit: unit[axis]),
                        reached: geometry.reachedInput(ofUnit: unit[axis]),
                        unreachedCount: geometry.unreachedCount(ofUnit: unit[axis]))
        }
    }
}

/// A request the report cannot answer.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    case unknownNode(String, suggestions: [String])
    case unitOutOfRange(unit: [Int], node: String, size: [Int])

    public var description: String {
        switch self {
        case .unknownNode(let name, let suggestions):
            let hint = suggestions.isEmpty ? "" : "; did you mean " + suggestions.map { "'\($0)'" }.joined(separator: ", ") + "?"
            return "no node or container '\(name)' in the network\(hint)"
        case .unitOutOfRange(let unit, let node, let size):
            let sizes = size.map(String.init).joined(separator: "×")
            return "unit \(unit.map(String.init).joined(separator: ",")) is not a unit of '\(node)' (size \(sizes), indices from 0)"
        }
    }
}
