/// The operators a user asked to treat as element-wise (`--assume-pointwise`) and the nodes that
/// were imported on that word: every format of the report states them.
extension RFReport {
    /// One assumed-pointwise operator and the nodes it was applied to.
    public struct PointwiseAssumption: Sendable, Hashable {
        /// The operator type as requested (`op_type` or `domain.op_type`).
        public let op: String
        /// The network nodes (ONNX tensor names) imported as element-wise, in graph order; empty
        /// when the graph has no such operator.
        public let nodes: [String]
        /// The ONNX node names of the same nodes.
        public let onnxNodes: [String]

        public init(op: String, nodes: [String], onnxNodes: [String]) {
            self.op = op
            self.nodes = nodes
            self.onnxNodes = onnxNodes
        }

        /// The requested operators of `model`, sorted, each with the nodes imported on the user's word.
        public static func all(of model: ONNXModel) -> [PointwiseAssumption] {
            let requested = model.options.assumePointwise
            return requested.sorted().map { op in
                // A bare op type also covers nodes of other domains unless their qualified name was requested too.
                let applied = model.assumptions.filter {
                    $0.op == op || ($0.op.hasSuffix("." + op) && !requested.contains($0.op))
                }
                return PointwiseAssumption(op: op, nodes: applied.map { model.nodeName(forTensor: $0.tensor) ?? $0.tensor },
                                           onnxNodes: applied.map(\.node))
            }
        }
    }

    /// `assumed element-wise (--assume-pointwise): Op → a, b; Other → no node`; empty without assumptions.
    var assumptionLines: [String] { Self.assumptionLines(assumptions ?? []) }

    static func assumptionLines(_ assumptions: [PointwiseAssumption]) -> [String] {
        guard !assumptions.isEmpty else { return [] }
        let parts = assumptions.map { "\($0.op) → " + ($0.nodes.isEmpty ? "no node" : $0.nodes.joined(separator: ", ")) }
        return ["assumed element-wise (--assume-pointwise): " + parts.joined(separator: "; ")]
    }

    /// The `assumptions` array of the JSON report (empty for a model imported without any).
    static func assumptionsJSON(_ assumptions: [PointwiseAssumption]) -> JSONValue {
        .array(assumptions.map { assumption in
            .object([("op", .string(assumption.op)), ("nodes", .strings(assumption.nodes)),
                     ("onnx_nodes", .strings(assumption.onnxNodes))])
        })
    }

    /// CSV records `assumed_pointwise,node,onnx_node`, one per node (an operator without nodes has empty cells).
    var assumptionRecords: [[String]] { Self.assumptionRecords(assumptions ?? []) }

    static func assumptionRecords(_ assumptions: [PointwiseAssumption]) -> [[String]] {
        guard !assumptions.isEmpty else { return [] }
        var records = [["assumed_pointwise", "node", "onnx_node"]]
        for assumption in assumptions {
            if assumption.nodes.isEmpty { records.append([assumption.op, "", ""]) }
            for (node, onnxNode) in zip(assumption.nodes, assumption.onnxNodes) {
                records.append([assumption.op, node, onnxNode])
            }
        }
        return records
    }
}
