import Foundation
import Testing
import FoveaGeometry
@testable import FoveaModels

/// Imported networks through the geometry engine: receptive fields against the PyTorch
/// gradient-method truths, and output sizes against the importer's own shapes.
@Suite struct ONNXGeometryTests {
    struct Missing: Error, CustomStringConvertible { let description: String }

    /// The analysed tensor of an ONNX tensor name.
    func tensor(_ geometry: NetworkGeometry, _ model: ONNXModel, _ onnx: String?) throws -> TensorGeometry {
        guard let onnx, let node = model.nodeName(forTensor: onnx), let tensor = geometry[node] else {
            throw Missing(description: "no analysed tensor for \(onnx ?? "nil")")
        }
        return tensor
    }

    @Test(arguments: ONNXTorchvisionTests.exported)
    func torchvisionReceptiveFields(_ name: String) throws {
        let truth = try #require(ONNXTorchvisionTests.truth.models[name])
        let model = try ONNXModel(contentsOf: ONNXTorchvisionTests.directory.appendingPathComponent("\(name).onnx"))
        let geometry = try NetworkGeometry(model.network)
        for endpoint in truth.endpoints {
            let tensor = try tensor(geometry, model, endpoint.onnx_output)
            #expect(tensor.outputSize == Array(endpoint.shape_at_onnx_input[2...]), "\(name) \(endpoint.endpoint)")
            #expect(tensor.axes.map(\.receptiveField) == endpoint.rf, "\(name) \(endpoint.endpoint) r")
            #expect(tensor.axes.map(\.effectiveStride) == endpoint.stride.map(Double.init), "\(name) \(endpoint.endpoint) S")
            #expect(tensor.axes.map(\.effectivePadding) == endpoint.padding.map(Double.init), "\(name) \(endpoint.endpoint) P")
            #expect(tensor.isAligned)
        }
    }

    @Test(arguments: ONNXFixtureTests.all)
    func fixtureReceptiveFieldsAndSizes(_ name: String) throws {
        let truth = try ONNXFixtureTests.expected(name)
        let model = try ONNXFixtureTests.load(name)
        let geometry = try NetworkGeometry(model.network)
        for (output, field) in truth.receptive_fields ?? [:] {
            let tensor = try tensor(geometry, model, output)
            #expect(tensor.axes.map(\.receptiveField) == field.rf, "\(name) \(output) r")
            #expect(tensor.axes.map(\.effectiveStride) == field.stride.map(Double.init), "\(name) \(output) S")
            #expect(tensor.axes.map(\.effectivePadding) == field.padding.map(Double.init), "\(name) \(output) P")
        }
        // The engine's sizes agree with the importer's shapes wherever a tensor keeps its spatial axes.
        for (output, shape) in truth.outputs {
            let tensor = try tensor(geometry, model, output)
            if shape.count == 2 + model.network.spatialRank, !tensor.flags.contains(.global) {
                #expect(tensor.outputSize == Array(shape[2...]), "\(name) \(output)")
            }
        }
    }
}

/// The same torchvision model from the built-in zoo and from its ONNX export gives the same
/// numbers at every endpoint.
@Suite struct ONNXZooAgreementTests {
    @Test(arguments: ONNXTorchvisionTests.exported)
    func zooAndONNXAgree(_ name: String) throws {
        let truth = try #require(ONNXTorchvisionTests.truth.models[name])
        let onnx = try ONNXModel(contentsOf: ONNXTorchvisionTests.directory.appendingPathComponent("\(name).onnx"))
        let fromONNX = try NetworkGeometry(onnx.network)
        let fromZoo = try NetworkGeometry(try Zoo.network(named: name), inputSize: onnx.network.inputSize)
        for endpoint in truth.endpoints {
            let a = try ONNXGeometryTests().tensor(fromONNX, onnx, endpoint.onnx_output)
            let b = try #require(fromZoo[endpoint.endpoint], "zoo has no \(endpoint.endpoint)")
            #expect(a.outputSize == b.outputSize, "\(name) \(endpoint.endpoint)")
            #expect(a.channels == b.channels, "\(name) \(endpoint.endpoint)")
            #expect(a.axes == b.axes, "\(name) \(endpoint.endpoint)")
            #expect(a.flags == b.flags, "\(name) \(endpoint.endpoint)")
        }
    }
}

/// Channel slices, splits and pads change the channel count without a layer that says so; the
/// imported nodes carry it, so the engine's channels match the real tensors.
@Suite struct ONNXChannelTests {
    @Test(arguments: ["concat_net", "pad_opset11", "slice_opset13", "split_opset18", "se_net", "depthwise_net"])
    func channelsMatchTheImportedShapes(_ name: String) throws {
        let model = try ONNXFixtureTests.load(name)
        let geometry = try NetworkGeometry(model.network)
        var checked = 0
        for node in model.network.nodes {
            guard let shape = model.shape(ofTensor: node.name), shape.count == 4,
                  let tensor = geometry[node.name], tensor.outputSize == Array(shape[2...]) else { continue }
            #expect(tensor.channels == shape[1], "\(name) \(node.name)")
            checked += 1
        }
        #expect(checked >= 2)
    }
}

/// Gates and normalizations with statistics over the map keep the local receptive field and are
/// flagged "global context"; plain local blocks are not.
@Suite struct ONNXGlobalContextTests {
    @Test func gatesAndSpatialStatisticsAreGlobalContext() throws {
        let cases: [(file: String, tensor: String, context: Bool)] = [
            ("se_net", "se1", true), ("se_net", "se2", true), ("se_net", "/conv1/Conv_output_0", false),
            ("convnext_block", "block", false), ("convnext_block", "normed", true),
            ("reduce_opset18", "softmax_w", true), ("reduce_opset18", "softmax_c", false),
        ]
        for c in cases {
            let model = try ONNXFixtureTests.load(c.file)
            let geometry = try NetworkGeometry(model.network)
            let tensor = try ONNXGeometryTests().tensor(geometry, model, c.tensor)
            #expect(tensor.flags.contains(.globalContext) == c.context, "\(c.file) \(c.tensor)")
            #expect(!tensor.flags.contains(.global), "\(c.file) \(c.tensor)")
        }
    }
}
