import FoveaGeometry
import Testing
@testable import FoveaModels

/// Node names are the qualified names torchvision's feature extraction gives (torch.fx traced
/// down to modules without children), in execution order; checked against the traced graph.
@Suite("Zoo node names")
struct ZooNamingTests {
    @Test(arguments: ZooRegistryTests.torchvisionNames)
    func namesAndOrderMatchTheTracedTorchvisionGraph(_ name: String) throws {
        let facts = try ZooFixtures.facts.get()
        let model = try #require(facts.models[name])
        let network = try Zoo.network(named: name)
        let traced = model.nodes.map(\.name)
        let ours = network.nodes.map(\.name)
        #expect(ours.count == traced.count, "\(name): \(ours.count) nodes, torchvision traces \(traced.count)")
        let firstDifference = zip(ours, traced).enumerated().first { $0.element.0 != $0.element.1 }
        if let (i, (a, b)) = firstDifference {
            Issue.record("\(name): node \(i) is '\(a)', torchvision traces '\(b)'")
        }
    }

    @Test func slimAndLeNetNamesFollowTheirScopes() throws {
        let resnet = try Zoo.network(named: "resnet_v1_50")
        #expect(resnet.resolve(endpoint: "block1") == "block1.unit_3.bottleneck_v1.Relu")
        #expect(resnet.node(named: "block1.unit_3.bottleneck_v1.shortcut")?.layer
            == .pooling(Pooling(kind: .max, window: SlidingWindow(kernel: [1, 1], stride: [2, 2], padding: .sameUpper),
                                countIncludePad: false)))
        let inception = try Zoo.network(named: "inception_v3_slim")
        #expect(inception.resolve(endpoint: "Mixed_7c") == "Mixed_7c.concat")
        #expect(inception.resolve(endpoint: "Mixed_7b.Branch_1") == "Mixed_7b.Branch_1.concat")
        let mobilenet = try Zoo.network(named: "mobilenet_v1")
        #expect(mobilenet.resolve(endpoint: "Conv2d_13_pointwise") == "Conv2d_13_pointwise.Relu6")
        let vgg = try Zoo.network(named: "vgg_16")
        #expect(vgg.resolve(endpoint: "conv3.conv3_2") == "conv3.conv3_2.Relu")
        let lenet = try Zoo.network(named: "lenet5")
        #expect(lenet.nodes.map(\.name) == ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten",
                                             "fc1", "relu3", "fc2", "relu4", "fc3"])
    }

    @Test func containerEndpointsResolveToTheModuleOutput() throws {
        let resnet = try Zoo.network(named: "resnet50")
        #expect(resnet.resolve(endpoint: "layer3") == "layer3.5.relu_2")
        #expect(resnet.resolve(endpoint: "layer1.0.downsample") == "layer1.0.downsample.1")
        let densenet = try Zoo.network(named: "densenet121")
        #expect(densenet.resolve(endpoint: "features.denseblock2") == "features.denseblock2.cat")
        #expect(densenet.resolve(endpoint: "features") == "features.norm5")
        let googlenet = try Zoo.network(named: "googlenet")
        #expect(googlenet.resolve(endpoint: "inception3b") == "inception3b.cat")
        #expect(googlenet.resolve(endpoint: "inception3b.branch2") == "inception3b.branch2.1.relu")
        let regnet = try Zoo.network(named: "regnet_y_400mf")
        #expect(regnet.resolve(endpoint: "trunk_output.block2") == "trunk_output.block2.block2-2.activation")
    }
}
