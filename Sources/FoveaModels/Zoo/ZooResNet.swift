import FoveaGeometry

extension ZooGraph {
    /// torchvision `resnet18/34/50/101/152`: `units[i]` residual units in `layer{i+1}`, basic
    /// (two 3×3) or bottleneck (1×1, 3×3, 1×1 with 4× expansion) units. A stage's stride sits
    /// on the first unit's 3×3 convolution, with a 1×1 strided projection on the shortcut.
    /// The block's `relu` module is applied after every convolution stage and after the add,
    /// so its uses are `relu`, `relu_1`(, `relu_2`).
    static func resNet(units: [Int], bottleneck: Bool) -> ZooGraph {
        var g = ZooGraph()
        var x = g.conv("conv1", Network.inputName, 64, kernel: 7, stride: 2, padding: 3, bias: false)
        x = g.batchNorm("bn1", x)
        x = g.pointwise("relu", "relu", x)
        x = g.maxPool("maxpool", x, kernel: 3, stride: 2, padding: 1)
        let expansion = bottleneck ? 4 : 1
        var channels = 64
        for (stage, count) in units.enumerated() {
            let width = 64 << stage
            for unit in 0..<count {
                let p = "layer\(stage + 1).\(unit)"
                let stride = stage > 0 && unit == 0 ? 2 : 1
                let input = x
                var y: String
                if bottleneck {
                    y = g.conv("\(p).conv1", input, width, kernel: 1, bias: false)
                    y = g.batchNorm("\(p).bn1", y)
                    y = g.pointwise("\(p).relu", "relu", y)
                    y = g.conv("\(p).conv2", y, width, kernel: 3, stride: stride, padding: 1, bias: false)
                    y = g.batchNorm("\(p).bn2", y)
                    y = g.pointwise("\(p).relu_1", "relu", y)
                    y = g.conv("\(p).conv3", y, width * expansion, kernel: 1, bias: false)
                    y = g.batchNorm("\(p).bn3", y)
                } else {
                    y = g.conv("\(p).conv1", input, width, kernel: 3, stride: stride, padding: 1, bias: false)
                    y = g.batchNorm("\(p).bn1", y)
                    y = g.pointwise("\(p).relu", "relu", y)
                    y = g.conv("\(p).conv2", y, width, kernel: 3, padding: 1, bias: false)
                    y = g.batchNorm("\(p).bn2", y)
                }
                var shortcut = input
                if stride != 1 || channels != width * expansion {
                    shortcut = g.conv("\(p).downsample.0", input, width * expansion, kernel: 1, stride: stride,
                                      bias: false)
                    shortcut = g.batchNorm("\(p).downsample.1", shortcut)
                }
                x = g.add("\(p).add", y, shortcut)
                x = g.pointwise(bottleneck ? "\(p).relu_2" : "\(p).relu_1", "relu", x)
                channels = width * expansion
            }
        }
        x = g.adaptiveAvgPool("avgpool", x, size: 1)
        x = g.flatten("flatten", x)
        g.linear("fc", x, 1000)
        return g
    }
}
