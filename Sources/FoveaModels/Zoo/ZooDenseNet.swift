import FoveaGeometry

extension ZooGraph {
    /// torchvision `densenet121` (growth 32, blocks 6-12-24-16, bottleneck width 128).
    ///
    /// Each dense layer starts by concatenating everything produced so far in its block
    /// (`denselayerN.cat`); the first layer's concatenation has a single input, so it is a
    /// pointwise `identity` node. Each block ends with the concatenation of its input and all
    /// its layers' outputs (`denseblockN.cat`).
    static func denseNet121() -> ZooGraph {
        let growth = 32
        var g = ZooGraph()
        var x = g.conv("features.conv0", Network.inputName, 64, kernel: 7, stride: 2, padding: 3, bias: false)
        x = g.batchNorm("features.norm0", x)
        x = g.pointwise("features.relu0", "relu", x)
        x = g.maxPool("features.pool0", x, kernel: 3, stride: 2, padding: 1)
        var channels = 64
        for (b, layers) in [6, 12, 24, 16].enumerated() {
            let block = "features.denseblock\(b + 1)"
            var features = [x]
            for l in 1...layers {
                let p = "\(block).denselayer\(l)"
                var y = features.count == 1
                    ? g.pointwise("\(p).cat", "identity", x)
                    : g.concat("\(p).cat", features)
                y = g.batchNorm("\(p).norm1", y)
                y = g.pointwise("\(p).relu1", "relu", y)
                y = g.conv("\(p).conv1", y, 4 * growth, kernel: 1, bias: false)
                y = g.batchNorm("\(p).norm2", y)
                y = g.pointwise("\(p).relu2", "relu", y)
                y = g.conv("\(p).conv2", y, growth, kernel: 3, padding: 1, bias: false)
                features.append(y)
            }
            x = g.concat("\(block).cat", features)
            channels += layers * growth
            if b < 3 {
                let t = "features.transition\(b + 1)"
                x = g.batchNorm("\(t).norm", x)
                x = g.pointwise("\(t).relu", "relu", x)
                channels /= 2
                x = g.conv("\(t).conv", x, channels, kernel: 1, bias: false)
                x = g.avgPool("\(t).pool", x, kernel: 2, stride: 2)
            }
        }
        x = g.batchNorm("features.norm5", x)
        x = g.pointwise("relu", "relu", x)
        x = g.adaptiveAvgPool("adaptive_avg_pool2d", x, size: 1)
        x = g.flatten("flatten", x)
        g.linear("classifier", x, 1000)
        return g
    }
}
