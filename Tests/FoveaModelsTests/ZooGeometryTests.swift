import FoveaGeometry
import Testing
@testable import FoveaModels

/// Output shapes, channels and parameter counts of the zoo, analysed by `NetworkGeometry`.
@Suite("Zoo shapes and parameters")
struct ZooGeometryTests {
    @Test(arguments: ZooRegistryTests.torchvisionNames)
    func everyTracedTensorHasPyTorchsShape(_ name: String) throws {
        let model = try #require(try ZooFixtures.facts.get().models[name])
        let geometry = try NetworkGeometry(try Zoo.network(named: name))
        #expect(geometry.inputSize == model.inputSize)
        var mismatches: [String] = []
        for node in model.nodes {
            guard let tensor = geometry[node.name], tensor.name == node.name else {
                mismatches.append("\(node.name): missing")
                continue
            }
            let expected = node.shape.count == 3 ? Array(node.shape.dropFirst()) : [1, 1]
            if tensor.channels != node.shape[0] || tensor.outputSize != expected {
                mismatches.append("\(node.name): \(tensor.channels.map(String.init) ?? "?")×\(tensor.outputSize), "
                                  + "PyTorch \(node.shape)")
            }
        }
        #expect(mismatches.isEmpty, "\(name): \(mismatches.prefix(5))")
        #expect(geometry.tensors.last?.channels == model.outputShape.first)
    }

    /// Fovea counts the weights and biases of convolutions and linear layers and 2·C per batch
    /// norm; PyTorch's total also holds the layer-norm and layer-scale parameters of modules
    /// that Fovea treats as pointwise (their count is unknown to the geometry), which the
    /// fixture lists separately.
    @Test(arguments: ZooRegistryTests.torchvisionNames)
    func parameterCountsMatchPyTorch(_ name: String) throws {
        let model = try #require(try ZooFixtures.facts.get().models[name])
        let geometry = try NetworkGeometry(try Zoo.network(named: name))
        let tensors = geometry.tensors.dropFirst()
        // Only pointwise operations may have an unknown count (layer norm, layer scale, permute).
        let unknown = tensors.filter { t in
            if t.parameterCount != nil { return false }
            if case .pointwise = t.layer { return false }
            return true
        }
        #expect(unknown.isEmpty, "\(name): unknown parameter counts at \(unknown.prefix(3).map(\.name))")
        let pointwiseParameters = model.otherParameters.values.reduce(0, +)
        #expect(tensors.compactMap(\.parameterCount).reduce(0, +) == model.parameters - pointwiseParameters)
    }

    @Test func leNet5HasTheClassicShapesAndParameters() throws {
        let geometry = try NetworkGeometry(try Zoo.network(named: "lenet5"))
        // C1 6@28×28, S2 6@14×14, C3 16@10×10, S4 16@5×5, then 400 → 120 → 84 → 10.
        let expected: [(String, Int, [Int])] = [("conv1", 6, [28, 28]), ("pool1", 6, [14, 14]),
                                                 ("conv2", 16, [10, 10]), ("pool2", 16, [5, 5]),
                                                 ("flatten", 400, [1, 1]), ("fc1", 120, [1, 1]),
                                                 ("fc2", 84, [1, 1]), ("fc3", 10, [1, 1])]
        for (name, channels, size) in expected {
            #expect(geometry[name]?.channels == channels, "\(name)")
            #expect(geometry[name]?.outputSize == size, "\(name)")
        }
        // 6·25+6, 16·6·25+16, 400·120+120, 120·84+84, 84·10+10.
        let total = geometry.tensors.compactMap(\.parameterCount).reduce(0, +)
        #expect(total == 156 + 2416 + 48120 + 10164 + 850)
    }

    /// nets/mobilenet_v1.py documents 3,185,088 convolution weights in the base network.
    @Test func mobileNetV1BaseHasTheDocumentedConvolutionWeights() throws {
        let geometry = try NetworkGeometry(try Zoo.network(named: "mobilenet_v1"))
        let weights = geometry.tensors.filter {
            if case .convolution = $0.layer { return !$0.name.hasPrefix("Logits.") }
            return false
        }.compactMap(\.parameterCount).reduce(0, +)
        #expect(weights == 3_185_088)
        #expect(geometry["Conv2d_13_pointwise"]?.outputSize == [7, 7])
        #expect(geometry.tensors.last?.channels == 1000)
    }

    /// TF-Slim shapes at the default input, from the shape comments of the TF-Slim sources.
    @Test func slimFeatureMapSizes() throws {
        let inception = try NetworkGeometry(try Zoo.network(named: "inception_v3_slim"))
        let sizes = [("Conv2d_1a_3x3", 149), ("Conv2d_2a_3x3", 147), ("MaxPool_3a_3x3", 73), ("Conv2d_4a_3x3", 71),
                     ("MaxPool_5a_3x3", 35), ("Mixed_5d", 35), ("Mixed_6e", 17), ("Mixed_7c", 8)]
        for (name, side) in sizes { #expect(inception[name]?.outputSize == [side, side], "\(name)") }
        #expect(inception["Mixed_5b"]?.channels == 256)
        #expect(inception["Mixed_6a"]?.channels == 768)
        #expect(inception["Mixed_7a"]?.channels == 1280)
        #expect(inception["Mixed_7c"]?.channels == 2048)
        let resnet = try NetworkGeometry(try Zoo.network(named: "resnet_v1_50"))
        // resnet_v1.py: [224, 224] inputs give [7, 7] maps at the output of the last block.
        #expect(resnet["block4"]?.outputSize == [7, 7])
        #expect(resnet["block4"]?.channels == 2048)
        #expect(resnet["block1"]?.outputSize == [28, 28])
        let vgg = try NetworkGeometry(try Zoo.network(named: "vgg_16"))
        #expect(vgg["pool5"]?.outputSize == [7, 7])
        #expect(vgg["fc8"]?.channels == 1000)
        let alexnet = try NetworkGeometry(try Zoo.network(named: "alexnet_v2"))
        #expect(alexnet["pool5"]?.outputSize == [5, 5])
        #expect(alexnet["fc6.Relu"]?.outputSize == [1, 1])
    }

    /// The TF-Slim heads are the graphs at the default input size; TensorFlow shrinks the final
    /// pooling kernel for smaller inputs, which a fixed network cannot, so the analysis stops
    /// there with an error naming the node.
    @Test func slimHeadsAreSizedForTheDefaultInput() throws {
        let network = try Zoo.network(named: "inception_v3_slim")
        do {
            _ = try NetworkGeometry(network, inputSize: [224, 224])
            Issue.record("an 8×8 VALID pool on a 5×5 map must fail")
        } catch {
            #expect(error.description.contains("Logits.AvgPool_1a_8x8"), "\(error)")
        }
        #expect(try NetworkGeometry(network, inputSize: [331, 331])["Logits.AvgPool_1a_8x8"]?.outputSize == [2, 2])
    }
}
