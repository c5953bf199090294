import Foundation
import SwiftProtobuf
@testable import FoveaModels

/// Builds small ONNX models in memory with the generated protobuf types.
enum ONNXBuilder {
    enum Attribute {
        case int(Int), ints([Int]), float(Float), floats([Float]), string(String), tensor(Onnx_TensorProto)
    }

    static func node(_ op: String, _ inputs: [String], _ outputs: [String], name: String = "",
                     domain: String = "", _ attributes: [String: Attribute] = [:]) -> Onnx_NodeProto {
        var n = Onnx_NodeProto()
        n.opType = op
        n.input = inputs
        n.output = outputs
        n.name = name
        if !domain.isEmpty { n.domain = domain }
        for (key, value) in attributes.sorted(by: { $0.key < $1.key }) {
            var a = Onnx_AttributeProto()
            a.name = key
            switch value {
            case .int(let v): a.type = .int; a.i = Int64(v)
            case .ints(let v): a.type = .ints; a.ints = v.map(Int64.init)
            case .float(let v): a.type = .float; a.f = v
            case .floats(let v): a.type = .floats; a.floats = v
            case .string(let v): a.type = .string; a.s = Data(v.utf8)
            case .tensor(let v): a.type = .tensor; a.t = v
            }
            n.attribute.append(a)
        }
        return n
    }

    /// An int64 tensor with its values.
    static func ints(_ name: String, _ values: [Int], dims: [Int]? = nil) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dataType = 7
        t.dims = (dims ?? [values.count]).map(Int64.init)
        t.int64Data = values.map(Int64.init)
        return t
    }

    /// A float tensor with values stored as raw little-endian bytes.
    static func floats(_ name: String, _ values: [Float], dims: [Int]? = nil) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dataType = 1
        t.dims = (dims ?? [values.count]).map(Int64.init)
        var raw = Data()
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { raw.append(contentsOf: $0) } }
        t.rawData = raw
        return t
    }

    /// A float weight whose data lives in a (missing) external file.
    static func external(_ name: String, dims: [Int]) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dataType = 1
        t.dims = dims.map(Int64.init)
        t.dataLocation = .external
        var location = Onnx_StringStringEntryProto()
        location.key = "location"
        location.value = "missing.bin"
        t.externalData = [location]
        return t
    }

    enum Dim { case value(Int), symbol(String) }

    static func valueInfo(_ name: String, _ dims: [Dim]?) -> Onnx_ValueInfoProto {
        var v = Onnx_ValueInfoProto()
        v.name = name
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = 1
        if let dims {
            var shape = Onnx_TensorShapeProto()
            shape.dim = dims.map { d in
                var dim = Onnx_TensorShapeProto.Dimension()
                switch d {
                case .value(let v): dim.dimValue = Int64(v)
                case .symbol(let s): dim.dimParam = s
                }
                return dim
            }
            tensor.shape = shape
        }
        v.type.tensorType = tensor
        return v
    }

    static func model(_ nodes: [Onnx_NodeProto], initializers: [Onnx_TensorProto] = [],
                      input: String = "x", shape: [Dim] = [.value(1), .value(3), .value(16), .value(16)],
                      outputs: [String], opset: Int = 17) -> Onnx_ModelProto {
        var graph = Onnx_GraphProto()
        graph.name = "test"
        graph.node = nodes
        graph.initializer = initializers
        graph.input = [valueInfo(input, shape)]
        graph.output = outputs.map { valueInfo($0, nil) }
        var model = Onnx_ModelProto()
        model.irVersion = 8
        var set = Onnx_OperatorSetIdProto()
        set.version = Int64(opset)
        model.opsetImport = [set]
        model.graph = graph
        return model
    }

    static func data(_ model: Onnx_ModelProto) -> Data {
        (try? model.serializedData()) ?? Data()
    }

    static func load(_ model: Onnx_ModelProto, options: ONNXModel.Options = .init()) throws -> ONNXModel {
        try ONNXModel(data: data(model), name: "test", options: options)
    }

    /// The error thrown while loading, if any.
    static func error(_ model: Onnx_ModelProto, options: ONNXModel.Options = .init()) -> ONNXError? {
        error(data(model), options: options)
    }

    static func error(_ data: Data, options: ONNXModel.Options = .init()) -> ONNXError? {
        do {
            _ = try ONNXModel(data: data, name: "test", options: options)
            return nil
        } catch {
            return error
        }
    }
}
