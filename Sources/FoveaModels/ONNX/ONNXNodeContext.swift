import Foundation

/// One ONNX node with its attributes indexed by name and typed accessors that throw
/// `ONNXError.invalidNode` naming the node and attribute when a value has the wrong type.
struct ONNXNodeContext {
    let proto: Onnx_NodeProto
    /// The default-domain opset version of the model.
    let opset: Int
    /// The node's name, or a stand-in built from its position when the file gives none.
    let name: String
    private let attributes: [String: Onnx_AttributeProto]

    init(_ proto: Onnx_NodeProto, index: Int, opset: Int) {
        self.proto = proto
        self.opset = opset
        self.name = proto.name.isEmpty ? "#\(index) \(proto.opType)" : proto.name
        var attributes: [String: Onnx_AttributeProto] = [:]
        for a in proto.attribute where attributes[a.name] == nil { attributes[a.name] = a }
        self.attributes = attributes
    }

    var op: String { proto.opType }
    /// The first output tensor, which names the node in the geometry network.
    var tensor: String { proto.output.first { !$0.isEmpty } ?? name }
    var inputs: [String] { proto.input }
    var outputs: [String] { proto.output }

    /// An `invalidNode` error for this node.
    func error(_ problem: String) -> ONNXError {
        .invalidNode(op: op, node: name, tensor: tensor, problem: problem)
    }

    func has(_ attribute: String) -> Bool { attributes[attribute] != nil }

    /// Whether any attribute carries a graph (control flow bodies).
    var hasGraphAttribute: Bool {
        attributes.values.contains { $0.type == .graph || $0.type == .graphs }
    }

    private func attribute(_ name: String, _ expected: Onnx_AttributeProto.AttributeType,
                           present: (Onnx_AttributeProto) -> Bool) throws(ONNXError) -> Onnx_AttributeProto? {
        guard let a = attributes[name] else { return nil }
        if a.hasType, a.type != .undefined {
            guard a.type == expected else {
                throw error("attribute '\(name)' has type \(a.type), expected \(expected)")
            }
        } else if !present(a) {
            throw error("attribute '\(name)' has no value of type \(expected)")
        }
        return a
    }

    func int(_ name: String) throws(ONNXError) -> Int? {
        try attribute(name, .int) { $0.hasI }.map { Int($0.i) }
    }

    func ints(_ name: String) throws(ONNXError) -> [Int]? {
        guard let a = try attribute(name, .ints, present: { !$0.ints.isEmpty }) else { return nil }
        guard a.ints.count <= ONNXLimits.maxConstantElements else {
            throw .limitExceeded(what: "attribute '\(name)' of node '\(self.name)'", count: a.ints.count,
                                 limit: ONNXLimits.maxConstantElements)
        }
        return a.ints.map { Int($0) }
    }

    func float(_ name: String) throws(ONNXError) -> Double? {
        try attribute(name, .float) { $0.hasF }.map { Double($0.f) }
    }

    func floats(_ name: String) throws(ONNXError) -> [Double]? {
        guard let a = try attribute(name, .floats, present: { !$0.floats.isEmpty }) else { return nil }
        guard a.floats.count <= ONNXLimits.maxConstantElements else {
            throw .limitExceeded(what: "attribute '\(name)' of node '\(self.name)'", count: a.floats.count,
                                 limit: ONNXLimits.maxConstantElements)
        }
        return a.floats.map { Double($0) }
    }

    /// A number given either as an INT or a FLOAT attribute (LpPool's `p` changed type).
    func number(_ name: String) throws(ONNXError) -> Double? {
        guard let a = attributes[name] else { return nil }
        if a.type == .float || (a.type == .undefined && a.hasF) { return Double(a.f) }
        return try int(name).map(Double.init)
    }

    func string(_ name: String) throws(ONNXError) -> String? {
        guard let a = try attribute(name, .string, present: { $0.hasS }) else { return nil }
        guard let s = String(data: a.s, encoding: .utf8) else { throw error("attribute '\(name)' is not UTF-8") }
        return s
    }

    func tensorAttribute(_ name: String) throws(ONNXError) -> Onnx_TensorProto? {
        try attribute(name, .tensor) { $0.hasT }.map(\.t)
    }

    /// A per-axis integer list attribute, checked to have `count` entries each `>= minimum`.
    func axisList(_ name: String, count: Int, minimum: Int, default value: Int) throws(ONNXError) -> [Int] {
        guard let list = try ints(name) else { return Array(repeating: value, count: count) }
        guard list.count == count else {
            throw error("attribute '\(name)' has \(list.count) entries, expected \(count)")
        }
        if let bad = list.firstIndex(where: { $0 < minimum || $0 > ONNXLimits.maxDimension }) {
            throw error("attribute '\(name)'[\(bad)] = \(list[bad]) is out of range")
        }
        return list
    }
}
