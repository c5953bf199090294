import FoveaGeometry
import Testing
@testable import FoveaModels

/// Receptive fields of zoo endpoints against PyTorch's gradient-method truths and the
/// published TF-Slim table.
@Suite("Zoo receptive fields")
struct ZooReceptiveFieldTests {
    /// `[r, S, P]` per axis of an endpoint, or a description of why there is none.
    static func field(_ geometry: NetworkGeometry, _ endpoint: String) -> [[Int]]? {
        guard let tensor = geometry[endpoint] else { return nil }
        return tensor.axes.map { axis in
            axis.affine.map { [$0.size, $0.stride, $0.padding] } ?? [-1, -1, -1]
        }
    }

    static func check(_ truth: ReceptiveFieldTruth, model name: String) throws {
        let model = try #require(truth.models[name], "\(name) missing from the fixture")
        let geometry = try NetworkGeometry(try Zoo.network(named: name))
        for endpoint in model.endpoints {
            let expected = (0..<2).map { [endpoint.rf[$0], endpoint.stride[$0], endpoint.padding[$0]] }
            let measured = field(geometry, endpoint.endpoint)
            #expect(measured == expected, "\(name) \(endpoint.endpoint): r/S/P per axis \(measured.map { "\($0)" } ?? "none"), PyTorch \(expected)")
        }
    }

    @Test(arguments: ["alexnet", "vgg16", "resnet18", "resnet50", "googlenet", "mobilenet_v2"])
    func sharedTorchvisionTruths(_ name: String) throws {
        try Self.check(try ZooFixtures.sharedTruth.get(), model: name)
    }

    @Test(arguments: ZooRegistryTests.torchvisionNames)
    func gradientMethodTruthsOfEveryTorchvisionModel(_ name: String) throws {
        try Self.check(try ZooFixtures.zooTruth.get(), model: name)
    }

    /// The published final-endpoint values, at each model's default input size.
    @Test(arguments: [("alexnet_v2", "pool5", 195, 32, 64), ("vgg_16", "pool5", 212, 32, 90),
                      ("mobilenet_v1", "Conv2d_13_pointwise", 315, 32, 126), ("resnet_v1_50", "block4", 483, 32, 239),
                      ("resnet_v1_101", "block4", 1027, 32, 511), ("resnet_v1_152", "block4", 1507, 32, 751),
                      ("inception_v3_slim", "Mixed_7c", 1311, 32, 618)])
    func slimFinalEndpoints(_ name: String, _ endpoint: String, _ r: Int, _ s: Int, _ p: Int) throws {
        let geometry = try NetworkGeometry(try Zoo.network(named: name))
        #expect(Self.field(geometry, endpoint) == [[r, s, p], [r, s, p]])
    }

    /// Every TF-Slim row of the published table, at 224 and 321: with TensorFlow's SAME padding
    /// computed from the actual feature-map sizes, the size-dependent paddings of MobileNet v1
    /// and ResNet v1 come out as published. The heads after the last endpoint are cut off
    /// because the TF graphs shrink their pooling kernels for small inputs.
    @Test func publishedSlimTable() throws {
        let rows = try ZooFixtures.slimPublished.get().rows
        let groups = Dictionary(grouping: rows) { "\($0.model) \($0.resolution)" }
        #expect(groups.count == 14)
        for (_, rows) in groups.sorted(by: { $0.key < $1.key }) {
            let first = rows[0]
            let name = first.model == "inception_v3" ? "inception_v3_slim" : first.model
            let network = try Zoo.network(named: name)
            // `vgg_16/conv3/conv3_1` → `conv3.conv3_1`.
            let endpoints = rows.map { row in
                let scoped = row.endpoint.hasPrefix(first.model + "/") ? String(row.endpoint.dropFirst(first.model.count + 1))
                                                                         : row.endpoint
                return scoped.replacingOccurrences(of: "/", with: ".")
            }
            let last = try #require(endpoints.compactMap { network.resolve(endpoint: $0) }
                .compactMap { e in network.nodes.firstIndex { $0.name == e } }.max())
            let truncated = try Network(name: name, inputChannels: 3, inputSize: [first.resolution, first.resolution],
                                        nodes: Array(network.nodes[...last]))
            let geometry = try NetworkGeometry(truncated)
            for (row, endpoint) in zip(rows, endpoints) {
                let expected = [row.rf, row.stride, row.padding]
                #expect(Self.field(geometry, endpoint) == [expected, expected],
                        "\(name) at \(row.resolution), \(endpoint)")
            }
        }
    }

    /// By hand: conv 5 (pad 2) → 5/1/2; pool 2/2 → 6/2/2; conv 5 → 6 + 4·2 = 14/2/2; pool → 16/4/2.
    @Test func leNet5() throws {
        let geometry = try NetworkGeometry(try Zoo.network(named: "lenet5"))
        #expect(Self.field(geometry, "conv1") == [[5, 1, 2], [5, 1, 2]])
        #expect(Self.field(geometry, "pool1") == [[6, 2, 2], [6, 2, 2]])
        #expect(Self.field(geometry, "conv2") == [[14, 2, 2], [14, 2, 2]])
        #expect(Self.field(geometry, "pool2") == [[16, 4, 2], [16, 4, 2]])
    }

    /// torchvision puts a stage's stride on the first unit's 3×3 convolution, TF-Slim on the
    /// last unit of the previous block, so more 3×3 convolutions run at the coarser stride.
    @Test func torchvisionAndSlimResNet50Differ() throws {
        let torchvision = try NetworkGeometry(try Zoo.network(named: "resnet50"))
        let slim = try NetworkGeometry(try Zoo.network(named: "resnet_v1_50"))
        #expect(Self.field(torchvision, "layer4")?.first == [427, 32, 213])
        #expect(Self.field(slim, "block4")?.first == [483, 32, 239])
        // Same output grid, different strides per stage: layer1 is at stride 4, block1 at 8.
        #expect(torchvision["layer1"]?.axes.first?.affine?.stride == 4)
        #expect(slim["block1"]?.axes.first?.affine?.stride == 8)
    }

    /// Squeeze-and-excitation gates pass through a global pool: the tensors after them are
    /// flagged as having global context while their receptive field stays local.
    @Test func squeezeExcitationIsFlaggedAsGlobalContext() throws {
        let efficientnet = try NetworkGeometry(try Zoo.network(named: "efficientnet_b0"))
        #expect(efficientnet["features.0"]?.flags.contains(.globalContext) == false)
        #expect(efficientnet["features.1.0.block.1"]?.flags.contains(.globalContext) == true)
        #expect(efficientnet["features.7"]?.flags.contains(.globalContext) == true)
        #expect(efficientnet["features.7"]?.axes.first?.affine != nil)
        let resnet = try NetworkGeometry(try Zoo.network(named: "resnet50"))
        #expect(resnet.tensors.allSatisfy { !$0.flags.contains(.globalContext) })
    }

    /// Every merge of every zoo model is aligned (no model mixes centres across paths).
    @Test(arguments: Zoo.names)
    func everyMergeIsAligned(_ name: String) throws {
        let geometry = try NetworkGeometry(try Zoo.network(named: name))
        let misaligned = geometry.merges.filter { !$0.isAligned }.map(\.description)
        #expect(misaligned.isEmpty, "\(name): \(misaligned.prefix(3))")
    }
}
