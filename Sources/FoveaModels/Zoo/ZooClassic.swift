import FoveaGeometry

extension ZooGraph {
    /// LeNet-5 for 1×28×28 digits: conv6(5, pad 2)–relu–maxpool2–conv16(5)–relu–maxpool2–
    /// fc120–relu–fc84–relu–fc10. The padding of the first convolution gives the 28×28 C1 map
    /// that the paper's unpadded convolution gives on 32×32 inputs.
    static func leNet5() -> ZooGraph {
        var g = ZooGraph()
        var x = g.conv("conv1", Network.inputName, 6, kernel: 5, padding: 2)
        x = g.pointwise("relu1", "relu", x)
        x = g.maxPool("pool1", x, kernel: 2, stride: 2)
        x = g.conv("conv2", x, 16, kernel: 5)
        x = g.pointwise("relu2", "relu", x)
        x = g.maxPool("pool2", x, kernel: 2, stride: 2)
        x = g.flatten("flatten", x)
        x = g.linear("fc1", x, 120)
        x = g.pointwise("relu3", "relu", x)
        x = g.linear("fc2", x, 84)
        x = g.pointwise("relu4", "relu", x)
        g.linear("fc3", x, 10)
        return g
    }

    /// `lenet_digits`, the default model of `fovea train` for the built-in 1×8×8 digits: LeNet-5's
    /// layers and names with 3×3 convolutions (padding 1) and 16 and 32 channels:
    /// conv16(3, pad 1)–relu–maxpool2–conv32(3, pad 1)–relu–maxpool2–fc120–relu–fc84–relu–fc10.
    static func leNetDigits() -> ZooGraph {
        var g = ZooGraph()
        var x = g.conv("conv1", Network.inputName, 16, kernel: 3, padding: 1)
        x = g.pointwise("relu1", "relu", x)
        x = g.maxPool("pool1", x, kernel: 2, stride: 2)
        x = g.conv("conv2", x, 32, kernel: 3, padding: 1)
        x = g.pointwise("relu2", "relu", x)
        x = g.maxPool("pool2", x, kernel: 2, stride: 2)
        x = g.flatten("flatten", x)
        x = g.linear("fc1", x, 120)
        x = g.pointwise("relu3", "relu", x)
        x = g.linear("fc2", x, 84)
        x = g.pointwise("relu4", "relu", x)
        g.linear("fc3", x, 10)
        return g
    }

    /// torchvision `alexnet`.
    static func alexNet() -> ZooGraph {
        var g = ZooGraph()
        var x = Network.inputName
        let convs: [(index: Int, out: Int, kernel: Int, stride: Int, padding: Int, poolAfter: Bool)] = [
            (0, 64, 11, 4, 2, true), (3, 192, 5, 1, 2, true), (6, 384, 3, 1, 1, false),
            (8, 256, 3, 1, 1, false), (10, 256, 3, 1, 1, true),
        ]
        for c in convs {
            x = g.conv("features.\(c.index)", x, c.out, kernel: c.kernel, stride: c.stride, padding: c.padding)
            x = g.pointwise("features.\(c.index + 1)", "relu", x)
            if c.poolAfter { x = g.maxPool("features.\(c.index + 2)", x, kernel: 3, stride: 2) }
        }
        x = g.adaptiveAvgPool("avgpool", x, size: 6)
        x = g.flatten("flatten", x)
        x = g.pointwise("classifier.0", "dropout", x)
        x = g.linear("classifier.1", x, 4096)
        x = g.pointwise("classifier.2", "relu", x)
        x = g.pointwise("classifier.3", "dropout", x)
        x = g.linear("classifier.4", x, 4096)
        x = g.pointwise("classifier.5", "relu", x)
        g.linear("classifier.6", x, 1000)
        return g
    }

    /// torchvision `vgg11/13/16/19` (no batch norm): `stages[i]` 3×3 convolutions of
    /// `widths[i]` channels, each stage closed by a 2×2 max pool.
    static func vgg(convsPerStage stages: [Int]) -> ZooGraph {
        let widths = [64, 128, 256, 512, 512]
        var g = ZooGraph()
        var x = Network.inputName
        var index = 0
        for (stage, count) in stages.enumerated() {
            for _ in 0..<count {
                x = g.conv("features.\(index)", x, widths[stage], kernel: 3, padding: 1)
                x = g.pointwise("features.\(index + 1)", "relu", x)
                index += 2
            }
            x = g.maxPool("features.\(index)", x, kernel: 2, stride: 2)
            index += 1
        }
        x = g.adaptiveAvgPool("avgpool", x, size: 7)
        x = g.flatten("flatten", x)
        x = g.linear("classifier.0", x, 4096)
        x = g.pointwise("classifier.1", "relu", x)
        x = g.pointwise("classifier.2", "dropout", x)
        x = g.linear("classifier.3", x, 4096)
        x = g.pointwise("classifier.4", "relu", x)
        x = g.pointwise("classifier.5", "dropout", x)
        g.linear("classifier.6", x, 1000)
        return g
    }
}
