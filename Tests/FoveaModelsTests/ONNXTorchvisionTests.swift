import Foundation
import Testing
import FoveaGeometry
@testable import FoveaModels

/// The graph-only torchvision exports (opset 17) and the truths recorded when they were made.
@Suite struct ONNXTorchvisionTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/onnx")

    struct Endpoint: Decodable {
        let endpoint: String
        let onnx_output: String?
        let rf: [Int]
        let stride: [Int]
        let padding: [Int]
        let shape_at_onnx_input: [Int]
    }
    struct Export: Decodable { let path: String; let input_shape: [Int]; let n_nodes: Int }
    struct Model: Decodable { let onnx: Export?; let endpoints: [Endpoint] }
    struct Truth: Decodable { let models: [String: Model] }

    static let truth: Truth = {
        let data = try! Data(contentsOf: directory.deletingLastPathComponent().appendingPathComponent("torchvision_rf_truth.json"))
        return try! JSONDecoder().decode(Truth.self, from: data)
    }()

    static let exported = ["alexnet", "vgg16", "resnet18", "googlenet", "mobilenet_v2"]

    @Test(arguments: exported)
    func endpointShapesMatchPyTorch(_ name: String) throws {
        let model = try #require(Self.truth.models[name])
        let onnx = try ONNXModel(contentsOf: Self.directory.appendingPathComponent("\(name).onnx"))
        #expect(onnx.input.shape == model.onnx?.input_shape)
        #expect(onnx.network.inputSize == [224, 224])
        #expect(onnx.network.inputChannels == 3)
        #expect(onnx.opsetVersion == 17)
        for endpoint in model.endpoints {
            let tensor = try #require(endpoint.onnx_output)
            let output = try #require(onnx.outputs.first { $0.name == tensor })
            #expect(output.shape == endpoint.shape_at_onnx_input, "\(name) \(tensor)")
            #expect(output.declaredShape == endpoint.shape_at_onnx_input.map { .value($0) })
            let node = try #require(output.nodeName)
            #expect(onnx.network.node(named: node) != nil)
            #expect(onnx.network.outputs.contains(node))
        }
        let logits = try #require(onnx.outputs.first { $0.name == "logits" })
        #expect(logits.shape == [1, 1000])
    }
}
