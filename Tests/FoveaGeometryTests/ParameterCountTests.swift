import Testing
@testable import FoveaGeometry

@Suite struct ParameterCountTests {
    @Test func parameterCountsAndChannels() throws {
        let net = try Build.network([14, 14], channels: 3, [
            // ResNet's stem: 64·3·7·7 = 9408 weights, no bias.
            ("conv1", Build.conv([7, 7], stride: [2, 2], padding: .symmetric([3, 3]), out: 64, bias: false), ["input"]),
            ("bn1", .batchNorm, ["conv1"]),  // 2·64
            ("relu", .pointwise("ReLU"), ["bn1"]),
            // Depthwise: 64·1·3·3 + 64 = 640
            ("dw", Build.conv([3, 3], padding: .symmetric([1, 1]), out: 64, groups: 64), ["relu"]),
            // Transposed 64 → 32, groups 2: 64·16·2·2 + 32 = 4128
            ("up", .transposedConvolution(TransposedConvolution(kernel: [2, 2], stride: [2, 2], outChannels: 32, groups: 2)), ["dw"]),
            ("cat", .concat, ["up", "up"]),  // 64 channels
            ("flat", .flatten, ["cat"]),     // 64·14·14
            ("fc", .linear(Linear(outFeatures: 10)), ["flat"]),  // 12544·10 + 10
            ("act", .pointwise("layer_scale"), ["dw"]),
        ])
        let g = try NetworkGeometry(net)
        #expect(g["conv1"]?.parameterCount == 9408 && g["conv1"]?.channels == 64)
        #expect(g["bn1"]?.parameterCount == 128)
        #expect(g["relu"]?.parameterCount == 0)
        #expect(g["dw"]?.parameterCount == 640)
        #expect(g["up"]?.parameterCount == 4128 && g["up"]?.channels == 32 && g["up"]?.outputSize == [14, 14])
        #expect(g["cat"]?.channels == 64 && g["cat"]?.parameterCount == 0)
        #expect(g["flat"]?.channels == 12544)
        #expect(g["fc"]?.parameterCount == 125_450 && g["fc"]?.channels == 10)
        #expect(g["act"]?.parameterCount == nil)  // an unknown per-element op may carry parameters
        #expect(g["input"]?.channels == 3 && g["input"]?.parameterCount == nil)
    }

    @Test func unknownChannelsGiveUnknownCounts() throws {
        let g = try NetworkGeometry(Build.chain([8], [Build.conv([3], out: 4), .batchNorm, Build.conv([3])]))
        #expect(g["l0"]?.parameterCount == nil && g["l0"]?.channels == 4)
        #expect(g["l1"]?.parameterCount == 8)
        #expect(g["l2"]?.channels == nil)
    }

    @Test func lookupByContainerPrefix() throws {
        let net = try Build.network([8], [
            ("layer1.0.conv", Build.conv([3]), ["input"]),
            ("layer1.0.relu", .pointwise("relu"), ["layer1.0.conv"]),
            ("layer2.0.conv", Build.conv([3]), ["layer1.0.relu"]),
        ])
        let g = try NetworkGeometry(net)
        #expect(g["layer1"]?.name == "layer1.0.relu")
        #expect(g["layer1"]?.axes[0].receptiveField == 3)
        #expect(g["layer2.0.conv"]?.axes[0].receptiveField == 5)
        #expect(g["nope"] == nil)
        #expect(g.tensors.map(\.name) == ["input", "layer1.0.conv", "layer1.0.relu", "layer2.0.conv"])
    }
}
